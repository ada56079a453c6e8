package dev.clicklog.portal.observe;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.clicklog.testing.SignedIn;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/**
 * /records/feed: clicks sent while viewers follow the feed are pushed to each of them, in the order
 * they arrived, each once; a viewer that joins with {@code since} gets what arrived after it first;
 * however many follow, the stream is read about once a second; the stream starts at once, before
 * any record, and a viewer who leaves stops following — the last one stops the reads.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecordFeedTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int VIEWERS = 20;
    /** Bounds the wait for a feed's response to start: it opens with a comment, not with the first record. */
    private static final Duration OPENS_WITHIN = Duration.ofSeconds(10);

    @TestHTTPResource("/")
    URL root;

    @Inject
    CloudWatchClient cloudWatch;

    @Inject
    RecordFeed feed;

    private JsonPath pipeline;
    private String name;

    @BeforeAll
    void pipeline() {
        ObservedPipelines.outsideTest(() -> {
            pipeline = ObservedPipelines.ready("feed", "\"allowedOrigins\":[\"https://shop.example\"]");
            name = pipeline.getString("name");
        });
    }

    @AfterAll
    void deletePipeline() {
        ObservedPipelines.outsideTest(() -> ObservedPipelines.delete(name));
    }

    @Test
    void clicksArePushedToEveryViewerOnceAndInOrder() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        ExecutorService readers = Executors.newFixedThreadPool(VIEWERS);
        List<List<JsonNode>> seen = new ArrayList<>();
        // Closed as streams, not as readers: a reader's close waits for the read that blocks on it.
        List<InputStream> streams = new CopyOnWriteArrayList<>();
        try {
            for (int i = 0; i < VIEWERS; i++) {
                List<JsonNode> events = new CopyOnWriteArrayList<>();
                seen.add(events);
                HttpResponse<InputStream> answer = http.send(feedRequest(""), HttpResponse.BodyHandlers.ofInputStream());
                assertEquals(200, answer.statusCode());
                assertTrue(answer.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
                BufferedReader lines = new BufferedReader(new InputStreamReader(answer.body(), StandardCharsets.UTF_8));
                streams.add(answer.body());
                readers.submit(() -> read(lines, events));
            }
            Instant start = Instant.now();
            double before = getRecordsCalls(start);
            long started = System.nanoTime();
            for (int n = 0; n < 5; n++) {
                ObservedPipelines.click(pipeline, "{\"type\":\"feed\",\"n\":" + n + "}");
            }
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                    .until(() -> seen.stream().allMatch(events -> feedClicks(events).size() >= 5));
            for (List<JsonNode> events : seen) {
                assertEquals(List.of(0, 1, 2, 3, 4), feedClicks(events), "each click once, in the order it arrived");
            }
            // Every viewer was served by the same reads: one a second (a GetRecords or two), plus the pipeline's
            // Firehose reading its shard every 200 ms; a read per viewer would be 20 times the first part.
            double seconds = (System.nanoTime() - started) / 1e9 + 1;
            double calls = getRecordsCalls(start) - before;
            assertTrue(calls <= seconds * (3 + 5) + 10, calls + " GetRecords calls in " + seconds + " s for " + VIEWERS
                    + " viewers");
        } finally {
            for (InputStream stream : streams) {
                stream.close();
            }
            readers.shutdownNow();
        }
        // All twenty left: none is still counted, and the feed is gone.
        awaitNoViewers();

        // A viewer who shows records up to the third gets the later ones first.
        JsonPath all = ObservedPipelines.records(name, "?limit=5");
        String third = all.getString("records[2].arrivalTime");
        List<JsonNode> late = new CopyOnWriteArrayList<>();
        HttpResponse<InputStream> answer = http.send(feedRequest("?since=" + third),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream stream = answer.body()) {
            BufferedReader lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
            ExecutorService reader = Executors.newSingleThreadExecutor();
            reader.submit(() -> read(lines, late));
            // At the seam between catching up and the shared feed a record may come twice: its sequence number tells.
            await().atMost(Duration.ofSeconds(10)).until(() -> feedClicks(once(late)).size() >= 2);
            assertEquals(List.of(3, 4), feedClicks(once(late)));
            reader.shutdownNow();
        }
    }

    @Test
    void theFeedStartsAtOnceAndALeavingViewerStopsFollowing() throws Exception {
        awaitNoViewers();
        HttpClient http = HttpClient.newHttpClient();
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try {
            HttpResponse<InputStream> answer = http.send(feedRequest(""), HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, answer.statusCode());
            BufferedReader lines = new BufferedReader(new InputStreamReader(answer.body(), StandardCharsets.UTF_8));
            // No click is sent: the first line is the opening comment, not a record.
            Future<String> first = reader.submit(lines::readLine);
            assertEquals(":open", first.get(OPENS_WITHIN.toSeconds(), TimeUnit.SECONDS));
            await().atMost(Duration.ofSeconds(10)).until(() -> feed.viewers(name) == 1);
            long reading = feed.reads();
            await().atMost(Duration.ofSeconds(10)).until(() -> feed.reads() >= reading + 2);

            answer.body().close();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> feed.viewers(name) == 0);
            // No one follows: the shared read stops (a read a second would break this within the 3 s).
            AtomicLong last = new AtomicLong(feed.reads());
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                    .until(() -> last.getAndSet(feed.reads()) == feed.reads());
        } finally {
            reader.shutdownNow();
        }
    }

    @Test
    void activityCountsPerMinuteAndTheTopValues() {
        for (String type : List.of("view", "view", "click")) {
            ObservedPipelines.click(pipeline, "{\"type\":\"" + type + "\",\"page\":\"/p\"}");
        }
        JsonPath activity = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> given().get("/api/pipelines/" + name + "/records/activity").then().statusCode(200)
                        .extract().jsonPath(), a -> a.getInt("topValues.withField") >= 3
                                && a.getList("perMinute.v").stream().anyMatch(v -> v != null));
        assertEquals("type", activity.getString("topValues.field"));
        assertTrue(activity.getList("topValues.fields").contains("page"));
        int minutes = activity.getList("perMinute").size();
        assertTrue(minutes == 15 || minutes == 16, minutes + " points: one a minute for 15 minutes");
        JsonPath pages = given().get("/api/pipelines/" + name + "/records/activity?field=page").then().statusCode(200)
                .extract().jsonPath();
        assertEquals("page", pages.getString("topValues.field"));
        assertEquals("/p", pages.getString("topValues.top[0].value"));

        String part = given().accept("text/html").get("/pipelines/" + name + "/records/activity?field=page").then()
                .statusCode(200).extract().asString();
        assertTrue(part.contains("<option value=\"page\" selected>page</option>"), part);
        assertTrue(part.contains("<span class=\"top-value\">/p</span>"), part);
        assertTrue(part.contains("class=\"activity-bar\""), part);
        assertTrue(part.contains("Clicks per minute, last 15 minutes (1-minute periods)"), part);
    }

    @Test
    void aBigClickIsCutOnThePageAndShownWholeWhenAsked() {
        String blob = "b".repeat(500_000);
        ObservedPipelines.click(pipeline, "{\"type\":\"big\",\"blob\":\"" + blob + "\"}");
        JsonPath big = await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250))
                .until(() -> ObservedPipelines.records(name, "?limit=50"),
                        r -> r.getList("records.data.json.type").contains("big"));
        int at = big.getList("records.data.json.type").indexOf("big");
        String shard = big.getString("records[" + at + "].shardId");
        String sequence = big.getString("records[" + at + "].sequenceNumber");

        String page = given().accept("text/html").get("/pipelines/" + name + "/records?auto=false").then().statusCode(200)
                .extract().asString();
        assertTrue(page.length() < 100_000, "the page weighs " + page.length() + " characters");
        assertTrue(page.contains(">Show all</button>"), "the cut record offers the rest");
        String whole = given().accept("text/html").queryParam("shard", shard).queryParam("sequence", sequence)
                .get("/pipelines/" + name + "/records/whole").then().statusCode(200).extract().asString();
        assertTrue(whole.contains(blob), "Show all brings the whole record: " + whole.length() + " characters");
    }

    @Test
    void anUnknownPipelineOrBadSinceIsRefused() {
        given().get("/api/pipelines/no-such-pipeline-here/records/feed").then().statusCode(404);
        given().get("/api/pipelines/" + name + "/records/feed?since=soon").then().statusCode(400);
    }

    /** A viewer's request for the feed, as the administrator; the response must start within {@link #OPENS_WITHIN}. */
    private HttpRequest feedRequest(String query) {
        return HttpRequest.newBuilder(URI.create(root + "api/pipelines/" + name + "/records/feed" + query))
                .timeout(OPENS_WITHIN).header("Accept", "text/event-stream")
                .header("Authorization", SignedIn.basicHeader(SignedIn.ADMIN, SignedIn.ADMIN_PASSWORD)).build();
    }

    private void awaitNoViewers() {
        await().atMost(Duration.ofSeconds(10)).until(() -> feed.viewers(name) == 0);
    }

    private static List<JsonNode> once(List<JsonNode> events) {
        Set<String> seen = new HashSet<>();
        return events.stream().filter(e -> seen.add(e.path("shardId").asText() + "/" + e.path("sequenceNumber").asText()))
                .toList();
    }

    /** The n of the clicks this test's feed check sent, in the order they came. */
    private static List<Integer> feedClicks(List<JsonNode> events) {
        return events.stream().filter(e -> "feed".equals(e.at("/data/json/type").asText()))
                .map(e -> e.at("/data/json/n").asInt()).toList();
    }

    /** Reads Server-Sent Events into {@code events} until the stream ends. */
    private static Void read(BufferedReader lines, List<JsonNode> events) throws Exception {
        StringBuilder data = new StringBuilder();
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (line.startsWith("data:")) {
                data.append(line.substring(5).strip());
            } else if (line.isEmpty() && data.length() > 0) {
                events.add(JSON.readTree(data.toString()));
                data.setLength(0);
            }
        }
        return null;
    }

    private double getRecordsCalls(Instant start) {
        String stream = pipeline.getString("resources.streamName");
        return cloudWatch.getMetricStatistics(r -> r.namespace("AWS/Kinesis").metricName("GetRecords.Success")
                .dimensions(d -> d.name("StreamName").value(stream)).startTime(start.minusSeconds(60))
                .endTime(Instant.now().plusSeconds(60)).period(60).statistics(Statistic.SAMPLE_COUNT))
                .datapoints().stream().mapToDouble(d -> d.sampleCount()).sum();
    }
}
