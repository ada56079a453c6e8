package dev.clicklog.portal.web.ui;

import java.util.List;
import java.util.Optional;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.clicklog.portal.auth.Access;
import dev.clicklog.portal.auth.CurrentCaller;
import dev.clicklog.portal.pipeline.PipelineService;
import dev.clicklog.portal.pipeline.PipelineView;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** The pipelines, of every team the caller sees or of one, with their status and clicks of the last hour. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class PipelinesPage {

    @CheckedTemplate
    static class Templates {

        static native TemplateInstance list(List<PipelineView> pipelines, List<String> teams, String team,
                ClickCounts.Counts clicks);
    }

    private final PipelineService pipelines;
    private final ClickCounts clicks;
    private final CurrentCaller caller;

    PipelinesPage(PipelineService pipelines, ClickCounts clicks, CurrentCaller caller) {
        this.pipelines = pipelines;
        this.clicks = clicks;
        this.caller = caller;
    }

    /** The pipelines of the caller's teams (every team's for an administrator). */
    @GET
    @Access(Access.Level.SIGNED_IN)
    public TemplateInstance list(@RestQuery String team) {
        List<PipelineView> all = pipelines.list(Optional.empty(), false, caller.scope());
        List<String> teams = all.stream().map(PipelineView::team).distinct().sorted().toList();
        String selected = team == null || team.isBlank() ? null : team;
        List<PipelineView> shown = selected == null ? all
                : all.stream().filter(p -> p.team().equals(selected)).toList();
        return Templates.list(shown, teams, selected, clicks.lastHour(shown));
    }

    @ServerExceptionMapper
    Response failed(RuntimeException e, UriInfo uri, HttpHeaders headers, Request request) {
        return ErrorPages.of(e, uri, headers, request);
    }
}
