package dev.clicklog.portal.pipeline;

import dev.clicklog.portal.pipeline.step.BucketStepTest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.clicklog.localaws.fault.FaultInjector;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.Op;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * Checks of READY pipelines (the periodic resync, and the one at start-up): the pipeline stays READY
 * and observable while its resources are checked, only repairs and failures enter its history, a
 * failing check surfaces without failing a working pipeline, and the history stays bounded.
 */
@QuarkusTest
class PipelineChecksTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    FaultInjector faults;
    @Inject
    KinesisClient kinesis;
    @Inject
    IamClient iam;
    @Inject
    S3Client s3;
    @Inject
    ApiGatewayClient apiGateway;
    @Inject
    PipelinesConfig config;

    @AfterEach
    void clearFaults() {
        faults.clear();
    }

    @Test
    void aCheckThatFindsEverythingInPlaceLeavesNoTrace() {
        String name = PipelineApi.uniqueName("calm");
        JsonPath ready = PipelineApi.createReady(name);
        assertTrue(ready.getString("lastCheckedAt") != null, "READY counts as checked");
        long events = ready.getLong("eventCount");

        for (int i = 0; i < 2; i++) {
            Instant before = Instant.now();
            PipelineChecks.checkNow(name);
            JsonPath checked = PipelineChecks.awaitCheckedAfter(name, before, Duration.ofSeconds(30));
            assertEquals("READY", checked.getString("status"));
            assertEquals(events, checked.getLong("eventCount"), "nothing repaired, nothing recorded: "
                    + checked.getList("events"));
            assertEquals(List.of("DONE", "DONE", "DONE", "DONE", "DONE", "DONE"), checked.getList("steps.state"));
        }
        PipelineApi.deleteAndAwait(name);
    }

    /**
     * Everything a team (or an accident) could change by hand is put back: a deleted stream, an extra
     * inline policy granting everything, another trust policy, public access allowed, another bucket
     * encryption, the stage's throttling. The pipeline stays READY and observable all along.
     */
    @Test
    void aCheckRepairsDriftWhileThePipelineStaysReady() throws Exception {
        String name = PipelineApi.uniqueName("repair");
        JsonPath ready = PipelineApi.createReady(name);
        String stream = "clicklog-" + name;
        String bucket = ready.getString("resources.bucket");
        String apiId = ready.getString("resources.restApiId");
        String deliveryRole = "clicklog-" + name + "-firehose";
        String apiRole = "clicklog-" + name + "-apigateway";
        long eventsBefore = ready.getLong("eventCount");

        kinesis.deleteStream(r -> r.streamName(stream));
        iam.putRolePolicy(r -> r.roleName(deliveryRole).policyName("admin").policyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}"));
        iam.putRolePolicy(r -> r.roleName(deliveryRole).policyName("more").policyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}"));
        iam.updateAssumeRolePolicy(r -> r.roleName(apiRole).policyDocument("{\"Version\":\"2012-10-17\",\"Statement\":"
                + "[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":\"sts:AssumeRole\"}]}"));
        s3.deletePublicAccessBlock(r -> r.bucket(bucket));
        s3.putBucketEncryption(r -> r.bucket(bucket).serverSideEncryptionConfiguration(c -> c.rules(rule -> rule
                .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AWS_KMS)
                        .kmsMasterKeyID("alias/someone-elses")))));
        apiGateway.updateStage(r -> r.restApiId(apiId).stageName("v1").patchOperations(p -> p.op(Op.REPLACE)
                .path("/*/*/throttling/rateLimit").value("1")));
        // The stream takes a while to come back: long enough to watch the pipeline during the check
        faults.overrideDelay("kinesis.stream-activation", Duration.ofMillis(1500));

        Instant before = Instant.now();
        PipelineChecks.checkNow(name);
        List<String> statuses = new ArrayList<>();
        AtomicBoolean observedWhileChecking = new AtomicBoolean();
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            JsonPath view = PipelineApi.get(name);
            statuses.add(view.getString("status"));
            if (view.getString("checkingSince") != null) {
                // observing needs READY: answered, not 409
                int code = given().get("/api/pipelines/" + name + "/objects").statusCode();
                assertEquals(200, code, "observing during a check");
                observedWhileChecking.set(true);
            }
            String checked = view.getString("lastCheckedAt");
            return view.getString("checkingSince") == null && checked != null && Instant.parse(checked).isAfter(before);
        });
        assertEquals(Set.of("READY"), Set.copyOf(statuses), "READY all along");
        assertTrue(observedWhileChecking.get(), "the check was seen under way");

        JsonPath checked = PipelineApi.get(name);
        // The stream is back, with everything a stream of the pipeline has
        var summary = kinesis.describeStreamSummary(r -> r.streamName(stream)).streamDescriptionSummary();
        assertEquals("ACTIVE", summary.streamStatusAsString());
        assertEquals("alias/aws/kinesis", summary.keyId());
        // Only the portal's own policy is left on the role, and the trust policy is the portal's again
        assertEquals(List.of("clicklog-delivery"), iam.listRolePolicies(r -> r.roleName(deliveryRole)).policyNames());
        String trust = URLDecoder.decode(iam.getRole(r -> r.roleName(apiRole)).role().assumeRolePolicyDocument(),
                StandardCharsets.UTF_8);
        assertEquals("apigateway.amazonaws.com", JSON.readTree(trust).at("/Statement/0/Principal/Service").asText());
        // The bucket is private and encrypted with S3-managed keys again
        BucketStepTest.assertPrivateWithS3ManagedKeys(s3, bucket);
        assertEquals(config.stage().rateLimit(), apiGateway.getStage(r -> r.restApiId(apiId).stageName("v1"))
                .methodSettings().get("*/*").throttlingRateLimit());

        // The history says what was repaired, and nothing else
        List<Map<String, Object>> added = checked.<Map<String, Object>>getList("events").stream()
                .filter(e -> ((Number) e.get("id")).longValue() > lastId(ready)).toList();
        assertEquals(Set.of("REPAIRED"), added.stream().map(e -> e.get("type")).collect(Collectors.toSet()), added.toString());
        assertEquals(eventsBefore + added.size(), checked.getLong("eventCount"));
        String roles = String.join("\n", PipelineApi.messages(checked, "ROLES", "REPAIRED"));
        assertTrue(roles.contains("restored the trust policy of role " + apiRole), roles);
        assertTrue(roles.contains("removed inline policies 'admin', 'more' from role " + deliveryRole), roles);
        // (encrypting the new stream is part of creating it again: not a repair of its own)
        assertEquals(List.of("repaired: created stream " + stream), PipelineApi.messages(checked, "STREAM", "REPAIRED"));
        String bucketRepairs = String.join("\n", PipelineApi.messages(checked, "BUCKET", "REPAIRED"));
        assertTrue(bucketRepairs.contains("blocked all public access to bucket " + bucket), bucketRepairs);
        assertTrue(bucketRepairs.contains("set the default encryption of bucket " + bucket
                + " to SSE-S3 (it was aws:kms:alias/someone-elses)"), bucketRepairs);
        assertEquals(List.of("repaired: set the throttling of stage v1 to " + (int) config.stage().rateLimit()
                + " requests per second, bursts of " + config.stage().burstLimit()),
                PipelineApi.messages(checked, "INGEST_API", "REPAIRED"));
        assertTrue(PipelineApi.messages(checked, "DELIVERY_STREAM", "REPAIRED").isEmpty());
        PipelineApi.deleteAndAwait(name);
    }

    /** The usage plan of a pipeline with an API key, and the gateway's CORS answers, drift and come back. */
    @Test
    void aCheckRepairsTheUsagePlanAndTheGatewayResponses() {
        String name = PipelineApi.uniqueName("plan");
        PipelineApi.create("{\"name\":\"" + name + "\",\"team\":\"growth\",\"apiKeyRequired\":true,"
                + "\"allowedOrigins\":[\"https://shop.example\"]}");
        JsonPath ready = PipelineApi.awaitStatus(name, "READY");
        String planId = ready.getString("resources.usagePlanId");
        String apiId = ready.getString("resources.restApiId");
        apiGateway.updateUsagePlan(r -> r.usagePlanId(planId).patchOperations(
                p -> p.op(Op.REPLACE).path("/throttle/rateLimit").value("1"),
                p -> p.op(Op.REPLACE).path("/quota/limit").value("10")));
        apiGateway.deleteGatewayResponse(r -> r.restApiId(apiId).responseType("DEFAULT_4XX"));
        apiGateway.createDeployment(r -> r.restApiId(apiId).stageName("v1"));
        String url = ready.getString("invokeUrl");
        given().header("Origin", "https://shop.example").contentType("application/json").body("{}").when().put(url)
                .then().statusCode(403).header("Access-Control-Allow-Origin", Matchers.nullValue());

        Instant before = Instant.now();
        PipelineChecks.checkNow(name);
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            String checked = PipelineApi.get(name).getString("lastCheckedAt");
            return checked != null && Instant.parse(checked).isAfter(before);
        });

        var plan = apiGateway.getUsagePlan(r -> r.usagePlanId(planId));
        assertEquals(config.usagePlan().rateLimit(), plan.throttle().rateLimit());
        assertEquals(config.usagePlan().quotaPerDay(), plan.quota().limit());
        given().header("Origin", "https://shop.example").contentType("application/json").body("{}").when().put(url)
                .then().statusCode(403).header("Access-Control-Allow-Origin", "https://shop.example");
        String repairs = String.join("\n", PipelineApi.messages(PipelineApi.get(name), "INGEST_API", "REPAIRED"));
        assertTrue(repairs.contains("set the CORS headers of gateway response DEFAULT_4XX"), repairs);
        assertTrue(repairs.contains("restored the stage, throttling and quota of usage plan"), repairs);
        assertEquals("READY", PipelineApi.get(name).getString("status"));
        PipelineApi.deleteAndAwait(name);
    }

    /** A check that cannot be done surfaces (the step's error, an event) but does not fail a working pipeline. */
    @Test
    void aFailingCheckLeavesThePipelineReadyAndChecksTheOtherSteps() {
        String name = PipelineApi.uniqueName("cantcheck");
        JsonPath ready = PipelineApi.createReady(name);
        String verified = ready.getString("lastCheckedAt");
        faults.failAlways("kinesis", "DescribeStreamSummary", 400, "AccessDeniedException",
                "User is not allowed to describe streams");

        Instant before = Instant.now();
        PipelineChecks.checkNow(name);
        JsonPath checked = PipelineChecks.awaitCheckedAfter(name, before, Duration.ofSeconds(30));
        faults.clear();
        assertEquals("READY", checked.getString("status"));
        Map<String, Object> stream = PipelineApi.step(checked, "STREAM");
        assertEquals("FAILED", stream.get("state"));
        assertEquals("AccessDeniedException: User is not allowed to describe streams", stream.get("lastError"));
        assertEquals(List.of("could not check the Kinesis data stream (2 attempts), the pipeline stays READY: "
                + "AccessDeniedException: User is not allowed to describe streams"),
                PipelineApi.messages(checked, "STREAM", "CHECK_FAILED"));
        for (String other : List.of("ROLES", "BUCKET", "DELIVERY_STREAM", "INGEST_API")) {
            assertEquals("DONE", PipelineApi.step(checked, other).get("state"), other + " is checked all the same");
        }
        assertTrue(Instant.parse(checked.getString("lastCheckedAt")).isAfter(Instant.parse(verified)));
        given().get("/api/pipelines/" + name + "/objects").then().statusCode(200);

        // The next check, with Kinesis answering again, finds everything in place
        Instant again = Instant.now();
        PipelineChecks.checkNow(name);
        JsonPath fine = PipelineChecks.awaitCheckedAfter(name, again, Duration.ofSeconds(30));
        assertEquals(List.of("DONE", "DONE", "DONE", "DONE", "DONE", "DONE"), fine.getList("steps.state"));
        PipelineApi.deleteAndAwait(name);
    }

    /** A resource that is gone and cannot be created again leaves a pipeline that does not work: FAILED, and retry repairs it. */
    @Test
    void aResourceThatCannotBeCreatedAgainFailsThePipeline() {
        String name = PipelineApi.uniqueName("cantrepair");
        PipelineApi.createReady(name);
        String stream = "clicklog-" + name;
        kinesis.deleteStream(r -> r.streamName(stream));
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(
                () -> PipelineLifecycleTest.assertGone(() -> kinesis.describeStreamSummary(r -> r.streamName(stream))));
        faults.failAlways("kinesis", "CreateStream", 400, "InvalidArgumentException", "Stream limit reached");

        PipelineChecks.checkNow(name);
        JsonPath failed = Awaitility.await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50)).until(() -> PipelineApi.get(name), v -> "FAILED".equals(v.getString("status")));
        assertEquals("FAILED", PipelineApi.step(failed, "STREAM").get("state"));
        assertEquals(List.of("failed after 2 attempts: InvalidArgumentException: Stream limit reached"),
                PipelineApi.messages(failed, "STREAM", "FAILED"));
        assertNull(failed.getString("checkingSince"));

        faults.clear();
        given().post("/api/pipelines/" + name + "/retry").then().statusCode(202);
        PipelineApi.awaitStatus(name, "READY");
        assertEquals("ACTIVE", kinesis.describeStreamSummary(r -> r.streamName(stream)).streamDescriptionSummary()
                .streamStatusAsString());
        PipelineApi.deleteAndAwait(name);
    }

    /**
     * A long history: the view carries its newest events and their total, the events endpoint pages
     * through all of it, and what is stored is pruned to the first event and the newest ones.
     */
    @Test
    void theHistoryIsBoundedInTheViewAndWhereItIsStored() {
        String name = PipelineApi.uniqueName("history");
        PipelineApi.createReady(name);
        int kept = config.history().kept();
        int shown = config.history().shown();
        long id = QuarkusTransaction.requiringNew().call(() -> Pipeline.findActive(name).orElseThrow().id);
        QuarkusTransaction.requiringNew().run(() -> {
            Pipeline p = Pipeline.findById(id);
            for (int i = 0; i < kept + 5; i++) {
                p.event(Instant.now(), null, EventType.RESYNC, "old check " + i);
            }
        });
        long total = PipelineApi.get(name).getLong("eventCount");
        assertTrue(total > kept + 5, "stored as written until the pipeline is worked on: " + total);

        // The view: the newest events only, oldest first, and how many there are
        JsonPath view = PipelineApi.get(name);
        List<Map<String, Object>> events = view.getList("events");
        assertEquals(shown, events.size());
        assertEquals("old check " + (kept + 4), events.get(events.size() - 1).get("message"));
        assertEquals(total, view.getLong("eventCount"));
        given().get("/api/pipelines?team=t").then().statusCode(200);
        JsonPath listed = given().get("/api/pipelines").then().statusCode(200).extract().jsonPath();
        assertEquals(shown, listed.getList("find { it.name == '" + name + "' }.events").size());

        // Paging through all of it, newest first
        List<Long> ids = new ArrayList<>();
        String before = null;
        do {
            JsonPath page = given().queryParam("limit", 250).queryParam("before", before == null ? "" : before)
                    .get("/api/pipelines/" + name + "/events").then().statusCode(200).extract().jsonPath();
            assertEquals(total, page.getLong("total"));
            page.getList("events.id", Long.class).forEach(ids::add);
            before = page.getString("nextBefore");
        } while (before != null);
        assertEquals(total, ids.size());
        for (int i = 1; i < ids.size(); i++) {
            assertTrue(ids.get(i) < ids.get(i - 1), "newest first");
        }
        given().get("/api/pipelines/" + name + "/events?limit=0").then().statusCode(400)
                .body("violations[0].field", Matchers.equalTo("limit"));
        given().get("/api/pipelines/" + name + "/events?before=x").then().statusCode(400)
                .body("violations[0].field", Matchers.equalTo("before"));
        given().get("/api/pipelines/no-such-pipeline/events").then().statusCode(404);

        // The next event written (a repair) prunes: the first event and the newest `kept` remain
        kinesis.removeTagsFromStream(r -> r.streamName("clicklog-" + name).tagKeys("clicklog:team"));
        Instant start = Instant.now();
        PipelineChecks.checkNow(name);
        JsonPath pruned = PipelineChecks.awaitCheckedAfter(name, start, Duration.ofSeconds(30));
        assertEquals(List.of("repaired: tagged stream clicklog-" + name), PipelineApi.messages(pruned, "STREAM", "REPAIRED"));
        assertEquals(kept + 1, pruned.getLong("eventCount"));
        JsonPath oldest = given().get("/api/pipelines/" + name + "/events?limit=2&before="
                + (QuarkusTransaction.requiringNew().call(() -> PipelineEvent.page(id, null, kept + 1)
                        .get(kept - 1).id)))
                .then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("CREATED"), oldest.getList("events.type"), "the request is never pruned");
        assertFalse(oldest.getString("events[0].message").startsWith("old check"));
        PipelineApi.deleteAndAwait(name);
    }

    private static long lastId(JsonPath view) {
        List<Map<String, Object>> events = view.getList("events");
        return ((Number) events.get(events.size() - 1).get("id")).longValue();
    }
}
