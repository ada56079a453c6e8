package dev.clicklog.portal.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;

/**
 * How a request says who it is to the portal itself. Under {@code /api}: an access token
 * ({@code Authorization: Bearer clk_…}) or, for built-in accounts, a user name and password
 * ({@code Authorization: Basic}); a bearer token of another shape is left to the OIDC provider in
 * oidc mode. Everywhere: the session cookie a sign-in set. It runs before the OIDC mechanism; it
 * sends no challenge of its own (the web layer answers a refusal in the address' form), so in oidc
 * mode the OIDC provider's login is the challenge of the pages.
 */
@ApplicationScoped
public class PortalAuthenticationMechanism implements HttpAuthenticationMechanism {

    private static final String BASIC = "basic ";
    private static final String BEARER = "bearer ";

    private final AuthConfig config;

    PortalAuthenticationMechanism(AuthConfig config) {
        this.config = config;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        if (config.mode() == AuthConfig.Mode.NONE) {
            return Uni.createFrom().nullItem();
        }
        String path = context.normalizedPath();
        String authorization = context.request().getHeader("Authorization");
        if (authorization != null && AccessRules.api(path)) {
            String lower = authorization.length() > 7 ? authorization.substring(0, 7).toLowerCase() : "";
            if (lower.startsWith(BASIC)) {
                if (config.mode() != AuthConfig.Mode.BUILTIN) {
                    return refuse("Basic credentials are for built-in accounts; sign in with the identity provider's "
                            + "bearer token or an access token");
                }
                return basic(authorization.substring(BASIC.length()).strip(), context, identities);
            }
            if (lower.startsWith(BEARER)) {
                String token = authorization.substring(BEARER.length()).strip();
                if (token.startsWith(Tokens.PREFIX)) {
                    return identities.authenticate(new Credentials.Token(token));
                }
                if (config.mode() == AuthConfig.Mode.OIDC) {
                    // the identity provider's token: the OIDC mechanism verifies it
                    return Uni.createFrom().nullItem();
                }
                return refuse("unknown access token");
            }
            return refuse("the Authorization scheme must be Bearer or Basic");
        }
        Cookie session = context.request().getCookie(Sessions.COOKIE);
        if (session != null && config.mode() == AuthConfig.Mode.BUILTIN && !session.getValue().isEmpty()) {
            return identities.authenticate(new Credentials.SessionCookie(session.getValue()))
                    .onFailure().recoverWithNull();
        }
        return Uni.createFrom().nullItem();
    }

    private Uni<SecurityIdentity> basic(String encoded, RoutingContext context, IdentityProviderManager identities) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return refuse("Basic credentials must be base64 of user:password");
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return refuse("Basic credentials must be base64 of user:password");
        }
        String address = context.request().remoteAddress() == null ? "unknown"
                : context.request().remoteAddress().hostAddress();
        return identities.authenticate(new Credentials.Password(decoded.substring(0, colon), decoded.substring(colon + 1),
                address));
    }

    private static Uni<SecurityIdentity> refuse(String message) {
        return Uni.createFrom().failure(IdentityProviders.refused(AccessDenied.badCredentials(message)));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().nullItem();
    }

    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        return Uni.createFrom().item(false);
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(Credentials.Password.class, Credentials.Token.class, Credentials.SessionCookie.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().nullItem();
    }

    /** Before the OIDC mechanism (1000), so portal tokens and sessions are never sent to the identity provider. */
    @Override
    public int getPriority() {
        return 2000;
    }
}
