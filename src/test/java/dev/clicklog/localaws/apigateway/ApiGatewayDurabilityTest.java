package dev.clicklog.localaws.apigateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.clicklog.localaws.LocalAwsConfig;
import dev.clicklog.localaws.apigateway.ApiGatewayService.PatchOperation;
import dev.clicklog.localaws.apigateway.invoke.KeyAccess;
import dev.clicklog.localaws.apigateway.invoke.LiveStage;
import dev.clicklog.localaws.protocol.AwsServiceException;
import dev.clicklog.localaws.spi.RoleAccess;
import dev.clicklog.localaws.storage.Durability;
import dev.clicklog.localaws.storage.Storage;
import dev.clicklog.testing.DataDirs;
import dev.clicklog.testing.LocalAwsConfigs;

/**
 * API Gateway's control plane through its journal: REST APIs (ids included, so invoke URLs stay),
 * resources, methods, responses, integrations, models, validators, gateway responses, deployments,
 * stages, API keys (values included) and usage plans are listed exactly as before after a clean
 * close and after a kill -9 (a crash copy of the data directory); the data plane serves the same
 * stages and keys; quota counts are kept; a data directory written by the first format is read.
 * {@code ApiGatewayRestartIT} shows the same through the SDK, the AWS CLI and invoke URLs with the
 * packaged app.
 */
class ApiGatewayDurabilityTest {

    static final String ROLE = "arn:aws:iam::000000000000:role/clicks-ingest";
    static final String LOGS_ROLE = "arn:aws:iam::000000000000:role/apigateway-logs";
    static final String TEMPLATE =
            "{\"StreamName\": \"clicks\", \"Data\": \"$util.base64Encode($input.body)\", \"PartitionKey\": \"$context.requestId\"}";
    static final String KEY_VALUE = "clicks-key-0123456789abcdef";
    static final String SCHEMA = "{\"$schema\":\"http://json-schema.org/draft-04/schema#\",\"type\":\"object\","
            + "\"required\":[\"page\"]}";

    @TempDir
    Path dir;

