package dev.clicklog.portal.web.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.microsoft.playwright.Page;
import com.sun.net.httpserver.HttpServer;

import dev.clicklog.portal.observe.ObservedPipelines;
import dev.clicklog.testing.BrowserSession;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * A team's own site sends clicks from its pages with the snippets the overview shows — {@code fetch}
 * and {@code navigator.sendBeacon}, copied from the page as a person would — in Debian's Chromium,
 * so the browser's own CORS rules judge the pipeline's answers: the site's origin may read them,
 * its refused clicks included; a site not allowed may not. Each site is a small HTTP server of its
 * own on the loopback interface (its own origin, as the invoke URL is on loopback too).
 */
@QuarkusTest
class ClicksFromAPageBrowserTest {

    private static final String PAGE = "<!doctype html><title>A site</title><h1>A site of the team</h1>";

    private static BrowserSession browser;
    private static HttpServer shop;
    private static HttpServer other;

    @TestHTTPResource("/")
    URL root;

    @BeforeAll
    static void launch() throws IOException {
        browser = BrowserSession.launch();
        shop = site();
        other = site();
    }

    @AfterAll
    static void close() {
        if (browser != null) {
            browser.close();
        }
        for (HttpServer site : new HttpServer[] { shop, other }) {
            if (site != null) {
                site.stop(0);
            }
        }
    }

    @Test
    void aSiteSendsClicksWithTheOverviewsSnippets() {
        String shopOrigin = origin(shop);
        JsonPath pipeline = ObservedPipelines.ready("site", "\"allowedOrigins\":[\"" + shopOrigin + "\",\"https://www.shop.test\"]");
        String name = pipeline.getString("name");
        try {
            Page portal = browser.signedIn(1280, 900, root.toString());
            portal.navigate(root.toString() + "pipelines/" + name);
            String fetchSnippet = portal.locator("#snippet-fetch").innerText();
            String beaconSnippet = portal.locator("#snippet-beacon").innerText();

            Page shopPage = browser.page(1280, 800);
            shopPage.navigate(shopOrigin + "/pricing");
            // fetch: the answer is readable on an allowed origin, the record's sequence number in it
            @SuppressWarnings("unchecked")
            Map<String, Object> sent = (Map<String, Object>) shopPage.evaluate("async () => { const r = await "
                    + stripSemicolon(fetchSnippet) + "; return { status: r.status, body: await r.json() }; }");
            assertEquals(200, ((Number) sent.get("status")).intValue(), sent.toString());
            assertTrue(((Map<?, ?>) sent.get("body")).containsKey("SequenceNumber"), sent.toString());

            // sendBeacon: queued by the browser, no answer to read; the click shows up in the stream
            shopPage.navigate(shopOrigin + "/checkout");
            shopPage.evaluate("() => { " + beaconSnippet + " }");

            // A refused click (not a JSON object) is readable too, so the page can tell why
            @SuppressWarnings("unchecked")
            Map<String, Object> refused = (Map<String, Object>) shopPage.evaluate("async url => { const r = await fetch(url, "
                    + "{ method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: '[1, 2]' });"
                    + " return { status: r.status, body: await r.json() }; }", pipeline.getString("invokeUrl"));
            assertEquals(400, ((Number) refused.get("status")).intValue(), refused.toString());
            assertEquals("Invalid request body", ((Map<?, ?>) refused.get("body")).get("message"));

            // Another site's page: the browser refuses its preflighted request, so nothing is sent
            Page otherPage = browser.page(1280, 800);
            otherPage.navigate(origin(other) + "/");
            Object blocked = otherPage.evaluate("async () => { try { await " + stripSemicolon(fetchSnippet)
                    + "; return 'answered'; } catch (e) { return 'blocked: ' + e.name; } }");
            assertEquals("blocked: TypeError", blocked);

            List<Map<String, Object>> records = Awaitility.await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> ObservedPipelines.records(name, "?limit=10").getList("records"), r -> r.size() >= 2);
            List<String> pages = records.stream().map(r -> String.valueOf(((Map<?, ?>) ((Map<?, ?>) r.get("data")).get("json")).get("page"))).sorted()
                    .toList();
            assertEquals(List.of("/checkout", "/pricing"), pages, records.toString());
            assertEquals(List.of(), browser.dialogs());
        } finally {
            ObservedPipelines.delete(name);
        }
    }

    /** A site: every address answers the same small page. */
    private static HttpServer site() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = PAGE.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static String origin(HttpServer site) {
        return "http://127.0.0.1:" + site.getAddress().getPort();
    }

    private static String stripSemicolon(String snippet) {
        String s = snippet.strip();
        return s.endsWith(";") ? s.substring(0, s.length() - 1) : s;
    }
}
