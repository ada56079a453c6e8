package dev.clicklog.deploy;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Page;

import dev.clicklog.testing.ComposeFile;
import dev.clicklog.testing.BrowserSession;
import dev.clicklog.testing.Host;
import dev.clicklog.testing.KeycloakServer;
import dev.clicklog.testing.SignedIn;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The stack's realm, {@code docker/keycloak/clicklog-realm.json}, imported by a real Keycloak with
 * its placeholders filled from the environment as {@code docker/compose.yaml} fills them, and with
 * the compose file's split addresses: browsers at localhost, the portal at 127.0.0.1 (the back
 * channel), tokens issued by the browser's address. The portal runs in oidc mode with the group
 * mapping of the compose file, and each kind of identity of the realm is mapped as intended: the
 * tooling client to team web, alice to team growth, portal-admin to the administrator.
 */
@QuarkusTest
@TestProfile(KeycloakRealmTest.StackRealm.class)
class KeycloakRealmTest {

    private static final String PORTAL_PORT_PROPERTY = "clicklog.test.stack-realm.portal-port";
    static final String CLIENT_SECRET = "stack-portal-secret-for-tests";
    static final String TOOLING_SECRET = "stack-tooling-secret-for-tests";
    static final String ADMIN_PASSWORD = "stack-admin-password-for-tests";
    static final String ALICE_PASSWORD = "stack-alice-password-for-tests";

    /**
     * The portal's port, chosen before Keycloak starts (its redirect URIs name it); kept in a system
     * property because the profile and the test see this class through different class loaders.
     */
    static synchronized int portalPort() {
        String port = System.getProperty(PORTAL_PORT_PROPERTY);
        if (port == null) {
            port = String.valueOf(Host.freePort());
            System.setProperty(PORTAL_PORT_PROPERTY, port);
        }
        return Integer.parseInt(port);
    }

    /** The portal as the compose file configures it, against the stack's realm. */
    public static class StackRealm implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(Map.of("quarkus.http.test-port", String.valueOf(portalPort())));
            // the portals' own OIDC settings from docker/compose.yaml: the group-teams mapping
            ComposeFile.resolve(ComposeFile.ENV_EXAMPLE).environment("portal-a").forEach((name, value) -> {
                if (name.startsWith("clicklog.auth.oidc.")) {
                    overrides.put(name, value);
                }
            });
            if (overrides.size() < 2) {
                throw new IllegalStateException("docker/compose.yaml maps no group to a team: " + overrides);
            }
            return overrides;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(KeycloakServer.class, Map.of(
                    "realm-file", "docker/keycloak/clicklog-realm.json",
                    "client-secret", CLIENT_SECRET,
                    "browser-host", "localhost",
                    "env.CLICKLOG_OIDC_CLIENT_SECRET", CLIENT_SECRET,
                    "env.CLICKLOG_TOOLING_CLIENT_SECRET", TOOLING_SECRET,
                    "env.CLICKLOG_ADMIN_USER_PASSWORD", ADMIN_PASSWORD,
                    "env.CLICKLOG_DEMO_USER_PASSWORD", ALICE_PASSWORD,
                    "env.CLICKLOG_PORTAL_A_URL", "http://localhost:" + portalPort(),
                    "env.CLICKLOG_PORTAL_B_URL", "http://127.0.0.1:" + portalPort())));
        }
    }

    private static BrowserSession browser;

    @TestHTTPResource("/")
    URL root;

    @BeforeAll
    static void launch() {
        browser = BrowserSession.launch();
    }

    @AfterAll
    static void close() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void theToolingClientIsAMemberOfWeb() throws Exception {
        String token = KeycloakServer.clientToken("clicklog-tooling", TOOLING_SECRET);
        JsonNode claims = claims(token);
        // asked at 127.0.0.1, issued by the browser's address: the one issuer the portal accepts
        assertEquals("http://localhost:" + KeycloakServer.realm().getPort() + "/realms/clicklog", claims.get("iss").asText());
        assertEquals(List.of("web-engineers"), List.of(new ObjectMapper().treeToValue(claims.get("groups"), String[].class)));
        SignedIn.bearer(token).get("/api/users/me").then().statusCode(200)
                .body("username", equalTo("service-account-clicklog-tooling")).body("source", equalTo("oidc"))
                .body("teams.web", equalTo("member")).body("teams.size()", equalTo(1)).body("admin", equalTo(false));
        // the realm's secrets are the environment's: the file's placeholder text is no secret
        KeycloakServer.clientCredentials("clicklog-tooling", "${CLICKLOG_TOOLING_CLIENT_SECRET}").statusCode(401);
    }

    @Test
    void peopleSignInThroughTheBrowsersAddressAndGetTheirRoles() throws Exception {
        JsonNode alice = signIn("alice", ALICE_PASSWORD);
        assertEquals("alice", alice.get("username").asText());
        assertEquals(Map.of("growth", "member"), new ObjectMapper().convertValue(alice.get("teams"), Map.class));
        assertEquals(false, alice.get("admin").asBoolean());

        JsonNode admin = signIn("portal-admin", ADMIN_PASSWORD);
        assertEquals("portal-admin", admin.get("username").asText());
        assertTrue(admin.get("admin").asBoolean(), admin.toString());
    }

    /** Keycloak's login page, reached at the browser's address; back at the portal, who the portal says it is. */
    private JsonNode signIn(String user, String password) throws Exception {
        Page page = browser.page(1280, 900);
        // Keycloak renders its first pages slowly (themes are compiled on first use)
        page.setDefaultNavigationTimeout(180_000);
        page.setDefaultTimeout(60_000);
        page.navigate(root.toString());
        String login = "http://localhost:" + KeycloakServer.realm().getPort() + "/realms/clicklog/protocol/openid-connect/auth";
        assertTrue(page.url().startsWith(login), page.url());
        page.locator("#username").fill(user);
        page.locator("#password").fill(password);
        page.locator("#kc-login").click();
        page.waitForURL(url -> url.startsWith(root.toString()));
        String me = page.request().get(root + "api/users/me").text();
        page.context().close();
        return new ObjectMapper().readTree(me);
    }

    private static JsonNode claims(String jwt) throws Exception {
        return new ObjectMapper().readTree(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
    }
}
