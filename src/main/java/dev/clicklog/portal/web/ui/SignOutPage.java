package dev.clicklog.portal.web.ui;

import java.net.URI;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import dev.clicklog.portal.auth.Access;
import dev.clicklog.portal.auth.AuthConfig;
import dev.clicklog.portal.auth.OidcSignOut;
import dev.clicklog.portal.auth.Sessions;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;

/**
 * Signing out ends the session on the server, not just in the browser: its cookie is worthless
 * from then on, wherever a copy of it is. In oidc mode it ends the provider's session too
 * ({@link OidcSignOut}). A POST only, so the cross-site refusal of {@link PageSecurity} guards it.
 */
@Path("/sign-out")
@Access(Access.Level.PUBLIC)
public class SignOutPage {

    private final AuthConfig config;
    private final Sessions sessions;
    private final OidcSignOut oidc;

    SignOutPage(AuthConfig config, Sessions sessions, OidcSignOut oidc) {
        this.config = config;
        this.sessions = sessions;
        this.oidc = oidc;
    }

    @POST
    @Blocking
    public Uni<Response> signOut(@Context HttpHeaders headers, @Context UriInfo uri) {
        if (config.mode() == AuthConfig.Mode.OIDC) {
            return oidc.signOut(uri.getBaseUriBuilder().replacePath("/").replaceQuery(null).build())
                    .map(next -> Response.seeOther(next).build());
        }
        var cookie = headers.getCookies().get(Sessions.COOKIE);
        if (cookie != null && !cookie.getValue().isEmpty()) {
            sessions.close(cookie.getValue());
        }
        boolean https = "https".equalsIgnoreCase(uri.getRequestUri().getScheme());
        return Uni.createFrom().item(Response.seeOther(URI.create("/sign-in")).cookie(SignInPage.cookie("", https, 0)).build());
    }
}
