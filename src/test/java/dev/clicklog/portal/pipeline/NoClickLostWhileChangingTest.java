package dev.clicklog.portal.pipeline;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A client sends numbered clicks to the invoke URL without pause while the pipeline is resharded
 * 1 → 2 → 4 → 2 and its allowed origins change: every click the gateway accepted is in S3 once,
 * none missing, none twice (counted by id in the objects, read through the SDK).
 */
@QuarkusTest
class NoClickLostWhileChangingTest {

    private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");

    @Inject
    S3Client s3;
    @Inject
    KinesisClient kinesis;

    @Test
    void everyAcceptedClickReachesS3ExactlyOnceThroughReshardsAndAnOriginsChange() throws Exception {
        String name = PipelineApi.uniqueName("noloss");
        PipelineApi.create("{\"name\":\"" + name + "\",\"team\":\"t\",\"bufferSizeMb\":1,\"bufferIntervalSeconds\":1}");
        JsonPath ready = PipelineApi.awaitStatus(name, "READY");
        String url = ready.getString("invokeUrl");
        String bucket = ready.getString("resources.bucket");
        String stream = ready.getString("resources.streamName");

        Map<Integer, Integer> accepted = new ConcurrentHashMap<>();
        AtomicInteger refused = new AtomicInteger();
        AtomicBoolean sending = new AtomicBoolean(true);
        Thread client = new Thread(() -> {
            for (int id = 0; sending.get(); id++) {
                int status = given().contentType(ContentType.JSON).header("Origin", "https://shop.example")
                        .body("{\"id\":" + id + ",\"page\":\"/checkout\"}").when().put(url).statusCode();
                if (status == 200) {
                    accepted.put(id, status);
                } else {
                    refused.incrementAndGet();
                }
            }
        }, "click-sender");
        client.start();
        try {
            long generation = 1;
            for (String patch : List.of("{\"shards\":2}", "{\"shards\":4}", "{\"shards\":2}",
                    "{\"allowedOrigins\":[\"https://shop.example\",\"https://www.shop.example\"]}")) {
                int before = accepted.size();
                await().atMost(Duration.ofMinutes(1)).until(() -> accepted.size() > before + 20);
                PipelineChangeTest.patch(name, patch, null).then().statusCode(200);
                PipelineChangeTest.awaitApplied(name, ++generation);
            }
            int before = accepted.size();
            await().atMost(Duration.ofMinutes(1)).until(() -> accepted.size() > before + 20);
        } finally {
            sending.set(false);
            client.join();
        }
        assertEquals(2, kinesis.describeStreamSummary(r -> r.streamName(stream)).streamDescriptionSummary()
                .openShardCount());
        assertTrue(kinesis.listShards(r -> r.streamName(stream)).shards().size() > 2, "the reshards closed shards");
        assertTrue(accepted.size() > 100, "clicks were sent throughout: " + accepted.size() + " accepted, " + refused.get()
                + " refused");

        Map<Integer, Integer> inS3 = new HashMap<>();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            inS3.clear();
            inS3.putAll(idsInS3(bucket));
            return inS3.keySet().containsAll(accepted.keySet());
        });
        List<Integer> missing = new ArrayList<>(accepted.keySet());
        missing.removeAll(inS3.keySet());
        List<Integer> twice = inS3.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
        assertEquals(List.of(), missing, "accepted clicks missing from S3");
        assertEquals(List.of(), twice, "clicks in S3 more than once");
        PipelineApi.deleteAndAwait(name);
    }

    /** Every click id in the pipeline's objects, with how often it appears. */
    private Map<Integer, Integer> idsInS3(String bucket) {
        Map<Integer, Integer> ids = new HashMap<>();
        for (S3Object o : s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix("clicks/")).contents()) {
            String body = new String(s3.getObjectAsBytes(r -> r.bucket(bucket).key(o.key())).asByteArray(),
                    StandardCharsets.UTF_8);
            Matcher m = ID.matcher(body);
            while (m.find()) {
                ids.merge(Integer.parseInt(m.group(1)), 1, Integer::sum);
            }
        }
        return ids;
    }
}
