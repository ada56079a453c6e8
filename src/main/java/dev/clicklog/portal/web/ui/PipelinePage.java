package dev.clicklog.portal.web.ui;

import java.net.URI;

import java.util.List;
import java.util.Optional;

import jakarta.ws.rs.BeanParam;
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
import dev.clicklog.portal.pipeline.CostEstimate;
import dev.clicklog.portal.pipeline.InvalidPipelineException;
import dev.clicklog.portal.pipeline.PipelineConflictException;
import dev.clicklog.portal.pipeline.PipelinePatch;
import dev.clicklog.portal.pipeline.PipelineRequest;
import dev.clicklog.portal.pipeline.PipelineService;
import dev.clicklog.portal.pipeline.PipelineStatus;
import dev.clicklog.portal.pipeline.PipelineView;
import dev.clicklog.portal.pipeline.PreconditionFailedException;
import dev.clicklog.portal.pipeline.PricingService;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * A pipeline's overview — status and live progress, resources, how to send clicks, a test click,
 * what it costs, the history — and the actions on it: change it (the Edit page), retry, delete
 * (keeping its clicks, or purging them after a second typed confirmation), purge a deleted
 * pipeline's kept clicks.
 */
@Path("/pipelines/{name}")
@Produces(MediaType.TEXT_HTML)
public class PipelinePage {

    @CheckedTemplate
    static class Templates {

        static native TemplateInstance overview(PipelineView p, Snippets snippets, CostEstimate cost, boolean settled);

        /** The part of the overview that follows the pipeline while it changes by itself. */
        static native TemplateInstance overview$status(PipelineView p, Snippets snippets, boolean settled);

        static native TemplateInstance testClick(Observation<TestClickResult> result);

        static native TemplateInstance edit(PipelineView p, PipelineForm form, FormErrors errors, String stale,
                CostEstimate current, CostEstimate proposed, String costProblem);

        static native TemplateInstance costEstimate(CostEstimate cost, String problem);

        static native TemplateInstance delete(PipelineView p, String typed, boolean purge, String typedPurge, String error);

        static native TemplateInstance purge(PipelineView p, String typed, String error);
    }

    private final PipelineService pipelines;
    private final TestClick testClick;
    private final PricingService pricing;
    private final CurrentCaller caller;

    PipelinePage(PipelineService pipelines, TestClick testClick, PricingService pricing, CurrentCaller caller) {
        this.pipelines = pipelines;
        this.testClick = testClick;
        this.pricing = pricing;
        this.caller = caller;
    }

    @GET
    public TemplateInstance overview(@PathParam("name") String name) {
        PipelineView p = pipelines.get(name);
        return Templates.overview(p, snippets(p), cost(p), false);
    }

    /** The API key only for the team's members, who may send clicks; viewers see where it goes. */
    private Snippets snippets(PipelineView p) {
        return Snippets.of(p, caller.mayChange(p.team()));
    }

    /**
     * The overview's status card, what the page polls every second while the pipeline is provisioning,
     * changing or being deleted — only the card, so the header, tabs and the rest of the page stay
     * still (a selection, focus, an open menu). Once the pipeline has settled the card polls no more,
     * and the answer also carries, out of band, what its settling changed elsewhere: the header's
     * badge and actions, the rest of the overview.
     */
    @GET
    @Path("status")
    public TemplateInstance status(@PathParam("name") String name) {
        PipelineView p = pipelines.get(name);
        return Templates.overview$status(p, snippets(p), !Formats.changing(p));
    }

    /** What a live pipeline costs (measured or expected, read once per page, not per poll); none for one that is gone or going. */
    private CostEstimate cost(PipelineView p) {
        return Formats.editable(p) ? pricing.estimate(p) : null;
    }

    /** The pipeline's form as it is, to change what may change. */
    @GET
    @Path("edit")
    @Access(Access.Level.PIPELINE_CHANGE)
    public Response edit(@PathParam("name") String name) {
        PipelineView p = pipelines.get(name);
        if (!Formats.editable(p)) {
            return backToOverview(name);
        }
        return Response.ok(editPage(p, PipelineForm.of(p), new FormErrors(), null)).build();
    }

