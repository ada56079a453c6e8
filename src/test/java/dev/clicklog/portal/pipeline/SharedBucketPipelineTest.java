package dev.clicklog.portal.pipeline;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The portal with one shared bucket, against the running app: a pipeline whose prefix already holds
 * objects it did not write is refused at creation, leaving them as they are; a purge deletes only
 * what the pipeline's delivery stream wrote under its prefix, every other object staying.
 */
@QuarkusTest
@TestProfile(SharedBucketPipelineTest.SharedBucket.class)
class SharedBucketPipelineTest {

    static final String BUCKET = "clicklog-shared-day-two";

    /** Every pipeline under its own prefix of one bucket. */
    public static class SharedBucket implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("clicklog.pipelines.shared-bucket", BUCKET);
        }
    }

    @Inject
    S3Client s3;

    @Test
    void aPrefixHoldingObjectsThePipelineDidNotWriteIsRefused() {
        ensureBucket();
        String name = PipelineApi.uniqueName("shared-taken");
        String finance = name + "/clicks/reports/2026-q1.csv";
        s3.putObject(r -> r.bucket(BUCKET).key(finance), RequestBody.fromString("revenue"));
        Map<String, String> before = objects(name + "/");

        PipelineApi.create("{\"name\":\"" + name + "\",\"team\":\"t\"}");
        JsonPath failed = PipelineApi.awaitStatus(name, "FAILED");
        String error = String.valueOf(PipelineApi.step(failed, "BUCKET").get("lastError"));
        assertTrue(error.startsWith("PrefixInUse: s3://" + BUCKET + "/" + name + "/clicks/ already holds objects this "
                + "pipeline did not write, e.g. " + finance), error);
        assertEquals(before, objects(name + "/"), "nothing under the prefix was touched");
        given().delete("/api/pipelines/" + name + "?purge=true").then().statusCode(202);
        PipelineApi.awaitStatus(name, "DELETED", PipelineApi.TEARDOWN);
        assertEquals(before, objects(name + "/"), "not even by a purge");
        s3.deleteObject(r -> r.bucket(BUCKET).key(finance));
    }

    @Test
    void aPurgeDeletesOnlyWhatItsDeliveryStreamWrote() {
        ensureBucket();
        String name = PipelineApi.uniqueName("shared-purge");
        PipelineApi.create("{\"name\":\"" + name + "\",\"team\":\"t\",\"bufferIntervalSeconds\":1}");
        JsonPath ready = PipelineApi.awaitStatus(name, "READY");
        assertEquals(BUCKET, ready.getString("resources.bucket"));
        assertEquals(name + "/clicks/", ready.getString("resources.prefix"));
        given().contentType(ContentType.JSON).body("{\"shared\":1}").when().put(ready.getString("invokeUrl"))
                .then().statusCode(200);
        await().atMost(Duration.ofMinutes(1)).until(() -> objects(name + "/clicks/year=").size() == 1);
        // Objects the pipeline did not write: under its prefix, next to its clicks, and elsewhere.
        List<String> foreign = List.of(name + "/clicks/notes.txt",
                objects(name + "/clicks/year=").keySet().iterator().next().replaceAll("[^/]+$", "manual-upload.json"),
                name + "/errors/readme", "someone-else/clicks/x");
        foreign.forEach(k -> s3.putObject(r -> r.bucket(BUCKET).key(k), RequestBody.fromString("not the pipeline's")));

        PipelineApi.deleteAndAwait(name);
        assertEquals(1, objects(name + "/clicks/year=").keySet().stream().filter(k -> k.contains("/clicklog-")).count(),
                "a delete keeps the clicks");
        given().delete("/api/pipelines/" + name + "?purge=true").then().statusCode(202);
        JsonPath purged = PipelineApi.awaitStatus(name, "DELETED", PipelineApi.TEARDOWN);
        assertEquals("PURGED", purged.getString("clicks"));
        List<String> left = List.copyOf(new TreeMap<>(objects("")).keySet()).stream()
                .filter(k -> k.startsWith(name + "/") || k.equals("someone-else/clicks/x")).toList();
        assertEquals(foreign.stream().sorted().toList(), left, "every object it did not write is left");
        assertFalse(left.stream().anyMatch(k -> k.contains("/clicklog-" + name + "-")));
        s3.headBucket(r -> r.bucket(BUCKET));
        foreign.forEach(k -> s3.deleteObject(r -> r.bucket(BUCKET).key(k)));
    }

    private void ensureBucket() {
        try {
            s3.headBucket(r -> r.bucket(BUCKET));
        } catch (NoSuchBucketException e) {
            s3.createBucket(r -> r.bucket(BUCKET));
        }
    }

    /** Key → ETag of every object under the prefix. */
    private Map<String, String> objects(String prefix) {
        Map<String, String> objects = new TreeMap<>();
        for (S3Object o : s3.listObjectsV2Paginator(r -> r.bucket(BUCKET).prefix(prefix)).contents()) {
            objects.put(o.key(), o.eTag());
        }
        return objects;
    }
}
