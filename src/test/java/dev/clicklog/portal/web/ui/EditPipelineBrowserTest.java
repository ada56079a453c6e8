package dev.clicklog.portal.web.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;

import dev.clicklog.portal.pipeline.PipelineApi;
import dev.clicklog.testing.BrowserSession;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * Changing a pipeline in a real browser (Debian's Chromium, headless): the Edit page shows the
 * pipeline as it is, with name, team and prefix read-only; a mistake is reported as the new-pipeline
 * form reports it, with everything typed kept; the fixed change goes UPDATING → READY on the
 * overview without a reload, the stream has the new shard count and the history the diff; the cost
 * estimate follows the form.
 */
@QuarkusTest
class EditPipelineBrowserTest {

    private static final LocatorAssertions.HasTextOptions SLOW = new LocatorAssertions.HasTextOptions().setTimeout(120_000);

    private static BrowserSession browser;

    @TestHTTPResource("/")
    URL root;

    @Inject
    KinesisClient kinesis;

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
    void editAPipelineThroughItsEditPage() {
        String name = PipelineApi.uniqueName("edit-ui");
        PipelineApi.create("{\"name\":\"" + name + "\",\"team\":\"web-ui\",\"expectedClicksPerSecond\":5}");
        JsonPath ready = PipelineApi.awaitStatus(name, "READY");
        Page page = browser.signedIn(1280, 900, url("/"));

        page.navigate(url("/pipelines/" + name));
        assertThat(page.locator(".cost .cost-total")).containsText("a month");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Edit").setExact(true)).click();
        assertThat(page).hasURL(Pattern.compile(".*/pipelines/" + name + "/edit$"));
        assertThat(page.getByLabel("Name")).hasValue(name);
        assertThat(page.getByLabel("Name")).hasAttribute("readonly", "");
        assertThat(page.getByLabel("Team")).hasAttribute("readonly", "");
        assertThat(page.getByLabel("S3 prefix")).hasAttribute("readonly", "");
        assertThat(shards(page)).hasValue("1");
        String costBefore = page.locator("#cost-estimate .cost-total").innerText();
        BrowserSession.screenshot(page, "30-edit-1280");

        // A mistake: reported next to its input and in the summary, the form kept as typed, nothing changed.
        shards(page).fill("0");
        page.getByLabel("Description").fill("resharded by the browser test");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Apply change")).click();
        assertThat(page.locator("#shards-error")).hasText("Shards must be between 1 and 64");
        assertThat(page.locator("#error-summary")).containsText("1 field needs attention");
        assertThat(shards(page)).hasAttribute("aria-invalid", "true");
        assertThat(shards(page)).hasValue("0");
        assertThat(page.getByLabel("Description")).hasValue("resharded by the browser test");
        assertEquals(1, PipelineApi.get(name).getLong("generation"), "nothing was changed");
        BrowserSession.screenshot(page, "31-edit-invalid-1280");

        // The estimate follows the form as it changes.
        shards(page).fill("4");
        shards(page).dispatchEvent("change");
        assertThat(page.locator("#cost-estimate")).not().containsText(costBefore,
                new LocatorAssertions.ContainsTextOptions().setTimeout(30_000));
        assertThat(page.locator("#cost-estimate")).containsText("4 shards");

        // Right: the overview follows the change to READY by itself.
        shards(page).fill("2");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Apply change")).click();
        assertThat(page).hasURL(Pattern.compile(".*/pipelines/" + name + "$"));
        page.evaluate("window.samePage = true");
        BrowserSession.screenshot(page, "32-overview-updating-1280");
        assertThat(page.locator("#status-badge")).hasText("READY", SLOW);
        assertEquals(true, page.evaluate("window.samePage === true"), "READY shown without a reload");
        assertThat(page.locator("dl.facts:not(.resources)")).containsText("2 shards");
        assertThat(page.locator("table.events")).containsText("shards: 1 → 2");
        assertThat(page.locator("table.events")).containsText("description: (none) → \"resharded by the browser test\"");
        assertEquals(2, kinesis.describeStreamSummary(r -> r.streamName(ready.getString("resources.streamName")))
                .streamDescriptionSummary().openShardCount());
        BrowserSession.screenshot(page, "33-overview-changed-1280");

        // An Edit page opened before someone else's change cannot overwrite it.
        page.navigate(url("/pipelines/" + name + "/edit"));
        given().contentType("application/merge-patch+json").body("{\"description\":\"api\"}")
                .patch("/api/pipelines/" + name).then().statusCode(200);
        page.getByLabel("Description").fill("from the stale page");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Apply change")).click();
        assertThat(page.locator("#error-summary")).containsText("changed meanwhile");
        assertEquals("api", PipelineApi.get(name).getString("description"));

        assertEquals(List.of(), browser.dialogs(), "no page opened a dialog");
        assertEquals(List.of(), browser.errors(), "no script failed, nothing was blocked");
        PipelineApi.deleteAndAwait(name);
    }

    /** The shard count's input (the capacity radio's label, "Provisioned shards", says shards too). */
    private static Locator shards(Page page) {
        return page.getByLabel("Shards", new Page.GetByLabelOptions().setExact(true));
    }

    private String url(String path) {
        return root.toString().replaceAll("/$", "") + path;
    }
}
