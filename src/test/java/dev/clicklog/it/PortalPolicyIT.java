package dev.clicklog.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.clicklog.it.PortalProcesses.Portal;
import dev.clicklog.portal.pipeline.PipelineApi;
import dev.clicklog.testing.Host;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import software.amazon.awssdk.services.apigateway.model.Op;
import software.amazon.awssdk.services.iam.model.AccessKey;

/**
 * The proof that {@code docker/iam/portal-policy.json} is right. localaws holds its callers to IAM
 * ({@code clicklog.localaws.iam.enforce-callers=true}); a packaged portal in aws mode signs as a
 * user holding only that policy (a managed policy attached to the user). Every flow — create,
 * observe (a test click, metrics, records, objects, refused requests), change, delete, purge —
 * succeeds: the policy is sufficient. Then, for each statement, the user holds the policy without
 * it, and some flow fails with AccessDenied: no statement is superfluous.
 */
@Order(1) // longest first (docs/testing.md)
class PortalPolicyIT {

    private static final Path POLICY = Path.of("docker", "iam", "portal-policy.json");
    private static final Duration STEP = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final PortalProcesses portals = new PortalProcesses();

    @Test
    void thePolicyIsSufficientAndEveryStatementIsNeeded() throws Exception {
        URI endpoint = localaws();
        ObjectNode policy = (ObjectNode) JSON.readTree(Files.readString(POLICY));
        try (AwsResources root = new AwsResources(endpoint, true)) {
            String full = root.iam.createPolicy(r -> r.policyName("clicklog-portal").policyDocument(policy.toString()))
                    .policy().arn();
            root.iam.createUser(r -> r.userName("portal"));
            root.iam.attachUserPolicy(r -> r.userName("portal").policyArn(full));
            AccessKey key = root.iam.createAccessKey(r -> r.userName("portal")).accessKey();
            Portal portal = portals.start("aws-as-portal-user", awsMode(endpoint, key));

            assertNull(flows(portal, PipelineApi.uniqueName("allowed"), root), "every flow with the whole policy");

            Map<String, String> deniedBy = new LinkedHashMap<>();
            for (JsonNode statement : policy.get("Statement")) {
                String sid = statement.get("Sid").asText();
                ObjectNode without = policy.deepCopy();
                ArrayNode kept = without.putArray("Statement");
                policy.get("Statement").forEach(s -> {
                    if (!s.get("Sid").asText().equals(sid)) {
                        kept.add(s);
                    }
                });
                String reduced = root.iam.createPolicy(r -> r.policyName("without-" + sid).policyDocument(without.toString()))
                        .policy().arn();
                root.iam.detachUserPolicy(r -> r.userName("portal").policyArn(full));
                root.iam.attachUserPolicy(r -> r.userName("portal").policyArn(reduced));
                String name = PipelineApi.uniqueName("no-" + sid.toLowerCase().substring(0, Math.min(12, sid.length())));
                String denied = flows(portal, name, root);
                root.iam.detachUserPolicy(r -> r.userName("portal").policyArn(reduced));
                root.iam.attachUserPolicy(r -> r.userName("portal").policyArn(full));
                deniedBy.put(sid, denied);
                cleanUp(portal, name);
            }
            List<String> superfluous = new ArrayList<>();
            deniedBy.forEach((sid, denied) -> {
                System.out.printf("without %s: %s%n", sid, denied);
                if (denied == null) {
                    superfluous.add(sid);
                }
            });
            assertEquals(List.of(), superfluous, "statements no flow needed: " + deniedBy);
        }
    }

    /**
     * Runs every flow on a new pipeline; null when all succeed, else where AccessDenied first
     * showed and what it said. Before it, the account's CloudWatch role is cleared, so the access
     * logs step sets it again as on a new account.
     */
    private String flows(Portal portal, String name, AwsResources root) {
        root.apiGateway.updateAccount(r -> r.patchOperations(p -> p.op(Op.REPLACE).path("/cloudwatchRoleArn").value("")));
        portal.api().contentType(ContentType.JSON)
                .body("{\"name\":\"" + name + "\",\"team\":\"t\",\"bufferIntervalSeconds\":0,\"bufferSizeMb\":1}")
                .post("/api/pipelines").then().statusCode(201);
        String denied = until(portal, name, "create", v -> "READY".equals(v.path("status").asText()) && !v.path("degraded").asBoolean());
        if (denied != null) {
            return denied;
        }
        String base = "/api/pipelines/" + name;
        denied = deniedIn("test click", portal.api().post(base + "/test-click"));
        for (String read : new String[] {"/metrics", "/records", "/refused"}) {
            denied = denied != null ? denied : deniedIn(read, portal.api().get(base + read));
        }
        if (denied != null) {
            return denied;
        }
        // Firehose writes the click under the pipeline's prefix; the portal lists and previews it.
        String bucket = portal.api().get(base).jsonPath().getString("resources.bucket");
        String[] object = new String[1];
        await("an object of " + name).atMost(STEP).pollInterval(Duration.ofMillis(500)).until(() -> {
            var listed = root.s3.listObjectsV2(r -> r.bucket(bucket)).contents();
            object[0] = listed.isEmpty() ? null : listed.get(0).key();
            return object[0] != null;
        });
        denied = deniedIn("objects", portal.api().get(base + "/objects"));
        if (denied != null) {
            return denied;
        }
        String key = object[0];
        denied = deniedIn("preview", portal.api().queryParam("key", key).get(base + "/objects/preview"));
        if (denied != null) {
            return denied;
        }
        portal.api().contentType(ContentType.JSON)
                .body("{\"retentionHours\":48,\"shards\":2,\"bufferIntervalSeconds\":30,\"apiKeyRequired\":true,"
                        + "\"description\":\"changed\",\"stageRateLimit\":50,\"stageBurstLimit\":20}")
                .patch(base).then().statusCode(200);
        denied = until(portal, name, "change", v -> "READY".equals(v.path("status").asText())
                && v.path("observedGeneration").asLong() == v.path("generation").asLong());
        if (denied != null) {
            return denied;
        }
        portal.api().delete(base).then().statusCode(202);
        denied = until(portal, name, "delete", v -> "DELETED".equals(v.path("status").asText()));
        if (denied != null) {
            return denied;
        }
        portal.api().delete(base + "?purge=true").then().statusCode(202);
        return until(portal, name, "purge", v -> "PURGED".equals(v.path("clicks").asText()));
    }

