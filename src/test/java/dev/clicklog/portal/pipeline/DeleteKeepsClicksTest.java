package dev.clicklog.portal.pipeline;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Deleting a pipeline keeps its clicks: the ingest API closes first, Firehose delivers what it holds
 * (a click accepted just before the DELETE is in S3 afterwards), the bucket and every object stay
 * and the deleted pipeline's page lists and previews them. A purge then deletes them; re-creating
 * the name adopts them for the same team and is refused (409) for another until they are purged.
 */
@QuarkusTest
class DeleteKeepsClicksTest {

    @Inject
    S3Client s3;

    @Test
    void clicksAcceptedJustBeforeTheDeleteAreKeptListedAndPurgedOnlyWhenAsked() {
        String name = PipelineApi.uniqueName("keep");
        // A buffer that holds clicks for a while: without the drain they would be lost with the delivery stream.
        PipelineApi.create("{\"name\":\"" + name + "\",\"team\":\"shop\",\"bufferIntervalSeconds\":30}");
        JsonPath ready = PipelineApi.awaitStatus(name, "READY");
        String url = ready.getString("invokeUrl");
        String bucket = ready.getString("resources.bucket");

        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String click = "{\"last\":" + i + "}";
            given().contentType(ContentType.JSON).body(click).when().put(url).then().statusCode(200);
            sent.add(click);
        }
        JsonPath deleting = PipelineApi.delete(name);
        assertEquals("DELETING", deleting.getString("status"));
        JsonPath deleted = PipelineApi.awaitStatus(name, "DELETED", PipelineApi.TEARDOWN);
        assertEquals("KEPT", deleted.getString("clicks"));
        List<String> events = deleted.getList("events.message");
        assertTrue(events.stream().anyMatch(m -> m != null && m.startsWith("draining")), events.toString());

        // The bucket and every click stay, listed through the SDK.
        s3.headBucket(r -> r.bucket(bucket));
        List<S3Object> kept = s3.listObjectsV2(r -> r.bucket(bucket)).contents();
        assertFalse(kept.isEmpty());
        String text = text(bucket, kept);
        for (String click : sent) {
            assertTrue(text.contains(click + "\n"), "accepted before the DELETE, in S3 after it: " + click);
        }
        // The deleted pipeline's page shows them.
        String key = kept.get(0).key();
        String file = key.substring(key.lastIndexOf('/') + 1);
        String folder = key.substring("clicks/".length(), key.lastIndexOf('/') + 1);
        given().get("/pipelines/" + name).then().statusCode(200).body(containsString("its clicks are kept"));
        given().queryParam("prefix", folder).get("/pipelines/" + name + "/objects").then().statusCode(200)
                .body(containsString(file));
        given().queryParam("key", key).get("/pipelines/" + name + "/objects/preview").then().statusCode(200)
                .body(containsString("last"));
        given().queryParam("prefix", folder).get("/api/pipelines/" + name + "/objects").then().statusCode(200)
                .body("objects.key", hasItem(key));

        // Another team cannot take the name while the clicks are kept.
        given().contentType(ContentType.JSON).body("{\"name\":\"" + name + "\",\"team\":\"other\"}")
                .post("/api/pipelines").then().statusCode(409).body("message", containsString("purge"));

        // The purge deletes them — on the page, once "purge <name>" is typed: the objects, then the emptied bucket.
        given().get("/pipelines/" + name + "/purge").then().statusCode(200).body(containsString("purge " + name));
        given().contentType(ContentType.URLENC).formParam("confirm", name).post("/pipelines/" + name + "/purge")
                .then().statusCode(400).body(containsString("Type purge " + name + " to confirm."));
        assertEquals("KEPT", PipelineApi.get(name).getString("clicks"), "nothing purged without the confirmation");
        given().redirects().follow(false).contentType(ContentType.URLENC).formParam("confirm", "purge " + name)
                .post("/pipelines/" + name + "/purge").then().statusCode(303);
        given().get("/api/pipelines/" + name).then().body("purge", equalTo(true));
        JsonPath purged = PipelineApi.awaitStatus(name, "DELETED", PipelineApi.TEARDOWN);
        assertEquals("PURGED", purged.getString("clicks"));
        PipelineLifecycleTest.assertGone(() -> s3.headBucket(r -> r.bucket(bucket)));
        // Now another team may use the name.
        PipelineApi.create("{\"name\":\"" + name + "\",\"team\":\"other\"}");
        PipelineApi.awaitStatus(name, "READY");
        PipelineApi.deleteAndAwait(name);
    }

    @Test
    void theSameTeamReCreatingTheNameAdoptsTheKeptClicks() {
        String name = PipelineApi.uniqueName("adopt");
        PipelineApi.create("{\"name\":\"" + name + "\",\"team\":\"shop\",\"bufferIntervalSeconds\":1}");
        JsonPath first = PipelineApi.awaitStatus(name, "READY");
        String bucket = first.getString("resources.bucket");
        given().contentType(ContentType.JSON).body("{\"before\":1}").when().put(first.getString("invokeUrl"))
                .then().statusCode(200);
        PipelineApi.deleteAndAwait(name);

        given().contentType(ContentType.JSON).body("{\"name\":\"" + name + "\",\"team\":\"shop\",\"s3Prefix\":\"elsewhere/\"}")
                .post("/api/pipelines").then().statusCode(409).body("message", containsString("s3Prefix"));
        JsonPath second = PipelineApi.create("{\"name\":\"" + name + "\",\"team\":\"shop\"}");
        assertEquals(first.getString("pipelineId"), second.getString("pipelineId"));
        JsonPath ready = PipelineApi.awaitStatus(name, "READY");
        assertEquals(bucket, ready.getString("resources.bucket"));
        assertTrue(text(bucket, s3.listObjectsV2(r -> r.bucket(bucket)).contents()).contains("{\"before\":1}\n"),
                "the clicks are where they were");
        assertTrue(ready.<String>getList("events.type").contains("ADOPTED"));
        JsonPath old = given().get("/api/pipelines?includeDeleted=true").then().extract().jsonPath();
        assertTrue(old.<String>getList("findAll { it.name == '" + name + "' }.clicks").contains("ADOPTED"));
        PipelineApi.delete(name);
        PipelineApi.awaitStatus(name, "DELETED", PipelineApi.TEARDOWN);
    }

    private String text(String bucket, List<S3Object> objects) {
        StringBuilder text = new StringBuilder();
        for (S3Object o : objects) {
            text.append(new String(s3.getObjectAsBytes(r -> r.bucket(bucket).key(o.key())).asByteArray(),
                    StandardCharsets.UTF_8));
        }
        return text.toString();
    }
}
