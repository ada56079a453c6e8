package dev.clicklog.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.clicklog.portal.adapter.ResourceNames;
import dev.clicklog.it.PortalProcesses.Portal;
import dev.clicklog.portal.pipeline.PipelineApi;
import dev.clicklog.testing.Host;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import software.amazon.awssdk.services.apigateway.model.RestApi;

/**
 * A portal restarted mid-provisioning, with real processes of the packaged app. Portal L runs in
 * local mode and hosts localaws; portal A runs in aws mode against L's localaws, as a portal runs
 * against AWS. Both use one H2 file in H2's mixed mode (L, started first, serves it to the others).
 * Pipelines are requested through A, A is killed with SIGKILL while their streams are still being
 * created, and a new portal process on the same database takes over: every pipeline reaches READY
 * with exactly one of each of its resources, then is deleted with nothing left behind.
 */
class PortalRestartIT {

    private static final String ACCOUNT = "000000000000";
    private static final int PIPELINES = 4;
    private static final Duration CONVERGE = Duration.ofSeconds(180);

    @RegisterExtension
    final PortalProcesses portals = new PortalProcesses();

    @Test
    void aNewPortalTakesOverThePipelinesOfAPortalKilledMidProvisioning() {
        int awsPort = Host.freePort();
        URI endpoint = URI.create("http://127.0.0.1:" + awsPort);
        Map<String, String> shared = Map.of(
                "quarkus.datasource.jdbc.url", "jdbc:h2:file:" + portals.workDir().resolve("db/clicklog") + ";AUTO_SERVER=TRUE",
                // a short lease: a dead portal's claims run out quickly
                "clicklog.pipelines.lease", "5s");

        Map<String, String> local = new HashMap<>(shared);
        local.putAll(Map.of(
                "clicklog.aws.mode", "local",
                "clicklog.localaws.port", String.valueOf(awsPort),
                "clicklog.localaws.data-dir", portals.workDir().resolve("localaws").toString(),
                // streams stay CREATING long enough that A certainly dies in the middle of provisioning
                "clicklog.localaws.kinesis.stream-activation-delay", "15s",
                // L only hosts the endpoint and answers reads: looking for due work once an hour, it never
                // picks up another portal's pipelines, so the takeover below is the new portal's alone
                "clicklog.pipelines.reconcile-interval", "1h"));
        Map<String, String> aws = new HashMap<>(shared);
        aws.putAll(Map.of(
                "clicklog.aws.mode", "aws",
                "clicklog.aws.endpoint", endpoint.toString(),
                "clicklog.aws.region", "us-east-1"));

        Portal l = portals.start("L", local);
        Portal a = portals.start("A", aws);
        try (AwsResources inside = new AwsResources(endpoint, true)) {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < PIPELINES; i++) {
                String name = PipelineApi.uniqueName("restart");
                a.api().contentType(ContentType.JSON)
                        .body("{\"name\":\"" + name + "\",\"team\":\"restart\"}")
                        .when().post("/api/pipelines")
                        .then().log().ifValidationFails().statusCode(201);
                names.add(name);
            }
            // Mid-provisioning: A has created each pipeline's roles and stream, and waits for the stream.
            await("every stream created and CREATING").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                    .until(() -> names.stream().allMatch(n -> streamWaiting(view(a, n))));
            portals.kill(a);

            // What A left, read through L (no portal works on the pipelines now).
            for (String name : names) {
                JsonPath left = view(l, name);
                assertEquals("PROVISIONING", left.getString("status"), name);
                assertEquals("DONE", stepState(left, "ROLES"), name);
                for (String step : List.of("STREAM", "DELIVERY_STREAM", "INGEST_API")) {
                    assertNotEquals("DONE", stepState(left, step), name + " " + step);
                }
            }
            assertEquals(sorted(names.stream().map(n -> expected(n).stream())), inside.streams(), "A created the streams");

            long killed = System.nanoTime();
            Portal restarted = portals.start("A-restarted", aws);
            for (String name : names) {
                awaitStatus(restarted, name, "READY");
            }
            System.out.printf("%d pipelines READY %.1f s after portal A was killed; the history of %s:%n%s%n",
                    names.size(), (System.nanoTime() - killed) / 1e9, names.get(0),
                    history(view(restarted, names.get(0))));
            // Nothing but these pipelines ever used this localaws: every resource in it is counted.
            // Each pipeline's two roles, and the one API Gateway writes every pipeline's access logs as.
            assertEquals(sorted(Stream.concat(Stream.of(ResourceNames.ACCOUNT_LOGS_ROLE),
                    names.stream().flatMap(n -> Stream.of(expected(n).apiRole(), expected(n).deliveryRole())))),
                    inside.roles(), "IAM roles");
            assertEquals(sorted(names.stream().map(n -> expected(n).logGroup())), inside.logGroups(),
                    "CloudWatch Logs log groups");
            assertEquals(sorted(names.stream().map(n -> expected(n).stream())), inside.streams(), "Kinesis streams");
            assertEquals(sorted(names.stream().map(n -> expected(n).deliveryStream())), inside.deliveryStreams(),
                    "Firehose delivery streams");
            assertEquals(sorted(names.stream().map(n -> expected(n).restApi())),
                    inside.restApis().stream().map(RestApi::name).sorted().toList(), "API Gateway REST APIs");
            assertEquals(sorted(names.stream().map(n -> expected(n).bucket())), inside.buckets(), "S3 buckets");
            for (String name : names) {
                String apiId = view(restarted, name).getString("resources.restApiId");
                assertEquals(List.of(apiId), inside.restApis().stream()
                        .filter(api -> api.name().equals(expected(name).restApi())).map(RestApi::id).toList(), name);
            }

            for (String name : names) {
                // Purged: the clicks (and their bucket) go too, so nothing is left behind.
                restarted.api().when().delete("/api/pipelines/" + name + "?purge=true")
                        .then().log().ifValidationFails().statusCode(202);
            }
            for (String name : names) {
                awaitStatus(restarted, name, "DELETED");
            }
            // The account's access-log role stays: it is the account's setting, not one pipeline's.
            assertEquals(List.of(ResourceNames.ACCOUNT_LOGS_ROLE), inside.roles(), "IAM roles left");
            assertEquals(List.of(), inside.logGroups(), "CloudWatch Logs log groups left");
            assertEquals(List.of(), inside.streams(), "Kinesis streams left");
            assertEquals(List.of(), inside.deliveryStreams(), "Firehose delivery streams left");
            assertEquals(List.of(), inside.restApis(), "API Gateway REST APIs left");
            assertEquals(List.of(), inside.buckets(), "S3 buckets left");
        }
    }

    private static JsonPath view(Portal portal, String name) {
        return portal.api().when().get("/api/pipelines/" + name)
                .then().statusCode(200).extract().jsonPath();
    }

    /** The stream step has created the stream and waits for it; fails if the pipeline got past provisioning. */
    private static boolean streamWaiting(JsonPath view) {
        String status = view.getString("status");
        if (!status.equals("PROVISIONING")) {
            throw new AssertionError("expected a pipeline still provisioning: " + view.prettify());
        }
        return !PipelineApi.messages(view, "STREAM", "WAITING").isEmpty();
    }

    private static String history(JsonPath view) {
        return view.<Map<String, Object>>getList("events").stream()
                .map(e -> "  " + e.get("at") + " " + e.get("step") + " " + e.get("type") + " " + e.get("message"))
                .collect(Collectors.joining("\n"));
    }

    private static String stepState(JsonPath view, String step) {
        return (String) PipelineApi.step(view, step).get("state");
    }

    private static void awaitStatus(Portal portal, String name, String status) {
        JsonPath[] last = new JsonPath[1];
        await("pipeline " + name + " " + status).atMost(CONVERGE).pollInterval(Duration.ofMillis(200))
                .failFast("pipeline " + name + " FAILED", () -> last[0] != null && "FAILED".equals(last[0].getString("status")))
                .until(() -> {
                    last[0] = view(portal, name);
                    return status.equals(last[0].getString("status"));
                });
    }

    private static ResourceNames expected(String pipeline) {
        return ResourceNames.of(pipeline, ACCOUNT, Optional.empty());
    }

    private static List<String> sorted(Stream<String> names) {
        return names.sorted().toList();
    }
}