    /**
     * Applies the edited form as the pipeline's next generation, by the same rules as the new-pipeline
     * form; otherwise the form again, as sent, with what to fix — or, when someone changed the
     * pipeline since the form was shown, with that said and nothing changed.
     */
    @POST
    @Path("edit")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response change(@PathParam("name") String name, @BeanParam PipelineForm sent) {
        PipelineView p = pipelines.get(name);
        PipelineForm form = sent.keeping(p);
        FormErrors errors = new FormErrors();
        PipelineRequest request = form.toRequest(errors);
        if (errors.isEmpty()) {
            try {
                pipelines.change(name, current -> new PipelinePatch.Result(request, List.of()),
                        Optional.ofNullable(form.etag()).filter(e -> !e.isBlank()), caller.actor());
                return backToOverview(name);
            } catch (InvalidPipelineException e) {
                e.violations().forEach(errors::add);
            } catch (PreconditionFailedException e) {
                PipelineView now = pipelines.get(name);
                return Response.status(Response.Status.PRECONDITION_FAILED).entity(editPage(now, form, errors,
                        "Someone changed this pipeline since you opened this page (it is at generation "
                                + now.generation() + " now); nothing was changed. Review its settings and send the form again."))
                        .build();
            } catch (PipelineConflictException e) {
                errors.add("(pipeline)", e.getMessage());
            }
        }
        return Response.status(Response.Status.BAD_REQUEST).entity(editPage(p, form, errors, null)).build();
    }

    /** The cost of the change as the Edit page's form has it now. */
    @POST
    @Path("edit/estimate")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public TemplateInstance estimate(@PathParam("name") String name, @BeanParam PipelineForm sent) {
        CostPanel panel = CostPanel.of(pricing, sent.keeping(pipelines.get(name)));
        return Templates.costEstimate(panel.cost(), panel.problem());
    }

    private TemplateInstance editPage(PipelineView p, PipelineForm form, FormErrors errors, String stale) {
        CostPanel proposed = CostPanel.of(pricing, stale == null ? form : form.withEtag(p.etag()));
        return Templates.edit(p, stale == null ? form : form.withEtag(p.etag()), errors, stale, pricing.estimate(p),
                proposed.cost(), proposed.problem());
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
        return Response.ok(Templates.delete(p, "", false, "", null)).build();
    }

    /**
     * Deletes once the name was typed as confirmation, keeping the clicks — or, when asked to purge
     * them too, once "purge" and the name were typed as a second confirmation; then the overview
     * follows the teardown.
     */
    @POST
    @Path("delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response delete(@PathParam("name") String name, @RestForm String confirm, @RestForm String purge,
            @RestForm String confirmPurge) {
        PipelineView p = pipelines.get(name);
        String typed = confirm == null ? "" : confirm.strip();
        boolean purging = purge != null && !purge.isEmpty();
        String typedPurge = confirmPurge == null ? "" : confirmPurge.strip();
        String error = null;
        if (!typed.equals(p.name())) {
            error = "Type the pipeline's name, " + p.name() + ", to confirm.";
        } else if (purging && !typedPurge.equals(purgePhrase(p))) {
            error = "Type " + purgePhrase(p) + " to confirm that its clicks are deleted too, or keep them.";
        }
        if (error != null) {
            return Response.status(Response.Status.BAD_REQUEST)
                    .entity(Templates.delete(p, typed, purging, typedPurge, error)).build();
        }
        pipelines.delete(name, purging, Optional.empty(), caller.actor());
        return backToOverview(name);
    }

    @GET
    @Path("purge")
    @Access(Access.Level.PIPELINE_CHANGE)
    public Response confirmPurge(@PathParam("name") String name) {
        PipelineView p = pipelines.get(name);
        if (!Formats.purgeable(p)) {
            return backToOverview(name);
        }
        return Response.ok(Templates.purge(p, "", null)).build();
    }

    /** Deletes the clicks a DELETED pipeline kept, once "purge" and its name were typed. */
    @POST
    @Path("purge")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response purge(@PathParam("name") String name, @RestForm String confirm) {
        PipelineView p = pipelines.get(name);
        String typed = confirm == null ? "" : confirm.strip();
        if (!typed.equals(purgePhrase(p))) {
            return Response.status(Response.Status.BAD_REQUEST)
                    .entity(Templates.purge(p, typed, "Type " + purgePhrase(p) + " to confirm.")).build();
        }
        try {
            pipelines.delete(name, true, Optional.empty(), caller.actor());
        } catch (PipelineConflictException e) {
            return Response.status(Response.Status.CONFLICT).entity(Templates.purge(p, typed, e.getMessage())).build();
        }
        return backToOverview(name);
    }

    /** What to type to delete a pipeline's clicks: a second confirmation, unlike the first. */
    static String purgePhrase(PipelineView p) {
        return "purge " + p.name();
    }

    private static Response backToOverview(String name) {
        return Response.seeOther(URI.create(Urls.pipeline(name))).build();
    }

    @ServerExceptionMapper
    Response failed(RuntimeException e, UriInfo uri, HttpHeaders headers, Request request) {
        return ErrorPages.of(e, uri, headers, request);
    }
}
