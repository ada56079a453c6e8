package dev.clicklog.portal.web.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.Cookie;
import com.microsoft.playwright.options.SameSiteAttribute;

import dev.clicklog.portal.pipeline.PipelineApi;
import dev.clicklog.testing.BrowserSession;
import dev.clicklog.testing.Identities;
import dev.clicklog.testing.SignedIn;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Signing in as a person does, in Chromium: a member signs in, creates a pipeline for the team the
 * form offers, signs out (and the session is over on the server, not only in the browser); a viewer
 * of the team signs in and finds no way to change the pipeline. The session cookie is HttpOnly,
 * SameSite=Lax, Secure behind https, and a new one at every sign-in.
 */
@QuarkusTest
class SignInBrowserTest {

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
    void aMemberCreatesForTheTeamAndAViewerFindsNoWayToChange() {
        String team = Identities.unique("web");
        String member = Identities.unique("mia");
        String viewer = Identities.unique("victor");
        Identities.team(team);
        Identities.user(member, Map.of(team, "member"));
        Identities.user(viewer, Map.of(team, "viewer"));
        String name = PipelineApi.uniqueName("signed");

        Page page = browser.page(1280, 900);
        page.navigate(root + "pipelines/new");
        assertThat(page).hasURL(Pattern.compile(".*/sign-in\\?next=%2Fpipelines%2Fnew$"));
        BrowserSession.screenshot(page, "auth-01-sign-in");
        page.getByLabel("User name").fill(member);
        page.getByLabel("Password").fill("not the password");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
        assertThat(page.locator("#sign-in-error")).hasText("Wrong user name or password.");
        page.getByLabel("Password").fill(Identities.PASSWORD);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
        // back where it was going: the form, whose team is a choice among the member's teams
        assertThat(page).hasURL(Pattern.compile(".*/pipelines/new$"));
        assertThat(page.locator("#signed-in-as")).containsText(member);
        assertEquals(List.of(team), page.locator("select#team option").allTextContents());
        Cookie session = sessionCookie(page);
        assertTrue(session.httpOnly, "HttpOnly");
        assertEquals(SameSiteAttribute.LAX, session.sameSite);
        assertFalse(session.secure, "not Secure over plain http");
        assertFalse((Boolean) page.evaluate("document.cookie.includes('" + SignedIn.SESSION_COOKIE + "')"),
                "scripts cannot read the session");

        page.getByLabel("Name").fill(name);
        page.getByLabel("Buffer interval (seconds)").fill("1");
        BrowserSession.screenshot(page, "auth-02-new-pipeline-of-the-team");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create pipeline")).click();
        assertThat(page).hasURL(Pattern.compile(".*/pipelines/" + name + "$"));
        assertThat(page.getByText("Team " + team, new Page.GetByTextOptions().setExact(true))).isVisible();
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Delete pipeline"))).isVisible();
        // the history names who asked for the pipeline (its oldest entry, at the bottom)
        assertThat(page.locator("table.events td.actor").last()).hasText(member);
        PipelineApi.awaitStatus(name, "READY");

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out")).click();
        assertThat(page).hasURL(Pattern.compile(".*/sign-in$"));
        // the old cookie is worthless on the server, wherever a copy of it is
        SignedIn.session(session.value).redirects().follow(false).get("/pipelines/" + name).then().statusCode(303);
        page.navigate(root + "pipelines/" + name);
        assertThat(page).hasURL(Pattern.compile(".*/sign-in\\?next=.*"));

        // the viewer: the pipeline, and nothing to change it with
        SignedIn.signIn(page, root.toString(), viewer, Identities.PASSWORD);
        page.navigate(root + "pipelines/" + name);
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName(name))).isVisible();
        BrowserSession.screenshot(page, "auth-03-viewer");
        assertEquals(0, page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Delete pipeline")).count());
        assertEquals(0, page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Send test click")).count());
        assertEquals(0, page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Retry")).count());
        assertEquals(0, page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("New pipeline")).count());
        assertEquals(0, page.locator("form[method=post]:not(.sign-out)").count(), "a form that changes something");
        var refused = page.navigate(root + "pipelines/" + name + "/delete");
        assertEquals(403, refused.status());
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Not allowed"))).isVisible();
        page.navigate(root + "pipelines/new");
        assertThat(page.getByText("You are not a member of any team")).isVisible();
        assertEquals(List.of(), browser.dialogs());
        PipelineApi.delete(name);
    }

    @Test
    void theSessionIsRenewedAtSignInAndSecureBehindHttps() {
        String person = Identities.unique("renewed");
        Identities.user(person, Map.of());
        String first = SignedIn.signIn(person, Identities.PASSWORD);
        Response again = SignedIn.session(first).contentType(ContentType.URLENC).formParam("username", person)
                .formParam("password", Identities.PASSWORD).redirects().follow(false).post("/sign-in");
        assertEquals(303, again.statusCode());
        String second = again.cookie(SignedIn.SESSION_COOKIE);
        assertNotEquals(first, second);
        SignedIn.session(first).get("/api/users/me").then().statusCode(401);
        SignedIn.session(second).get("/api/users/me").then().statusCode(200);

        String overHttps = SignedIn.anonymous().header("X-Forwarded-Proto", "https").contentType(ContentType.URLENC)
                .formParam("username", person).formParam("password", Identities.PASSWORD).redirects().follow(false)
                .post("/sign-in").then().statusCode(303).extract().header("Set-Cookie");
        assertTrue(overHttps.contains("Secure") && overHttps.contains("HttpOnly") && overHttps.contains("SameSite=Lax"),
                overHttps);
        String overHttp = SignedIn.anonymous().contentType(ContentType.URLENC).formParam("username", person)
                .formParam("password", Identities.PASSWORD).redirects().follow(false).post("/sign-in")
                .then().statusCode(303).extract().header("Set-Cookie");
        assertFalse(overHttp.contains("Secure"), overHttp);
    }

    private static Cookie sessionCookie(Page page) {
        return page.context().cookies().stream().filter(c -> c.name.equals(SignedIn.SESSION_COOKIE)).findFirst()
                .orElseThrow(() -> new AssertionError("no session cookie"));
    }
}
