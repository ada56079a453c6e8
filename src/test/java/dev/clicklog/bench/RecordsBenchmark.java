package dev.clicklog.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.clicklog.portal.observe.ObservedPipelines;
import dev.clicklog.testing.SignedIn;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

/**
 * {@code GET /api/pipelines/{name}/records?limit=50} on 4-shard pipelines: the latency of one full
 * read of the stream (not served by the 1-second cache) as the stream grows from 1,000 to 1,000,000
 * records of ~200-byte JSON clicks, and with 20 viewers asking at once, non-stop.
 * <ul>
 * <li>A <b>live</b> stream: the million is put at 4,000 records/s — Kinesis' write limit for 4
 * shards, so the stream looks as it would on AWS — and clicks keep arriving (40/s) while it is
 * read; then read again 15 s after the clicks stopped.
 * <li>A <b>burst</b>: a million put as fast as localaws takes them (20 times what 4 shards accept
 * on AWS), read right after and 15 s later: the worst case for the search below a burst.
 * </ul>
 * A full read is forced by moving {@code since} one millisecond further back on each request, an
 * hour before the benchmark (so the answer is the same): the cache only serves a request whose
 * range a cached read covers. Requests go through the JDK's HTTP client, so the client's own cost
 * stays small next to the portal's.
 * <p>
 * Run: {@code ./mvnw verify -Pbenchmark -Dtest=RecordsBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 * (about 25 minutes; {@code -Drecords.streams=burst -Drecords.samples=30} for a shorter look at one stream).
 */
@QuarkusTest
@Tag("benchmark")
class RecordsBenchmark {

    private static final int SHARDS = 4;
    private static final int TOTAL = 1_000_000;
    private static final int BATCH = 500;
    /** Kinesis accepts 1,000 records/s per shard. */
    private static final int AWS_RATE = 1_000 * SHARDS;
    private static final int LIVE_RATE = 40;
    /** A p99 that is the second slowest, at one read a second (-Drecords.samples=N for other runs). */
    private static final int SAMPLES = Integer.getInteger("records.samples", 100);
    /** Which streams to read: live, burst or both (-Drecords.streams=burst). */
    private static final String STREAMS = System.getProperty("records.streams", "live,burst");
    private static final int WARM_UP = 5;
    private static final int VIEWERS = 20;
    private static final Duration VIEWING = Duration.ofSeconds(10);
    private static final Duration QUIET = Duration.ofSeconds(15);

    @Inject
    KinesisClient kinesis;

    @Inject
    ObjectMapper json;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final AtomicInteger sinceShift = new AtomicInteger();
    private final Instant sinceBase = Instant.now().minus(Duration.ofHours(1));
    private final List<String> report = new ArrayList<>();
    /** Reads of the last fullReads that stopped at their budget (calls or time) before finding 50 records. */
    private int incomplete;
    private URI base;

