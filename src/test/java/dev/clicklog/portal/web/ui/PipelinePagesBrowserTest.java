package dev.clicklog.portal.web.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.TimeoutError;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;

import dev.clicklog.localaws.fault.FaultInjector;
import dev.clicklog.portal.observe.ObservedPipelines;
import dev.clicklog.portal.pipeline.PipelineApi;
import dev.clicklog.testing.BrowserSession;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A team's whole journey in a real browser (Debian's Chromium, headless): request a pipeline
 * through the form — first with a mistake, then right — watch it come up without reloading, send
 * a test click, copy the invoke URL, see clicks in the Records table — one pushed while the page is open
 * — and in the S3 objects, read the metrics, then delete it.
 * Clicks carrying markup are shown as text and run nothing. Every page is saved under
 * target/screenshots/, at 1280 px and, for the main pages, at 390 px, where nothing may scroll
 * the page sideways.
 */
@QuarkusTest
class PipelinePagesBrowserTest {

    private static final String SCRIPT = "<script>alert(1)</script>";
    private static final Duration READY = Duration.ofSeconds(30);
    private static final LocatorAssertions.HasTextOptions SLOW = new LocatorAssertions.HasTextOptions()
            .setTimeout(READY.toMillis());
    private static final LocatorAssertions.ContainsTextOptions SLOW_CONTAINS = new LocatorAssertions.ContainsTextOptions()
            .setTimeout(READY.toMillis());

    private static BrowserSession browser;

    @TestHTTPResource("/")
    URL root;

    @Inject
    KinesisClient kinesis;

    @Inject
    S3Client s3;

    @Inject
    FaultInjector faults;

    /** The pipeline the journey created, deleted after it when the journey stopped half-way. */
    private String created;

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

    @AfterEach
    void deleteLeftover() {
        if (created != null && !PipelineApi.get(created).getString("status").equals("DELETED")) {
            ObservedPipelines.delete(created);
        }
    }

    @Test
    void requestWatchAndDeleteAPipeline() throws Exception {
        Page page = browser.signedIn(1280, 900, url("/"));
        String name = PipelineApi.uniqueName("ui");

        page.navigate(url("/"));
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Pipelines").setExact(true)))
                .isVisible();
        page.keyboard().press("Tab");
        assertThat(page.locator(":focus")).hasText("Skip to content");
        BrowserSession.screenshot(page, "01-pipelines-1280");

        // The form: a bad name is reported next to its input, and everything typed is kept.
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("New pipeline").setExact(true)).first().click();
        assertThat(page).hasURL(Pattern.compile(".*/pipelines/new$"));
        assertEquals(List.of(), unlabelledInputs(page));
        BrowserSession.screenshot(page, "02-new-pipeline-1280");
        page.getByLabel("Name").fill("Not_A_Valid_Name");
        page.getByLabel("Team").fill("web-ui");
        page.getByLabel("Description").fill("Clicks of the <b>browser</b> test");
        page.getByLabel("Buffer size (MB)").fill("1");
        page.getByLabel("Buffer interval (seconds)").fill("1");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create pipeline")).click();
        assertThat(page.locator("#name-error")).containsText("lowercase letters, digits and hyphens");
        assertThat(page.locator("#error-summary")).containsText("1 field needs attention");
        assertThat(page.getByLabel("Name")).hasAttribute("aria-invalid", "true");
        assertThat(page.getByLabel("Name")).hasValue("Not_A_Valid_Name");
        assertThat(page.getByLabel("Team")).hasValue("web-ui");
        assertThat(page.getByLabel("Description")).hasValue("Clicks of the <b>browser</b> test");
        assertThat(page.getByLabel("Buffer interval (seconds)")).hasValue("1");
        assertThat(page.locator("#team-error")).hasCount(0);
        BrowserSession.screenshot(page, "03-new-pipeline-invalid-1280");

