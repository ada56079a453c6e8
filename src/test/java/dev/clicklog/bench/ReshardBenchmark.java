package dev.clicklog.bench;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.clicklog.testing.ClickSender;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Changing a pipeline's shards while a client sends clicks without pause: how long each change
 * takes from the PATCH until the pipeline is READY at the new generation, how many clicks were
 * accepted meanwhile, and — the target — how many accepted clicks are missing from S3 or in it
 * twice afterwards (zero).
 *
 * <pre>./mvnw verify -Pbenchmark -Dtest=ReshardBenchmark -Dsurefire.failIfNoSpecifiedTests=false</pre>
 */
@QuarkusTest
@Tag("benchmark")
class ReshardBenchmark {

    /** The shard counts the pipeline goes through, from 1. */
    static final int[] SHARDS = { 2, 4, 8, 4, 2, 1 };

    @Inject
    S3Client s3;

    @Test
    void clicksSentThroughShardChanges() throws Exception {
        String name = "reshard-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType(ContentType.JSON).body("{\"name\":\"" + name + "\",\"team\":\"bench\",\"bufferIntervalSeconds\":1}")
                .post("/api/pipelines").then().statusCode(201);
        JsonPath ready = awaitReady(name, 1);
        String bucket = ready.getString("resources.bucket");

        List<String> lines = new ArrayList<>();
        long sendingFrom = System.nanoTime();
        ClickSender client = ClickSender.start(ready.getString("invokeUrl"), "https://bench.example");
        try {
            client.awaitAccepted(50);
            int from = 1;
            long generation = 1;
            for (int to : SHARDS) {
                int before = client.accepted().size();
                long start = System.nanoTime();
                given().contentType("application/merge-patch+json").body("{\"shards\":" + to + "}")
                        .patch("/api/pipelines/" + name).then().statusCode(200);
                awaitReady(name, ++generation);
                long millis = (System.nanoTime() - start) / 1_000_000;
                int during = client.accepted().size() - before;
                lines.add(String.format("  %d -> %d shards: READY after %,d ms, %d clicks accepted meanwhile (%.0f/s)",
                        from, to, millis, during, during * 1000.0 / Math.max(1, millis)));
                from = to;
            }
            client.awaitAccepted(50);
        } finally {
            client.close();
        }
        Set<Integer> accepted = client.accepted();
        Map<Integer, Integer> refused = client.refused();
        double seconds = (System.nanoTime() - sendingFrom) / 1e9;
        Map<Integer, Integer> inS3 = new HashMap<>();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            inS3.clear();
            inS3.putAll(ClickSender.idsInS3(s3, bucket, "clicks/"));
            return inS3.keySet().containsAll(accepted);
        });
        long missing = accepted.stream().filter(id -> !inS3.containsKey(id)).count();
        long twice = inS3.values().stream().filter(n -> n > 1).count();
        System.out.printf("%nShard changes while one client sends clicks without pause (%.0f s, %d accepted, refused %s):%n",
                seconds, accepted.size(), refused);
        lines.forEach(System.out::println);
        System.out.printf("  accepted clicks missing from S3: %d; in S3 more than once: %d%n%n", missing, twice);
        assertEquals(0, missing);
        assertEquals(0, twice);
        given().delete("/api/pipelines/" + name + "?purge=true").then().statusCode(202);
    }

    private static JsonPath awaitReady(String name, long generation) {
        JsonPath[] last = new JsonPath[1];
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(() -> {
            last[0] = given().get("/api/pipelines/" + name).then().extract().jsonPath();
            return "READY".equals(last[0].getString("status")) && last[0].getLong("observedGeneration") == generation;
        });
        return last[0];
    }
}
