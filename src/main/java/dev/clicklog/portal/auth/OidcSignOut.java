package dev.clicklog.portal.auth;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import jakarta.enterprise.context.RequestScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.oidc.OidcConfigurationMetadata;
import io.quarkus.oidc.OidcSession;
import io.smallrye.mutiny.Uni;

/**
 * Signing out in oidc mode ends both sessions: the portal's (its session cookie is removed) and
 * the provider's, by sending the browser to the provider's end_session_endpoint with the ID token
 * as id_token_hint and the portal's front page as post_logout_redirect_uri (RP-initiated logout).
 * Coming back, the portal finds nobody signed in and the provider asks for the password again.
 * The portal's sign-out form does this itself rather than Quarkus at a logout path, so it stays a
 * POST that other sites' pages cannot send (a logout path would end the session on any method).
 */
@RequestScoped
public class OidcSignOut {

    private final OidcSession session;
    private final OidcConfigurationMetadata provider;

    OidcSignOut(OidcSession session, OidcConfigurationMetadata provider) {
        this.session = session;
        this.provider = provider;
    }

    /**
     * Ends the portal's session and answers where the browser goes next: the provider's
     * end_session_endpoint, or {@code back} itself when the provider has none or nobody was signed in.
     *
     * @param back the portal's own address the provider returns the browser to
     */
    public Uni<URI> signOut(URI back) {
        JsonWebToken idToken = session.getIdToken();
        if (idToken == null || idToken.getRawToken() == null) {
            return Uni.createFrom().item(back);
        }
        String hint = idToken.getRawToken();
        return session.logout().replaceWith(() -> endSession().map(end -> URI.create(end
                + (end.contains("?") ? "&" : "?") + "id_token_hint=" + encode(hint)
                + "&post_logout_redirect_uri=" + encode(back.toString()))).orElse(back));
    }

    /** The origin of the provider's end_session_endpoint, which the pages' sign-out form is sent on to. */
    public Optional<String> endSessionOrigin() {
        return endSession().map(URI::create).filter(u -> u.getScheme() != null && u.getRawAuthority() != null)
                .map(u -> u.getScheme() + "://" + u.getRawAuthority());
    }

    private Optional<String> endSession() {
        try {
            return Optional.ofNullable(provider.getEndSessionUri()).filter(s -> !s.isBlank());
        } catch (RuntimeException notDiscovered) {
            // the provider was not reachable when the portal started: only the portal's session ends
            return Optional.empty();
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
