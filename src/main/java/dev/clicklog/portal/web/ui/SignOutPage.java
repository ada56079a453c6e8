package dev.clicklog.portal.web.ui;

import java.net.URI;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import dev.clicklog.portal.auth.Access;
import dev.clicklog.portal.auth.Sessions;

/**
 * Signing out ends the session on the server, not just in the browser: its cookie is worthless
 * from then on, wherever a copy of it is. (In oidc mode the OIDC provider's logout takes this
 * address over: quarkus.oidc.logout.path.)
 */
@Path("/sign-out")
@Access(Access.Level.PUBLIC)
public class SignOutPage {

    private final Sessions sessions;

    SignOutPage(Sessions sessions) {
        this.sessions = sessions;
    }

    @POST
    public Response signOut(@Context HttpHeaders headers, @Context UriInfo uri) {
        var cookie = headers.getCookies().get(Sessions.COOKIE);
        if (cookie != null && !cookie.getValue().isEmpty()) {
            sessions.close(cookie.getValue());
        }
        boolean https = "https".equalsIgnoreCase(uri.getRequestUri().getScheme());
        return Response.seeOther(URI.create("/sign-in")).cookie(SignInPage.cookie("", https, 0)).build();
    }
}
