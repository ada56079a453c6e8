package dev.clicklog.portal.pipeline;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.clicklog.localaws.fault.FaultInjector;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.Stage;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamDescription;
import software.amazon.awssdk.services.firehose.model.ExtendedS3DestinationDescription;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.StreamDescriptionSummary;

/**
 * Changing a pipeline in place over the REST API: every changeable field goes PATCH → UPDATING →
 * READY, with the AWS resource read back through the SDK and the change in the history as a diff;
 * fields that cannot change are 400; a stale If-Match is 412; a change AWS refuses leaves the
 * pipeline FAILED with AWS's message, its resources as they were and still taking clicks.
 */
@QuarkusTest
class PipelineChangeTest {

    static final String MERGE_PATCH = "application/merge-patch+json";

    @Inject
    KinesisClient kinesis;
    @Inject
    FirehoseClient firehose;
    @Inject
    ApiGatewayClient apiGateway;
    @Inject
    FaultInjector faults;
    @Inject
    PipelinesConfig config;

    @AfterEach
    void clearFaults() {
        faults.clear();
    }

    /** PATCHes the pipeline (a JSON merge patch), expects 200 and UPDATING, and waits until the change is applied. */
    static JsonPath change(String name, String patch) {
        JsonPath updating = patch(name, patch, null).then().log().ifValidationFails().statusCode(200)
                .body("status", equalTo("UPDATING")).extract().jsonPath();
        return awaitApplied(name, updating.getLong("generation"));
    }

    static Response patch(String name, String patch, String ifMatch) {
        var request = given().contentType(MERGE_PATCH).body(patch);
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        return request.when().patch("/api/pipelines/" + name);
    }

    /** Waits until the pipeline is READY with this generation applied. */
    static JsonPath awaitApplied(String name, long generation) {
        JsonPath ready = PipelineApi.awaitStatus(name, "READY");
        assertEquals(generation, ready.getLong("observedGeneration"), ready.prettify());
        assertEquals(generation, ready.getLong("generation"));
        return ready;
    }

    /** The messages of the pipeline's CHANGE_REQUESTED events, oldest first. */
    static List<String> changeRequests(JsonPath view) {
        return view.<Map<String, Object>>getList("events").stream().filter(e -> "CHANGE_REQUESTED".equals(e.get("type")))
                .map(e -> (String) e.get("message")).toList();
    }

    @Test
    void theStreamReshardsSwitchesCapacityModeAndChangesRetentionInPlace() {
        String name = PipelineApi.uniqueName("chg-stream");
        PipelineApi.create("{\"name\":\"" + name + "\",\"team\":\"t\"}");
        JsonPath ready = PipelineApi.awaitStatus(name, "READY");
        String stream = ready.getString("resources.streamName");
        assertEquals(1, ready.getLong("generation"));

        JsonPath twoShards = change(name, "{\"shards\":2}");
        assertEquals(2, summary(stream).openShardCount());
        assertEquals(2, twoShards.getInt("shards"));
        assertEquals(List.of("generation 2 requested by admin: shards: 1 → 2"), changeRequests(twoShards));
        assertTrue(PipelineApi.messages(twoShards, "STREAM", "CHANGED").stream()
                .anyMatch(m -> m.contains("resharded stream " + stream + " from 1 to 2 shards")), twoShards.prettify());

        JsonPath retention = change(name, "{\"retentionHours\":48}");
        assertEquals(48, summary(stream).retentionPeriodHours());
        assertTrue(changeRequests(retention).contains("generation 3 requested by admin: retentionHours: 24 → 48"));
        change(name, "{\"retentionHours\":24}");
        assertEquals(24, summary(stream).retentionPeriodHours(), "retention decreases too");

        JsonPath onDemand = change(name, "{\"onDemand\":true}");
        assertEquals("ON_DEMAND", summary(stream).streamModeDetails().streamModeAsString());
        assertTrue(changeRequests(onDemand).contains("generation 5 requested by admin: shards: 2 → (none); onDemand: false → true"),
                changeRequests(onDemand).toString());
        JsonPath provisioned = change(name, "{\"onDemand\":false,\"shards\":1}");
        StreamDescriptionSummary back = summary(stream);
        assertEquals("PROVISIONED", back.streamModeDetails().streamModeAsString());
        assertEquals(1, back.openShardCount(), "an on-demand stream's shards are resharded to the count asked for");
        assertEquals(1, provisioned.getInt("shards"));
        PipelineApi.deleteAndAwait(name);
    }