        // Right this time: the pipeline's page follows it to READY by itself.
        page.getByLabel("Name").fill(name);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create pipeline")).click();
        assertThat(page).hasURL(Pattern.compile(".*/pipelines/" + name + "$"));
        created = name;
        page.evaluate("window.samePage = true");
        BrowserSession.screenshot(page, "04-overview-provisioning-1280");
        assertThat(page.locator("#status-badge")).hasText("READY", SLOW);
        assertEquals(true, page.evaluate("window.samePage === true"), "READY shown without a reload");
        assertThat(page.locator(".step.step-done")).hasCount(6);
        assertThat(page.getByLabel("Invoke URL")).hasValue(Pattern.compile("^http://.*/clicks$"));
        String invokeUrl = page.getByLabel("Invoke URL").inputValue();
        assertThat(page.locator("#snippet-curl")).containsText("curl -X PUT '" + invokeUrl + "'");
        assertThat(page.locator("#snippet-beacon")).containsText("navigator.sendBeacon('" + invokeUrl
                + "', JSON.stringify(click));");
        assertTabsDoNotScroll(page);
        String stream = page.locator(".resources dd", new Page.LocatorOptions().setHasText("arn:aws:kinesis")).innerText()
                .replaceAll(".*:stream/", "").strip();

        // A test click, through the gateway.
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Send test click")).click();
        assertThat(page.locator("#test-click-result")).containsText("HTTP 200", SLOW_CONTAINS);
        assertThat(page.locator("#test-click-result")).containsText("the gateway accepted the click");
        assertEquals(List.of(), unlabelledInputs(page));
        BrowserSession.screenshot(page, "05-overview-ready-1280");

        // Copy buttons put the text on the clipboard.
        page.context().grantPermissions(List.of("clipboard-read", "clipboard-write"));
        Locator copyUrl = page.locator("button[data-copy='#invoke-url']");
        copyUrl.click();
        assertThat(copyUrl).hasText("Copied");
        assertEquals(invokeUrl, page.evaluate("navigator.clipboard.readText()"));
        page.locator("button[data-copy='#snippet-beacon']").click();
        assertEquals(page.locator("#snippet-beacon").textContent(), page.evaluate("navigator.clipboard.readText()"));
        assertThat(copyUrl).hasText("Copy");

        // Clicks carrying markup: JSON through the invoke URL, text straight into the stream (the
        // gateway only takes JSON objects).
        put(invokeUrl, "{\"note\":\"" + SCRIPT + "\"}");
        kinesis.putRecord(b -> b.streamName(stream).partitionKey("markup")
                .data(SdkBytes.fromString(SCRIPT, StandardCharsets.UTF_8)));

        // Records: the three clicks as rows of a table, newest first, the markup as text.
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Records")).click();
        Locator records = page.locator("#clicks tbody.click");
        assertThat(records).hasCount(3, new LocatorAssertions.HasCountOptions().setTimeout(READY.toMillis()));
        assertThat(records.nth(0).locator(".click-summary")).hasText(SCRIPT);
        assertThat(records.nth(0).locator(".encoding")).hasText("text");
        assertThat(records.nth(1).locator(".click-summary")).hasText("note=" + SCRIPT);
        assertThat(records.nth(2).locator(".click-summary")).containsText("type=test-click");
        records.nth(1).locator("summary").click();
        assertThat(records.nth(1).locator("pre")).containsText("\"note\" : \"" + SCRIPT + "\"");
        assertThat(page.locator("#clicks script")).hasCount(0);
        BrowserSession.screenshot(page, "06-records-1280");

        // Live: a click sent while the page is open shows up on it, without a reload; the opened row stays open.
        page.evaluate("window.samePage = true");
        put(invokeUrl, "{\"note\":\"sent while watching\"}");
        assertThat(records).hasCount(4, new LocatorAssertions.HasCountOptions().setTimeout(READY.toMillis()));
        assertThat(records.nth(0).locator(".click-summary")).hasText("note=sent while watching");
        assertThat(records.nth(2).locator("details")).hasAttribute("open", "");
        assertEquals(true, page.evaluate("window.samePage === true"), "shown without a reload");
        Locator pause = page.locator("button[data-pause='#clicks']");
        pause.click();
        assertThat(pause).hasText("Resume");
        assertThat(pause).hasAttribute("aria-pressed", "true");

