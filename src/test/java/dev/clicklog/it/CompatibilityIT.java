package dev.clicklog.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.clicklog.it.PortalProcesses.Portal;
import dev.clicklog.portal.adapter.ResourceNames;
import dev.clicklog.portal.pipeline.PipelineApi;
import dev.clicklog.testing.Host;
import dev.clicklog.testing.MotoServer;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import software.amazon.awssdk.core.SdkBytes;

/**
 * The packaged portal in aws mode against the AWS-compatible endpoints teams run: moto, and localaws
 * made to lack what other endpoints lack (operations not served, read-backs leaving fields out).
 * A pipeline reaches READY on each, going without what the endpoint does not serve and saying so;
 * checks repair only what the endpoint reports as different; a delete leaves nothing behind.
 */
@Order(3) // longest first (docs/testing.md)
class CompatibilityIT {

    private static final Duration CONVERGE = Duration.ofSeconds(180);

    @RegisterExtension
    final PortalProcesses portals = new PortalProcesses();

    /**
     * moto reads no CBOR (Kinesis in JSON then, as the probe suggests) and serves CloudWatch only in
     * JSON and query: with the SDK's own CloudWatch protocol the metrics are unavailable, and /metrics
     * says so (200), naming the setting that would help. Everything else works, gateway responses
     * included (moto's NotFoundException for a type never set is the default response).
     */
    @Test
    void againstMotoAPipelineIsReadyWithItsNotesAndItsDeleteLeavesNothing() {
        try (MotoServer moto = MotoServer.start(portals.workDir());
                AwsResources inside = new AwsResources(moto.uri(), false)) {
            Portal a = portals.start("aws-on-moto", awsMode(moto.uri(), Map.of(
                    "clicklog.aws.cbor", "false",
                    "clicklog.aws.cloudwatch-protocol", "cbor")));

            JsonPath endpoint = probed(a);
            Map<String, Object> metrics = feature(endpoint, "METRICS");
            assertEquals(false, metrics.get("served"), endpoint.prettify());
            assertEquals("clicklog.aws.cloudwatch-protocol=json", metrics.get("suggestion"));
            assertEquals(true, feature(endpoint, "GATEWAY_RESPONSES").get("served"), endpoint.prettify());
            assertEquals(true, feature(endpoint, "STREAM_ENCRYPTION").get("served"), endpoint.prettify());
            assertEquals(true, feature(endpoint, "ACCESS_LOGS").get("served"), endpoint.prettify());

            String name = PipelineApi.uniqueName("moto");
            create(a, name);
            JsonPath ready = awaitStatus(a, name, "READY");
            assertTrue(ready.getBoolean("degraded"), ready.prettify());
            assertEquals(List.of("METRICS"), ready.getList("degradations.feature"));
            assertEquals("clicklog.aws.cloudwatch-protocol=json", ready.getString("degradations[0].suggestion"));
            assertEquals(1, degradedEvents(ready).size(), ready.prettify());
            assertTrue(degradedEvents(ready).get(0).contains("skipped metrics"), degradedEvents(ready).toString());
            String logGroup = ready.getString("resources.logGroup");
            assertEquals("/aws/apigateway/clicklog-" + name, logGroup, ready.prettify());
            assertEquals(List.of(logGroup), inside.logGroups());
            String stageLogs = inside.apiGateway.getStage(r -> r.restApiId(ready.getString("resources.restApiId"))
                    .stageName("v1")).accessLogSettings().destinationArn();
            assertTrue(stageLogs.endsWith(":log-group:" + logGroup), stageLogs);

            JsonPath unavailable = a.api().get("/api/pipelines/" + name + "/metrics")
                    .then().statusCode(200).extract().jsonPath();
            assertFalse(unavailable.getBoolean("available"));
            assertEquals(List.of(), unavailable.getList("series"));
            assertTrue(unavailable.getString("unavailable").contains("clicklog.aws.cloudwatch-protocol=json"),
                    unavailable.getString("unavailable"));
            a.pages().get("/pipelines/" + name + "/metrics").then().statusCode(200);

            String stream = ready.getString("resources.streamName");
            inside.kinesis.putRecord(r -> r.streamName(stream).partitionKey("k")
                    .data(SdkBytes.fromString("{\"page\":\"/moto\"}", StandardCharsets.UTF_8)));
            await("the record, decoded").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() ->
                    a.api().get("/api/pipelines/" + name + "/records")
                            .then().statusCode(200).extract().jsonPath().getList("records.data.json.page").contains("/moto"));

            String overview = a.pages().get("/pipelines/" + name)
                    .then().statusCode(200).extract().asString();
            assertTrue(overview.contains("Degraded: works without 1 optional feature"), overview);
            assertTrue(overview.contains("clicklog.aws.cloudwatch-protocol=json"), overview);

            // A delete keeps the clicks: only the bucket is left; a purge takes it too.
            String bucket = ready.getString("resources.bucket");
            a.api().delete("/api/pipelines/" + name).then().statusCode(202);
            JsonPath deleted = awaitStatus(a, name, "DELETED");
            assertEquals(List.of(), deleted.getList("degradations"));
            Map<String, List<String>> kept = new TreeMap<>();
            inside.all().keySet().forEach(kind -> kept.put(kind, List.of()));
            kept.put("S3 buckets", List.of(bucket));
            // The account's CloudWatch role API Gateway writes access logs with is every pipeline's: it stays.
            kept.put("IAM roles", List.of(ResourceNames.ACCOUNT_LOGS_ROLE));
            assertEquals(kept, inside.all(), "what the deleted pipeline kept in moto");
            a.api().delete("/api/pipelines/" + name + "?purge=true").then().statusCode(202);
            await("the clicks purged").atMost(CONVERGE).pollInterval(Duration.ofMillis(250)).until(() -> "PURGED".equals(
                    a.api().get("/api/pipelines/" + name).then().extract().path("clicks")));
            Map<String, List<String>> empty = new TreeMap<>();
            inside.all().keySet().forEach(kind -> empty.put(kind, List.of()));
            empty.put("IAM roles", List.of(ResourceNames.ACCOUNT_LOGS_ROLE));
            assertEquals(empty, inside.all(), "what the pipeline left in moto");
        }
    }

    /**
     * localaws, hosted by a portal in local mode, without gateway responses, stream encryption,
     * CloudWatch and API Gateway's UpdateAccount (so no access logs; each answered as AWS answers an
     * unknown action); a portal in aws mode on it. Of the access logs nothing is made — no log group,
     * no account role — and the refused requests say why there are none.
     */
    @Test
    void againstLocalawsWithoutItsOptionalFeaturesAPipelineIsReadyAndSaysWhatItLacks() {
        URI endpoint = localaws(Map.of("clicklog.localaws.faults.unserved", "apigateway:GetGatewayResponse,"
                + "apigateway:PutGatewayResponse,kinesis:StartStreamEncryption,monitoring:GetMetricData,apigateway:UpdateAccount"));
        Portal a = portals.start("aws-on-localaws", awsMode(endpoint, Map.of()));
        JsonPath probe = probed(a);
        for (String f : List.of("GATEWAY_RESPONSES", "STREAM_ENCRYPTION", "METRICS", "ACCESS_LOGS")) {
            assertEquals(false, feature(probe, f).get("served"), probe.prettify());
        }

        String name = PipelineApi.uniqueName("without");
        create(a, name);
        JsonPath ready = awaitStatus(a, name, "READY");
        assertTrue(ready.getBoolean("degraded"));
        Map<String, String> steps = new TreeMap<>();
        for (Map<String, Object> d : ready.<Map<String, Object>>getList("degradations")) {
            steps.put((String) d.get("feature"), String.valueOf(d.get("step")));
            assertTrue(String.valueOf(d.get("reason")).contains("UnknownOperationException")
                    || String.valueOf(d.get("reason")).contains("InvalidAction"), d.toString());
        }
        assertEquals(Map.of("GATEWAY_RESPONSES", "INGEST_API", "STREAM_ENCRYPTION", "STREAM", "METRICS", "null",
                "ACCESS_LOGS", "ACCESS_LOGS"), steps);
        assertEquals(4, degradedEvents(ready).size(), ready.prettify());
        assertEquals(List.of("DONE", "DONE", "DONE", "DONE", "DONE", "DONE"), ready.getList("steps.state"));
        assertNull(ready.getString("resources.logGroup"), ready.prettify());
        try (AwsResources inside = new AwsResources(endpoint, true)) {
            assertFalse(inside.logGroups().contains("/aws/apigateway/clicklog-" + name), "no log group half made");
            assertFalse(inside.roles().contains(ResourceNames.ACCOUNT_LOGS_ROLE), "no account role half made");
            assertNull(inside.apiGateway.getStage(r -> r.restApiId(ready.getString("resources.restApiId")).stageName("v1"))
                    .accessLogSettings(), "the stage writes no access logs");
        }
        JsonPath refused = a.api().get("/api/pipelines/" + name + "/refused").then().statusCode(200).extract().jsonPath();
        assertFalse(refused.getBoolean("available"), refused.prettify());
        assertEquals(List.of(), refused.getList("requests"));
        assertTrue(refused.getString("unavailable").contains("does not serve access logs")
                && refused.getString("unavailable").contains("UnknownOperationException"), refused.prettify());
        String refusedPage = a.pages().get("/pipelines/" + name + "/refused").then().statusCode(200).extract().asString();
        assertTrue(refusedPage.contains("No access logs on this endpoint"), refusedPage);

        // It works without them: a click goes through its invoke URL.
        given().contentType(ContentType.JSON).body("{\"page\":\"/degraded\"}").put(ready.getString("invokeUrl"))
                .then().statusCode(200);
        JsonPath metrics = a.api().get("/api/pipelines/" + name + "/metrics")
                .then().statusCode(200).extract().jsonPath();
        assertFalse(metrics.getBoolean("available"));
        String overview = a.pages().get("/pipelines/" + name).then().statusCode(200)
                .extract().asString();
        for (String title : List.of("CORS on the gateway&#39;s refusals", "stream encryption", "metrics", "access logs")) {
            assertTrue(overview.contains("<strong>" + title + "</strong>"), title + " in\n" + overview);
        }
        a.api().delete("/api/pipelines/" + name).then().statusCode(202);
        awaitStatus(a, name, "DELETED");
    }

    /**
     * localaws leaving out of its answers what Floci leaves out (the delivery stream's processing,
     * the integration's role and the methods' key requirement, the stage's tags, the usage plan's
     * throttle and quota): periodic checks find nothing to repair and deploy nothing. A change the
     * endpoint does report is still repaired.
     */
    @Test
    void checksOfAnEndpointWhoseReadBacksLeaveFieldsOutRepairNothing() {
        URI endpoint = localaws(Map.of("clicklog.localaws.faults.omitted-fields",
                "firehose:DescribeDeliveryStream:ProcessingConfiguration,apigateway:GetResources:credentials,"
                        + "apigateway:GetResources:apiKeyRequired,apigateway:GetStage:tags,"
                        + "apigateway:GetUsagePlans:throttle,apigateway:GetUsagePlans:quota"));
        Portal a = portals.start("aws-on-terse-localaws", awsMode(endpoint, Map.of(
                // the faults leave fields out of JSON answers: Kinesis in JSON too
                "clicklog.aws.cbor", "false",
                "clicklog.pipelines.resync-interval", "2s")));
        String name = PipelineApi.uniqueName("terse");
        a.api().contentType(ContentType.JSON)
                .body("{\"name\":\"" + name + "\",\"team\":\"t\",\"apiKeyRequired\":true}")
                .post("/api/pipelines").then().statusCode(201);
        JsonPath ready = awaitStatus(a, name, "READY");
        try (AwsResources inside = new AwsResources(endpoint, false)) {
            String apiId = ready.getString("resources.restApiId");
            String deployment = inside.apiGateway.getStage(r -> r.restApiId(apiId).stageName("v1")).deploymentId();
            long events = ready.getLong("eventCount");

            Instant after = Instant.parse(ready.getString("lastCheckedAt"));
            for (int check = 0; check < 3; check++) {
                after = awaitCheckAfter(a, name, after);
            }
            JsonPath checked = view(a, name);
            assertEquals(List.of(), messages(checked, "REPAIRED"), "nothing reported differently, nothing repaired");
            assertEquals(events, checked.getLong("eventCount"), checked.prettify());
            assertEquals(deployment, inside.apiGateway.getStage(r -> r.restApiId(apiId).stageName("v1")).deploymentId(),
                    "no redeployment");

            // A field reported with another value is drift: repaired at the next check.
            var d = inside.firehose.describeDeliveryStream(r -> r.deliveryStreamName(ready.getString("resources.deliveryStreamName")))
                    .deliveryStreamDescription();
            inside.firehose.updateDestination(r -> r.deliveryStreamName(d.deliveryStreamName())
                    .currentDeliveryStreamVersionId(d.versionId()).destinationId(d.destinations().get(0).destinationId())
                    .extendedS3DestinationUpdate(u -> u.bufferingHints(b -> b.intervalInSeconds(900).sizeInMBs(5))));
            await("the buffering repaired").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> messages(view(a, name), "REPAIRED").stream()
                            .anyMatch(m -> m.contains("restored the S3 destination")));
            assertEquals(60, inside.firehose.describeDeliveryStream(r -> r.deliveryStreamName(d.deliveryStreamName()))
                    .deliveryStreamDescription().destinations().get(0).extendedS3DestinationDescription()
                    .bufferingHints().intervalInSeconds());
        }
        a.api().delete("/api/pipelines/" + name).then().statusCode(202);
        awaitStatus(a, name, "DELETED");
    }

    /** Starts a portal in local mode that hosts localaws (with these settings) for others; returns its endpoint. */
    private URI localaws(Map<String, String> faults) {
        int port = Host.freePort();
        Map<String, String> settings = new HashMap<>(faults);
        settings.put("clicklog.aws.mode", "local");
        settings.put("clicklog.localaws.port", Integer.toString(port));
        settings.put("clicklog.localaws.data-dir", portals.workDir().resolve("localaws").toString());
        settings.put("quarkus.datasource.jdbc.url", "jdbc:h2:file:" + portals.workDir().resolve("host-db/clicklog")
                + ";DB_CLOSE_ON_EXIT=FALSE");
        portals.start("localaws", settings);
        return URI.create("http://127.0.0.1:" + port);
    }

    private Map<String, String> awsMode(URI endpoint, Map<String, String> more) {
        Map<String, String> settings = new HashMap<>(more);
        settings.put("clicklog.aws.mode", "aws");
        settings.put("clicklog.aws.endpoint", endpoint.toString());
        settings.put("clicklog.aws.region", "us-east-1");
        settings.put("quarkus.datasource.jdbc.url", "jdbc:h2:file:" + portals.workDir().resolve("db/clicklog")
                + ";DB_CLOSE_ON_EXIT=FALSE");
        return settings;
    }

    /** What the portal's probe found, once it has run. */
    private static JsonPath probed(Portal portal) {
        JsonPath[] last = new JsonPath[1];
        await("the endpoint probed").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
            last[0] = portal.api().get("/api/endpoint").then().statusCode(200).extract().jsonPath();
            return last[0].getString("probedAt") != null;
        });
        return last[0];
    }

    private static Map<String, Object> feature(JsonPath endpoint, String feature) {
        Map<String, Object> found = endpoint.getMap("features.find { it.feature == '" + feature + "' }");
        assertNotNull(found, feature + " in " + endpoint.prettify());
        return found;
    }

    private static void create(Portal portal, String name) {
        portal.api().contentType(ContentType.JSON)
                .body("{\"name\":\"" + name + "\",\"team\":\"t\"}").post("/api/pipelines").then().statusCode(201);
    }

    private static JsonPath view(Portal portal, String name) {
        return portal.api().get("/api/pipelines/" + name).then().statusCode(200)
                .extract().jsonPath();
    }

    private static JsonPath awaitStatus(Portal portal, String name, String status) {
        JsonPath[] last = new JsonPath[1];
        await("pipeline " + name + " " + status).atMost(CONVERGE).pollInterval(Duration.ofMillis(250))
                .failFast("pipeline " + name + " FAILED", () -> last[0] != null && "FAILED".equals(last[0].getString("status")))
                .until(() -> {
                    last[0] = view(portal, name);
                    return status.equals(last[0].getString("status"));
                });
        return last[0];
    }

    /** Waits for a check of the READY pipeline that ended after {@code after}; returns when it ended. */
    private static Instant awaitCheckAfter(Portal portal, String name, Instant after) {
        Instant[] checked = new Instant[1];
        await("a check of " + name + " after " + after).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    JsonPath v = view(portal, name);
                    assertEquals("READY", v.getString("status"));
                    String at = v.getString("lastCheckedAt");
                    checked[0] = at == null ? null : Instant.parse(at);
                    return v.getString("checkingSince") == null && checked[0] != null && checked[0].isAfter(after);
                });
        return checked[0];
    }

    private static List<String> degradedEvents(JsonPath view) {
        return messages(view, "DEGRADED");
    }

    private static List<String> messages(JsonPath view, String type) {
        return view.<Map<String, Object>>getList("events").stream().filter(e -> type.equals(e.get("type")))
                .map(e -> String.valueOf(e.get("message"))).toList();
    }
}