    /**
     * Waits until the pipeline's view satisfies {@code done}, or AccessDenied shows in it (or the
     * pipeline FAILED on what a refusal meant to the portal); returns the denial. A flow that neither finishes nor shows a denial is reported with the view it left.
     */
    private static String until(Portal portal, String name, String flow, Predicate<JsonNode> done) {
        String[] denied = new String[1];
        String[] body = new String[1];
        try {
            await(flow + " of " + name).atMost(STEP).pollInterval(Duration.ofMillis(300)).until(() -> {
                body[0] = portal.api().get("/api/pipelines/" + name).then().extract().asString();
                denied[0] = denial(flow, body[0]);
                JsonNode view = JSON.readTree(body[0]);
                if (denied[0] == null && "FAILED".equals(view.path("status").asText())) {
                    // What the portal made of a refusal, e.g. a HeadBucket answered 403: another account's bucket.
                    denied[0] = flow + " FAILED: " + view.findValuesAsText("lastError");
                }
                return denied[0] != null || done.test(view);
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(flow + " of " + name + " neither finished nor was denied: " + body[0], e);
        }
        return denied[0];
    }

    private static String deniedIn(String flow, Response response) {
        return denial(flow, response.asString());
    }

    /**
     * The AccessDenied a body reports, with what surrounds it; null when there is none. S3 answers
     * a HEAD without a body, so a denied HeadBucket shows only as its status, 403.
     */
    private static String denial(String flow, String body) {
        int at = -1;
        for (String sign : new String[] {"AccessDenied", "is not authorized to perform", "Status Code: 403"}) {
            at = at >= 0 ? at : body.indexOf(sign);
        }
        return at < 0 ? null : flow + ": " + body.substring(Math.max(0, at - 200), Math.min(body.length(), at + 300));
    }

    /** Deletes and purges what a denied run left, with the whole policy back in place. */
    private static void cleanUp(Portal portal, String name) {
        portal.api().delete("/api/pipelines/" + name + "?purge=true");
        await("clean-up of " + name).atMost(STEP).pollInterval(Duration.ofMillis(500)).until(() -> {
            Response r = portal.api().get("/api/pipelines/" + name);
            return r.statusCode() == 404 || "PURGED".equals(r.jsonPath().getString("clicks"));
        });
    }

    /** A portal in local mode hosting localaws with callers held to IAM; returns its endpoint. */
    private URI localaws() {
        int port = Host.freePort();
        Map<String, String> settings = new HashMap<>();
        settings.put("clicklog.aws.mode", "local");
        settings.put("clicklog.localaws.port", Integer.toString(port));
        settings.put("clicklog.localaws.iam.enforce-callers", "true");
        settings.put("clicklog.localaws.data-dir", portals.workDir().resolve("localaws").toString());
        settings.put("quarkus.datasource.jdbc.url", "jdbc:h2:file:" + portals.workDir().resolve("host-db/clicklog")
                + ";DB_CLOSE_ON_EXIT=FALSE");
        portals.start("localaws", settings);
        return URI.create("http://127.0.0.1:" + port);
    }

    /** A portal in aws mode on the endpoint, signing with the key (system properties win over the environment). */
    private Map<String, String> awsMode(URI endpoint, AccessKey key) {
        Map<String, String> settings = new HashMap<>();
        settings.put("clicklog.aws.mode", "aws");
        settings.put("clicklog.aws.endpoint", endpoint.toString());
        settings.put("clicklog.aws.region", "us-east-1");
        settings.put("aws.accessKeyId", key.accessKeyId());
        settings.put("aws.secretAccessKey", key.secretAccessKey());
        settings.put("clicklog.pipelines.resync-interval", "2s");
        settings.put("quarkus.datasource.jdbc.url", "jdbc:h2:file:" + portals.workDir().resolve("db/clicklog")
                + ";DB_CLOSE_ON_EXIT=FALSE");
        return settings;
    }
}
