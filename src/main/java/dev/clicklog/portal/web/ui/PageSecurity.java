package dev.clicklog.portal.web.ui;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.clicklog.portal.auth.AuthConfig;
import dev.clicklog.portal.auth.OidcSignOut;
import dev.clicklog.portal.web.api.ApiError;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.Router;

/**
 * Defences of the pages. Every HTML page gets a Content Security Policy that only allows the
 * portal's own scripts, styles and requests, so even a click that slipped through escaping could
 * not run. A request that changes something (POST, PUT, PATCH, DELETE) sent by a page of another
 * site — a form that posts "delete" or "send a test click" to a portal on localhost, to a page or
 * to the REST API — is refused: browsers name the sending page's origin, and it must be the
 * portal's own. Tools that send no {@code Origin} (curl, SDKs, scripts) are not browsers' pages and
 * pass. In oidc mode the sign-out form goes on to the provider's end_session_endpoint, so the
 * policy lets forms go there too (browsers hold a form's redirects to form-action).
 */
// Application scoped, so made at its first use: its request filter is set up before runtime config exists.
@ApplicationScoped
public class PageSecurity {

    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
            + "object-src 'none'";
    private static final Set<String> UNSAFE = Set.of("POST", "PUT", "PATCH", "DELETE");
    /** What browsers say of a request from a page of another origin when they leave out Origin. */
    private static final Set<String> OTHER_SITES = Set.of("cross-site", "same-site");

    private final AuthConfig config;
    private final OidcSignOut oidc;

    PageSecurity(AuthConfig config, OidcSignOut oidc) {
        this.config = config;
        this.oidc = oidc;
    }

    @ServerRequestFilter
    public Response sameOriginWrites(ContainerRequestContext request) {
        if (!UNSAFE.contains(request.getMethod())) {
            return null;
        }
        String origin = request.getHeaderString("Origin");
        String from;
        if (origin != null) {
            String authority = authority(origin);
            if (authority != null && authority.equalsIgnoreCase(request.getHeaderString(HttpHeaders.HOST))) {
                return null;
            }
            from = "origin " + origin;
        } else {
            String site = request.getHeaderString("Sec-Fetch-Site");
            if (site == null || !OTHER_SITES.contains(site.toLowerCase(Locale.ROOT))) {
                return null;
            }
            from = "a page of another site (Sec-Fetch-Site: " + site + ")";
        }
        String path = request.getUriInfo().getPath();
        if (path.equals("/api") || path.startsWith("/api/")) {
            return ApiError.response(Response.Status.FORBIDDEN, request.getMethod() + " " + path + " from " + from
                    + " refused: the API takes changes from the portal's own pages, or from clients that send no Origin");
        }
        return Response.status(Response.Status.FORBIDDEN).type(MediaType.TEXT_PLAIN_TYPE)
                .entity("This portal only accepts forms sent from its own pages.").build();
    }

    /** host[:port] of an origin; null when it is not a URL ("null", from a sandboxed page). */
    private static String authority(String origin) {
        try {
            return URI.create(origin).getRawAuthority();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Every HTML answer of the portal — a page, a fragment a page swaps in, an error page, whatever
     * made it (a resource returning a {@link Response}, an exception mapper, Quarkus' own 404) —
     * gets the headers as its headers go out, when its Content-Type is settled. A response filter of
     * the REST layer sees no media type yet for a {@link Response} built without one, and never sees
     * answers made outside it.
     */
    void everyHtmlAnswer(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(rc -> {
            rc.addHeadersEndHandler(done -> headers(rc.response().headers()));
            rc.next();
        });
    }

    private String contentSecurityPolicy() {
        if (config.mode() != AuthConfig.Mode.OIDC) {
            return CONTENT_SECURITY_POLICY;
        }
        return oidc.endSessionOrigin().map(origin -> CONTENT_SECURITY_POLICY.replace("form-action 'self'",
                "form-action 'self' " + origin)).orElse(CONTENT_SECURITY_POLICY);
    }

    void headers(MultiMap headers) {
        headers.set("X-Content-Type-Options", "nosniff");
        String type = headers.get(HttpHeaders.CONTENT_TYPE);
        if (type != null && type.toLowerCase(Locale.ROOT).startsWith(MediaType.TEXT_HTML)) {
            headers.set("Content-Security-Policy", contentSecurityPolicy());
            headers.set("Referrer-Policy", "same-origin");
            headers.set("X-Frame-Options", "DENY");
        }
    }
}
