package dev.clicklog.localaws.apigateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.clicklog.endpoint.LocalEndpoint;
import dev.clicklog.testing.TestRoles;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.BadRequestException;
import software.amazon.awssdk.services.apigateway.model.IntegrationType;
import software.amazon.awssdk.services.apigateway.model.Op;
import software.amazon.awssdk.services.apigateway.model.PatchOperation;
import software.amazon.awssdk.services.apigateway.model.UpdateStageResponse;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * API Gateway's access logs: the account's CloudWatch role (UpdateAccount checks its trust), a
 * stage's access log settings (UpdateStage checks them as API Gateway does), and the lines the data
 * plane writes into the log group a little after each request — for its refusals as for what it
 * let through — as that role, with the $context variables of the stage's format.
 */
@QuarkusTest
class ApiGatewayAccessLogTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String FORMAT = "{\"requestId\":\"$context.requestId\",\"time\":\"$context.requestTimeEpoch\","
            + "\"status\":\"$context.status\",\"error\":\"$context.error.message\","
            + "\"quoted\":$context.error.messageString,\"responseType\":\"$context.error.responseType\","
            + "\"ip\":\"$context.identity.sourceIp\",\"userAgent\":\"$context.identity.userAgent\","
            + "\"method\":\"$context.httpMethod\",\"resourcePath\":\"$context.resourcePath\","
            + "\"protocol\":\"$context.protocol\",\"responseLength\":\"$context.responseLength\","
            + "\"requestLength\":\"$context.requestLength\",\"unknown\":\"$context.noSuchVariable\"}";

    @Inject
    ApiGatewayClient apigw;

    @Inject
    CloudWatchLogsClient logs;

    @Inject
    IamClient iam;

    @Inject
    LocalEndpoint endpoint;

    private String previousRole;

    @BeforeEach
    void rememberTheAccountsRole() {
        previousRole = apigw.getAccount().cloudwatchRoleArn();
    }

    @AfterEach
    void restoreTheAccountsRole() {
        apigw.updateAccount(b -> b.patchOperations(replace("/cloudwatchRoleArn", previousRole == null ? "" : previousRole)));
    }

    private static PatchOperation replace(String path, String value) {
        return PatchOperation.builder().op(Op.REPLACE).path(path).value(value).build();
    }

    private TestRoles.Role loggingRole(String logGroupArn) {
        return new TestRoles(iam).create("apigw-logs", "apigateway.amazonaws.com", TestRoles.allow(
                List.of("logs:CreateLogStream", "logs:PutLogEvents"), logGroupArn + ":log-stream:*"));
    }

    @Test
    void theAccountsRoleMustTrustApiGateway() {
        String untrusted = new TestRoles(iam).create("not-apigw", "firehose.amazonaws.com").arn();
        BadRequestException e = assertThrows(BadRequestException.class,
                () -> apigw.updateAccount(b -> b.patchOperations(replace("/cloudwatchRoleArn", untrusted))));
        assertTrue(e.getMessage().contains("The role ARN does not have required permissions set to API Gateway"),
                e.getMessage());
        String trusted = new TestRoles(iam).create("apigw", "apigateway.amazonaws.com").arn();
        assertEquals(trusted, apigw.updateAccount(b -> b.patchOperations(replace("/cloudwatchRoleArn", trusted)))
                .cloudwatchRoleArn());
        assertEquals(trusted, apigw.getAccount().cloudwatchRoleArn());
        assertEquals(5000, apigw.getAccount().throttleSettings().burstLimit());
    }

    @Test
    void stageSettingsAreCheckedAsApiGatewayChecksThem() {
        ApiFixture api = new ApiFixture(apigw, endpoint.uri(), "logs-settings");
        api.mock(api.rootId, "GET", "{\"statusCode\": 200}", "{}").deploy("v1");
        String group = "arn:aws:logs:us-east-1:000000000000:log-group:/test/settings";
        try {
            apigw.updateAccount(b -> b.patchOperations(replace("/cloudwatchRoleArn", "")));
            BadRequestException noRole = assertThrows(BadRequestException.class, () -> apigw.updateStage(b -> b
                    .restApiId(api.apiId).stageName("v1").patchOperations(replace("/accessLogSettings/destinationArn", group),
                            replace("/accessLogSettings/format", FORMAT))));
            assertTrue(noRole.getMessage().contains("CloudWatch Logs role ARN must be set in account settings"),
                    noRole.getMessage());

            String role = new TestRoles(iam).create("apigw", "apigateway.amazonaws.com").arn();
            apigw.updateAccount(b -> b.patchOperations(replace("/cloudwatchRoleArn", role)));
            BadRequestException noId = assertThrows(BadRequestException.class, () -> apigw.updateStage(b -> b
                    .restApiId(api.apiId).stageName("v1").patchOperations(replace("/accessLogSettings/destinationArn", group),
                            replace("/accessLogSettings/format", "$context.status"))));
            assertTrue(noId.getMessage().contains("$context.requestId or $context.extendedRequestId"), noId.getMessage());
            assertThrows(BadRequestException.class, () -> apigw.updateStage(b -> b.restApiId(api.apiId).stageName("v1")
                    .patchOperations(replace("/accessLogSettings/destinationArn", "not-an-arn"))));
            assertNull(apigw.getStage(b -> b.restApiId(api.apiId).stageName("v1")).accessLogSettings(),
                    "a refused update changes nothing");

            UpdateStageResponse set = apigw.updateStage(b -> b.restApiId(api.apiId).stageName("v1").patchOperations(
                    replace("/accessLogSettings/destinationArn", group), replace("/accessLogSettings/format", FORMAT)));
            assertEquals(group, set.accessLogSettings().destinationArn());
            assertEquals(FORMAT, apigw.getStage(b -> b.restApiId(api.apiId).stageName("v1")).accessLogSettings().format());
            apigw.updateStage(b -> b.restApiId(api.apiId).stageName("v1").patchOperations(PatchOperation.builder()
                    .op(Op.REMOVE).path("/accessLogSettings").build()));
            assertNull(apigw.getStage(b -> b.restApiId(api.apiId).stageName("v1")).accessLogSettings());
        } finally {
            api.delete();
        }
    }

    @Test
    void everyRequestTheStageAnsweredIsWrittenAsTheAccountsRole() throws Exception {
        String groupName = "/aws/apigateway/test-" + UUID.randomUUID().toString().substring(0, 8);
        logs.createLogGroup(b -> b.logGroupName(groupName));
        String groupArn = "arn:aws:logs:us-east-1:000000000000:log-group:" + groupName;
        TestRoles.Role role = loggingRole(groupArn);
        apigw.updateAccount(b -> b.patchOperations(replace("/cloudwatchRoleArn", role.arn())));

        // PUT /clicks takes JSON only (NEVER passes other types through): text/plain is refused with 415.
        ApiFixture api = new ApiFixture(apigw, endpoint.uri(), "logs-data");
        String clicks = api.resource(api.rootId, "clicks");
        apigw.putMethod(b -> b.restApiId(api.apiId).resourceId(clicks).httpMethod("PUT").authorizationType("NONE"));
        apigw.putMethodResponse(b -> b.restApiId(api.apiId).resourceId(clicks).httpMethod("PUT").statusCode("200"));
        apigw.putIntegration(b -> b.restApiId(api.apiId).resourceId(clicks).httpMethod("PUT").type(IntegrationType.MOCK)
                .passthroughBehavior("NEVER").requestTemplates(Map.of("application/json", "{\"statusCode\": 200}")));
        apigw.putIntegrationResponse(b -> b.restApiId(api.apiId).resourceId(clicks).httpMethod("PUT").statusCode("200")
                .responseTemplates(Map.of("application/json", "{\"ok\":true}")));
        api.deploy("v1");
        try {
            apigw.updateStage(b -> b.restApiId(api.apiId).stageName("v1").patchOperations(
                    replace("/accessLogSettings/destinationArn", groupArn + ":*"),
                    replace("/accessLogSettings/format", FORMAT)));

            String ok = api.invoke("v1", "/clicks").contentType("application/json").header("User-Agent", "agent \"one\"")
                    .body("{\"page\":\"/\"}").put().then().statusCode(200).extract().header("x-amzn-RequestId");
            String refused = api.invoke("v1", "/clicks").contentType("text/plain").header("User-Agent", "agent-two")
                    .body("hello").put().then().statusCode(415).extract().header("x-amzn-RequestId");
            api.invoke("v1", "/nowhere").get().then().statusCode(403);

            List<JsonNode> lines = new ArrayList<>();
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
                lines.clear();
                for (FilteredLogEvent e : logs.filterLogEvents(b -> b.logGroupName(groupName)).events()) {
                    lines.add(JSON.readTree(e.message()));
                }
                return lines.size() == 3;
            });
            JsonNode first = lines.get(0);
            assertEquals(ok, first.path("requestId").asText());
            assertEquals("200", first.path("status").asText());
            assertEquals("-", first.path("error").asText(), "no error: a dash, as API Gateway writes it");
            assertEquals("agent \"one\"", first.path("userAgent").asText(), "values escaped, so the line stays JSON");
            assertEquals("PUT", first.path("method").asText());
            assertEquals("/clicks", first.path("resourcePath").asText());
            assertEquals("HTTP/1.1", first.path("protocol").asText());
            assertEquals("11", first.path("responseLength").asText());
            assertEquals("12", first.path("requestLength").asText());
            assertEquals("-", first.path("unknown").asText());
            assertEquals("127.0.0.1", first.path("ip").asText());

            JsonNode second = lines.get(1);
            assertEquals(refused, second.path("requestId").asText());
            assertEquals("415", second.path("status").asText());
            assertEquals("Unsupported Media Type", second.path("error").asText());
            assertEquals("Unsupported Media Type", second.path("quoted").asText());
            assertEquals("UNSUPPORTED_MEDIA_TYPE", second.path("responseType").asText());
            assertEquals("agent-two", second.path("userAgent").asText());
            assertEquals("403", lines.get(2).path("status").asText());
            assertEquals("MISSING_AUTHENTICATION_TOKEN", lines.get(2).path("responseType").asText());

            assertEquals(2, logs.filterLogEvents(b -> b.logGroupName(groupName).filterPattern("{ $.status >= 400 }"))
                    .events().size());
            String stream = logs.describeLogStreams(b -> b.logGroupName(groupName)).logStreams().get(0).logStreamName();
            assertTrue(stream.matches("[0-9a-f]{32}"), stream);

            // A log group the role may not write: its lines are dropped. Delivered in order, so once
            // the next line (to the allowed group again) has arrived, the dropped one was tried first.
            String other = groupName + "-other";
            logs.createLogGroup(b -> b.logGroupName(other));
            apigw.updateStage(b -> b.restApiId(api.apiId).stageName("v1").patchOperations(
                    replace("/accessLogSettings/destinationArn", groupArn + "-other")));
            api.invoke("v1", "/clicks").contentType("application/json").header("User-Agent", "not allowed")
                    .body("{}").put().then().statusCode(200);
            apigw.updateStage(b -> b.restApiId(api.apiId).stageName("v1").patchOperations(
                    replace("/accessLogSettings/destinationArn", groupArn)));
            api.invoke("v1", "/clicks").contentType("application/json").header("User-Agent", "allowed again")
                    .body("{}").put().then().statusCode(200);
            await().atMost(Duration.ofSeconds(20)).until(() -> logs.filterLogEvents(b -> b.logGroupName(groupName))
                    .events().size() == 4);
            assertEquals("allowed again", JSON.readTree(logs.filterLogEvents(b -> b.logGroupName(groupName)).events()
                    .get(3).message()).path("userAgent").asText());
            assertEquals(List.of(), logs.filterLogEvents(b -> b.logGroupName(other)).events());
            assertEquals(List.of(), logs.describeLogStreams(b -> b.logGroupName(other)).logStreams());
            logs.deleteLogGroup(b -> b.logGroupName(other));
        } finally {
            api.delete();
            logs.deleteLogGroup(b -> b.logGroupName(groupName));
        }
    }
}