    @Test
    void theDeliveryStreamChangesBufferingAndCompressionUnderItsNextVersion() {
        String name = PipelineApi.uniqueName("chg-delivery");
        PipelineApi.create("{\"name\":\"" + name + "\",\"team\":\"t\"}");
        String deliveryStream = PipelineApi.awaitStatus(name, "READY").getString("resources.deliveryStreamName");
        String version = describe(deliveryStream).versionId();

        JsonPath buffered = change(name, "{\"bufferSizeMb\":2,\"bufferIntervalSeconds\":5}");
        DeliveryStreamDescription d = describe(deliveryStream);
        ExtendedS3DestinationDescription s3 = d.destinations().get(0).extendedS3DestinationDescription();
        assertEquals(2, s3.bufferingHints().sizeInMBs());
        assertEquals(5, s3.bufferingHints().intervalInSeconds());
        assertNotEquals(version, d.versionId(), "UpdateDestination moves the version on");
        assertTrue(changeRequests(buffered).contains("generation 2 requested by admin: bufferSizeMb: 5 → 2; bufferIntervalSeconds: 60 → 5"),
                changeRequests(buffered).toString());

        JsonPath gzip = change(name, "{\"compression\":\"GZIP\"}");
        assertEquals("GZIP", describe(deliveryStream).destinations().get(0).extendedS3DestinationDescription()
                .compressionFormatAsString());
        assertTrue(changeRequests(gzip).contains("generation 3 requested by admin: compression: NONE → GZIP"));
        PipelineApi.deleteAndAwait(name);
    }

    @Test
    void theIngestApiChangesOriginsKeyAndThrottlingAndRedeploys() {
        String name = PipelineApi.uniqueName("chg-api");
        PipelineApi.create("{\"name\":\"" + name + "\",\"team\":\"t\",\"bufferIntervalSeconds\":1}");
        JsonPath ready = PipelineApi.awaitStatus(name, "READY");
        String url = ready.getString("invokeUrl");
        String apiId = ready.getString("resources.restApiId");
        String deployment = stage(apiId).deploymentId();

        JsonPath origins = change(name, "{\"allowedOrigins\":[\"https://shop.example\"]}");
        assertNotEquals(deployment, stage(apiId).deploymentId(), "the change is deployed to the stage");
        given().contentType(ContentType.JSON).header("Origin", "https://shop.example").body("{\"a\":1}").when().put(url)
                .then().statusCode(200).header("Access-Control-Allow-Origin", "https://shop.example");
        assertTrue(changeRequests(origins).contains("generation 2 requested by admin: allowedOrigins: [*] → [https://shop.example]"));

        JsonPath keyed = change(name, "{\"apiKeyRequired\":true}");
        // Never in the view: the team's members ask for it.
        assertNull(keyed.get("resources.apiKey"), keyed.prettify());
        String key = given().get("/api/pipelines/" + name + "/api-key").then().statusCode(200).extract().path("apiKey");
        assertNotNull(key);
        assertTrue(apiGateway.getMethod(r -> r.restApiId(apiId).resourceId(resourceId(apiId, "/clicks")).httpMethod("PUT"))
                .apiKeyRequired());
        String planId = keyed.getString("resources.usagePlanId");
        assertEquals(apiId, apiGateway.getUsagePlan(r -> r.usagePlanId(planId)).apiStages().get(0).apiId());
        given().contentType(ContentType.JSON).body("{\"a\":1}").when().put(url).then().statusCode(403);
        given().contentType(ContentType.JSON).header("x-api-key", key).body("{\"a\":1}").when().put(url).then().statusCode(200);

        JsonPath open = change(name, "{\"apiKeyRequired\":false}");
        given().get("/api/pipelines/" + name + "/api-key").then().statusCode(404);
        assertNull(open.getString("resources.apiKeyId"), "the key is gone");
        assertFalse(apiGateway.getUsagePlans(r -> r.limit(500)).items().stream().anyMatch(p -> p.id().equals(planId)),
                "the usage plan is deleted");
        assertFalse(apiGateway.getApiKeys(r -> r.nameQuery("clicklog-" + name)).items().stream()
                .anyMatch(k -> k.name().equals("clicklog-" + name)), "and the key");
        given().contentType(ContentType.JSON).body("{\"a\":1}").when().put(url).then().statusCode(200);

        JsonPath throttled = change(name, "{\"stageRateLimit\":100,\"stageBurstLimit\":200}");
        var settings = stage(apiId).methodSettings().get("*/*");
        assertEquals(100.0, settings.throttlingRateLimit());
        assertEquals(200, settings.throttlingBurstLimit());
        assertTrue(changeRequests(throttled).contains("generation 5 requested by admin: stageRateLimit: (none) → 100; stageBurstLimit: (none) → 200"),
                changeRequests(throttled).toString());
        JsonPath defaults = change(name, "{\"stageRateLimit\":null,\"stageBurstLimit\":null}");
        assertEquals(config.stage().rateLimit(), stage(apiId).methodSettings().get("*/*").throttlingRateLimit(),
                "null is the portal's default again");
        assertFalse(defaults.getBoolean("stageThrottleSet"));
        PipelineApi.deleteAndAwait(name);
    }

