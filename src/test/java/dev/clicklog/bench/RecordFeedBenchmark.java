package dev.clicklog.bench;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.clicklog.portal.observe.ObservedPipelines;
import dev.clicklog.portal.observe.RecordFeed;
import dev.clicklog.testing.SignedIn;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/**
 * What 20 open viewers of {@code GET /api/pipelines/{name}/records/feed} cost, and how soon a click
 * reaches them. Clicks are PUT to the pipeline's invoke URL at {@value #CLICKS_PER_SECOND} a second,
 * first for {@value #SECONDS} s with nobody following (the stream's own consumer, Firehose, reads
 * it meanwhile), then for {@value #SECONDS} s with {@value #VIEWERS} viewers. Reported: the feed's
 * reads of the stream a second ({@link RecordFeed#reads()}), the GetRecords calls a second the
 * viewers add over the baseline (localaws' {@code AWS/Kinesis GetRecords.Success} and
 * {@code ReadProvisionedThroughputExceeded} sample counts),
 * pushes per viewer against clicks sent, and the time from the gateway's 2xx to each viewer
 * receiving the click (p50, p95, max over every viewer's copy).
 *
 * <pre>./mvnw -o test -Pbenchmark -Dtest=RecordFeedBenchmark -Dsurefire.failIfNoSpecifiedTests=false</pre>
 */
