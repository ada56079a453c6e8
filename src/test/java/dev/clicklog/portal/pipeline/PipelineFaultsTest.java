package dev.clicklog.portal.pipeline;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.clicklog.localaws.fault.FaultInjector;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What real AWS does to a provisioning run, reproduced with the local endpoint's fault switch: IAM
 * roles that cannot be assumed yet, throttling, a permanent error, slow activation, resources that
 * disappear behind the portal's back.
 */
@QuarkusTest
class PipelineFaultsTest {

    private static final String ASSUME_ROLE = "Firehose is unable to assume role arn:aws:iam::000000000000:role/x. "
            + "Please check the role provided.";

    @Inject
    FaultInjector faults;

    @Inject
    KinesisClient kinesis;
    @Inject
    FirehoseClient firehose;
    @Inject
    S3Client s3;
    @Inject
    IamClient iam;
    @Inject
    ApiGatewayClient apiGateway;
    @Inject
    CloudWatchLogsClient logs;

    @AfterEach
    void clearFaults() {
        faults.clear();
    }

    @Test
    void rolesNotYetAssumableAreRetriedUntilReady() {
        faults.failNext("firehose", "CreateDeliveryStream", 3, 400, "InvalidArgumentException", ASSUME_ROLE);
        String name = PipelineApi.uniqueName("assume");
        PipelineApi.create("{\"name\":\"" + name + "\",\"team\":\"t\"}");
        JsonPath ready = PipelineApi.awaitStatus(name, "READY");
        assertRetriedThreeTimes(ready, "DELIVERY_STREAM", "InvalidArgumentException", ASSUME_ROLE);
        PipelineApi.deleteAndAwait(name);
    }

    /**
     * API Gateway checks at PutIntegration that it may assume the integration's role; a role created
     * a moment ago is refused until IAM has propagated it (BadRequestException). Retried until READY.
     */
    @Test
    void apiGatewayRefusingANewRoleIsRetriedUntilReady() {
        String name = PipelineApi.uniqueName("apirole");
        String message = "API Gateway does not have permission to assume the provided role "
                + "arn:aws:iam::000000000000:role/clicklog-" + name + "-apigateway";
        faults.failNext("apigateway", "PutIntegration", 3, 400, "BadRequestException", message);
        // a short buffer: the click below is delivered before the delete, which need not wait for it
        PipelineApi.create("{\"name\":\"" + name + "\",\"team\":\"t\",\"bufferIntervalSeconds\":1}");
        JsonPath ready = PipelineApi.awaitStatus(name, "READY");
        assertRetriedThreeTimes(ready, "INGEST_API", "BadRequestException", message);
        // The methods are all there and work: a click goes through
        given().contentType(ContentType.JSON).body("{\"after\":\"retries\"}").when().put(ready.getString("invokeUrl"))
                .then().statusCode(200);
        PipelineApi.deleteAndAwait(name);
    }

    /** The step failed three times with this error, each time retried as one that passes (budget 8), then succeeded. */
    private static void assertRetriedThreeTimes(JsonPath ready, String stepName, String code, String message) {
        Map<String, Object> step = PipelineApi.step(ready, stepName);
        assertEquals("DONE", step.get("state"));
        assertEquals(3, step.get("attempts"));
        assertEquals(code + ": " + message, step.get("lastError"));
        List<String> retries = PipelineApi.messages(ready, stepName, "RETRYING");
        assertEquals(3, retries.size(), retries.toString());
        assertTrue(retries.get(0).startsWith("attempt 1 of 8 failed"), retries.get(0));
        assertTrue(retries.get(0).endsWith(code + ": " + message), retries.get(0));
    }

    @Test
    void throttlingIsRetried() {
        faults.failNext("kinesis", "CreateStream", 2, 400, "LimitExceededException", "Rate exceeded for account");
        String name = PipelineApi.uniqueName("throttle");
        PipelineApi.create("{\"name\":\"" + name + "\",\"team\":\"t\"}");
        JsonPath ready = PipelineApi.awaitStatus(name, "READY");
        assertEquals(2, PipelineApi.step(ready, "STREAM").get("attempts"));
        PipelineApi.deleteAndAwait(name);
    }

