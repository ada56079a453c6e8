package dev.clicklog.web.ui;

import java.net.URI;
import java.util.Set;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Defences of the pages. Every HTML page gets a Content Security Policy that only allows the
 * portal's own scripts, styles and requests, so even a click that slipped through escaping could
 * not run. A form post from another site (a page that posts "delete" to a portal on localhost) is
 * refused: browsers name the posting page's origin, and it must be the portal's own.
 */
public class PageSecurity {

    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
            + "object-src 'none'";
    private static final Set<String> UNSAFE = Set.of("POST", "PUT", "PATCH", "DELETE");

    @ServerRequestFilter
    public Response sameOriginForms(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        String origin = request.getHeaderString("Origin");
        // The REST API answers cross-origin JSON only after a CORS preflight; forms have none.
        if (!UNSAFE.contains(request.getMethod()) || path.startsWith("/api/") || origin == null) {
            return null;
        }
        String authority;
        try {
            authority = URI.create(origin).getRawAuthority();
        } catch (IllegalArgumentException e) {
            authority = null;
        }
        if (authority != null && authority.equalsIgnoreCase(request.getHeaderString(HttpHeaders.HOST))) {
            return null;
        }
        return Response.status(Response.Status.FORBIDDEN).type(MediaType.TEXT_PLAIN_TYPE)
                .entity("This portal only accepts forms sent from its own pages.").build();
    }

    @ServerResponseFilter
    public void headers(ContainerResponseContext response) {
        MediaType type = response.getMediaType();
        if (type != null && type.isCompatible(MediaType.TEXT_HTML_TYPE)) {
            response.getHeaders().putSingle("Content-Security-Policy", CONTENT_SECURITY_POLICY);
            response.getHeaders().putSingle("X-Content-Type-Options", "nosniff");
            response.getHeaders().putSingle("Referrer-Policy", "same-origin");
        }
    }
}
