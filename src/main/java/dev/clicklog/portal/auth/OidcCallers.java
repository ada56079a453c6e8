package dev.clicklog.portal.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * In oidc mode, who an OIDC identity is to the portal, read from its token's claims as configured
 * (clicklog.auth.oidc.*): the user name, the administrator role in the roles claim, and each group
 * (in the groups or roles claim) that clicklog.auth.oidc.group-teams maps to a team role — the
 * highest role wins when several groups name one team. Nothing of it is stored: it is read from
 * every token again, so a change at the identity provider counts at the next sign-in or token.
 */
@ApplicationScoped
public class OidcCallers implements SecurityIdentityAugmentor {

    private static final Logger LOG = Logger.getLogger(OidcCallers.class);

    /** A group's team and role, from "team:role". */
    record Grant(String team, TeamRole role) {
    }

    private final AuthConfig config;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Grant> grants = new TreeMap<>();

    OidcCallers(AuthConfig config) {
        this.config = config;
        config.oidc().groupTeams().forEach((group, value) -> grants.put(group, grant(group, value)));
    }

    /** The teams the mapping names exist, so pipelines can be made for them. */
    void createMappedTeams(@Observes StartupEvent started, Teams teams) {
        if (config.mode() == AuthConfig.Mode.OIDC) {
            teams.ensure(grants.values().stream().map(Grant::team).distinct().toList());
        }
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (config.mode() != AuthConfig.Mode.OIDC || identity.isAnonymous()
                || identity.getAttribute(IdentityProviders.CALLER) != null
                || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            return Uni.createFrom().item(identity);
        }
        Caller caller = caller(claims(token.getRawToken()));
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder(identity)
                .addAttribute(IdentityProviders.CALLER, caller).build());
    }

    Caller caller(JsonNode claims) {
        AuthConfig.Oidc oidc = config.oidc();
        String name = text(path(claims, oidc.usernameClaim())).orElseGet(() -> text(claims.get("sub")).orElse("unknown"));
        List<String> roles = strings(path(claims, oidc.rolesClaim()));
        List<String> groups = new ArrayList<>(strings(path(claims, oidc.groupsClaim())));
        groups.addAll(roles);
        Map<String, TeamRole> teams = new TreeMap<>();
        for (String group : groups) {
            // Keycloak names groups by their path when asked to (/growth-engineers); either form maps.
            Grant g = grants.getOrDefault(group, grants.get(group.startsWith("/") ? group.substring(1) : group));
            if (g != null) {
                teams.merge(g.team(), g.role(), (a, b) -> a.covers(b) ? a : b);
            }
        }
        return Caller.user(name, roles.contains(oidc.adminRole()), teams);
    }

    private JsonNode claims(String rawToken) {
        String[] parts = rawToken.split("\\.");
        if (parts.length < 2) {
            return json.createObjectNode();
        }
        try {
            return json.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        } catch (IOException | IllegalArgumentException e) {
            LOG.warnf("an OIDC token's claims could not be read: %s", e.getMessage());
            return json.createObjectNode();
        }
    }

    /** The claim at a path of names between dots ({@code realm_access.roles}); a name with dots is tried whole first. */
    static JsonNode path(JsonNode claims, String path) {
        if (claims.has(path)) {
            return claims.get(path);
        }
        JsonNode node = claims;
        for (String name : path.split("\\.")) {
            node = node == null ? null : node.get(name);
        }
        return node;
    }

    private static List<String> strings(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node != null && node.isArray()) {
            node.forEach(n -> text(n).ifPresent(values::add));
        } else {
            text(node).ifPresent(values::add);
        }
        return values;
    }

    private static Optional<String> text(JsonNode node) {
        return node != null && node.isTextual() ? Optional.of(node.textValue()) : Optional.empty();
    }

    private static Grant grant(String group, String value) {
        int colon = value.lastIndexOf(':');
        Optional<TeamRole> role = colon < 0 ? Optional.empty() : TeamRole.parse(value.substring(colon + 1));
        if (role.isEmpty() || colon == 0) {
            throw new IllegalArgumentException("clicklog.auth.oidc.group-teams." + group + " must be team:member or "
                    + "team:viewer, not " + value);
        }
        return new Grant(value.substring(0, colon), role.get());
    }
}