    @Test
    void descriptionAndExpectedRateChangeTheSpecOnly() {
        String name = PipelineApi.uniqueName("chg-desc");
        PipelineApi.create("{\"name\":\"" + name + "\",\"team\":\"t\"}");
        PipelineApi.awaitStatus(name, "READY");
        JsonPath described = change(name, "{\"description\":\"checkout funnel\",\"expectedClicksPerSecond\":12.5}");
        assertEquals("checkout funnel", described.getString("description"));
        assertEquals(12.5, described.getDouble("expectedClicksPerSecond"));
        assertTrue(changeRequests(described).contains(
                "generation 2 requested by admin: description: (none) → \"checkout funnel\"; expectedClicksPerSecond: (none) → 12.5"));
        given().get("/api/pipelines/" + name + "/cost").then().statusCode(200).body("basis", equalTo("expected"))
                .body("clicksPerSecond", equalTo(12.5f));

        // A patch that changes nothing records nothing.
        patch(name, "{\"description\":\"checkout funnel\"}", null).then().statusCode(200).body("generation", equalTo(2));
        PipelineApi.deleteAndAwait(name);
    }

    @Test
    void fieldsThatCannotChangeAre400NamingThemAndNothingChanges() {
        String name = PipelineApi.uniqueName("chg-fixed");
        PipelineApi.create("{\"name\":\"" + name + "\",\"team\":\"t\"}");
        PipelineApi.awaitStatus(name, "READY");
        for (String field : List.of("name", "team", "s3Prefix")) {
            String value = field.equals("s3Prefix") ? "other/" : "other";
            patch(name, "{\"" + field + "\":\"" + value + "\",\"shards\":2}", null).then().statusCode(400)
                    .body("violations.field", equalTo(List.of(field)))
                    .body("violations[0].rule", containsString("cannot be changed"));
        }
        patch(name, "{\"team\":null}", null).then().statusCode(400).body("violations.field", equalTo(List.of("team")));
        // The same rules as a new pipeline, in the same shape.
        patch(name, "{\"shards\":0,\"compression\":\"ZIP\",\"bogus\":1}", null).then().statusCode(400)
                .body("violations.field", equalTo(List.of("shards", "compression", "bogus")));
        patch(name, "[1]", null).then().statusCode(400).body("violations.field", equalTo(List.of("(body)")));
        JsonPath unchanged = PipelineApi.get(name);
        assertEquals(1, unchanged.getLong("generation"));
        assertEquals("READY", unchanged.getString("status"));
        // application/json is a merge patch too
        given().contentType(ContentType.JSON).body("{\"description\":\"json\"}").when().patch("/api/pipelines/" + name)
                .then().statusCode(200).body("description", equalTo("json"));
        PipelineApi.deleteAndAwait(name);
    }