        // Objects: Firehose writes them after the 1 s buffer; walk down the folders and preview.
        List<String> previewed = new ArrayList<>();
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Objects")).click();
        BrowserSession.screenshot(page, "07-objects-1280");
        await().atMost(READY).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            page.navigate(url("/pipelines/" + name + "/objects"));
            while (page.locator("a.folder").count() > 0) {
                page.navigate(url(page.locator("a.folder").first().getAttribute("href")));
            }
            previewed.clear();
            for (String href : page.locator("a", new Page.LocatorOptions().setHasText("Preview")).all().stream()
                    .map(a -> a.getAttribute("href")).toList()) {
                page.navigate(url(href));
                previewed.addAll(page.locator("ol.records pre").allInnerTexts());
            }
            assertTrue(previewed.stream().anyMatch(t -> t.equals(SCRIPT)), "text click in S3: " + previewed);
            assertTrue(previewed.stream().anyMatch(t -> t.contains("\"note\" : \"" + SCRIPT + "\"")),
                    "JSON click in S3: " + previewed);
            assertTrue(previewed.stream().anyMatch(t -> t.contains("test-click")), "test click in S3: " + previewed);
        });
        assertThat(page.locator("ol.records script")).hasCount(0);
        BrowserSession.screenshot(page, "08-object-preview-1280");
        String preview = page.url().substring(url("").length());
        page.getByRole(AriaRole.NAVIGATION, new Page.GetByRoleOptions().setName("Folder")).getByRole(AriaRole.LINK)
                .last().click();
        assertThat(page.locator(".object-name").first()).isVisible();
        BrowserSession.screenshot(page, "09-objects-folder-1280");

        // A folder of more objects than a page holds: each is listed once, page after page.
        JsonPath resources = PipelineApi.get(name).setRootPath("resources");
        List<String> keys = List.of("a.json", "b.json", "c.json", "d.json", "e.json");
        keys.forEach(k -> s3.putObject(b -> b.bucket(resources.getString("bucket"))
                .key(resources.getString("prefix") + "paging/" + k), RequestBody.fromString("{}\n")));
        page.navigate(url("/pipelines/" + name + "/objects?prefix=paging/&limit=2"));
        List<String> listed = new ArrayList<>(page.locator(".object-name code").allInnerTexts());
        while (page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Next page")).count() > 0) {
            page.navigate(url(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Next page"))
                    .getAttribute("href")));
            assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("First page"))).isVisible();
            assertTrue(page.locator(".object-name").count() <= 2);
            listed.addAll(page.locator(".object-name code").allInnerTexts());
        }
        assertEquals(keys, listed);

        // Metrics: charts with a window selector; the three records counted.
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Metrics")).click();
        Locator incoming = page.locator("figure.chart-card", new Page.LocatorOptions().setHasText("Incoming records"));
        assertThat(incoming.locator(".chart-summary")).hasText("Total 4");
        assertThat(incoming.locator("rect.bar")).not().hasCount(0);
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("15m").setExact(true)).click();
        assertThat(page).hasURL(Pattern.compile(".*window=15m$"));
        assertThat(page.locator(".segmented a[aria-current]")).hasText("15m");
        BrowserSession.screenshot(page, "10-metrics-1280");

        // The list counts the pipeline's clicks of the last hour; the team filter applies on change.
        page.navigate(url("/"));
        page.getByLabel("Team").selectOption("web-ui");
        assertThat(page).hasURL(Pattern.compile(".*/\\?team=web-ui$"));
        Locator row = page.locator("tr", new Page.LocatorOptions().setHas(page.getByRole(AriaRole.LINK,
                new Page.GetByRoleOptions().setName(name))));
        assertThat(row.locator("td.num")).hasText("4");
        assertThat(row.locator(".badge")).hasText("READY");
        assertThat(row).containsText("Clicks of the <b>browser</b> test");
        BrowserSession.screenshot(page, "11-pipelines-team-1280");

        narrowPages(name, preview);

        // Delete: the name must be typed; then the page follows the teardown to DELETED.
        page.navigate(url("/pipelines/" + name));
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Delete pipeline")).click();
        page.getByLabel(Pattern.compile("Type .* to confirm")).fill("something-else");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Delete this pipeline")).click();
        assertThat(page.locator("#confirm-error")).containsText("Type the pipeline's name, " + name);
        BrowserSession.screenshot(page, "12-delete-confirm-1280");
        page.getByLabel(Pattern.compile("Type .* to confirm")).fill(name);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Delete this pipeline")).click();
        assertThat(page).hasURL(Pattern.compile(".*/pipelines/" + name + "$"));
        assertThat(page.locator("#status-badge")).hasText(Pattern.compile("DELETING|DELETED"));
        BrowserSession.screenshot(page, "13-overview-deleting-1280");
        assertThat(page.locator("#status-badge")).hasText("DELETED", new LocatorAssertions.HasTextOptions()
                .setTimeout(PipelineApi.TEARDOWN.toMillis()));
        assertThat(page.locator(".status-line")).containsText("Deleted");
        BrowserSession.screenshot(page, "14-overview-deleted-1280");

        assertEquals(List.of(), browser.dialogs(), "no page opened a dialog");
        assertEquals(List.of(), browser.errors(), "no script failed, nothing was blocked");
    }

    /**
     * The Objects tab's Download follows a presigned link to the local endpoint and saves the object
     * byte for byte, from the listing and from the preview; Copy S3 URI puts s3://bucket/key on the
     * clipboard. A key carrying markup is shown as text.
     */
    @Test
    void downloadSavesTheObjectAndCopyGivesItsUri() throws Exception {
        JsonPath pipeline = ObservedPipelines.ready("dl-ui", "");
        String name = pipeline.getString("name");
        created = name;
        String bucket = pipeline.getString("resources.bucket");
        String fileName = "clicks <img src=x onerror=alert(1)> ü.bin";
        String key = pipeline.getString("resources.prefix") + "exports/" + fileName;
        // Larger than a preview reads, and binary: the download must be the object itself.
        byte[] bytes = new byte[700_000];
        new Random(11).nextBytes(bytes);
        s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(bytes));

        int dialogs = browser.dialogs().size();
        int errors = browser.errors().size();
        Page page = browser.signedIn(1280, 900, url("/"));
        page.context().grantPermissions(List.of("clipboard-read", "clipboard-write"));
        page.navigate(url("/pipelines/" + name + "/objects?prefix=exports/"));
        Locator row = page.locator("tr", new Page.LocatorOptions().setHasText(fileName));
        assertThat(row.locator(".object-name code")).hasText(fileName);
        assertThat(page.locator(".object-name img")).hasCount(0);
        BrowserSession.screenshot(page, "objects-download-1280");

        Download download = page.waitForDownload(() -> row.getByRole(AriaRole.LINK,
                new Locator.GetByRoleOptions().setName("Download " + fileName)).click());
        assertArrayEquals(bytes, Files.readAllBytes(download.path()));

        Locator copy = row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Copy the S3 URI of " + fileName));
        copy.click();
        assertThat(copy).hasText("Copied");
        assertEquals("s3://" + bucket + "/" + key, page.evaluate("navigator.clipboard.readText()"));

        row.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Preview " + fileName)).click();
        assertThat(page.locator("#s3-uri")).hasText("s3://" + bucket + "/" + key);
        Download fromPreview = page.waitForDownload(() -> page.getByRole(AriaRole.LINK,
                new Page.GetByRoleOptions().setName("Download").setExact(true)).click());
        assertArrayEquals(bytes, Files.readAllBytes(fromPreview.path()));
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Copy S3 URI")).click();
        assertEquals("s3://" + bucket + "/" + key, page.evaluate("navigator.clipboard.readText()"));

        assertEquals(List.of(), browser.dialogs().subList(dialogs, browser.dialogs().size()), "no page opened a dialog");
        assertEquals(List.of(), browser.errors().subList(errors, browser.errors().size()),
                "no script failed, nothing was blocked");
    }

    /**
     * While a pipeline provisions, only the overview's status card is refreshed: the header and tabs
     * are the same DOM nodes after every refresh (a mark set on them by script stays, and so does a
     * selection of the header's text) while the card shows a step retrying — warning style, "attempt
     * n of 8", when the next attempt comes. Once READY the card polls no more, and what settling
     * changed elsewhere (the header's badge, how to send clicks) is there without a reload.
     */
    @Test
    void whileProvisioningOnlyTheStatusCardRefreshes() {
        faults.failAlways("firehose", "CreateDeliveryStream", 500, "ServiceUnavailableException", "try again later");
        String name = PipelineApi.uniqueName("still-ui");
        created = name;
        try {
            PipelineApi.create("{\"name\":\"" + name + "\",\"team\":\"t\"}");
            Page page = browser.signedIn(1280, 900, url("/"));
            int errors = browser.errors().size();
            List<String> polls = new ArrayList<>();
            page.onRequest(r -> {
                if (r.url().endsWith("/pipelines/" + name + "/status")) {
                    polls.add(r.url());
                }
            });
            page.navigate(url("/pipelines/" + name));
            assertThat(page.locator("#status-card")).hasAttribute("hx-trigger", "every 1s");
            page.evaluate("() => {"
                    + " document.querySelector('.pipeline-head').stillHere = 'head';"
                    + " document.querySelector('nav.tabs').stillHere = 'tabs';"
                    + " document.querySelector('#status-card').stillHere = 'card';"
                    + " const range = document.createRange();"
                    + " range.selectNodeContents(document.querySelector('.breadcrumbs'));"
                    + " getSelection().removeAllRanges(); getSelection().addRange(range); }");

            // The test configuration's backoff is short: the eight attempts take a few seconds, so the
            // step is let succeed as soon as the card has shown it retrying.
            Locator retrying = page.locator("#status-card .step.step-retrying");
            assertThat(retrying).hasCount(1, new LocatorAssertions.HasCountOptions().setTimeout(READY.toMillis()));
            // One read of the card as it was: its text, and the colours of the step's state.
            @SuppressWarnings("unchecked")
            Map<String, String> shown = (Map<String, String>) page.evaluate("() => {"
                    + " const s = document.querySelector('#status-card .step.step-retrying');"
                    + " return s ? { text: s.innerText, background: getComputedStyle(s.querySelector('.state')).backgroundColor }"
                    + " : { text: 'no step retrying any more', background: '' }; }");
            faults.clear();
            String text = shown.get("text");
            assertTrue(text.contains("RETRYING"), text);
            assertTrue(Pattern.compile("attempt [2-8] of 8").matcher(text).find(), text);
            assertTrue(text.contains("Next attempt at"), text);
            assertTrue(text.contains("ServiceUnavailableException: try again later"), text);
            assertEquals("rgb(255, 251, 235)", shown.get("background"), "a retrying step is in the warning colours");
            assertStill(page);

            assertThat(page.locator("#status-badge")).hasText("READY", SLOW);
            assertThat(page.locator("#status-card .step-elapsed").first()).hasText(Pattern.compile("\\d+(\\.\\d)? s"));
            assertEquals(null, page.evaluate("document.querySelector('#status-card').stillHere"),
                    "the status card was replaced by a refresh");
            assertFalse(polls.isEmpty(), "the card was polled");
            assertThat(page.locator("#status-card .status-line")).containsText("Ready");
            assertThat(page.locator("#status-card")).not().hasAttribute("hx-trigger", "every 1s");
            assertThat(page.getByLabel("Invoke URL")).hasValue(Pattern.compile("^http://.*/clicks$"));
            assertThat(page.locator("#pipeline-actions")).containsText("Edit");
            assertStill(page);
            // Polled every second until then; not once in the 2.5 s after.
            assertThrows(TimeoutError.class, () -> page.waitForRequest(
                    r -> r.url().endsWith("/pipelines/" + name + "/status"),
                    new Page.WaitForRequestOptions().setTimeout(2500), () -> { }), "no poll after the pipeline settled");
            assertStill(page);
            assertEquals(List.of(), browser.errors().subList(errors, browser.errors().size()),
                    "no script failed, nothing was blocked");
        } finally {
            faults.clear();
        }
    }

    /** The header and the tabs are the nodes the page was loaded with, and the header's selected text is still selected. */
    private static void assertStill(Page page) {
        assertEquals("head", page.evaluate("document.querySelector('.pipeline-head').stillHere"), "the header was kept");
        assertEquals("tabs", page.evaluate("document.querySelector('nav.tabs').stillHere"), "the tabs were kept");
        assertEquals(page.locator(".breadcrumbs").innerText().strip(),
                String.valueOf(page.evaluate("getSelection().toString()")).strip(), "the selection was kept");
    }

    @Test
    void theLiveTableGoesOnThroughFailedReads() throws Exception {
        JsonPath pipeline = ObservedPipelines.ready("refresh-ui", "");
        String name = pipeline.getString("name");
        try (BrowserSession own = BrowserSession.launch()) {
            put(pipeline.getString("invokeUrl"), "{\"note\":\"before the failure\"}");
            Page page = own.signedIn(1280, 900, url("/"));
            page.navigate(url("/pipelines/" + name + "/records"));
            Locator records = page.locator("#clicks tbody.click");
            assertThat(records).hasCount(1, new LocatorAssertions.HasCountOptions().setTimeout(READY.toMillis()));
            assertThat(page.locator("#clicks-live")).hasText("Live");
            page.evaluate("window.samePage = true");

            // While Kinesis fails every read, nothing new can show; once it answers again, what came meanwhile does.
            faults.failAlways("kinesis", "GetRecords", 500, "InternalFailure", "the shard is unwell");
            put(pipeline.getString("invokeUrl"), "{\"note\":\"during the failure\"}");
            assertThat(records).hasCount(1);
            faults.clear();
            assertThat(records).hasCount(2, new LocatorAssertions.HasCountOptions().setTimeout(READY.toMillis()));
            assertThat(records.nth(0).locator(".click-summary")).hasText("note=during the failure");
            assertThat(records.nth(1).locator(".click-summary")).hasText("note=before the failure");
            assertEquals(true, page.evaluate("window.samePage === true"), "all without a reload");
            assertEquals(List.of(), own.errors());
            assertEquals(List.of(), own.dialogs());
        } finally {
            faults.clear();
            ObservedPipelines.delete(name);
        }
    }

    @Test
    void unknownPipelineIsA404Page() {
        Page page = browser.signedIn(1280, 900, url("/"));
        Response response = page.navigate(url("/pipelines/no-such-pipeline"));
        assertEquals(404, response.status());
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Pipeline not found")))
                .isVisible();
        assertThat(page.locator("main")).containsText("There is no pipeline named 'no-such-pipeline'.");
        BrowserSession.screenshot(page, "15-not-found-1280");

        Response unknown = page.navigate(url("/nothing-here"));
        assertEquals(404, unknown.status());
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Page not found"))).isVisible();
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("See all pipelines"))).isVisible();
        BrowserSession.screenshot(page, "16-no-such-page-1280");
    }

    /** PUTs one click to the invoke URL, as a client would. */
    private static void put(String invokeUrl, String json) throws Exception {
        HttpResponse<String> put = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(invokeUrl))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, put.statusCode(), put.body());
    }

    /** The pipeline's tab strip fits: no scrollbar either way. */
    private static void assertTabsDoNotScroll(Page page) {
        assertEquals(true, page.evaluate("(() => { const t = document.querySelector('.tabs');"
                + " return t.scrollHeight <= t.clientHeight && t.scrollWidth <= t.clientWidth; })()"),
                "the tabs scroll at " + page.viewportSize().width + " px");
    }

    /** The main pages at a phone's width: usable, nothing wider than the screen. */
    private void narrowPages(String name, String preview) {
        Page phone = browser.signedIn(390, 844, url("/"));
        String[][] pages = {
                { "/", "pipelines" },
                { "/pipelines/new", "new-pipeline" },
                { "/pipelines/" + name, "overview" },
                { "/pipelines/" + name + "/records", "records" },
                { "/pipelines/" + name + "/objects", "objects" },
                { "/pipelines/" + name + "/metrics", "metrics" },
                { preview, "object-preview" },
                { "/pipelines/" + name + "/delete", "delete" },
        };
        for (String[] p : pages) {
            phone.navigate(url(p[0]));
            assertThat(phone.locator("h1")).isVisible();
            int width = BrowserSession.scrollWidth(phone);
            assertTrue(width <= 390, p[1] + " is " + width + " px wide at 390 px");
            if (p[0].startsWith("/pipelines/" + name) && !p[1].equals("delete")) {
                assertTabsDoNotScroll(phone);
            }
            BrowserSession.screenshot(phone, "20-" + p[1] + "-390");
        }
        phone.context().close();
    }

    /** Inputs, selects and text areas without a label or an aria-label: every one should have one. */
    @SuppressWarnings("unchecked")
    private static List<String> unlabelledInputs(Page page) {
        return (List<String>) page.evaluate("[...document.querySelectorAll('input, select, textarea')]"
                + ".filter(e => e.type !== 'hidden' && e.labels.length === 0 && !e.getAttribute('aria-label'))"
                + ".map(e => e.outerHTML)");
    }

    private String url(String path) {
        return root.toString().replaceAll("/$", "") + path;
    }
}
