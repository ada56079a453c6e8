package dev.clicklog.portal.web.ui;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.clicklog.portal.observe.ObservedPipelines;
import dev.clicklog.testing.SignedIn;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * The Records page over plain HTTP: one table row per click, a page of fifty light however long a
 * click is, a filter applied by the portal (and refused with its rule when it has none), and pages
 * back in time that together hold every click once.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecordsPageTest {

    private static final Pattern ROW = Pattern.compile("<tbody class=\"click\" id=\"click-(shardId-\\d+-\\d+)\"");
    private static final Pattern OLDER = Pattern.compile("<a class=\"button secondary small\" href=\"([^\"]+)\" rel=\"next\">Older</a>");
    private static final int CLICKS = 55;
    private static final int BIG = 500 * 1024;

    @TestHTTPResource("/")
    String root;

    private JsonPath pipeline;
    private String page;

    @BeforeAll
    void sendClicks() {
        ObservedPipelines.outsideTest(() -> {
            pipeline = ObservedPipelines.ready("table", "\"allowedOrigins\":[\"https://shop.example\"]");
            page = "/pipelines/" + pipeline.getString("name") + "/records";
            for (int i = 0; i < CLICKS; i++) {
                String kind = i % 2 == 0 ? "even" : "odd";
                String extra = i == 40 ? ",\"blob\":\"" + "x".repeat(BIG) + "\"" : "";
                ObservedPipelines.click(pipeline, "{\"type\":\"" + kind + "\",\"n\":" + i + ",\"price\":1.50"
                        + ",\"note\":\"click <b>" + i + "</b>\"" + extra + "}");
            }
            await().atMost(ObservedPipelines.WAIT).until(() -> ObservedPipelines.records(pipeline.getString("name"),
                    "?limit=100").getList("records").size() == CLICKS);
        });
    }

    @AfterAll
    void deletePipeline() {
        ObservedPipelines.outsideTest(() -> ObservedPipelines.delete(pipeline.getString("name")));
    }

    @Test
    void fiftyClicksWithOneOf500KbWeighUnder100Kb() {
        byte[] body = given().accept("text/html").get(page).then().statusCode(200).contentType(ContentType.HTML)
                .extract().asByteArray();
        String html = new String(body, StandardCharsets.UTF_8);
        System.out.printf("records page: %d bytes for 50 clicks, one of 500 KB%n", body.length);
        assertTrue(body.length < 100_000, "the page weighs " + body.length + " bytes");
        List<String> rows = rows(html);
        assertTrue(rows.size() >= 45 && rows.size() <= 50, rows.size() + " rows");
        // The 500 KB click is among them, cut, with a "Show all" that fetches it whole.
        assertTrue(html.contains("&quot;n&quot; : 40"), "the big click is shown");
        assertTrue(html.contains("more)"), "its long value is cut");
        assertTrue(html.contains(">Show all</button>"));
        Matcher whole = Pattern.compile("hx-get=\"([^\"]+records/whole[^\"]+)\"").matcher(html);
        assertTrue(whole.find());
        String all = given().get(whole.group(1).replace("&amp;", "&")).then().statusCode(200).extract().asString();
        assertTrue(all.contains("x".repeat(BIG)), "Show all answers the whole value");
        // Markup in a click is text; the summary line gives its first fields.
        assertTrue(html.contains("note=click &lt;b&gt;54&lt;/b&gt;"), "a summary of the newest click");
        assertFalse(html.contains("<b>54"));
        // The page follows on live from its own read.
        assertTrue(html.contains("data-stream=\"" + page + "/stream?since="), "the table follows the stream");
    }

    @Test
    void olderPagesHoldEveryClickOnce() {
        List<String> seen = new ArrayList<>();
        String next = page;
        int pages = 0;
        while (next != null) {
            String html = given().urlEncodingEnabled(false).get(next).then().statusCode(200).extract().asString();
            seen.addAll(rows(html));
            Matcher older = OLDER.matcher(html);
            next = older.find() ? older.group(1).replace("&amp;", "&") : null;
            if (pages++ > 0) {
                assertTrue(html.contains(">Older clicks</h2>") && html.contains(">Newest</a>"), html);
                assertFalse(html.contains("data-stream="), "an older page is not live");
            }
            assertTrue(pages < 10, "paging ends");
        }
        assertTrue(pages >= 2, "more clicks than a page holds");
        assertEquals(CLICKS, seen.size(), "every click once: " + seen);
        assertEquals(CLICKS, new HashSet<>(seen).size());
    }

    @Test
    void theFilterIsAppliedByThePortal() {
        String odd = given().queryParam("filter", "type=odd").get(page).then().statusCode(200).extract().asString();
        assertEquals(CLICKS / 2, rows(odd).size(), "field=value passes the odd clicks only");
        assertFalse(odd.contains("type=even"));
        assertTrue(odd.contains("value=\"type=odd\""), "the filter stays in its input");
        assertTrue(odd.contains("filter=type%3Dodd"), "the live stream carries it");
        // Numbers compare by value; words anywhere, in any case.
        assertEquals(rows(given().get(page).then().statusCode(200).extract().asString()),
                rows(given().queryParam("filter", "price=1.5").get(page).then().statusCode(200).extract().asString()));
        assertEquals(1, rows(given().queryParam("filter", "n=7").get(page).then().statusCode(200).extract().asString())
                .size());
        String words = given().queryParam("filter", "CLICK <B>7</b>").get(page).then().statusCode(200).extract().asString();
        assertEquals(1, rows(words).size(), words);
        assertTrue(words.contains("note=click &lt;b&gt;7&lt;/b&gt;"));
        String none = given().queryParam("filter", "type=none").get(page).then().statusCode(200).extract().asString();
        assertEquals(0, rows(none).size());
        assertTrue(none.contains("No clicks pass the filter"));
    }

    @Test
    void aFilterWithoutAFieldNameIsRefusedWithItsRule() {
        String rule = "filter field=value needs a field name before the =";
        for (String bad : List.of("=odd", "two words=odd", "x".repeat(201))) {
            String html = given().queryParam("filter", bad).get(page).then().statusCode(400)
                    .contentType(ContentType.HTML).extract().asString();
            assertTrue(html.contains(bad.length() > 200 ? "filter must be at most 200 characters" : rule), html);
            assertTrue(html.contains("<p class=\"field-error\" id=\"clicks-filter-error\" role=\"alert\">"), html);
            assertEquals(0, rows(html).size());
        }
        given().queryParam("filter", "=odd").get(page + "/stream").then().statusCode(400)
                .body(containsString(rule));
        given().queryParam("before", "yesterday").get(page).then().statusCode(400)
                .body(containsString("before must be an ISO-8601 date-time"));
    }

    @Test
    void theStreamSaysAtOnceThatItIsLive() throws Exception {
        // The first event comes before any click: the browser knows it is connected.
        HttpResponse<InputStream> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(root + page.substring(1) + "/stream?since=2020-01-01T00:00:00Z"))
                .header("Accept", "text/event-stream")
                .header("Cookie", SignedIn.SESSION_COOKIE + "=" + SignedIn.signIn(SignedIn.ADMIN, SignedIn.ADMIN_PASSWORD))
                .build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, answer.statusCode());
        assertTrue(answer.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(answer.body(), StandardCharsets.UTF_8))) {
            assertEquals("event:ready", lines.readLine().replace(" ", ""));
            // Then what arrived since: rows of the table, escaped, each with its arrival time as id.
            String line;
            List<String> rows = new ArrayList<>();
            while (rows.size() < CLICKS && (line = lines.readLine()) != null) {
                if (line.startsWith("data:<tbody class=\"click\"")) {
                    rows.add(line);
                }
                assertFalse(line.contains("<b>"), line);
            }
            assertEquals(CLICKS, rows.size());
        }
    }

    private static List<String> rows(String html) {
        List<String> ids = new ArrayList<>();
        Matcher m = ROW.matcher(html);
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

}