@QuarkusTest
@Tag("benchmark")
class RecordFeedBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final int VIEWERS = 20;
    static final int SECONDS = 30;
    static final int CLICKS_PER_SECOND = 2;

    @Inject
    CloudWatchClient cloudWatch;

    @Inject
    RecordFeed feed;

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void twentyViewersShareOneReadASecond() throws Exception {
        JsonPath[] created = new JsonPath[1];
        ObservedPipelines.outsideTest(() -> created[0] = ObservedPipelines.ready("bench-feed",
                "\"allowedOrigins\":[\"https://shop.example\"]"));
        JsonPath pipeline = created[0];
        String name = pipeline.getString("name");
        String stream = pipeline.getString("resources.streamName");
        Instant start = Instant.now();
        try {
            sendClicks(pipeline, -1, 5, new ConcurrentHashMap<>()); // warm-up: the first clicks of a fresh JVM

            double baseline = getRecordsCalls(stream, start);
            long baselineStarted = System.nanoTime();
            sendClicks(pipeline, 0, SECONDS * CLICKS_PER_SECOND, new ConcurrentHashMap<>());
            double baselineSeconds = (System.nanoTime() - baselineStarted) / 1e9;
            double baselineCalls = getRecordsCalls(stream, start) - baseline;

            List<Map<Integer, Long>> arrivals = new ArrayList<>();
            List<AtomicInteger> pushes = new ArrayList<>();
            List<InputStream> bodies = new CopyOnWriteArrayList<>();
            ExecutorService readers = Executors.newFixedThreadPool(VIEWERS);
            Map<Integer, Long> accepted = new ConcurrentHashMap<>();
            double viewedCalls;
            double viewedSeconds;
            long feedReads;
            try {
                for (int i = 0; i < VIEWERS; i++) {
                    Map<Integer, Long> seen = new ConcurrentHashMap<>();
                    AtomicInteger count = new AtomicInteger();
                    arrivals.add(seen);
                    pushes.add(count);
                    HttpResponse<InputStream> answer = http.send(HttpRequest.newBuilder(URI.create(base() + "/api/pipelines/"
                            + name + "/records/feed")).timeout(Duration.ofSeconds(10))
                            .header("Authorization", SignedIn.basicHeader(SignedIn.ADMIN, SignedIn.ADMIN_PASSWORD))
                            .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
                    assertEquals(200, answer.statusCode());
                    bodies.add(answer.body());
                    readers.submit(() -> read(answer.body(), seen, count));
                }
                double before = getRecordsCalls(stream, start);
                long readsBefore = feed.reads();
                long viewedStarted = System.nanoTime();
                sendClicks(pipeline, 1_000, SECONDS * CLICKS_PER_SECOND, accepted);
                // The last clicks' push: at most a read's period and a read later.
                waitForPushes(arrivals, accepted.size(), Duration.ofSeconds(10));
                viewedSeconds = (System.nanoTime() - viewedStarted) / 1e9;
                feedReads = feed.reads() - readsBefore;
                viewedCalls = getRecordsCalls(stream, start) - before;
            } finally {
                for (InputStream body : bodies) {
                    body.close();
                }
                readers.shutdownNow();
            }

            List<Double> latencies = new ArrayList<>();
            int missing = 0;
            for (Map<Integer, Long> seen : arrivals) {
                for (Map.Entry<Integer, Long> click : accepted.entrySet()) {
                    Long arrived = seen.get(click.getKey());
                    if (arrived == null) {
                        missing++;
                    } else {
                        latencies.add((arrived - click.getValue()) / 1e6);
                    }
                }
            }
            latencies.sort(Double::compare);
            int totalPushes = pushes.stream().mapToInt(AtomicInteger::get).sum();
            StringBuilder report = new StringBuilder("\n=== RecordFeedBenchmark: " + VIEWERS + " viewers of /records/feed, "
                    + CLICKS_PER_SECOND + " clicks/s for " + SECONDS + " s ===\n");
            report.append(String.format(Locale.ROOT, "feed reads of the stream: %d in %.1f s = %.2f reads/s for all %d viewers%n",
                    feedReads, viewedSeconds, feedReads / viewedSeconds, VIEWERS));
            report.append(String.format(Locale.ROOT, "GetRecords (answered or throttled): %.2f calls/s with nobody following (Firehose), "
                    + "%.2f calls/s with %d viewers: +%.2f calls/s%n", baselineCalls / baselineSeconds,
                    viewedCalls / viewedSeconds, VIEWERS, viewedCalls / viewedSeconds - baselineCalls / baselineSeconds));
            report.append(String.format(Locale.ROOT, "clicks accepted: %d; pushes: %d in all, %.2f per viewer per click, "
                    + "%d missing%n", accepted.size(), totalPushes, totalPushes / (double) (VIEWERS * accepted.size()),
                    missing));
            report.append(String.format(Locale.ROOT, "gateway 2xx → on the feed (%d arrivals): p50 %.0f ms, p95 %.0f ms, "
                    + "max %.0f ms%n", latencies.size(), percentile(latencies, 50), percentile(latencies, 95),
                    latencies.get(latencies.size() - 1)));
            System.out.println(report);
        } finally {
            ObservedPipelines.outsideTest(() -> ObservedPipelines.delete(name));
        }
    }

    /** PUTs {@code count} clicks numbered from {@code first}, paced; {@code accepted} gets each one's 2xx time. */
    private void sendClicks(JsonPath pipeline, int first, int count, Map<Integer, Long> accepted) throws Exception {
        long every = 1_000_000_000L / CLICKS_PER_SECOND;
        long next = System.nanoTime();
        for (int n = first; n < first + count; n++) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(pipeline.getString("invokeUrl")))
                    .header("Content-Type", "application/json").header("Origin", "https://shop.example")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"type\":\"bench\",\"n\":" + n + "}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            long at = System.nanoTime();
            assertEquals(200, answer.statusCode(), answer.body());
            accepted.put(n, at);
            next += every;
            Pacing.awaitNanoTime(next); // pacing the load, not waiting for a result
        }
    }

    private static void waitForPushes(List<Map<Integer, Long>> arrivals, int clicks, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(20))
                .until(() -> arrivals.stream().allMatch(seen -> seen.size() >= clicks));
    }

    /** Reads Server-Sent Events until the stream ends, noting when each benchmark click (n ≥ 1000) first came. */
    private static Void read(InputStream body, Map<Integer, Long> seen, AtomicInteger pushes) throws Exception {
        BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        StringBuilder data = new StringBuilder();
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (line.startsWith("data:")) {
                data.append(line.substring(5).strip());
            } else if (line.isEmpty() && data.length() > 0) {
                long at = System.nanoTime();
                JsonNode event = JSON.readTree(data.toString());
                data.setLength(0);
                int n = event.at("/data/json/n").asInt(-1);
                if ("bench".equals(event.at("/data/json/type").asText()) && n >= 1_000) {
                    pushes.incrementAndGet();
                    seen.putIfAbsent(n, at);
                }
            }
        }
        return null;
    }

    private static double percentile(List<Double> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static String base() {
        return "http://localhost:" + ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
    }

    /** GetRecords calls on the stream since {@code start}: those answered, and those refused over Kinesis' 5 a second. */
    private double getRecordsCalls(String stream, Instant start) {
        return samples(stream, start, "GetRecords.Success") + samples(stream, start, "ReadProvisionedThroughputExceeded");
    }

    private double samples(String stream, Instant start, String metric) {
        return cloudWatch.getMetricStatistics(r -> r.namespace("AWS/Kinesis").metricName(metric)
                .dimensions(d -> d.name("StreamName").value(stream)).startTime(start.minusSeconds(120))
                .endTime(Instant.now().plusSeconds(120)).period(60).statistics(Statistic.SAMPLE_COUNT))
                .datapoints().stream().mapToDouble(d -> d.sampleCount()).sum();
    }
}
