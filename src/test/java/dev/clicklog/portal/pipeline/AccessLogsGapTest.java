package dev.clicklog.portal.pipeline;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.clicklog.localaws.fault.FaultInjector;
import dev.clicklog.portal.adapter.EndpointProbe;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/**
 * Access logs are optional: on an endpoint that does not serve CloudWatch Logs' CreateLogGroup (a
 * gap the probe cannot see — its calls are served — and the step's own call reveals), the pipeline
 * is READY without them, degraded, and nothing of them is made. The refused requests say why there
 * are none. Once the endpoint serves them, the next check puts them in place and the note goes.
 */
@QuarkusTest
class AccessLogsGapTest {

    @Inject
    FaultInjector faults;
    @Inject
    EndpointProbe probe;
    @Inject
    CloudWatchLogsClient logs;
    @Inject
    ApiGatewayClient apiGateway;

    /** The gap is known per endpoint, so is learned anew for the tests after this one. */
    @AfterEach
    void serveEverythingAgain() {
        faults.clear();
        probe.probe();
    }

    @Test
    void withoutCreateLogGroupAPipelineIsReadyWithoutAccessLogsAndGetsThemLater() {
        faults.unserve("logs", "CreateLogGroup");
        String name = PipelineApi.uniqueName("no-logs");
        String group = "/aws/apigateway/clicklog-" + name;
        PipelineApi.create("{\"name\":\"" + name + "\",\"team\":\"t\"}");
        JsonPath ready = PipelineApi.awaitStatus(name, "READY");

        assertTrue(ready.getBoolean("degraded"), ready.prettify());
        assertEquals(List.of("ACCESS_LOGS"), ready.getList("degradations.feature"));
        Map<String, Object> note = ready.getMap("degradations[0]");
        assertEquals("ACCESS_LOGS", note.get("step"));
        assertTrue(String.valueOf(note.get("reason")).contains("UnknownOperationException"), note.toString());
        assertEquals(List.of("DONE", "DONE", "DONE", "DONE", "DONE", "DONE"), ready.getList("steps.state"));
        assertEquals(1, PipelineApi.messages(ready, "ACCESS_LOGS", "DEGRADED").size(), ready.prettify());
        assertTrue(PipelineApi.messages(ready, "ACCESS_LOGS", "DEGRADED").get(0).startsWith("skipped access logs"));
        assertNull(ready.getString("resources.logGroup"));
        assertEquals(List.of(), logs.describeLogGroups(r -> r.logGroupNamePrefix(group)).logGroups(), "nothing half made");
        String apiId = ready.getString("resources.restApiId");
        assertNull(apiGateway.getStage(r -> r.restApiId(apiId).stageName("v1")).accessLogSettings());

        JsonPath refused = given().get("/api/pipelines/" + name + "/refused").then().statusCode(200).extract().jsonPath();
        assertFalse(refused.getBoolean("available"));
        assertNull(refused.getString("logGroup"));
        assertEquals(List.of(), refused.getList("requests"));
        assertTrue(refused.getString("unavailable").startsWith("this endpoint does not serve access logs")
                && refused.getString("unavailable").contains("CreateLogGroup"), refused.prettify());
        String page = given().get("/pipelines/" + name + "/refused").then().statusCode(200).extract().asString();
        assertTrue(page.contains("<h3>No access logs on this endpoint</h3>"), page);
        assertFalse(page.contains("data-prepend-from"), "nothing to poll for");
        String overview = given().get("/pipelines/" + name).then().statusCode(200).extract().asString();
        assertTrue(overview.contains("<strong>access logs</strong>"), overview);

        // The endpoint serves them now (and the portal has learned so): the next check makes them.
        faults.clear();
        probe.probe();
        Instant before = Instant.now();
        PipelineChecks.checkNow(name);
        JsonPath checked = PipelineChecks.awaitCheckedAfter(name, before, Duration.ofSeconds(30));
        assertFalse(checked.getBoolean("degraded"), checked.prettify());
        assertEquals(group, checked.getString("resources.logGroup"));
        assertEquals(1, logs.describeLogGroups(r -> r.logGroupNamePrefix(group)).logGroups().size());
        assertTrue(given().get("/api/pipelines/" + name + "/refused").then().statusCode(200).extract().jsonPath()
                .getBoolean("available"));

        PipelineApi.deleteAndAwait(name);
        assertEquals(List.of(), logs.describeLogGroups(r -> r.logGroupNamePrefix(group)).logGroups());
    }
}
