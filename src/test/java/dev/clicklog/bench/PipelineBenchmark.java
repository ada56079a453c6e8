package dev.clicklog.bench;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.clicklog.portal.pipeline.PipelineApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * How fast pipelines come up in local mode, with localaws' default activation delays: the time
 * from POST to READY for one pipeline at a time, and for 200 requested at once. Run with
 * {@code ./mvnw verify -Pbenchmark -Dtest=PipelineBenchmark}; the figures are printed.
 */
@QuarkusTest
@Tag("benchmark")
class PipelineBenchmark {

    private static final int SEQUENTIAL = 20;
    private static final int CONCURRENT = 200;

    @Test
    void postToReadyOneAtATime() {
        long cold = timeToReady();
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < SEQUENTIAL; i++) {
            millis.add(timeToReady());
        }
        List<Long> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        System.out.printf("%nPOST -> READY, one pipeline at a time: first after start-up %d ms; then %d runs: min %d ms, "
                + "median %d ms, max %d ms; all: %s%n%n", cold, SEQUENTIAL, sorted.get(0), sorted.get(sorted.size() / 2),
                sorted.get(sorted.size() - 1), millis);
    }

    /** Requests a pipeline, waits for READY, deletes it; returns the milliseconds from POST to READY. */
    private static long timeToReady() {
        String name = PipelineApi.uniqueName("bench");
        long start = System.nanoTime();
        PipelineApi.create("{\"name\":\"" + name + "\",\"team\":\"bench\"}");
        PipelineApi.awaitStatus(name, "READY");
        long millis = (System.nanoTime() - start) / 1_000_000;
        PipelineApi.deleteAndAwait(name);
        return millis;
    }

    @Test
    void twoHundredAtOnce() throws Exception {
        // A team of its own: the test database keeps earlier runs' pipelines.
        String team = PipelineApi.uniqueName("bench-many");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < CONCURRENT; i++) {
            names.add(PipelineApi.uniqueName("many"));
        }
        ExecutorService clients = Executors.newFixedThreadPool(16);
        long start = System.nanoTime();
        List<Future<?>> posts = new ArrayList<>();
        for (String name : names) {
            posts.add(clients.submit(() -> given().contentType(ContentType.JSON)
                    .body("{\"name\":\"" + name + "\",\"team\":\"" + team + "\"}")
                    .post("/api/pipelines").then().statusCode(201)));
        }
        for (Future<?> f : posts) {
            f.get();
        }
        long posted = System.nanoTime();
        // Polled once a second: listing 200 pipelines with their history costs CPU the pipelines need.
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(1))
                .until(() -> count(team, "READY") == CONCURRENT);
        long ready = System.nanoTime();
        System.out.printf("%n%d pipelines requested at once: all POSTs answered in %d ms, all READY after %d ms%n",
                CONCURRENT, (posted - start) / 1_000_000, (ready - start) / 1_000_000);

        long deleteStart = System.nanoTime();
        List<Future<?>> deletes = new ArrayList<>();
        for (String name : names) {
            deletes.add(clients.submit(() -> given().delete("/api/pipelines/" + name).then().statusCode(202)));
        }
        for (Future<?> f : deletes) {
            f.get();
        }
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(1))
                .until(() -> count(team, "DELETED") == CONCURRENT);
        System.out.printf("... and all DELETED %d ms after the DELETEs began%n%n", (System.nanoTime() - deleteStart) / 1_000_000);
        clients.shutdown();
    }

    private static long count(String team, String status) {
        List<Map<String, Object>> all = given().get("/api/pipelines?includeDeleted=true&team=" + team)
                .then().statusCode(200).extract().jsonPath().getList("$");
        Map<Object, Long> byStatus = all.stream().collect(Collectors.groupingBy(p -> p.get("status"), Collectors.counting()));
        if (byStatus.containsKey("FAILED")) {
            throw new AssertionError("some pipelines FAILED: " + byStatus);
        }
        return byStatus.getOrDefault(status, 0L);
    }
}
