package dev.clicklog.portal.web.ui;

import java.net.URI;
import java.util.List;

import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.clicklog.portal.auth.Access;
import dev.clicklog.portal.auth.AccessRules;
import dev.clicklog.portal.auth.CurrentCaller;
import dev.clicklog.portal.auth.TeamView;
import dev.clicklog.portal.auth.Teams;
import dev.clicklog.portal.pipeline.CostEstimate;
import dev.clicklog.portal.pipeline.InvalidPipelineException;
import dev.clicklog.portal.pipeline.PipelineConflictException;
import dev.clicklog.portal.pipeline.PipelineRequest;
import dev.clicklog.portal.pipeline.PipelineService;
import dev.clicklog.portal.pipeline.PipelineSpec;
import dev.clicklog.portal.pipeline.PipelineView;
import dev.clicklog.portal.pipeline.PricingService;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The form that requests a pipeline. Its own path, more literal than {@code /pipelines/{name}},
 * so it is matched first.
 */
@Path("/pipelines/new")
@Produces(MediaType.TEXT_HTML)
public class NewPipelinePage {

    @CheckedTemplate
    static class Templates {

        static native TemplateInstance form(PipelineForm form, FormErrors errors, List<String> teams, boolean anyTeam,
                CostEstimate cost, String costProblem);

        /** The cost of what the form asks for, as it changes. */
        static native TemplateInstance costEstimate(CostEstimate cost, String problem);
    }

    private final PipelineService pipelines;
    private final PricingService pricing;
    private final Teams teams;
    private final AccessRules rules;
    private final CurrentCaller caller;

    NewPipelinePage(PipelineService pipelines, PricingService pricing, Teams teams, AccessRules rules,
            CurrentCaller caller) {
        this.pipelines = pipelines;
        this.pricing = pricing;
        this.teams = teams;
        this.rules = rules;
        this.caller = caller;
    }

    /**
     * The form, offering the teams the caller is a member of; an administrator may pick any team
     * or name a new one.
     */
    @GET
    @Access(Access.Level.PERSON)
    public TemplateInstance form() {
        List<String> offered = offered();
        PipelineForm form = PipelineForm.defaults();
        if (!caller.admin() && offered.size() == 1) {
            form = form.withTeam(offered.get(0));
        }
        return page(form, new FormErrors(), offered);
    }

    /** The cost estimate of the form as it is now (the form asks again whenever a field changes). */
    @POST
    @Path("estimate")
    @Access(Access.Level.PERSON)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public TemplateInstance estimate(@BeanParam PipelineForm form) {
        CostPanel panel = CostPanel.of(pricing, form);
        return Templates.costEstimate(panel.cost(), panel.problem());
    }

    private TemplateInstance page(PipelineForm form, FormErrors errors, List<String> offered) {
        CostPanel panel = CostPanel.of(pricing, form);
        return Templates.form(form, errors, offered, caller.admin(), panel.cost(), panel.problem());
    }

    /** Requests the pipeline and shows it (303); otherwise the form again, as it was sent, with what to fix. */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Access(Access.Level.PERSON)
    public Response create(@BeanParam PipelineForm form) {
        rules.checkCreate(caller.get(), form.team() == null ? null : form.team().strip());
        FormErrors errors = new FormErrors();
        PipelineRequest request = form.toRequest(errors);
        PipelineSpec.check(request).violations().forEach(errors::add);
        if (errors.isEmpty()) {
            try {
                PipelineView created = pipelines.create(request, caller.actor());
                return Response.seeOther(URI.create(Urls.pipeline(created.name()))).build();
            } catch (InvalidPipelineException e) {
                e.violations().forEach(errors::add);
            } catch (PipelineConflictException e) {
                errors.add("name", "is taken: " + e.getMessage() + "; choose another name");
            }
        }
        return Response.status(Response.Status.BAD_REQUEST).entity(page(form, errors, offered())).build();
    }

    private List<String> offered() {
        if (caller.admin()) {
            return teams.visible(caller.get()).stream().map(TeamView::name).toList();
        }
        return List.copyOf(caller.memberTeams());
    }

    @ServerExceptionMapper
    Response failed(RuntimeException e, UriInfo uri, HttpHeaders headers, Request request) {
        return ErrorPages.of(e, uri, headers, request);
    }
}
