package dev.clicklog.portal.auth;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationRedirectException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Every request to a route of the portal, API or page, passes two checks before anything else
 * runs. First, before the route is even matched (so an unknown address tells an anonymous caller
 * nothing either): who is calling — credentials that do not hold are refused, and only the public
 * addresses take a caller nobody signed in. Then, once the route is known, whether this caller may
 * call it ({@link AccessRules}). Refusals are {@link AccessDenied}, answered by the web layer.
 */
public class AccessControl {

    private final CurrentIdentityAssociation identities;
    private final CurrentCaller current;
    private final AccessRules rules;
    private final AuthConfig config;

    AccessControl(CurrentIdentityAssociation identities, CurrentCaller current, AccessRules rules, AuthConfig config) {
        this.identities = identities;
        this.current = current;
        this.rules = rules;
        this.config = config;
    }

    @ServerRequestFilter(preMatching = true, priority = Priorities.AUTHENTICATION)
    public Uni<Void> authenticate(ContainerRequestContext request) {
        if (config.mode() == AuthConfig.Mode.NONE) {
            current.unrestricted();
            return Uni.createFrom().voidItem();
        }
        String path = request.getUriInfo().getPath();
        boolean open = AccessRules.publicPath(path);
        return identities.getDeferredIdentity()
                // the OIDC provider's login goes on as it asks (the answer to its redirect)
                .onFailure(failure -> !(failure instanceof AuthenticationRedirectException
                        || failure instanceof AuthenticationCompletionException))
                .recoverWithUni(failure -> open ? Uni.createFrom().nullItem() : Uni.createFrom().failure(denied(failure)))
                .onItem().transform(identity -> {
                    Caller caller = caller(identity);
                    current.set(caller);
                    if (caller == null && !open) {
                        throw AccessDenied.signInRequired();
                    }
                    return null;
                });
    }

    @ServerRequestFilter(priority = Priorities.AUTHORIZATION)
    public void authorize(ContainerRequestContext request, ResourceInfo resource) {
        if (config.mode() == AuthConfig.Mode.NONE) {
            return;
        }
        Access.Level level = rules.level(resource.getResourceClass(), resource.getResourceMethod(), request.getMethod());
        rules.check(current.signedIn() ? current.get() : null, level,
                request.getUriInfo().getPathParameters().getFirst("name"));
    }

    private static Caller caller(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            return null;
        }
        Caller caller = identity.getAttribute(IdentityProviders.CALLER);
        if (caller == null) {
            throw new IllegalStateException("an identity without a caller: " + identity.getPrincipal().getName());
        }
        return caller;
    }

    /** The refusal an authentication failure carries, or a plain "credentials do not hold". */
    private static AccessDenied denied(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof AccessDenied denied) {
                return denied;
            }
        }
        return AccessDenied.badCredentials("the credentials were not accepted");
    }
}
