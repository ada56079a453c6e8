package dev.clicklog.portal.web.ui;

import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.clicklog.portal.web.api.ApiExceptionMappers;

/**
 * An address nothing answers — a mistyped link, an old bookmark — gets the portal's not-found page,
 * as a person in a browser expects; under {@code /api} the REST API answers in its JSON error shape.
 */
public class UnknownAddresses {

    private final ApiExceptionMappers api = new ApiExceptionMappers();

    @ServerExceptionMapper
    public Response notFound(NotFoundException e, UriInfo uri) {
        String path = uri.getPath();
        if (path.equals("/api") || path.startsWith("/api/")) {
            return api.web(e, uri);
        }
        return ErrorPages.noSuchPage(uri);
    }
}
