package dev.clicklog.bench;

import static io.restassured.RestAssured.given;

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
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.clicklog.observe.ObservedPipelines;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

/**
 * {@code GET /api/pipelines/{name}/records?limit=50} on a 4-shard pipeline: the latency of one
 * full read (no cache) with 1,000 records in the stream and with 1,000,000 (~200-byte JSON clicks
 * put with PutRecords), right after they were put and once they are older than the first window
 * read; then 20 viewers asking at once, non-stop, for 10 seconds.
 * <p>
 * A full read is measured by moving {@code since} one millisecond further back on each request
 * (an hour before the benchmark, so it changes nothing in the answer): the 1-second cache only
 * serves a request whose range the cached read covers, so each request reads the stream.
 * <p>
 * Run: {@code ./mvnw verify -Pbenchmark -Dtest=RecordsBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 */
@QuarkusTest
@Tag("benchmark")
class RecordsBenchmark {

    private static final int SHARDS = 4;
    private static final int TOTAL = 1_000_000;
    private static final int BATCH = 500;
    private static final int PUT_THREADS = 4;
    private static final int SAMPLES = 30;
    private static final int VIEWERS = 20;
    private static final Duration VIEWING = Duration.ofSeconds(10);

    static {
        // The JDK keeps only 5 idle connections per host by default; the client threads need more.
        System.setProperty("http.maxConnections", "32");
    }

    @Inject
    KinesisClient kinesis;

    private final AtomicInteger sinceShift = new AtomicInteger();
    private Instant sinceBase;

    @Test
    void latestRecordsDoNotDependOnTheStreamSize() throws Exception {
        JsonPath pipeline = ObservedPipelines.ready("bench-records",
                "\"shards\":" + SHARDS + ",\"bufferSizeMb\":64,\"bufferIntervalSeconds\":300");
        String name = pipeline.getString("name");
        String stream = pipeline.getString("resources.streamName");
        sinceBase = Instant.now().minus(Duration.ofHours(1));
        List<String> report = new ArrayList<>();
        try {
            put(stream, 1_000);
            report.add(line("1,000 records, full reads", fullReads(name)));

            long started = System.nanoTime();
            put(stream, TOTAL - 1_000);
            double seconds = (System.nanoTime() - started) / 1e9;
            report.add(String.format(Locale.ROOT, "put %,d records in %.1f s (%,.0f records/s)", TOTAL - 1_000, seconds,
                    (TOTAL - 1_000) / seconds));
            report.add(line("1,000,000 records, newest just put, full reads", fullReads(name)));

            // Once the newest record is older than the first window (10 s), every read has to widen into the million.
            Awaitility.await().pollDelay(Duration.ofSeconds(15)).atMost(Duration.ofSeconds(20)).until(() -> true);
            report.add(line("1,000,000 records, newest 15 s old, full reads", fullReads(name)));

            report.addAll(viewers(name));
        } finally {
            ObservedPipelines.delete(name);
        }
        System.out.println("\n=== RecordsBenchmark: /records?limit=50 on a " + SHARDS + "-shard pipeline ===");
        report.forEach(System.out::println);
        System.out.println();
    }

    /** SAMPLES requests, one after the other, each reading the stream (see the class comment). */
    private List<Long> fullReads(String name) {
        List<Long> micros = new ArrayList<>();
        for (int i = 0; i < SAMPLES + 3; i++) {
            String since = sinceBase.minusMillis(sinceShift.incrementAndGet()).toString();
            long t = System.nanoTime();
            JsonPath answer = given().queryParam("limit", 50).queryParam("since", since)
                    .get("/api/pipelines/" + name + "/records").then().statusCode(200).extract().jsonPath();
            long elapsed = (System.nanoTime() - t) / 1_000;
            Assertions.assertEquals(50, answer.getList("records").size());
            Assertions.assertTrue(answer.getBoolean("complete"));
            if (i >= 3) {
                micros.add(elapsed);
            }
        }
        return micros;
    }

    /** VIEWERS threads asking non-stop for VIEWING; the cache shares reads between them. */
    private List<String> viewers(String name) throws Exception {
        List<Long> micros = Collections.synchronizedList(new ArrayList<>());
        Set<String> reads = ConcurrentHashMap.newKeySet();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(VIEWERS);
        long end = System.nanoTime() + VIEWING.toNanos();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int v = 0; v < VIEWERS; v++) {
                running.add(pool.submit(() -> {
                    go.await();
                    while (System.nanoTime() < end) {
                        long t = System.nanoTime();
                        JsonPath answer = given().queryParam("limit", 50).get("/api/pipelines/" + name + "/records")
                                .then().statusCode(200).extract().jsonPath();
                        micros.add((System.nanoTime() - t) / 1_000);
                        reads.add(answer.getString("readAt"));
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
        return List.of(line(VIEWERS + " concurrent viewers for " + VIEWING.toSeconds() + " s", micros),
                String.format(Locale.ROOT, "    %,d requests answered by %d reads of the stream (%.1f reads/s)",
                        micros.size(), reads.size(), reads.size() / (double) VIEWING.toSeconds()));
    }

    private void put(String stream, int count) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(PUT_THREADS);
        try {
            List<Future<?>> puts = new ArrayList<>();
            for (int from = 0; from < count; from += BATCH) {
                int size = Math.min(BATCH, count - from);
                puts.add(pool.submit(() -> {
                    List<PutRecordsRequestEntry> entries = new ArrayList<>(size);
                    for (int i = 0; i < size; i++) {
                        String id = UUID.randomUUID().toString();
                        entries.add(PutRecordsRequestEntry.builder().partitionKey(id).data(SdkBytes.fromUtf8String(click(id)))
                                .build());
                    }
                    int failed = kinesis.putRecords(b -> b.streamName(stream).records(entries)).failedRecordCount();
                    Assertions.assertEquals(0, failed);
                }));
            }
            for (Future<?> f : puts) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** A click of about 200 bytes. */
    private static String click(String id) {
        return "{\"type\":\"click\",\"id\":\"" + id + "\",\"timestamp\":\"" + Instant.now()
                + "\",\"page\":\"/products/shoes/trail-runner-42\",\"referrer\":\"https://search.example/?q=trail+shoes\","
                + "\"viewport\":\"1280x800\"}";
    }

    private static String line(String what, List<Long> micros) {
        List<Long> sorted = new ArrayList<>(micros);
        Collections.sort(sorted);
        return String.format(Locale.ROOT, "%-48s n=%5d  p50 %7.1f ms  p95 %7.1f ms  p99 %7.1f ms  max %7.1f ms", what,
                sorted.size(), pct(sorted, 50), pct(sorted, 95), pct(sorted, 99), sorted.get(sorted.size() - 1) / 1000.0);
    }

    private static double pct(List<Long> sorted, int p) {
        int index = Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1);
        return sorted.get(Math.max(0, index)) / 1000.0;
    }
}
