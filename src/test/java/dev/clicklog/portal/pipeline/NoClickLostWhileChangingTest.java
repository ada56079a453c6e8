package dev.clicklog.portal.pipeline;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import dev.clicklog.testing.ClickSender;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A client sends numbered clicks to the invoke URL without pause while the pipeline is resharded
 * 1 → 2 → 4 → 2, its allowed origins change, its buffering changes and it starts requiring an API
 * key (which the client then sends): every click the gateway accepted is in S3 once, none missing,
 * none twice (counted by id in the objects, read through the SDK); the only refusals are the
 * gateway's own, of clicks without the key once it is required.
 */
@QuarkusTest
class NoClickLostWhileChangingTest {

    private static final Logger LOG = Logger.getLogger(NoClickLostWhileChangingTest.class);

    @Inject
    S3Client s3;
    @Inject
    KinesisClient kinesis;

    @Test
    void everyAcceptedClickReachesS3ExactlyOnceThroughReshardsAndChangesOfOriginsBufferingAndKey() throws Exception {
        String name = PipelineApi.uniqueName("noloss");
        PipelineApi.create("{\"name\":\"" + name + "\",\"team\":\"t\",\"bufferSizeMb\":1,\"bufferIntervalSeconds\":1}");
        JsonPath ready = PipelineApi.awaitStatus(name, "READY");
        String url = ready.getString("invokeUrl");
        String bucket = ready.getString("resources.bucket");
        String stream = ready.getString("resources.streamName");

        ClickSender client = ClickSender.start(url, "https://shop.example");
        try {
            long generation = 1;
            for (String patch : List.of("{\"shards\":2}", "{\"shards\":4}", "{\"shards\":2}",
                    "{\"allowedOrigins\":[\"https://shop.example\",\"https://www.shop.example\"]}",
                    "{\"bufferSizeMb\":2,\"bufferIntervalSeconds\":2}", "{\"apiKeyRequired\":true}")) {
                client.awaitAccepted(20);
                PipelineChangeTest.patch(name, patch, null).then().statusCode(200);
                JsonPath applied = PipelineChangeTest.awaitApplied(name, ++generation);
                if (applied.getBoolean("apiKeyRequired")) {
                    String key = given().get("/api/pipelines/" + name + "/api-key").then().statusCode(200)
                            .extract().path("apiKey");
                    assertNotNull(key, applied.prettify());
                    client.useKey(key);
                }
            }
            client.awaitAccepted(20);
        } finally {
            client.close();
        }
        // Read once the last click was answered: every click sent is counted, accepted or refused.
        Set<Integer> accepted = client.accepted();
        Map<Integer, Integer> refused = client.refused();
        assertEquals(2, kinesis.describeStreamSummary(r -> r.streamName(stream)).streamDescriptionSummary()
                .openShardCount());
        assertTrue(kinesis.listShards(r -> r.streamName(stream)).shards().size() > 2, "the reshards closed shards");
        assertTrue(accepted.size() > 100, "clicks were sent throughout: " + accepted.size() + " accepted, " + refused
                + " refused");
        assertTrue(Set.of(403).containsAll(refused.keySet()),
                "refused only for the missing key, by the gateway's own rule: " + refused);

        Map<Integer, Integer> inS3 = new HashMap<>();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            inS3.clear();
            inS3.putAll(ClickSender.idsInS3(s3, bucket, "clicks/"));
            return inS3.keySet().containsAll(accepted);
        });
        List<Integer> missing = new ArrayList<>(accepted);
        missing.removeAll(inS3.keySet());
        List<Integer> unaccepted = new ArrayList<>(inS3.keySet());
        unaccepted.removeAll(accepted);
        List<Integer> twice = inS3.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
        LOG.infof("clicks through 6 changes: %d accepted, refused by status %s, %d missing from S3, %d in S3 twice",
                accepted.size(), refused, missing.size(), twice.size());
        assertEquals(List.of(), missing, "accepted clicks missing from S3");
        assertEquals(List.of(), twice, "clicks in S3 more than once");
        assertEquals(List.of(), unaccepted, "clicks in S3 the gateway did not accept");
        PipelineApi.deleteAndAwait(name);
    }
}
