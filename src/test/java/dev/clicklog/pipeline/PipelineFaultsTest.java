package dev.clicklog.pipeline;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.clicklog.localaws.fault.FaultInjector;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import software.amazon.awssdk.services.kinesis.KinesisClient;

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

        Map<String, Object> step = PipelineApi.step(ready, "DELIVERY_STREAM");
        assertEquals(3, step.get("attempts"));
        assertEquals("InvalidArgumentException: " + ASSUME_ROLE, step.get("lastError"));
        List<String> retries = PipelineApi.messages(ready, "DELIVERY_STREAM", "RETRYING");
        assertEquals(3, retries.size(), retries.toString());
        assertTrue(retries.get(0).startsWith("attempt 1 of 8 failed"), retries.get(0));
        assertTrue(retries.get(0).endsWith(ASSUME_ROLE), retries.get(0));
        cleanUp(name);
    }

    @Test
    void throttlingIsRetried() {
        faults.failNext("kinesis", "CreateStream", 2, 400, "LimitExceededException", "Rate exceeded for account");
        String name = PipelineApi.uniqueName("throttle");
        PipelineApi.create("{\"name\":\"" + name + "\",\"team\":\"t\"}");
        JsonPath ready = PipelineApi.awaitStatus(name, "READY");
        assertEquals(2, PipelineApi.step(ready, "STREAM").get("attempts"));
        cleanUp(name);
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
        cleanUp(name);
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
        cleanUp(name);
    }

    @Test
    void deletingWhileProvisioningTearsDownWhatWasCreated() {
        faults.overrideDelay("kinesis.stream-activation", Duration.ofSeconds(2));
        String name = PipelineApi.uniqueName("early");
        PipelineApi.create("{\"name\":\"" + name + "\",\"team\":\"t\"}");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> "IN_PROGRESS".equals(PipelineApi.step(PipelineApi.get(name), "STREAM").get("state")));
        PipelineApi.delete(name);
        PipelineApi.awaitStatus(name, "DELETED");
        PipelineLifecycleTest.assertGone(() -> kinesis.describeStreamSummary(r -> r.streamName("clicklog-" + name)));
    }

    @Test
    void teardownToleratesResourcesAlreadyGone() {
        String name = PipelineApi.uniqueName("gone");
        PipelineApi.create("{\"name\":\"" + name + "\",\"team\":\"t\"}");
        PipelineApi.awaitStatus(name, "READY");
        kinesis.deleteStream(r -> r.streamName("clicklog-" + name));
        PipelineApi.delete(name);
        PipelineApi.awaitStatus(name, "DELETED");
    }

    @Test
    void aReadyPipelineIsCheckedAgainAndRepaired() {
        String name = PipelineApi.uniqueName("drift");
        PipelineApi.create("{\"name\":\"" + name + "\",\"team\":\"t\"}");
        PipelineApi.awaitStatus(name, "READY");
        String stream = "clicklog-" + name;
        kinesis.deleteStream(r -> r.streamName(stream));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(
                () -> PipelineLifecycleTest.assertGone(() -> kinesis.describeStreamSummary(r -> r.streamName(stream))));

        // As if the resync interval had passed (or the portal had restarted)
        QuarkusTransaction.requiringNew().run(() -> Pipeline.update("verifiedAt = null where name = ?1", name));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonPath view = PipelineApi.get(name);
            return view.getList("events.type").contains("RESYNC") && "READY".equals(view.getString("status"));
        });
        String view = PipelineApi.get(name).prettify();
        assertEquals("ACTIVE", assertDoesNotThrow(() -> kinesis.describeStreamSummary(r -> r.streamName(stream)),
                view).streamDescriptionSummary().streamStatusAsString());
        cleanUp(name);
    }

    private static void cleanUp(String name) {
        PipelineApi.delete(name);
        PipelineApi.awaitStatus(name, "DELETED");
    }
}
