package dev.clicklog.portal.web.ui;

import java.net.URI;
import java.time.Duration;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;

import dev.clicklog.portal.auth.Access;
import dev.clicklog.portal.auth.AccessDenied;
import dev.clicklog.portal.auth.Accounts;
import dev.clicklog.portal.auth.AuthConfig;
import dev.clicklog.portal.auth.CurrentCaller;
import dev.clicklog.portal.auth.Sessions;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticator;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * Signing in. With built-in accounts: a form of user name and password; a right one opens a new
 * session (a new id, whatever cookie the browser had) in an HttpOnly, SameSite=Lax cookie, Secure
 * when the portal is reached over https. In oidc mode the identity provider's login page is the
 * form: this address sends the browser there and, once it comes back signed in, on to where it was going.
 */
@Path("/sign-in")
@Produces(MediaType.TEXT_HTML)
@Access(Access.Level.PUBLIC)
public class SignInPage {

    @CheckedTemplate
    static class Templates {

        static native TemplateInstance signIn(String username, String next, String error);
    }

    private final AuthConfig config;
    private final Accounts accounts;
    private final Sessions sessions;
    private final CurrentCaller caller;

    SignInPage(AuthConfig config, Accounts accounts, Sessions sessions, CurrentCaller caller) {
        this.config = config;
        this.accounts = accounts;
        this.sessions = sessions;
        this.caller = caller;
    }

    @GET
    public Uni<Response> form(@RestQuery String next, RoutingContext context) {
        if (caller.signedIn()) {
            return Uni.createFrom().item(Response.seeOther(URI.create(local(next))).build());
        }
        if (config.mode() == AuthConfig.Mode.OIDC) {
            HttpAuthenticator authenticator = context.get(HttpAuthenticator.class.getName());
            return authenticator.getChallenge(context).map(challenge -> {
                Response.ResponseBuilder r = Response.status(challenge.status);
                challenge.getHeaders().forEach((name, value) -> r.header(name.toString(), value));
                return r.build();
            });
        }
        return Uni.createFrom().item(Response.ok(Templates.signIn("", local(next), null)).build());
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signIn(@RestForm String username, @RestForm String password, @RestForm String next,
            @Context HttpHeaders headers, @Context UriInfo uri, RoutingContext context) {
        if (config.mode() != AuthConfig.Mode.BUILTIN) {
            return Response.seeOther(URI.create("/sign-in")).build();
        }
        String address = context.request().remoteAddress() == null ? "unknown"
                : context.request().remoteAddress().hostAddress();
        Accounts.SignedIn signedIn;
        try {
            signedIn = accounts.signIn(username, password, address);
        } catch (AccessDenied e) {
            String name = username == null ? "" : username;
            if (e.reason() == AccessDenied.Reason.THROTTLED) {
                Duration wait = e.retryAfter();
                return Response.status(Response.Status.TOO_MANY_REQUESTS).header(HttpHeaders.RETRY_AFTER, wait.toSeconds())
                        .entity(Templates.signIn(name, local(next), "Too many failed sign-ins. Try again in "
                                + wait.toSeconds() + " seconds."))
                        .build();
            }
            return Response.status(Response.Status.UNAUTHORIZED)
                    .entity(Templates.signIn(name, local(next), "Wrong user name or password.")).build();
        }
        var previous = headers.getCookies().get(Sessions.COOKIE);
        String secret = sessions.open(signedIn.userId(), previous == null ? null : previous.getValue());
        boolean https = "https".equalsIgnoreCase(uri.getRequestUri().getScheme());
        return Response.seeOther(URI.create(local(next))).cookie(cookie(secret, https, -1)).build();
    }

    /** The session cookie: HttpOnly (no script reads it), SameSite=Lax (no other site's form sends it), Secure over https. */
    static NewCookie cookie(String value, boolean https, int maxAge) {
        return new NewCookie.Builder(Sessions.COOKIE).value(value).path("/").httpOnly(true)
                .sameSite(NewCookie.SameSite.LAX).secure(https).maxAge(maxAge).build();
    }

    /** Where to go after signing in: a path of this portal, never another site ("//evil.example", "https://…"). */
    static String local(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")
                || next.chars().anyMatch(c -> c < 0x20 || c == 0x7f) || next.startsWith("/sign-in")) {
            return "/";
        }
        return next;
    }
}