    @Test
    void aStaleIfMatchIs412AndTheCurrentOneApplies() {
        String name = PipelineApi.uniqueName("chg-etag");
        PipelineApi.create("{\"name\":\"" + name + "\",\"team\":\"t\"}");
        PipelineApi.awaitStatus(name, "READY");
        String first = given().get("/api/pipelines/" + name).then().statusCode(200).extract().header("ETag");
        assertNotNull(first);

        String second = patch(name, "{\"description\":\"one\"}", first).then().statusCode(200).extract().header("ETag");
        assertNotEquals(first, second);
        patch(name, "{\"description\":\"two\"}", first).then().statusCode(412)
                .body("error", equalTo("Precondition Failed")).body("message", containsString("has changed"));
        assertEquals("one", PipelineApi.get(name).getString("description"), "the stale change overwrote nothing");
        patch(name, "{\"description\":\"two\"}", second).then().statusCode(200).body("description", equalTo("two"));
        patch(name, "{\"description\":\"three\"}", "*").then().statusCode(200);
        given().header("If-Match", first).delete("/api/pipelines/" + name).then().statusCode(412);
        PipelineApi.deleteAndAwait(name);
    }

    @Test
    void aChangeAwsRefusesFailsWithItsMessageWhileThePipelineKeepsTakingClicks() {
        String name = PipelineApi.uniqueName("chg-refused");
        PipelineApi.create("{\"name\":\"" + name + "\",\"team\":\"t\",\"bufferIntervalSeconds\":1}");
        JsonPath ready = PipelineApi.awaitStatus(name, "READY");
        String url = ready.getString("invokeUrl");
        String stream = ready.getString("resources.streamName");
        faults.failAlways("kinesis", "UpdateShardCount", 400, "InvalidArgumentException",
                "UpdateShardCount is not allowed for this stream right now.");

        patch(name, "{\"shards\":2}", null).then().statusCode(200).body("status", equalTo("UPDATING"));
        JsonPath failed = PipelineApi.awaitStatus(name, "FAILED");
        assertTrue(PipelineApi.step(failed, "STREAM").get("lastError").toString().contains(
                "InvalidArgumentException: UpdateShardCount is not allowed for this stream right now."), failed.prettify());
        assertEquals(1, failed.getLong("observedGeneration"), "generation 2 was not applied");
        assertEquals(1, summary(stream).openShardCount(), "the stream is as it was");
        // The old resources keep working: a click is taken and reaches the stream.
        given().contentType(ContentType.JSON).body("{\"while\":\"failed\"}").when().put(url).then().statusCode(200);
        given().get("/pipelines/" + name).then().statusCode(200).body(containsString("Applying a change stopped"));

        faults.clear();
        given().post("/api/pipelines/" + name + "/retry").then().statusCode(202).body("status", equalTo("UPDATING"));
        awaitApplied(name, 2);
        assertEquals(2, summary(stream).openShardCount());
        assertTrue(PipelineApi.get(name).<String>getList("events.type").contains("RETRY_REQUESTED"));
        PipelineApi.deleteAndAwait(name);
    }

    @Test
    void aDeletedPipelineCannotBeChanged() {
        String name = PipelineApi.uniqueName("chg-gone");
        PipelineApi.create("{\"name\":\"" + name + "\",\"team\":\"t\"}");
        PipelineApi.awaitStatus(name, "READY");
        PipelineApi.deleteAndAwait(name);
        patch(name, "{\"shards\":2}", null).then().statusCode(409).body("message", containsString("DELETED"));
        patch("no-such-pipeline", "{\"shards\":2}", null).then().statusCode(404);
        given().get("/api/pipelines?includeDeleted=true").then().body("name", hasItem(name));
    }

    private StreamDescriptionSummary summary(String stream) {
        return kinesis.describeStreamSummary(r -> r.streamName(stream)).streamDescriptionSummary();
    }

    private DeliveryStreamDescription describe(String deliveryStream) {
        return firehose.describeDeliveryStream(r -> r.deliveryStreamName(deliveryStream)).deliveryStreamDescription();
    }

    private Stage stage(String apiId) {
        var s = apiGateway.getStage(r -> r.restApiId(apiId).stageName("v1"));
        return Stage.builder().deploymentId(s.deploymentId()).methodSettings(s.methodSettings()).build();
    }

    private String resourceId(String apiId, String path) {
        return apiGateway.getResources(r -> r.restApiId(apiId)).items().stream().filter(x -> x.path().equals(path))
                .findFirst().orElseThrow().id();
    }

}
