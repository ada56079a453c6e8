package dev.clicklog.portal.observe;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.ConfigProvider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.clicklog.portal.pipeline.PipelineApi;
import dev.clicklog.testing.SignedIn;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** The observe API as tests drive it: READY pipelines, clicks through the invoke URL, walking the S3 folders. */
public final class ObservedPipelines {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static final Duration WAIT = Duration.ofSeconds(60);

    private ObservedPipelines() {
    }

    /** Runs REST calls from {@code @BeforeAll} or {@code @AfterAll}, where the REST client is not pointed at the app. */
    public static void outsideTest(Runnable calls) {
        int port = RestAssured.port;
        RestAssured.port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        SignedIn.install();
        try {
            calls.run();
        } finally {
            RestAssured.port = port;
        }
    }

    /**
     * Requests a pipeline (clicks flushed to S3 every second, unless the extra fields say otherwise)
     * and waits for READY; the request's extra fields are JSON members.
     */
    public static JsonPath ready(String prefix, String extraFields) {
        String name = PipelineApi.uniqueName(prefix);
        ObjectNode request = JSON.createObjectNode().put("name", name).put("team", "observers")
                .put("bufferIntervalSeconds", 1).put("bufferSizeMb", 1);
        try {
            request.setAll((ObjectNode) JSON.readTree("{" + extraFields + "}"));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON members: " + extraFields, e);
        }
        PipelineApi.create(request.toString());
        return PipelineApi.awaitStatus(name, "READY", WAIT);
    }

    /** PUTs one click to the pipeline's invoke URL, as a page on an allowed origin would. */
    public static void click(JsonPath pipeline, String json) {
        given().contentType(ContentType.JSON).header("Origin", "https://shop.example").body(json)
                .when().put(pipeline.getString("invokeUrl"))
                .then().log().ifValidationFails().statusCode(200);
    }

    public static JsonPath records(String name, String query) {
        return given().get("/api/pipelines/" + name + "/records" + query)
                .then().log().ifValidationFails().statusCode(200).extract().jsonPath();
    }

    public static JsonPath objects(String name, String query) {
        return given().get("/api/pipelines/" + name + "/objects" + query)
                .then().log().ifValidationFails().statusCode(200).extract().jsonPath();
    }

    public static JsonPath preview(String name, String key) {
        return given().queryParam("key", key).get("/api/pipelines/" + name + "/objects/preview")
                .then().log().ifValidationFails().statusCode(200).extract().jsonPath();
    }

    /** Every object key under the pipeline's prefix, found by walking the folders through the API. */
    public static List<String> allKeys(String name) {
        List<String> keys = new ArrayList<>();
        walk(name, "", keys);
        return keys;
    }

    private static void walk(String name, String prefix, List<String> keys) {
        String token = null;
        do {
            JsonPath page = given().queryParam("prefix", prefix).queryParam("continuationToken", token == null ? "" : token)
                    .get("/api/pipelines/" + name + "/objects")
                    .then().log().ifValidationFails().statusCode(200).extract().jsonPath();
            page.<Map<String, Object>>getList("objects").forEach(o -> keys.add((String) o.get("key")));
            for (Map<String, Object> folder : page.<Map<String, Object>>getList("folders")) {
                walk(name, (String) folder.get("prefix"), keys);
            }
            token = page.getString("nextContinuationToken");
        } while (token != null);
    }

    /** Waits until the pipeline's objects hold this many records (lines), and answers them, oldest object first. */
    public static List<Map<String, Object>> awaitObjectRecords(String name, int count) {
        List<Map<String, Object>> records = new ArrayList<>();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(() -> {
            records.clear();
            allKeys(name).stream().sorted().forEach(key -> records.addAll(preview(name, key).getList("records")));
            return records.size() >= count;
        });
        return records;
    }

    /** Deletes the pipeline and waits until it is gone, so its Firehose stops reading before the next test. */
    public static void delete(String name) {
        PipelineApi.delete(name);
        // Teardown waits for Firehose to deliver what it holds: up to a buffer interval after the last click.
        PipelineApi.awaitStatus(name, "DELETED", PipelineApi.TEARDOWN);
    }
}
