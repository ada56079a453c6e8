package dev.clicklog.localaws.apigateway;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.clicklog.endpoint.LocalEndpoint;
import dev.clicklog.testing.AwsCli;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.BadRequestException;
import software.amazon.awssdk.services.apigateway.model.NotFoundException;
import software.amazon.awssdk.services.apigateway.model.Op;
import software.amazon.awssdk.services.apigateway.model.PatchOperation;
import software.amazon.awssdk.services.apigateway.model.QuotaPeriodType;
import software.amazon.awssdk.services.apigateway.model.UpdateIntegrationResponse;
import software.amazon.awssdk.services.apigateway.model.UpdateIntegrationResponseResponse;
import software.amazon.awssdk.services.apigateway.model.UpdateMethodResponse;
import software.amazon.awssdk.services.apigateway.model.UpdateMethodResponseResponse;

/**
 * Changing a deployed API in place: UpdateMethod, UpdateMethodResponse, UpdateIntegration and
 * UpdateIntegrationResponse through the SDK and the AWS CLI, each reaching clients with the next
 * deployment only; invalid patches change nothing; DeleteUsagePlan and DeleteApiKey.
 */
@QuarkusTest
class ApiGatewayPatchTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALLOW_ORIGIN = "method.response.header.Access-Control-Allow-Origin";

    @Inject
    ApiGatewayClient apigw;
    @Inject
    LocalEndpoint endpoint;

    @Test
    void patchedMethodsIntegrationsAndResponsesServeAfterTheNextDeployment() {
        ApiFixture api = new ApiFixture(apigw, endpoint.uri(), "patch");
        String clicks = api.resource(api.rootId, "clicks");
        api.mock(clicks, "GET", "{\"statusCode\": 200}", "{\"n\": 1}");
        apigw.updateMethodResponse(b -> b.restApiId(api.apiId).resourceId(clicks).httpMethod("GET").statusCode("200")
                .patchOperations(add("/responseParameters/" + ALLOW_ORIGIN, "false")));
        apigw.updateIntegrationResponse(b -> b.restApiId(api.apiId).resourceId(clicks).httpMethod("GET").statusCode("200")
                .patchOperations(add("/responseParameters/" + ALLOW_ORIGIN, "'https://a.example'")));
        api.deploy("v1");
        api.invoke("v1", "/clicks").get().then().statusCode(200).header("Access-Control-Allow-Origin", "https://a.example")
                .body("n", equalTo(1));

        // Change the origin, the body and require a key: nothing changes for clients until deployed.
        UpdateIntegrationResponseResponse ir = apigw.updateIntegrationResponse(b -> b.restApiId(api.apiId).resourceId(clicks)
                .httpMethod("GET").statusCode("200").patchOperations(
                        replace("/responseParameters/" + ALLOW_ORIGIN, "'https://b.example'"),
                        replace("/responseTemplates/application~1json", "{\"n\": 2}")));
        assertEquals("'https://b.example'", ir.responseParameters().get(ALLOW_ORIGIN));
        assertEquals("{\"n\": 2}", ir.responseTemplates().get("application/json"));
        UpdateMethodResponse method = apigw.updateMethod(b -> b.restApiId(api.apiId).resourceId(clicks).httpMethod("GET")
                .patchOperations(replace("/apiKeyRequired", "true")));
        assertTrue(method.apiKeyRequired());
        assertTrue(method.methodResponses().containsKey("200"), "its responses stay");
        assertEquals("MOCK", method.methodIntegration().typeAsString(), "and its integration");
        UpdateIntegrationResponse integration = apigw.updateIntegration(b -> b.restApiId(api.apiId).resourceId(clicks).httpMethod("GET")
                .patchOperations(add("/requestTemplates/text~1plain", "{\"statusCode\": 200}"),
                        replace("/passthroughBehavior", "NEVER")));
        assertEquals("NEVER", integration.passthroughBehavior());
        assertEquals(Map.of("application/json", "{\"statusCode\": 200}", "text/plain", "{\"statusCode\": 200}"),
                integration.requestTemplates());
        assertTrue(integration.integrationResponses().containsKey("200"), "its responses stay");
        api.invoke("v1", "/clicks").get().then().statusCode(200).header("Access-Control-Allow-Origin", "https://a.example");

        api.deploy("v1");
        api.invoke("v1", "/clicks").get().then().statusCode(403);
        String key = apigw.createApiKey(b -> b.name(api.name).enabled(true)).value();
        String keyId = apigw.getApiKeys(b -> b.nameQuery(api.name)).items().get(0).id();
        String plan = apigw.createUsagePlan(b -> b.name(api.name).apiStages(s -> s.apiId(api.apiId).stage("v1"))
                .quota(q -> q.limit(100).period(QuotaPeriodType.DAY))).id();
        apigw.createUsagePlanKey(b -> b.usagePlanId(plan).keyId(keyId).keyType("API_KEY"));
        api.invoke("v1", "/clicks").header("x-api-key", key).get().then().statusCode(200)
                .header("Access-Control-Allow-Origin", "https://b.example").body("n", equalTo(2));

        // Turning the key off again, then removing the header mapping.
        apigw.updateMethod(b -> b.restApiId(api.apiId).resourceId(clicks).httpMethod("GET")
                .patchOperations(replace("/apiKeyRequired", "false")));
        apigw.updateIntegrationResponse(b -> b.restApiId(api.apiId).resourceId(clicks).httpMethod("GET").statusCode("200")
                .patchOperations(remove("/responseParameters/" + ALLOW_ORIGIN)));
        UpdateMethodResponseResponse declared = apigw.updateMethodResponse(b -> b.restApiId(api.apiId).resourceId(clicks)
                .httpMethod("GET").statusCode("200").patchOperations(remove("/responseParameters/" + ALLOW_ORIGIN)));
        assertFalse(declared.responseParameters().containsKey(ALLOW_ORIGIN));
        api.deploy("v1");
        api.invoke("v1", "/clicks").get().then().statusCode(200).header("Access-Control-Allow-Origin", nullValue());

        // The plan and key go; DeleteUsagePlan of a plan already gone is NotFound.
        apigw.deleteUsagePlan(b -> b.usagePlanId(plan));
        assertThrows(NotFoundException.class, () -> apigw.getUsagePlan(b -> b.usagePlanId(plan)));
        assertThrows(NotFoundException.class, () -> apigw.deleteUsagePlan(b -> b.usagePlanId(plan)));
        apigw.deleteApiKey(b -> b.apiKey(keyId));
        assertThrows(NotFoundException.class, () -> apigw.getApiKey(b -> b.apiKey(keyId)));
        api.delete();
    }

    @Test
    void anInvalidPatchChangesNothing() {
        ApiFixture api = new ApiFixture(apigw, endpoint.uri(), "patch-bad");
        String clicks = api.resource(api.rootId, "clicks");
        api.mock(clicks, "GET", "{\"statusCode\": 200}", "{}");

        BadRequestException badPath = assertThrows(BadRequestException.class, () -> apigw.updateMethod(b -> b
                .restApiId(api.apiId).resourceId(clicks).httpMethod("GET")
                .patchOperations(replace("/apiKeyRequired", "true"), replace("/nonsense", "x"))));
        assertTrue(badPath.awsErrorDetails().errorMessage().contains("/nonsense"), badPath.getMessage());
        assertFalse(apigw.getMethod(b -> b.restApiId(api.apiId).resourceId(clicks).httpMethod("GET")).apiKeyRequired(),
                "the valid operation before it was not applied either");

        // A header mapping for a header the method response does not declare is refused, as PutIntegrationResponse refuses it.
        assertThrows(BadRequestException.class, () -> apigw.updateIntegrationResponse(b -> b.restApiId(api.apiId)
                .resourceId(clicks).httpMethod("GET").statusCode("200")
                .patchOperations(add("/responseParameters/method.response.header.X-Undeclared", "'x'"))));
        assertNull(apigw.getIntegrationResponse(b -> b.restApiId(api.apiId).resourceId(clicks).httpMethod("GET")
                .statusCode("200")).responseParameters().get("method.response.header.X-Undeclared"));
        assertThrows(NotFoundException.class, () -> apigw.updateIntegration(b -> b.restApiId(api.apiId)
                .resourceId(clicks).httpMethod("GET").patchOperations(remove("/requestTemplates/text~1plain"))));
        assertThrows(NotFoundException.class, () -> apigw.updateMethod(b -> b.restApiId(api.apiId)
                .resourceId(clicks).httpMethod("POST").patchOperations(replace("/apiKeyRequired", "true"))));
        api.delete();
    }

    @Test
    void theCliPatchesMethodsAndIntegrations() throws Exception {
        ApiFixture api = new ApiFixture(apigw, endpoint.uri(), "patch-cli");
        String clicks = api.resource(api.rootId, "clicks");
        api.mock(clicks, "GET", "{\"statusCode\": 200}", "{}");
        AwsCli aws = new AwsCli(endpoint.uri(), "us-east-1");
        JsonNode method = JSON.readTree(aws.run("apigateway", "update-method", "--rest-api-id", api.apiId,
                "--resource-id", clicks, "--http-method", "GET", "--patch-operations",
                "op=replace,path=/apiKeyRequired,value=true").assertOk().stdout());
        assertTrue(method.path("apiKeyRequired").asBoolean());
        JsonNode integration = JSON.readTree(aws.run("apigateway", "update-integration", "--rest-api-id", api.apiId,
                "--resource-id", clicks, "--http-method", "GET", "--patch-operations",
                "[{\"op\":\"replace\",\"path\":\"/requestTemplates/application~1json\",\"value\":\"{}\"}]")
                .assertOk().stdout());
        assertEquals("{}", integration.path("requestTemplates").path("application/json").asText());
        AwsCli.Result bad = aws.run("apigateway", "update-integration-response", "--rest-api-id", api.apiId,
                "--resource-id", clicks, "--http-method", "GET", "--status-code", "200", "--patch-operations",
                "op=replace,path=/nonsense,value=x");
        assertTrue(bad.exitCode() != 0);
        assertTrue(bad.stderr().contains("(BadRequestException)"), bad.stderr());
        api.delete();
    }

    private static PatchOperation add(String path, String value) {
        return PatchOperation.builder().op(Op.ADD).path(path).value(value).build();
    }

    private static PatchOperation replace(String path, String value) {
        return PatchOperation.builder().op(Op.REPLACE).path(path).value(value).build();
    }

    private static PatchOperation remove(String path) {
        return PatchOperation.builder().op(Op.REMOVE).path(path).build();
    }
}
