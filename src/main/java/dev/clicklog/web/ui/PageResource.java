package dev.clicklog.web.ui;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.clicklog.pipeline.PipelineNotFoundException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * What every page resource shows when it cannot show the page: an unknown pipeline gets a 404 page
 * that says so, anything unexpected a page that says it failed — never a stack trace. (The REST
 * API's own mappers answer JSON; these apply to the pages only.)
 */
public abstract class PageResource {

    private static final Logger LOG = Logger.getLogger(PageResource.class);

    @CheckedTemplate(basePath = "errors")
    static class Templates {

        static native TemplateInstance notFound(String message);

        static native TemplateInstance failed();
    }

    @ServerExceptionMapper
    public Response notFound(PipelineNotFoundException e) {
        return page(Response.Status.NOT_FOUND, Templates.notFound(e.getMessage()));
    }

    /** The framework's own answers (a malformed parameter, a wrong method) keep their status. */
    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        return e.getResponse();
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e, UriInfo uri) {
        LOG.errorf(e, "page %s failed", uri.getPath());
        return page(Response.Status.INTERNAL_SERVER_ERROR, Templates.failed());
    }

    private static Response page(Response.Status status, TemplateInstance page) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE).entity(page.render()).build();
    }
}
