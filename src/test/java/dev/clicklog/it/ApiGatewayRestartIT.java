package dev.clicklog.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.clicklog.it.PortalProcesses.Portal;
import dev.clicklog.testing.AwsCli;
import dev.clicklog.testing.Host;
import io.restassured.path.json.JsonPath;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.IntegrationType;
import software.amazon.awssdk.services.apigateway.model.QuotaPeriodType;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * API Gateway keeps what it acknowledged, with real processes of the packaged app in local mode and
 * durability fsync: a click API built through the SDK (resource, method, Kinesis integration with
 * its mapping template, deployment, stage settings, API keys, usage plans) is listed by the AWS CLI
 * exactly as before a SIGTERM and a SIGKILL, the same invoke URL keeps putting clicks into the
 * stream, and a usage plan's quota counts what was used before the restart.
 */
class ApiGatewayRestartIT {

    private static final String STREAM = "clicks-api-durable";
    private static final String TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"apigateway.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
    private static final String TEMPLATE = "{\"StreamName\": \"" + STREAM
            + "\", \"Data\": \"$util.base64Encode($input.body)\", \"PartitionKey\": \"$context.requestId\"}";
    private static final String METERED = "metered-key-0123456789abcdef";
    private static final String FREE = "free-key-0123456789abcdefgh";

    @RegisterExtension
    final PortalProcesses portals = new PortalProcesses();

    private final HttpClient http = HttpClient.newHttpClient();
    private AwsResources clients;

    @AfterEach
    void closeClients() {
        if (clients != null) {
            clients.close();
        }
    }

