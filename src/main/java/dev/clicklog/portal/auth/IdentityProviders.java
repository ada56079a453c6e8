package dev.clicklog.portal.auth;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Turns presented credentials into an identity carrying its {@link Caller}; the database work runs
 * off the event loop. A refusal travels as an {@link AuthenticationFailedException} whose cause is
 * the {@link AccessDenied} to answer.
 */
final class IdentityProviders {

    /** The identity attribute holding the {@link Caller}. */
    static final String CALLER = "clicklog.caller";

    private IdentityProviders() {
    }

    static SecurityIdentity identity(Caller caller) {
        return QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(caller.name()))
                .addAttribute(CALLER, caller).build();
    }

    static AuthenticationFailedException refused(AccessDenied denied) {
        return new AuthenticationFailedException(denied.getMessage(), denied);
    }

    @ApplicationScoped
    static class PasswordProvider implements IdentityProvider<Credentials.Password> {

        private final Accounts accounts;

        PasswordProvider(Accounts accounts) {
            this.accounts = accounts;
        }

        @Override
        public Class<Credentials.Password> getRequestType() {
            return Credentials.Password.class;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(Credentials.Password request, AuthenticationRequestContext context) {
            return context.runBlocking(() -> {
                try {
                    return identity(accounts.signIn(request.username, request.password, request.address).caller());
                } catch (AccessDenied denied) {
                    throw refused(denied);
                }
            });
        }
    }

    @ApplicationScoped
    static class TokenProvider implements IdentityProvider<Credentials.Token> {

        private final Tokens tokens;

        TokenProvider(Tokens tokens) {
            this.tokens = tokens;
        }

        @Override
        public Class<Credentials.Token> getRequestType() {
            return Credentials.Token.class;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(Credentials.Token request, AuthenticationRequestContext context) {
            return context.runBlocking(() -> {
                try {
                    return identity(tokens.authenticate(request.secret));
                } catch (AccessDenied denied) {
                    throw refused(denied);
                }
            });
        }
    }

    /** An unknown or ended session is no identity at all: the request goes on as anonymous. */
    @ApplicationScoped
    static class SessionProvider implements IdentityProvider<Credentials.SessionCookie> {

        private final Sessions sessions;

        SessionProvider(Sessions sessions) {
            this.sessions = sessions;
        }

        @Override
        public Class<Credentials.SessionCookie> getRequestType() {
            return Credentials.SessionCookie.class;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(Credentials.SessionCookie request, AuthenticationRequestContext context) {
            return context.runBlocking(() -> sessions.find(request.secret).map(IdentityProviders::identity).orElse(null));
        }
    }
}
