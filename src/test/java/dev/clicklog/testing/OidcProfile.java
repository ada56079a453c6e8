package dev.clicklog.testing;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The portal in oidc mode against a real Keycloak ({@link KeycloakServer}): Keycloak's groups map
 * to the portal's team roles, its clicklog-admin realm role to the administrator.
 */
public class OidcProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "clicklog.auth.oidc.group-teams.growth-engineers", "growth:member",
                "clicklog.auth.oidc.group-teams.web-engineers", "web:member",
                "clicklog.auth.oidc.group-teams.web-viewers", "web:viewer");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(KeycloakServer.class));
    }
}