    @Test
    void apisKeysPlansAndInvokeUrlsSurviveSigtermAndSigkill() {
        int port = Host.freePort();
        Map<String, String> settings = Map.of(
                "clicklog.aws.mode", "local",
                "clicklog.localaws.port", String.valueOf(port));
        AwsCli aws = new AwsCli(URI.create("http://127.0.0.1:" + port), "us-east-1");
        Portal portal = portals.start("first", settings);

        clients = new AwsResources(URI.create("http://127.0.0.1:" + port), true);
        IamClient iam = clients.iam;
        KinesisClient kinesis = clients.kinesis;
        ApiGatewayClient apigw = clients.apiGateway;
        kinesis.createStream(b -> b.streamName(STREAM).shardCount(1));
        await("stream ACTIVE").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> kinesis.describeStreamSummary(b -> b.streamName(STREAM)).streamDescriptionSummary()
                        .streamStatus() == StreamStatus.ACTIVE);
        String role = iam.createRole(b -> b.roleName("clicks-api-ingest").assumeRolePolicyDocument(TRUST)).role().arn();
        iam.putRolePolicy(b -> b.roleName("clicks-api-ingest").policyName("put").policyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"kinesis:PutRecord\","
                        + "\"Resource\":\"arn:aws:kinesis:us-east-1:000000000000:stream/" + STREAM + "\"}]}"));

        String apiId = apigw.createRestApi(b -> b.name("clicks").description("click ingest")
                .endpointConfiguration(e -> e.typesWithStrings("REGIONAL")).tags(Map.of("team", "web"))).id();
        String root = apigw.getResources(b -> b.restApiId(apiId)).items().get(0).id();
        String clicks = apigw.createResource(b -> b.restApiId(apiId).parentId(root).pathPart("clicks")).id();
        apigw.putMethod(b -> b.restApiId(apiId).resourceId(clicks).httpMethod("PUT").authorizationType("NONE")
                .apiKeyRequired(true));
        apigw.putMethodResponse(b -> b.restApiId(apiId).resourceId(clicks).httpMethod("PUT").statusCode("200"));
        apigw.putIntegration(b -> b.restApiId(apiId).resourceId(clicks).httpMethod("PUT").type(IntegrationType.AWS)
                .integrationHttpMethod("POST").uri("arn:aws:apigateway:us-east-1:kinesis:action/PutRecord")
                .credentials(role).passthroughBehavior("NEVER").requestTemplates(Map.of("application/json", TEMPLATE)));
        apigw.putIntegrationResponse(b -> b.restApiId(apiId).resourceId(clicks).httpMethod("PUT").statusCode("200")
                .responseTemplates(Map.of("application/json", "{\"accepted\": true}")));
        apigw.createDeployment(b -> b.restApiId(apiId).stageName("prod").description("first"));
        apigw.updateStage(b -> b.restApiId(apiId).stageName("prod").patchOperations(
                p -> p.op("replace").path("/variables/site").value("eu"),
                p -> p.op("replace").path("/*/*/throttling/rateLimit").value("100")));
        String metered = apigw.createApiKey(b -> b.name("metered").value(METERED).enabled(true)).id();
        String free = apigw.createApiKey(b -> b.name("free").value(FREE).enabled(true)).id();
        String quotaPlan = apigw.createUsagePlan(b -> b.name("four-a-day")
                .apiStages(s -> s.apiId(apiId).stage("prod")).quota(q -> q.limit(4).period(QuotaPeriodType.DAY))).id();
        String freePlan = apigw.createUsagePlan(b -> b.name("free").apiStages(s -> s.apiId(apiId).stage("prod"))).id();
        apigw.createUsagePlanKey(b -> b.usagePlanId(quotaPlan).keyId(metered).keyType("API_KEY"));
        apigw.createUsagePlanKey(b -> b.usagePlanId(freePlan).keyId(free).keyType("API_KEY"));
        URI invokeUrl = URI.create("http://127.0.0.1:" + port + "/restapis/" + apiId + "/prod/_user_request_/clicks");

        assertEquals(200, invoke(invokeUrl, METERED, 1));
        assertEquals(200, invoke(invokeUrl, METERED, 2));
        Map<String, String> before = listings(aws, apiId, quotaPlan, freePlan);

        portals.stop(portal);
        Portal second = portals.start("after-sigterm", settings);
        assertEquals(before, listings(aws, apiId, quotaPlan, freePlan), "after SIGTERM");
        // The same URL still reaches the stream; the quota of four counts the two used before.
        assertEquals(200, invoke(invokeUrl, METERED, 3));
        assertEquals(200, invoke(invokeUrl, METERED, 4));
        assertEquals(429, invoke(invokeUrl, METERED, 5), "the quota was used up across the restart");
        assertEquals(List.of(1, 2, 3, 4), clicks(aws));

        // Acknowledged, then killed at once: still there.
        apigw.tagResource(b -> b.resourceArn("arn:aws:apigateway:us-east-1::/restapis/" + apiId + "/stages/prod")
                .tags(Map.of("when", "just-before-the-kill")));
        apigw.createDeployment(b -> b.restApiId(apiId).stageName("prod").description("second"));
        Map<String, String> beforeKill = listings(aws, apiId, quotaPlan, freePlan);
        portals.kill(second);
        portals.start("after-sigkill", settings);
        assertEquals(beforeKill, listings(aws, apiId, quotaPlan, freePlan), "after SIGKILL");
        assertEquals(200, invoke(invokeUrl, FREE, 6));
        assertEquals(List.of(1, 2, 3, 4, 6), clicks(aws));
    }

    private int invoke(URI url, String key, int click) {
        HttpRequest request = HttpRequest.newBuilder(url).header("Content-Type", "application/json").header("x-api-key", key)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"click\":" + click + "}")).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The click numbers the stream holds, in order. */
    private static List<Integer> clicks(AwsCli aws) {
        String iterator = JsonPath.from(aws.run("kinesis", "get-shard-iterator", "--stream-name", STREAM, "--shard-id",
                "shardId-000000000000", "--shard-iterator-type", "TRIM_HORIZON").assertOk().stdout())
                .getString("ShardIterator");
        List<String> data = JsonPath.from(aws.run("kinesis", "get-records", "--shard-iterator", iterator).assertOk()
                .stdout()).getList("Records.Data", String.class);
        return data.stream().map(d -> JsonPath.from(new String(Base64.getDecoder().decode(d), StandardCharsets.UTF_8))
                .getInt("click")).toList();
    }

    /** What the AWS CLI lists of API Gateway, command by command. */
    private static Map<String, String> listings(AwsCli aws, String apiId, String... plans) {
        Map<String, String> out = new LinkedHashMap<>();
        List<List<String>> commands = new ArrayList<>(List.of(
                List.of("apigateway", "get-rest-apis"),
                List.of("apigateway", "get-resources", "--rest-api-id", apiId, "--embed", "methods"),
                List.of("apigateway", "get-stages", "--rest-api-id", apiId),
                List.of("apigateway", "get-deployments", "--rest-api-id", apiId),
                List.of("apigateway", "get-api-keys", "--include-values"),
                List.of("apigateway", "get-usage-plans"),
                List.of("apigateway", "get-tags", "--resource-arn",
                        "arn:aws:apigateway:us-east-1::/restapis/" + apiId + "/stages/prod")));
        for (String plan : plans) {
            commands.add(List.of("apigateway", "get-usage-plan-keys", "--usage-plan-id", plan));
        }
        for (List<String> command : commands) {
            out.put(String.join(" ", command), aws.run(command.toArray(String[]::new)).assertOk().stdout());
        }
        assertTrue(out.get("apigateway get-rest-apis").contains(apiId), out.get("apigateway get-rest-apis"));
        assertTrue(out.get("apigateway get-api-keys --include-values").contains(METERED));
        return out;
    }
}
