package dev.clicklog.portal.web.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

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
 * The Records page as a live table in a real browser: clicks sent over HTTP to the invoke URL are
 * pushed to the top of the table while the page stays as it is — an opened row stays open, a
 * selection stays selected, the focus stays; Pause holds new rows back and counts them; the filter
 * narrows the rows at once and, applied, the clicks read and to come; Older pages back in time; a
 * 500 KB click is cut, and "Show all" brings it whole.
 */
@QuarkusTest
class ClickTableBrowserTest {

    /** A pushed click is on screen within this: one read of the stream a second, and the push. */
    private static final Duration LIVE = Duration.ofSeconds(5);
    private static final LocatorAssertions.HasCountOptions SOON = new LocatorAssertions.HasCountOptions()
            .setTimeout(LIVE.toMillis());
    private static final int BIG = 500 * 1024;

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
    void clicksArriveAtTheTopWhileThePageStaysAsItIs() {
        JsonPath pipeline = ObservedPipelines.ready("table-ui", "\"allowedOrigins\":[\"https://shop.example\"]");
        String name = pipeline.getString("name");
        try {
            ObservedPipelines.click(pipeline, "{\"type\":\"view\",\"n\":1,\"page\":{\"path\":\"/home\"}}");
            ObservedPipelines.click(pipeline, "{\"type\":\"click\",\"n\":2,\"note\":\"<img src=x onerror=alert(1)>\"}");
            ObservedPipelines.click(pipeline, "{\"type\":\"big\",\"n\":3,\"blob\":\"" + "y".repeat(BIG) + "\"}");

            Page page = browser.signedIn(1280, 900, url("/"));
            page.context().grantPermissions(List.of("clipboard-read", "clipboard-write"));
            page.navigate(url("/pipelines/" + name + "/records"));
            Locator rows = page.locator("#clicks tbody.click");
            assertThat(rows).hasCount(3, new LocatorAssertions.HasCountOptions().setTimeout(ObservedPipelines.WAIT.toMillis()));
            assertThat(page.locator("#clicks-live")).hasText("Live");
            assertThat(rows.nth(0).locator(".click-summary")).hasText(Pattern.compile("^type=big  n=3  blob=yyy+…$"));
            assertThat(rows.nth(1).locator(".click-summary")).containsText("note=<img src=x onerror=alert(1)>");
            assertThat(page.locator("#clicks img")).hasCount(0);

            // The 500 KB click: cut in the page, whole after "Show all".
            Locator big = rows.nth(0);
            big.locator("summary").click();
            assertThat(big.locator("pre")).containsText("more)");
            assertTrue(big.locator("pre").textContent().length() < 20_000);
            big.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Show all")).click();
            assertThat(big.locator("pre")).containsText("y".repeat(BIG));
            BrowserSession.screenshot(page, "records-table-show-all-1280");
            big.locator("summary").click();

            // Open a row with the keyboard, select text in another, and copy the opened one.
            Locator second = rows.nth(1);
            second.locator("summary").focus();
            page.keyboard().press("Enter");
            assertThat(second.locator("details")).hasAttribute("open", "");
            second.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Copy")).click();
            assertEquals(second.locator("pre").textContent(), page.evaluate("navigator.clipboard.readText()"));
            assertTrue(second.locator("pre").textContent().contains("\"note\" : \"<img src=x onerror=alert(1)>\""));
            second.locator("summary").focus();
            page.evaluate("(() => { const r = document.createRange();"
                    + " r.selectNodeContents(document.querySelectorAll('#clicks tbody.click')[2].querySelector('.partition-key'));"
                    + " const s = window.getSelection(); s.removeAllRanges(); s.addRange(r); })()");
            String selected = (String) page.evaluate("window.getSelection().toString()");
            assertTrue(!selected.isEmpty());
            page.evaluate("window.samePage = true");

            // A click sent over HTTP shows up at the top; nothing else on the page moves.
            ObservedPipelines.click(pipeline, "{\"type\":\"live\",\"n\":4}");
            assertThat(rows).hasCount(4, SOON);
            assertThat(rows.nth(0).locator(".click-summary")).hasText("type=live  n=4");
            assertThat(rows.nth(2).locator("details")).hasAttribute("open", "");
            assertEquals(selected, page.evaluate("window.getSelection().toString()"), "the selection stays");
            assertEquals(true, page.evaluate("document.activeElement === document.querySelectorAll('#clicks tbody.click')[2]"
                    + ".querySelector('summary')"), "the focus stays");
            assertEquals(true, page.evaluate("window.samePage === true"), "no reload");
            BrowserSession.screenshot(page, "records-table-live-1280");

            // Paused: new clicks wait, counted; resumed, they are inserted.
            Locator pause = page.locator("button[data-pause='#clicks']");
            assertThat(pause).hasText("Pause");
            pause.click();
            assertThat(pause).hasAttribute("aria-pressed", "true");
            ObservedPipelines.click(pipeline, "{\"type\":\"paused\",\"n\":5}");
            assertThat(page.locator("#clicks-pending")).hasText("1 new click, shown on resume.",
                    new LocatorAssertions.HasTextOptions().setTimeout(LIVE.toMillis()));
            assertThat(rows).hasCount(4);
            BrowserSession.screenshot(page, "records-table-paused-1280");
            assertThat(pause).hasText("Resume");
            pause.click();
            assertThat(rows).hasCount(5);
            assertThat(rows.nth(0).locator(".click-summary")).hasText("type=paused  n=5");
            assertThat(page.locator("#clicks-pending")).isHidden();

            // The filter narrows the rows as it is typed; a field=value without a field is explained.
            Locator filter = page.getByLabel("Filter");
            Locator shown = page.locator("#clicks tbody.click:visible");
            filter.fill("type=click");
            assertThat(shown).hasCount(1);
            filter.fill("page.path=/home");
            assertThat(shown).hasCount(1);
            assertThat(shown.locator(".click-summary")).containsText("n=1");
            filter.fill("n=3");
            assertThat(shown).hasCount(1);
            filter.fill("=click");
            assertThat(page.locator("#clicks-filter-error")).containsText("field=value needs a field name");
            assertThat(filter).hasAttribute("aria-invalid", "true");
            filter.fill("ONERROR");
            assertThat(page.locator("#clicks-filter-error")).isHidden();
            assertThat(shown).hasCount(1);
            BrowserSession.screenshot(page, "records-table-filter-1280");

            // Applied: the portal filters the page and the live stream.
            filter.fill("type=view");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Apply")).click();
            assertThat(page).hasURL(Pattern.compile(".*/records\\?filter=type%3Dview$"));
            assertThat(rows).hasCount(1);
            assertThat(page.locator("#clicks-live")).hasText("Live");
            ObservedPipelines.click(pipeline, "{\"type\":\"other\",\"n\":6}");
            ObservedPipelines.click(pipeline, "{\"type\":\"view\",\"n\":7}");
            assertThat(rows).hasCount(2, SOON);
            assertThat(rows.nth(0).locator(".click-summary")).hasText("type=view  n=7");
            assertThat(page.locator("#clicks")).not().containsText("n=6");

            // Older: more clicks than a page holds, then back in time and to the newest again.
            for (int n = 8; n < 60; n++) {
                ObservedPipelines.click(pipeline, "{\"type\":\"more\",\"n\":" + n + "}");
            }
            page.navigate(url("/pipelines/" + name + "/records"));
            assertThat(rows.first().locator(".click-summary")).hasText(Pattern.compile("type=more  n=5\\d"));
            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Older")).click();
            assertThat(page).hasURL(Pattern.compile(".*/records\\?before=.*"));
            assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Older clicks"))).isVisible();
            assertThat(page.locator("#clicks tbody.click .click-summary", new Page.LocatorOptions()
                    .setHasText(Pattern.compile("^type=view  n=1  ")))).hasCount(1);
            assertThat(page.locator("#clicks-live")).hasCount(0);
            BrowserSession.screenshot(page, "records-table-older-1280");
            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Newest")).click();
            assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Latest clicks"))).isVisible();

            Page phone = browser.signedIn(390, 844, url("/"));
            phone.navigate(url("/pipelines/" + name + "/records"));
            assertTrue(BrowserSession.scrollWidth(phone) <= 390, "the table scrolls in its box, not the page");
            BrowserSession.screenshot(phone, "records-table-390");
            phone.context().close();

            assertEquals(List.of(), browser.dialogs(), "no page opened a dialog");
            assertEquals(List.of(), browser.errors(), "no script failed, nothing was blocked");
        } finally {
            ObservedPipelines.delete(name);
        }
    }

    private String url(String path) {
        return root.toString().replaceAll("/$", "") + path;
    }
}
