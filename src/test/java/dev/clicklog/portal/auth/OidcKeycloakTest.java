package dev.clicklog.portal.auth;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.clicklog.testing.SignedIn.anonymous;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.TimeoutError;
import com.microsoft.playwright.options.RequestOptions;
import com.microsoft.playwright.options.AriaRole;

import dev.clicklog.portal.pipeline.PipelineApi;
import dev.clicklog.testing.BrowserSession;
import dev.clicklog.testing.KeycloakServer;
import dev.clicklog.testing.OidcProfile;
import dev.clicklog.testing.SignedIn;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * The portal in oidc mode against a real Keycloak, started from its distribution: two people in
 * different groups sign in through Keycloak's own login page in Chromium, a client-credentials token
 * from Keycloak calls the API, and the mapping of Keycloak's groups to team roles decides what
 * each may do. alice is in growth-engineers (growth: member), bob in web-viewers (web: viewer), the
 * tooling client's service account in web-engineers (web: member).
 */
@QuarkusTest
@TestProfile(OidcProfile.class)
class OidcKeycloakTest {

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
    void groupsDecideWhatEachMayDo() {
        // tooling: a client-credentials token from Keycloak, for the API
        String tooling = toolingToken();
        SignedIn.bearer(tooling).get("/api/users/me").then().statusCode(200)
                .body("username", equalTo("service-account-tooling")).body("source", equalTo("oidc"))
                .body("teams.web", equalTo("member")).body("admin", equalTo(false));
        String webPipeline = PipelineApi.uniqueName("oidc-web");
        SignedIn.bearer(tooling).contentType(ContentType.JSON).body(Map.of("name", webPipeline, "team", "web"))
                .post("/api/pipelines").then().statusCode(201);
        SignedIn.bearer(tooling).contentType(ContentType.JSON)
                .body(Map.of("name", PipelineApi.uniqueName("oidc-no"), "team", "growth"))
                .post("/api/pipelines").then().statusCode(403);
        assertEquals("service-account-tooling", SignedIn.bearer(tooling).get("/api/pipelines/" + webPipeline)
                .then().statusCode(200).extract().jsonPath().getString("events[0].actor"));
        // an access token of the portal, made by an OIDC identity, works beside the provider's tokens
        String portalToken = SignedIn.bearer(tooling).contentType(ContentType.JSON)
                .body(Map.of("name", "ci", "team", "web", "scope", "read")).post("/api/tokens")
                .then().statusCode(201).extract().jsonPath().getString("secret");
        SignedIn.bearer(portalToken).get("/api/pipelines/" + webPipeline).then().statusCode(200);
        // no built-in accounts here
        SignedIn.basic(SignedIn.ADMIN, SignedIn.ADMIN_PASSWORD).get("/api/pipelines").then().statusCode(401);
        anonymous().get("/api/pipelines").then().statusCode(401);
        SignedIn.bearer("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.").get("/api/pipelines").then().statusCode(401);

        // alice, through Keycloak's login page: a member of growth
        Page alice = browser.page(1280, 900);
        keycloakSignIn(alice, "alice", "alice-password-for-tests");
        assertThat(alice.locator("#signed-in-as")).containsText("alice");
        alice.navigate(root + "pipelines/new");
        assertEquals(List.of("growth"), alice.locator("select#team option").allTextContents());
        String growthPipeline = PipelineApi.uniqueName("oidc-growth");
        alice.getByLabel("Name").fill(growthPipeline);
        alice.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create pipeline")).click();
        assertThat(alice).hasURL(Pattern.compile(".*/pipelines/" + growthPipeline + "$"));
        BrowserSession.screenshot(alice, "auth-oidc-alice");
        // web's pipeline is not hers to see
        assertEquals(404, alice.navigate(root + "pipelines/" + webPipeline).status());

        // bob: a viewer of web — sees its pipeline, cannot change it, does not see growth's
        Page bob = browser.page(1280, 900);
        keycloakSignIn(bob, "bob", "bob-password-for-tests");
        assertThat(bob.locator("#signed-in-as")).containsText("bob");
        String list = bob.content();
        assertTrue(list.contains(webPipeline) && !list.contains(growthPipeline), "bob's list");
        bob.navigate(root + "pipelines/" + webPipeline);
        assertEquals(0, bob.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Delete pipeline")).count());
        assertEquals(403, bob.navigate(root + "pipelines/" + webPipeline + "/delete").status());
        assertEquals(404, bob.navigate(root + "pipelines/" + growthPipeline).status());

        // sign-out is a POST from the portal's own pages: a link or another site's form ends nothing
        assertEquals(405, alice.request().get(root + "sign-out").status());
        assertEquals(403, alice.request().post(root + "sign-out", RequestOptions.create()
                .setHeader("Origin", "http://evil.example")).status());
        alice.navigate(root.toString());
        assertThat(alice.locator("#signed-in-as")).containsText("alice");

        // signing out ends the portal's session with the provider's
        String login = KeycloakServer.realm() + "/protocol/openid-connect/auth";
        alice.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out")).click();
        // the provider ends its session and sends her back to the portal, which sends her to its login page
        // (waited for: a navigation of the test's own would cut that chain short)
        try {
            alice.waitForURL(url -> url.startsWith(login), new Page.WaitForURLOptions().setTimeout(60_000));
        } catch (TimeoutError e) {
            throw new AssertionError("after signing out the browser is at " + alice.url() + " (" + alice.title() + "): "
                    + abbreviate(alice.locator("body").innerText()) + "; browser errors: " + browser.errors(), e);
        }
        alice.navigate(root + "pipelines/" + growthPipeline);
        // Keycloak asks for the password again: its session ended too, else it would have sent her straight back
        assertTrue(alice.url().startsWith(login), alice.url());
        assertThat(alice.locator("#password")).isVisible();
        assertEquals(List.of(), browser.dialogs());

        SignedIn.bearer(tooling).delete("/api/pipelines/" + webPipeline).then().statusCode(202);
        SignedIn.bearer(tooling).delete("/api/pipelines/" + growthPipeline).then().statusCode(404);
    }

    /** The portal sends the browser to Keycloak's login page; signed in there, it comes back signed in. */
    private void keycloakSignIn(Page page, String user, String password) {
        // Keycloak renders its first pages slowly (themes are compiled on first use)
        page.setDefaultNavigationTimeout(180_000);
        page.setDefaultTimeout(60_000);
        page.navigate(root.toString());
        String login = KeycloakServer.realm() + "/protocol/openid-connect/auth";
        assertTrue(page.url().startsWith(login), page.url());
        page.locator("#username").fill(user);
        page.locator("#password").fill(password);
        page.locator("#kc-login").click();
        page.waitForURL(url -> url.startsWith(root.toString()));
    }

    private static String abbreviate(String text) {
        String flat = text.replaceAll("\\s+", " ");
        return flat.length() > 300 ? flat.substring(0, 300) + "…" : flat;
    }

    private static String toolingToken() {
        return KeycloakServer.clientToken(KeycloakServer.TOOLING_CLIENT, KeycloakServer.TOOLING_SECRET);
    }
}