    @Test
    void aPermanentFailureEndsFailedWithAwsMessageAndRetryWorksOnceItClears() {
        String message = "Bucket arn:aws:s3:::elsewhere is in another region";
        faults.failAlways("firehose", "CreateDeliveryStream", 400, "InvalidArgumentException", message);
        String name = PipelineApi.uniqueName("permanent");
        PipelineApi.create("{\"name\":\"" + name + "\",\"team\":\"t\"}");
        JsonPath failed = PipelineApi.awaitStatus(name, "FAILED");

        Map<String, Object> step = PipelineApi.step(failed, "DELIVERY_STREAM");
        assertEquals("FAILED", step.get("state"));
        assertEquals(2, step.get("attempts"), "a permanent error has the smaller budget");
        assertEquals("InvalidArgumentException: " + message, step.get("lastError"));
        List<String> failures = PipelineApi.messages(failed, "DELIVERY_STREAM", "FAILED");
        assertEquals(List.of("failed after 2 attempts: InvalidArgumentException: " + message), failures);
        assertEquals(List.of("DONE", "DONE", "DONE", "FAILED"), failed.getList("steps.state").subList(0, 4));

        faults.clear();
        given().post("/api/pipelines/" + name + "/retry").then().statusCode(202);
        JsonPath ready = PipelineApi.awaitStatus(name, "READY");
        assertEquals(0, PipelineApi.step(ready, "DELIVERY_STREAM").get("attempts"), "retry gives the step a fresh budget");
        assertTrue(ready.getList("events.type").contains("RETRY_REQUESTED"));
        PipelineApi.deleteAndAwait(name);
    }

    /**
     * The stream of a completed step vanishes (an endpoint that lost it) while the pipeline waits,
     * FAILED, for a retry: the retried step's "Stream … not found" has the stream step run again,
     * which creates the stream again, and the pipeline reaches READY with one stream — a retry helps.
     */
    @Test
    void aResourceOfACompletedStepThatVanishedIsCreatedAgain() {
        faults.failAlways("firehose", "CreateDeliveryStream", 400, "InvalidArgumentException", "not yet");
        String name = PipelineApi.uniqueName("vanish");
        PipelineApi.create("{\"name\":\"" + name + "\",\"team\":\"t\"}");
        // (every completed step runs once more between the two attempts: bounds for a busy machine)
        PipelineApi.awaitStatus(name, "FAILED", Duration.ofSeconds(120));
        String stream = PipelineApi.get(name).getString("resources.streamName");
        kinesis.deleteStream(r -> r.streamName(stream));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> !kinesis.listStreams().streamNames().contains(stream));
        faults.clear();

