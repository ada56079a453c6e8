package dev.clicklog.portal.web.ui;

import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;

import dev.clicklog.portal.auth.AccessDenied;
import dev.clicklog.portal.pipeline.PipelineNotFoundException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * What a page shows when it cannot show itself: an unknown pipeline or address gets a 404 page that
 * says so, anything unexpected a page that says it failed — never a stack trace. Each page resource
 * maps its failures here ({@code @ServerExceptionMapper} on the resource, so the REST API keeps its
 * JSON errors), and so do addresses no resource answers ({@link UnknownAddresses}).
 */
final class ErrorPages {

    private static final Logger LOG = Logger.getLogger(ErrorPages.class);

    @CheckedTemplate(basePath = "errors")
    static class Templates {

        static native TemplateInstance notFound(String message);

        static native TemplateInstance noSuchPage(String path);

        static native TemplateInstance failed();

        static native TemplateInstance forbidden(String message);
    }

    private ErrorPages() {
    }

    static Response of(RuntimeException e, UriInfo uri, HttpHeaders headers, Request request) {
        if (e instanceof AccessDenied denied) {
            // refused before the page's method ran: the same answer as everywhere
            return AccessAnswers.page(denied, uri, headers, request);
        }
        if (e instanceof PipelineNotFoundException) {
            return page(Response.Status.NOT_FOUND, Templates.notFound(e.getMessage()));
        }
        if (e instanceof NotFoundException) {
            // A pipeline's address with nothing after it: /pipelines/{name}/no-such-tab.
            return noSuchPage(uri);
        }
        if (e instanceof WebApplicationException web) {
            // The framework's own answers (a malformed parameter, a wrong method) keep their status.
            return web.getResponse();
        }
        LOG.errorf(e, "page %s failed", uri.getPath());
        return page(Response.Status.INTERNAL_SERVER_ERROR, Templates.failed());
    }

    static Response noSuchPage(UriInfo uri) {
        return page(Response.Status.NOT_FOUND, Templates.noSuchPage(uri.getPath()));
    }

    private static Response page(Response.Status status, TemplateInstance page) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE).entity(page.render()).build();
    }
}