    @Test
    void latestRecordsDoNotDependOnTheStreamSize() throws Exception {
        base = URI.create("http://localhost:" + ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class));
        String settings = "\"shards\":" + SHARDS + ",\"bufferSizeMb\":64,\"bufferIntervalSeconds\":300";
        JsonPath live = ObservedPipelines.ready("bench-live", settings);
        JsonPath burst = ObservedPipelines.ready("bench-burst", settings);
        try {
            if (STREAMS.contains("live")) {
                liveStream(live.getString("name"), live.getString("resources.streamName"));
            }
            if (STREAMS.contains("burst")) {
                burstStream(burst.getString("name"), burst.getString("resources.streamName"));
            }
        } finally {
            ObservedPipelines.delete(live.getString("name"));
            ObservedPipelines.delete(burst.getString("name"));
        }
        System.out.println("\n=== RecordsBenchmark: GET /records?limit=50 on " + SHARDS + "-shard pipelines ===");
        report.forEach(System.out::println);
        System.out.println();
    }

    private void liveStream(String name, String stream) throws Exception {
        put(stream, 1_000, 0);
        report.add(line("live, 1,000 records", fullReads(name)));

        long started = System.nanoTime();
        put(stream, TOTAL - 1_000, AWS_RATE);
        report.add(String.format(Locale.ROOT, "live: put %,d more records at %,d records/s in %.0f s", TOTAL - 1_000,
                AWS_RATE, (System.nanoTime() - started) / 1e9));
        ScheduledExecutorService clicks = Executors.newSingleThreadScheduledExecutor();
        try {
            clicks.scheduleAtFixedRate(() -> put(stream, 1), 0, 1_000_000 / LIVE_RATE, TimeUnit.MICROSECONDS);
            report.add(line("live, 1,000,000 records, " + LIVE_RATE + " clicks/s arriving", fullReads(name)));
            report.addAll(viewers(name));
        } finally {
            clicks.shutdownNow();
        }
        awaitQuiet();
        report.add(line("live, 1,000,000 records, none for 15 s", fullReads(name)));
    }

    private void burstStream(String name, String stream) throws Exception {
        long started = System.nanoTime();
        put(stream, TOTAL, 0);
        double seconds = (System.nanoTime() - started) / 1e9;
        report.add(String.format(Locale.ROOT, "burst: put %,d records as fast as they go: %.1f s (%,.0f records/s)", TOTAL,
                seconds, TOTAL / seconds));
        report.add(line("burst, 1,000,000 records, just put", fullReads(name)));
        awaitQuiet();
        report.add(line("burst, 1,000,000 records, none for 15 s", fullReads(name)));
    }

    /**
     * SAMPLES requests a second apart, as a page refreshing, each a full read (see the class
     * comment). A second apart, each read finds the shards' pace free again: reads back to back
     * would measure the pace (4 GetRecords a second per shard), not the read.
     */
    private List<Long> fullReads(String name) throws Exception {
        List<Long> micros = new ArrayList<>();
        incomplete = 0;
        for (int i = 0; i < WARM_UP + SAMPLES; i++) {
            String since = sinceBase.minusMillis(sinceShift.incrementAndGet()).toString();
            long t = System.nanoTime();
            JsonNode answer = records(name, "&since=" + URLEncoder.encode(since, StandardCharsets.UTF_8));
            long elapsed = (System.nanoTime() - t) / 1_000;
            if (answer.get("complete").asBoolean()) {
                Assertions.assertEquals(50, answer.get("records").size(), answer.toString());
            } else if (i >= WARM_UP) {
                incomplete++;
            }
            if (i >= WARM_UP) {
                micros.add(elapsed);
            }
            Pacing.awaitNanoTime(t + TimeUnit.SECONDS.toNanos(1)); // the next refresh, a second after this one began
        }
        return micros;
    }

    /** VIEWERS threads asking non-stop for VIEWING; the cache shares reads between them. */
    private List<String> viewers(String name) throws Exception {
        List<Long> micros = Collections.synchronizedList(new ArrayList<>());
        Set<String> reads = ConcurrentHashMap.newKeySet();
        AtomicInteger incompleteAnswers = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(VIEWERS);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int v = 0; v < VIEWERS; v++) {
                running.add(pool.submit(() -> {
                    go.await();
                    long end = System.nanoTime() + VIEWING.toNanos();
                    while (System.nanoTime() < end) {
                        long t = System.nanoTime();
                        JsonNode answer = records(name, "");
                        micros.add((System.nanoTime() - t) / 1_000);
                        reads.add(answer.get("readAt").asText());
                        if (!answer.get("complete").asBoolean()) {
                            incompleteAnswers.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : running) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        incomplete = incompleteAnswers.get();
        return List.of(line("live, " + VIEWERS + " viewers at once for " + VIEWING.toSeconds() + " s", micros),
                String.format(Locale.ROOT, "    %,d answers from %d reads of the stream (%.1f reads/s)", micros.size(),
                        reads.size(), reads.size() / (double) VIEWING.toSeconds()));
    }

    private JsonNode records(String name, String query) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(base.resolve("/api/pipelines/" + name
                + "/records?limit=50" + query)).header("Authorization", SignedIn.basicHeader(SignedIn.ADMIN,
                        SignedIn.ADMIN_PASSWORD)).build(), HttpResponse.BodyHandlers.ofByteArray());
        Assertions.assertEquals(200, response.statusCode(), () -> new String(response.body(), StandardCharsets.UTF_8));
        return json.readTree(response.body());
    }

    /** Puts {@code count} clicks in batches from 4 threads; at most {@code perSecond} a second unless 0. */
    private void put(String stream, int count, int perSecond) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        long started = System.nanoTime();
        try {
            List<Future<?>> puts = new ArrayList<>();
            for (int from = 0; from < count; from += BATCH) {
                int size = Math.min(BATCH, count - from);
                if (perSecond > 0) {
                    // Paced as a producer at Kinesis' write limit would be: this batch is due at from / perSecond.
                    long due = started + (long) (from * 1e9 / perSecond);
                    Awaitility.await().pollInterval(Duration.ofMillis(5)).atMost(Duration.ofSeconds(5))
                            .until(() -> System.nanoTime() >= due);
                }
                puts.add(pool.submit(() -> put(stream, size)));
            }
            for (Future<?> f : puts) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void put(String stream, int size) {
        List<PutRecordsRequestEntry> entries = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            String id = UUID.randomUUID().toString();
            entries.add(PutRecordsRequestEntry.builder().partitionKey(id).data(SdkBytes.fromUtf8String(click(id))).build());
        }
        Assertions.assertEquals(0, kinesis.putRecords(b -> b.streamName(stream).records(entries)).failedRecordCount());
    }

    /** Waits until the newest records are older than the first window read (10 s). */
    private static void awaitQuiet() {
        Awaitility.await().pollDelay(QUIET).atMost(QUIET.plusSeconds(5)).until(() -> true);
    }

    /** A click of about 200 bytes. */
    private static String click(String id) {
        return "{\"type\":\"click\",\"id\":\"" + id + "\",\"timestamp\":\"" + Instant.now()
                + "\",\"page\":\"/products/shoes/trail-runner-42\",\"referrer\":\"https://search.example/?q=trail+shoes\","
                + "\"viewport\":\"1280x800\"}";
    }

    private String line(String what, List<Long> micros) {
        List<Long> sorted = new ArrayList<>(micros);
        Collections.sort(sorted);
        return String.format(Locale.ROOT, "%-52s n=%5d  p50 %7.1f ms  p95 %7.1f ms  p99 %7.1f ms  max %7.1f ms  incomplete %d",
                what, sorted.size(), pct(sorted, 50), pct(sorted, 95), pct(sorted, 99), sorted.get(sorted.size() - 1) / 1000.0,
                incomplete);
    }

    private static double pct(List<Long> sorted, int p) {
        int index = Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1);
        return sorted.get(Math.max(0, index)) / 1000.0;
    }
}
