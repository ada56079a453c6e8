package dev.clicklog.portal.web.ui;

import java.net.URI;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.clicklog.portal.auth.Access;
import dev.clicklog.portal.auth.CurrentCaller;
import dev.clicklog.portal.observe.TestClick;
import dev.clicklog.portal.observe.TestClickResult;
import dev.clicklog.portal.pipeline.PipelineConflictException;
import dev.clicklog.portal.pipeline.PipelineService;
import dev.clicklog.portal.pipeline.PipelineStatus;
import dev.clicklog.portal.pipeline.PipelineView;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * A pipeline's overview — status and live provisioning progress, resources, how to send clicks, a
 * test click, the history — and the actions on it: retry, delete.
 */
@Path("/pipelines/{name}")
@Produces(MediaType.TEXT_HTML)
public class PipelinePage {

    @CheckedTemplate
    static class Templates {

        static native TemplateInstance overview(PipelineView p, Snippets snippets);

        /** The part of the overview that follows the pipeline while it changes by itself. */
        static native TemplateInstance overview$live(PipelineView p, Snippets snippets);

        static native TemplateInstance testClick(Observation<TestClickResult> result);

        static native TemplateInstance delete(PipelineView p, String typed, String error);
    }

    private final PipelineService pipelines;
    private final TestClick testClick;
    private final CurrentCaller caller;

    PipelinePage(PipelineService pipelines, TestClick testClick, CurrentCaller caller) {
        this.pipelines = pipelines;
        this.testClick = testClick;
        this.caller = caller;
    }

    @GET
    public TemplateInstance overview(@PathParam("name") String name) {
        PipelineView p = pipelines.get(name);
        return Templates.overview(p, snippets(p));
    }

    /** The API key only for the team's members, who may send clicks; viewers see where it goes. */
    private Snippets snippets(PipelineView p) {
        return Snippets.of(p, caller.mayChange(p.team()));
    }

    /** What the overview polls every second while the pipeline is provisioning or being deleted. */
    @GET
    @Path("live")
    public TemplateInstance live(@PathParam("name") String name) {
        PipelineView p = pipelines.get(name);
        return Templates.overview$live(p, snippets(p));
    }

    /** Sends a test click through the invoke URL and shows what the gateway answered. */
    @POST
    @Path("test-click")
    public Response testClick(@PathParam("name") String name, @Context UriInfo uri) {
        PipelineView p = pipelines.get(name);
        String origin = uri.getBaseUri().getScheme() + "://" + uri.getBaseUri().getAuthority();
        Observation<TestClickResult> result = Observation.of(p, () -> testClick.send(name, origin));
        return result.page(Templates.testClick(result));
    }

    @POST
    @Path("retry")
    public Response retry(@PathParam("name") String name) {
        try {
            pipelines.retry(name, caller.actor());
        } catch (PipelineConflictException e) {
            // It left FAILED meanwhile (another retry, a delete): the overview shows where it is.
        }
        return backToOverview(name);
    }

    /** The confirmation form: only for those who may delete, though it is a GET. */
    @GET
    @Path("delete")
    @Access(Access.Level.PIPELINE_CHANGE)
    public Response confirmDelete(@PathParam("name") String name) {
        PipelineView p = pipelines.get(name);
        if (p.status() == PipelineStatus.DELETING || p.status() == PipelineStatus.DELETED) {
            return backToOverview(name);
        }
        return Response.ok(Templates.delete(p, "", null)).build();
    }

    /** Deletes once the name was typed as confirmation; then the overview follows the teardown. */
    @POST
    @Path("delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response delete(@PathParam("name") String name, @RestForm String confirm) {
        PipelineView p = pipelines.get(name);
        String typed = confirm == null ? "" : confirm.strip();
        if (!typed.equals(p.name())) {
            return Response.status(Response.Status.BAD_REQUEST)
                    .entity(Templates.delete(p, typed, "Type the pipeline's name, " + p.name() + ", to confirm."))
                    .build();
        }
        pipelines.delete(name, caller.actor());
        return backToOverview(name);
    }

    private static Response backToOverview(String name) {
        return Response.seeOther(URI.create(Urls.pipeline(name))).build();
    }

    @ServerExceptionMapper
    Response failed(RuntimeException e, UriInfo uri, HttpHeaders headers, Request request) {
        return ErrorPages.of(e, uri, headers, request);
    }
}