    private final List<Storage> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(Storage::close);
    }

    /** The service reads only the account id from the configuration. */
    static LocalAwsConfig config() {
        return LocalAwsConfigs.accountOnly("000000000000");
    }

    /** IAM's answers: every role may be assumed and allows everything (IAM is not under test here). */
    static final RoleAccess ROLES = new RoleAccess() {
        @Override
        public boolean mayAssume(String servicePrincipal, String roleArn, Map<String, String> conditionKeys) {
            return true;
        }

        @Override
        public Decision decide(String roleArn, String action, String resourceArn, Map<String, String> conditionKeys) {
            return Decision.ALLOWED;
        }
    };

    static ApiGatewayService open(Storage storage) {
        ApiGatewayService gw = new ApiGatewayService(config(), ROLES, storage);
        storage.ready();
        return gw;
    }

    private ApiGatewayService open(Path data) {
        Storage storage = new Storage(Storage.Settings.of(data, Durability.FSYNC));
        opened.add(storage);
        return open(storage);
    }

    private Storage storage() {
        return opened.get(opened.size() - 1);
    }

    private void closeLast() {
        opened.remove(opened.size() - 1).close();
    }

    private static PatchOperation replace(String path, String value) {
        return new PatchOperation("replace", path, value);
    }

    /** What the fixture holds: a click API as the portal builds it, with everything around it; part of it snapshotted. */
    static Ids writeFixtureState(ApiGatewayService gw, Storage storage) {
        gw.updateAccount(List.of(replace("/cloudwatchRoleArn", LOGS_ROLE)));
        RestApi api = gw.createRestApi("clicks", "click ingest", List.of("REGIONAL"), null, Map.of("team", "web"));
        ApiResource clicks = gw.createResource(api.id, api.rootResourceId, "clicks");
        ApiResource one = gw.createResource(api.id, clicks.id, "{id}");
        ApiResource gone = gw.createResource(api.id, api.rootResourceId, "gone");
        gw.createModel(api.id, "Click", "a click", SCHEMA, "application/json");
        RequestValidator validator = gw.createRequestValidator(api.id, "body", true, false);
        gw.putMethod(api.id, clicks.id, "PUT", new ApiGatewayService.MethodSpec("NONE", null, true, validator.id(),
                "PutClick", new LinkedHashMap<>(Map.of("method.request.header.X-Site", false)),
                Map.of("application/json", "Click")));
        gw.putMethodResponse(api.id, clicks.id, "PUT", "200", Map.of("method.response.header.X-Seq", false),
                Map.of("application/json", "Empty"));
        gw.putIntegration(api.id, clicks.id, "PUT", new ApiGatewayService.IntegrationSpec("AWS", "POST",
                "arn:aws:apigateway:us-east-1:kinesis:action/PutRecord", ROLE,
                Map.of("integration.request.header.Content-Type", "'application/x-amz-json-1.1'"),
                Map.of("application/json", TEMPLATE), "NEVER", null, 5000));
        gw.putIntegrationResponse(api.id, clicks.id, "PUT", "200", null,
                Map.of("method.response.header.X-Seq", "integration.response.body.SequenceNumber"),
                Map.of("application/json", "{\"ok\": true}"), null);
        gw.putMethod(api.id, one.id, "GET", new ApiGatewayService.MethodSpec("AWS_IAM", null, false, null, null,
                Map.of("method.request.path.id", true), Map.of()));
        gw.putIntegration(api.id, one.id, "GET", new ApiGatewayService.IntegrationSpec("MOCK", null, null, null, null,
                Map.of("application/json", "{\"statusCode\": 200}"), null, null, null));
        gw.putGatewayResponse(api.id, "DEFAULT_4XX", "400", Map.of("gatewayresponse.header.X-Why", "'clicks'"),
                Map.of("application/json", "{\"why\": $context.error.messageString}"));
        Deployment first = gw.createDeployment(api.id, "v1", "first", "first deployment", Map.of("stream", "clicks"));
        storage.checkpoint();
        // After the snapshot: changes replayed from the log.
        gw.deleteResource(api.id, gone.id);
        gw.updateIntegration(api.id, clicks.id, "PUT", List.of(replace("/timeoutInMillis", "9000")));
        Deployment second = gw.createDeployment(api.id, "prod", null, "second", Map.of("stream", "clicks"));
        gw.updateStage(api.id, "prod", List.of(replace("/*/*/throttling/rateLimit", "50"),
                replace("/*/*/throttling/burstLimit", "20"), replace("/variables/site", "eu"),
                replace("/accessLogSettings/destinationArn",
                        "arn:aws:logs:us-east-1:000000000000:log-group:clicks-access"),
                replace("/accessLogSettings/format", "$context.requestId $context.status")));
        gw.tagResource("arn:aws:apigateway:us-east-1::/restapis/" + api.id + "/stages/prod", Map.of("env", "prod"));
        RestApi other = gw.createRestApi("deleted", null, null, null, null);
        ApiKey key = gw.createApiKey("clicks-key", "for the shop", true, KEY_VALUE, "shop", Map.of("team", "web"));
        ApiKey generated = gw.createApiKey("generated", null, false, null, null, null);
        UsagePlan plan = gw.createUsagePlan("clicks-plan", "5 a day", List.of(new UsagePlan.ApiStage(api.id, "prod", Map.of())),
                new UsagePlan.Throttle(10, 100.0), new UsagePlan.Quota(5, 0, "DAY"), Map.of("team", "web"));
        gw.createUsagePlanKey(plan.id, key.id(), "API_KEY");
        gw.createUsagePlanKey(plan.id, generated.id(), "API_KEY");
        gw.deleteUsagePlanKey(plan.id, generated.id());
        gw.deleteRestApi(other.id);
        return new Ids(api.id, clicks.id, first.id(), second.id(), key.id(), plan.id);
    }

    /** The ids the fixture generated. */
    record Ids(String apiId, String clicksResourceId, String firstDeploymentId, String secondDeploymentId, String keyId,
            String planId) {
    }

    /** Everything the control plane answers, operation by operation, in its wire shapes. */
    static Map<String, String> listings(ApiGatewayService gw) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("get-account", ApiGatewayShapes.account(gw.account()).toString());
        out.put("get-rest-apis", gw.restApis().stream().map(ApiGatewayShapes::restApi).toList().toString());
        for (RestApi api : gw.restApis()) {
            String p = api.id + " ";
            out.put(p + "get-resources", gw.resources(api.id).stream().map(r -> ApiGatewayShapes.resource(r, true)).toList()
                    .toString());
            for (ApiResource r : gw.resources(api.id)) {
                for (ApiMethod m : r.methods.values()) {
                    out.put(p + "get-method " + r.path + " " + m.httpMethod, ApiGatewayShapes.method(m).toString());
                }
            }
            out.put(p + "get-models", gw.models(api.id).stream().map(ApiGatewayShapes::model).toList().toString());
            out.put(p + "get-request-validators",
                    gw.requestValidators(api.id).stream().map(ApiGatewayShapes::requestValidator).toList().toString());
            out.put(p + "get-gateway-responses",
                    gw.gatewayResponses(api.id).stream().map(ApiGatewayShapes::gatewayResponse).toList().toString());
            out.put(p + "get-deployments",
                    gw.deployments(api.id).stream().map(d -> ApiGatewayShapes.deployment(d, true)).toList().toString());
            out.put(p + "get-stages", gw.stages(api.id, null).stream().map(ApiGatewayShapes::stage).toList().toString());
            out.put(p + "get-tags", gw.tags("arn:aws:apigateway:us-east-1::/restapis/" + api.id).toString());
        }
        out.put("get-api-keys --include-values",
                gw.apiKeys(null, null).stream().map(k -> ApiGatewayShapes.apiKey(k, true)).toList().toString());
        out.put("get-usage-plans", gw.usagePlans(null).stream().map(ApiGatewayShapes::usagePlan).toList().toString());
        for (UsagePlan plan : gw.usagePlans(null)) {
            out.put(plan.id + " get-usage-plan-keys",
                    gw.usagePlanKeys(plan.id, null).stream().map(ApiGatewayShapes::usagePlanKey).toList().toString());
        }
        return out;
    }

    /** What the data plane serves: every stage's deployed API (its settings are the stage's listing), and the key. */
    static Map<String, String> dataPlane(ApiGatewayService gw, Ids ids) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String stageName : List.of("v1", "prod")) {
            LiveStage stage = gw.liveStage(ids.apiId(), stageName);
            assertNotNull(stage, "stage " + stageName + " is served");
            out.put(stageName, stage.api.apiName + " " + summary(stage));
        }
        KeyAccess key = gw.keyAccess(KEY_VALUE);
        out.put("key", key.keyId() + " " + key.enabled() + " " + key.stages().keySet());
        return out;
    }

    @Test
    void everythingIsListedAsBeforeAfterACleanClose() {
        Path data = dir.resolve("data");
        ApiGatewayService gw = open(data);
        Ids ids = writeFixtureState(gw, storage());
        Map<String, String> before = listings(gw);
        Map<String, String> served = dataPlane(gw, ids);
        closeLast();

        ApiGatewayService again = open(data);
        assertEquals(before, listings(again));
        assertEquals(served, dataPlane(again, ids));
        // The deleted API, resource and usage plan key stay deleted.
        assertEquals(1, again.restApis().size());
        assertEquals(List.of("/", "/clicks", "/clicks/{id}"), again.resources(ids.apiId()).stream().map(r -> r.path).toList());
        assertEquals(List.of(ids.keyId()), again.usagePlanKeys(ids.planId(), null).stream().map(ApiKey::id).toList());
        // The stage v1 still serves the first deployment (timeout 5000), prod the second (9000).
        assertEquals(ids.firstDeploymentId(), again.stage(ids.apiId(), "v1").deploymentId);
        assertEquals(ids.secondDeploymentId(), again.stage(ids.apiId(), "prod").deploymentId);
        assertEquals(9000, again.integration(ids.apiId(), ids.clicksResourceId(), "PUT").timeoutInMillis);
        assertEquals(TEMPLATE, again.integration(ids.apiId(), ids.clicksResourceId(), "PUT").requestTemplates
                .get("application/json"));
        assertTrue(before.get("get-api-keys --include-values").contains(KEY_VALUE));
    }

    @Test
    void everythingIsListedAsBeforeAfterAKill() {
        Path data = dir.resolve("data");
        ApiGatewayService gw = open(data);
        Ids ids = writeFixtureState(gw, storage());
        Map<String, String> before = listings(gw);
        Map<String, String> served = dataPlane(gw, ids);
        storage().awaitDurable();

        // What a kill -9 now leaves on disk; the first storage is never closed before the copy.
        ApiGatewayService again = open(DataDirs.crashCopy(data, dir.resolve("crashed")));
        assertEquals(before, listings(again));
        assertEquals(served, dataPlane(again, ids));
    }

    @Test
    void aDeploymentServesWhatItFroze() {
        Path data = dir.resolve("data");
        ApiGatewayService gw = open(data);
        Ids ids = writeFixtureState(gw, storage());
        // Changed after both deployments: not served until deployed again, before and after a restart.
        gw.deleteMethod(ids.apiId(), ids.clicksResourceId(), "PUT");
        closeLast();

        ApiGatewayService again = open(data);
        assertThrows(AwsServiceException.class, () -> again.method(ids.apiId(), ids.clicksResourceId(), "PUT"));
        assertEquals(Set.of("PUT"), again.liveStage(ids.apiId(), "prod").api.summary.get("/clicks").keySet());
        assertEquals("{/clicks/{id}={GET=AWS_IAM}, /clicks={PUT=NONE}}",
                summary(again.liveStage(ids.apiId(), "v1")));
    }

    private static String summary(LiveStage stage) {
        Map<String, Map<String, String>> out = new TreeMap<>(Comparator.reverseOrder());
        stage.api.summary.forEach((path, methods) -> methods.forEach((name, m) ->
                out.computeIfAbsent(path, k -> new LinkedHashMap<>()).put(name, m.authorizationType)));
        return out.toString();
    }

    @Test
    void quotaCountsAreKeptWrittenBehind() {
        Path data = dir.resolve("data");
        ApiGatewayService gw = open(data);
        Ids ids = writeFixtureState(gw, storage());
        Instant now = Instant.now();
        for (int i = 0; i < 2; i++) {
            assertTrue(limits(gw, ids).withinQuota(now));
        }
        gw.flushQuotas();
        storage().checkpoint();
        assertTrue(limits(gw, ids).withinQuota(now));
        gw.flushQuotas();
        storage().awaitDurable();

        // Killed after the flush: all three counted.
        ApiGatewayService crashed = open(DataDirs.crashCopy(data, dir.resolve("crashed")));
        assertEquals(3, limits(crashed, ids).quotaUsage().used());

        // Counted, not flushed, then stopped: an orderly stop logs what is left.
        assertTrue(limits(gw, ids).withinQuota(now));
        opened.remove(0).close();
        ApiGatewayService again = open(data);
        assertTrue(limits(again, ids).withinQuota(now), "the fifth request of five");
        assertFalse(limits(again, ids).withinQuota(now), "the quota of five was used before the restart");

        // New limits start the counters over, after a restart too.
        again.updateUsagePlan(ids.planId(), List.of(replace("/quota/limit", "6")));
        closeLast();
        ApiGatewayService updated = open(data);
        assertNull(limits(updated, ids).quotaUsage());
    }

    private static KeyAccess.PlanLimits limits(ApiGatewayService gw, Ids ids) {
        return gw.keyAccess(KEY_VALUE).stages().get(ids.apiId() + "/prod");
    }

    @Test
    void newIdsDoNotCollideWithKeptOnes() {
        Path data = dir.resolve("data");
        ApiGatewayService gw = open(data);
        Ids ids = writeFixtureState(gw, storage());
        Map<String, String> before = listings(gw);
        closeLast();

        ApiGatewayService again = open(data);
        Set<String> resources = new HashSet<>();
        again.resources(ids.apiId()).forEach(r -> resources.add(r.id));
        for (int i = 0; i < 50; i++) {
            ApiResource r = again.createResource(ids.apiId(), ids.clicksResourceId(), "p" + i);
            assertTrue(resources.add(r.id), "resource id " + r.id + " given twice");
        }
        Set<String> deployments = new HashSet<>(List.of(ids.firstDeploymentId(), ids.secondDeploymentId()));
        Deployment d = again.createDeployment(ids.apiId(), null, null, "third", null);
        assertTrue(deployments.add(d.id()));
        RestApi api = again.createRestApi("new", null, null, null, null);
        assertFalse(api.id.equals(ids.apiId()));
        ApiKey key = again.createApiKey("new", null, true, null, null, null);
        assertFalse(key.id().equals(ids.keyId()));
        // Creating things after a restart changed none of what was there.
        Map<String, String> after = listings(again);
        assertEquals(before.get(ids.apiId() + " get-stages"), after.get(ids.apiId() + " get-stages"));
        assertEquals(before.get("get-usage-plans"), after.get("get-usage-plans"));
        // An API key value is unique, also against kept ones.
        AwsServiceException taken = assertThrows(AwsServiceException.class,
                () -> again.createApiKey("dup", null, true, KEY_VALUE, null, null));
        assertEquals(ApiGatewayService.CONFLICT, taken.code());
    }

    @Test
    void durabilityMemoryKeepsNothing() {
        Path data = dir.resolve("data");
        Storage storage = new Storage(Storage.Settings.of(data, Durability.MEMORY));
        opened.add(storage);
        writeFixtureState(open(storage), storage);
        closeLast();
        Storage again = new Storage(Storage.Settings.of(data, Durability.MEMORY));
        opened.add(again);
        assertEquals(List.of(), open(again).restApis());
    }

    @Test
    void readsTheCommittedVersion1Fixture() {
        Path data = DataDirs.crashCopy(Path.of("src/test/resources/storage/v1-apigateway"), dir.resolve("v1"));
        ApiGatewayService gw = open(data);
        Ids ids = ApiGatewayFixtures.IDS;
        assertEquals(List.of(ids.apiId()), gw.restApis().stream().map(a -> a.id).toList());
        assertEquals(List.of("/", "/clicks", "/clicks/{id}"), gw.resources(ids.apiId()).stream().map(r -> r.path).toList());
        Integration integration = gw.integration(ids.apiId(), ids.clicksResourceId(), "PUT");
        assertEquals(9000, integration.timeoutInMillis);
        assertEquals(TEMPLATE, integration.requestTemplates.get("application/json"));
        assertEquals(ROLE, integration.credentials);
        assertEquals(List.of(ids.firstDeploymentId(), ids.secondDeploymentId()),
                gw.deployments(ids.apiId()).stream().map(Deployment::id).toList());
        assertEquals(Map.of("stream", "clicks", "site", "eu"), gw.stage(ids.apiId(), "prod").variables);
        assertEquals(Map.of("env", "prod"), gw.stage(ids.apiId(), "prod").tags);
        assertEquals(KEY_VALUE, gw.apiKey(ids.keyId()).value());
        assertEquals(new UsagePlan.Quota(5, 0, "DAY"), gw.usagePlan(ids.planId()).quota);
        assertEquals(LOGS_ROLE, gw.cloudwatchRoleArn());
        assertEquals(ids.keyId(), gw.keyAccess(KEY_VALUE).keyId());
        assertNotNull(gw.liveStage(ids.apiId(), "prod"));
        assertEquals(Set.of("/clicks", "/clicks/{id}"), gw.liveStage(ids.apiId(), "v1").api.summary.keySet());
    }
}
