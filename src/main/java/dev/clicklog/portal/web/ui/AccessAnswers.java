package dev.clicklog.portal.web.ui;

import java.net.URI;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.clicklog.portal.auth.AccessDenied;
import dev.clicklog.portal.auth.AccessRules;
import dev.clicklog.portal.auth.AuthConfig;
import dev.clicklog.portal.web.api.ApiError;
import io.quarkus.qute.TemplateInstance;

/**
 * How a refused request is answered, in the form of its address. Under /api: the JSON error, 401
 * with {@code WWW-Authenticate} naming the credentials the API takes, 403, 404 for a pipeline the
 * caller may not know of, 429 with {@code Retry-After}. A page: nobody signed in goes to the
 * sign-in page (and back afterwards; a page polled by htmx asks for a full reload), a missing role
 * gets the portal's "not allowed" page, a hidden pipeline its "not found" page.
 */
public class AccessAnswers {

    static final String REALM = "realm=\"Clicklog Portal\"";

    private final AuthConfig config;

    AccessAnswers(AuthConfig config) {
        this.config = config;
    }

    @ServerExceptionMapper
    public Response denied(AccessDenied e, UriInfo uri, HttpHeaders headers, Request request) {
        if (!AccessRules.api(uri.getPath())) {
            return page(e, uri, headers, request);
        }
        return switch (e.reason()) {
            case SIGN_IN_REQUIRED, BAD_CREDENTIALS -> {
                Response r = ApiError.response(401, e.getMessage(), null);
                yield Response.fromResponse(r).header(HttpHeaders.WWW_AUTHENTICATE, challenge(e, headers)).build();
            }
            case THROTTLED -> Response.fromResponse(ApiError.response(429, e.getMessage(), null))
                    .header(HttpHeaders.RETRY_AFTER, e.retryAfter().toSeconds()).build();
            case FORBIDDEN -> ApiError.response(Response.Status.FORBIDDEN, e.getMessage());
            case HIDDEN -> ApiError.response(Response.Status.NOT_FOUND, e.getMessage());
        };
    }

    /** Bearer always (tokens, and the identity provider's in oidc mode); Basic for built-in accounts. */
    private String challenge(AccessDenied e, HttpHeaders headers) {
        String error = e.reason() == AccessDenied.Reason.BAD_CREDENTIALS ? ", error=\"invalid_token\"" : "";
        String authorization = headers.getHeaderString(HttpHeaders.AUTHORIZATION);
        boolean sentBasic = authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6);
        String bearer = "Bearer " + REALM + (sentBasic ? "" : error);
        return config.mode() == AuthConfig.Mode.BUILTIN ? bearer + ", Basic " + REALM + ", charset=\"UTF-8\"" : bearer;
    }

    static Response page(AccessDenied e, UriInfo uri, HttpHeaders headers, Request request) {
        return switch (e.reason()) {
            case SIGN_IN_REQUIRED, BAD_CREDENTIALS -> signIn(uri, headers, request);
            case THROTTLED -> html(Response.Status.TOO_MANY_REQUESTS, ErrorPages.Templates.forbidden(e.getMessage()));
            case FORBIDDEN -> html(Response.Status.FORBIDDEN, ErrorPages.Templates.forbidden(e.getMessage()));
            case HIDDEN -> html(Response.Status.NOT_FOUND, ErrorPages.Templates.notFound(e.getMessage()));
        };
    }

    /** To the sign-in page, coming back to this page (a GET) afterwards. */
    private static Response signIn(UriInfo uri, HttpHeaders headers, Request request) {
        boolean get = request.getMethod().equals("GET") || request.getMethod().equals("HEAD");
        String back = uri.getRequestUri().getRawPath() + (uri.getRequestUri().getRawQuery() == null ? ""
                : "?" + uri.getRequestUri().getRawQuery());
        String target = Urls.signIn(get && headers.getHeaderString("HX-Request") == null ? back : null);
        if (headers.getHeaderString("HX-Request") != null) {
            // htmx follows redirects itself and would put the sign-in page into the polled part: reload instead
            String page = headers.getHeaderString("HX-Current-URL");
            String next = page == null ? null : URI.create(page).getRawPath();
            return Response.status(Response.Status.UNAUTHORIZED).header("HX-Redirect", Urls.signIn(next)).build();
        }
        return Response.seeOther(URI.create(target)).build();
    }

    private static Response html(Response.Status status, TemplateInstance page) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE).entity(page.render()).build();
    }
}