        given().post("/api/pipelines/" + name + "/retry").then().statusCode(202);
        JsonPath ready = PipelineApi.awaitStatus(name, "READY", Duration.ofSeconds(120));
        List<String> retries = PipelineApi.messages(ready, "DELIVERY_STREAM", "RETRYING");
        assertTrue(retries.stream().anyMatch(m -> m.contains("Kinesis data stream") && m.contains("checked again")
                && m.contains("not found")), retries.toString());
        assertTrue(PipelineApi.messages(ready, "STREAM", "STARTED").stream()
                .anyMatch(m -> m.startsWith("checking Kinesis data stream again")), ready.prettify());
        assertEquals(List.of(stream), kinesis.listStreams().streamNames().stream().filter(stream::equals).toList());
        PipelineApi.deleteAndAwait(name);
    }

    @Test
    void slowStreamActivationIsWaitedFor() {
        faults.overrideDelay("kinesis.stream-activation", Duration.ofMillis(1500));
        String name = PipelineApi.uniqueName("slow");
        PipelineApi.create("{\"name\":\"" + name + "\",\"team\":\"t\"}");
        JsonPath ready = PipelineApi.awaitStatus(name, "READY");
        assertEquals(0, PipelineApi.step(ready, "STREAM").get("attempts"), "waiting is not failing");
        List<String> waits = PipelineApi.messages(ready, "STREAM", "WAITING");
        assertTrue(waits.contains("stream clicklog-" + name + " is CREATING")
                || waits.contains("stream clicklog-" + name + " is being created"), waits.toString());
        PipelineApi.deleteAndAwait(name);
    }

    @Test
    void deletingWhileProvisioningTearsDownWhatWasCreated() {
        faults.overrideDelay("kinesis.stream-activation", Duration.ofSeconds(2));
        String name = PipelineApi.uniqueName("early");
        PipelineApi.create("{\"name\":\"" + name + "\",\"team\":\"t\"}");
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> "IN_PROGRESS".equals(PipelineApi.step(PipelineApi.get(name), "STREAM").get("state")));
        PipelineApi.deleteAndAwait(name);
        PipelineLifecycleTest.assertGone(() -> kinesis.describeStreamSummary(r -> r.streamName("clicklog-" + name)));
    }

    @Test
    void teardownToleratesResourcesAlreadyGone() {
        String name = PipelineApi.uniqueName("gone");
        PipelineApi.create("{\"name\":\"" + name + "\",\"team\":\"t\"}");
        PipelineApi.awaitStatus(name, "READY");
        kinesis.deleteStream(r -> r.streamName("clicklog-" + name));
        PipelineApi.deleteAndAwait(name);
    }

    /** Every resource deleted by hand before the pipeline is: its teardown finds nothing and ends DELETED. */
    @Test
    void teardownEndsDeletedWhenEveryResourceIsGoneAlready() {
        String name = PipelineApi.uniqueName("allgone");
        PipelineApi.create("{\"name\":\"" + name + "\",\"team\":\"t\",\"apiKeyRequired\":true}");
        JsonPath ready = PipelineApi.awaitStatus(name, "READY");
        String base = "clicklog-" + name;
        String bucket = ready.getString("resources.bucket");
        String planId = ready.getString("resources.usagePlanId");
        String apiId = ready.getString("resources.restApiId");

        apiGateway.deleteUsagePlan(r -> r.usagePlanId(planId));
        apiGateway.deleteApiKey(r -> r.apiKey(ready.getString("resources.apiKeyId")));
        apiGateway.deleteRestApi(r -> r.restApiId(apiId));
        logs.deleteLogGroup(r -> r.logGroupName(ready.getString("resources.logGroup")));
        firehose.deleteDeliveryStream(r -> r.deliveryStreamName(base));
        kinesis.deleteStream(r -> r.streamName(base));
        s3.listObjectsV2Paginator(r -> r.bucket(bucket)).contents()
                .forEach(o -> s3.deleteObject(r -> r.bucket(bucket).key(o.key())));
        s3.deleteBucket(r -> r.bucket(bucket));
        for (String role : List.of(base + "-apigateway", base + "-firehose")) {
            iam.listRolePolicies(r -> r.roleName(role)).policyNames()
                    .forEach(policy -> iam.deleteRolePolicy(r -> r.roleName(role).policyName(policy)));
            iam.deleteRole(r -> r.roleName(role));
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            PipelineLifecycleTest.assertGone(() -> firehose.describeDeliveryStream(r -> r.deliveryStreamName(base)));
            PipelineLifecycleTest.assertGone(() -> kinesis.describeStreamSummary(r -> r.streamName(base)));
        });

        JsonPath deleted = PipelineApi.deleteAndAwait(name);
        assertEquals(List.of("DONE", "DONE", "DONE", "DONE", "DONE", "DONE"), deleted.getList("steps.state"));
        assertEquals(List.of(0, 0, 0, 0, 0, 0), deleted.getList("steps.attempts"));
    }

    @Test
    void aReadyPipelineIsCheckedAgainAndRepaired() {
        String name = PipelineApi.uniqueName("drift");
        PipelineApi.create("{\"name\":\"" + name + "\",\"team\":\"t\"}");
        PipelineApi.awaitStatus(name, "READY");
        String stream = "clicklog-" + name;
        kinesis.deleteStream(r -> r.streamName(stream));
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(
                () -> PipelineLifecycleTest.assertGone(() -> kinesis.describeStreamSummary(r -> r.streamName(stream))));

        // As if the resync interval had passed (or the portal had restarted)
        PipelineChecks.checkNow(name);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonPath view = PipelineApi.get(name);
            return PipelineApi.messages(view, "STREAM", "REPAIRED").contains("repaired: created stream " + stream)
                    && view.getString("checkingSince") == null;
        });
        String view = PipelineApi.get(name).prettify();
        assertEquals("ACTIVE", assertDoesNotThrow(() -> kinesis.describeStreamSummary(r -> r.streamName(stream)),
                view).streamDescriptionSummary().streamStatusAsString());
        PipelineApi.deleteAndAwait(name);
    }
}
