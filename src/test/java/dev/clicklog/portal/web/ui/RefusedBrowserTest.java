package dev.clicklog.portal.web.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;

import dev.clicklog.portal.observe.ObservedPipelines;
import dev.clicklog.testing.BrowserSession;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The Refused tab in Chromium: a click with bad JSON and one with a wrong content type show up
 * with their status and reason within the access logs' delivery delay, at the top, without a
 * reload, while the text a person selected in an earlier row stays selected; paused, the list
 * takes nothing new until resumed.
 */
@QuarkusTest
class RefusedBrowserTest {

    /** localaws delivers access logs 2 s after the request; the page asks every 3 s. */
    private static final LocatorAssertions.HasCountOptions DELIVERED = new LocatorAssertions.HasCountOptions()
            .setTimeout(Duration.ofSeconds(20).toMillis());

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
    void refusalsArriveAtTheTopWhileASelectionStays() {
        JsonPath pipeline = ObservedPipelines.ready("refusedpage", "");
        String name = pipeline.getString("name");
        String invokeUrl = pipeline.getString("invokeUrl");
        try {
            Page page = browser.signedIn(1280, 900, root.toString());
            page.navigate(root + "pipelines/" + name + "/refused");
            assertThat(page.locator("#refused-empty")).isVisible();
            page.evaluate("window.samePage = true");

            given().contentType("text/plain;charset=UTF-8").body("{not json").when().post(invokeUrl)
                    .then().statusCode(400);
            Locator rows = page.locator("#refused-rows tr");
            assertThat(rows).hasCount(1, DELIVERED);
            assertThat(rows.first()).containsText("400");
            assertThat(rows.first()).containsText("Invalid request body");
            assertThat(page.locator("#refused-empty")).hasCount(0);

            // A person selects the reason of that row; the next refusal must not take the selection away.
            page.evaluate("() => { const cell = document.querySelector('#refused-rows tr td:nth-child(3)');"
                    + " const range = document.createRange(); range.selectNodeContents(cell);"
                    + " getSelection().removeAllRanges(); getSelection().addRange(range); }");
            given().contentType("application/x-www-form-urlencoded").body("page=/a").when().put(invokeUrl)
                    .then().statusCode(415);
            assertThat(rows).hasCount(2, DELIVERED);
            assertThat(rows.first()).containsText("415");
            assertThat(rows.first()).containsText("Unsupported Media Type");
            assertThat(rows.nth(1)).containsText("Invalid request body");
            assertTrue(((String) page.evaluate("getSelection().toString()")).startsWith("Invalid request body"),
                    "the selection stays");
            assertEquals(true, page.evaluate("window.samePage === true"), "no reload");

            // Paused: the page asks for nothing (two of its intervals pass) until resumed.
            List<String> asked = new CopyOnWriteArrayList<>();
            page.onRequest(request -> {
                if (request.url().contains("/refused/rows")) {
                    asked.add(request.url());
                }
            });
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Pause")).click();
            given().contentType("text/plain;charset=UTF-8").body("nope").when().post(invokeUrl).then().statusCode(400);
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
                    .until(() -> given().get("/api/pipelines/" + name + "/refused").then().statusCode(200).extract()
                            .jsonPath().getList("requests").size() == 3);
            page.waitForTimeout(6500);
            assertEquals(List.of(), asked, "a paused list asks for nothing");
            assertThat(rows).hasCount(2);
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Resume")).click();
            assertThat(rows).hasCount(3, DELIVERED);
            BrowserSession.screenshot(page, "refused-1280");
        } finally {
            ObservedPipelines.delete(name);
        }
    }
}
