package dev.clicklog.localaws.apigateway;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.clicklog.endpoint.LocalEndpoint;
import dev.clicklog.testing.AwsCli;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.ApiGatewayException;
import software.amazon.awssdk.services.apigateway.model.GatewayResponse;
import software.amazon.awssdk.services.apigateway.model.GatewayResponseType;
import software.amazon.awssdk.services.apigateway.model.NotFoundException;

/**
 * Gateway responses: the control plane's Put/Get/Delete through the SDK, and what the data plane
 * answers with them once deployed, e.g. CORS headers on the errors API Gateway itself returns.
 */
@QuarkusTest
class ApiGatewayGatewayResponsesTest {

    static final String DEFAULT_TEMPLATE = "{\"message\":$context.error.messageString}";

    @Inject
    ApiGatewayClient apigw;

    @Inject
    LocalEndpoint endpoint;

    ApiFixture api(String prefix) {
        return new ApiFixture(apigw, endpoint.uri(), prefix);
    }

    GatewayResponse get(ApiFixture api, GatewayResponseType type) {
        var r = apigw.getGatewayResponse(b -> b.restApiId(api.apiId).responseType(type));
        return GatewayResponse.builder().responseType(r.responseType()).statusCode(r.statusCode())
                .responseParameters(r.responseParameters()).responseTemplates(r.responseTemplates())
                .defaultResponse(r.defaultResponse()).build();
    }

    @Test
    void everyTypeHasADefaultUntilCustomised() {
        ApiFixture api = api("gr-defaults");
        List<GatewayResponse> all = apigw.getGatewayResponses(b -> b.restApiId(api.apiId)).items();
        assertEquals(21, all.size());
        for (GatewayResponse r : all) {
            assertTrue(r.defaultResponse(), r.toString());
            assertEquals(Map.of("application/json", DEFAULT_TEMPLATE), r.responseTemplates());
            assertEquals(Map.of(), r.responseParameters());
        }
        GatewayResponse token = get(api, GatewayResponseType.MISSING_AUTHENTICATION_TOKEN);
        assertEquals("403", token.statusCode());
        assertEquals("429", get(api, GatewayResponseType.THROTTLED).statusCode());
        assertEquals("504", get(api, GatewayResponseType.INTEGRATION_TIMEOUT).statusCode());
        assertNull(get(api, GatewayResponseType.DEFAULT_4_XX).statusCode(), "the defaults have no status of their own");
        api.delete();
    }

    @Test
    void putReplacesGetShowsInheritanceDeleteRestoresTheDefault() {
        ApiFixture api = api("gr-crud");
        var put = apigw.putGatewayResponse(b -> b.restApiId(api.apiId).responseType(GatewayResponseType.MISSING_AUTHENTICATION_TOKEN)
                .statusCode("404").responseParameters(Map.of("gatewayresponse.header.Access-Control-Allow-Origin", "'a.b.c'"))
                .responseTemplates(Map.of("application/json", "{\"m\": $context.error.messageString}")));
        assertEquals("404", put.statusCode());
        assertFalse(put.defaultResponse());
        assertEquals(Map.of("gatewayresponse.header.Access-Control-Allow-Origin", "'a.b.c'"), put.responseParameters());

        // A put replaces: what it leaves out is the type's default again.
        var statusOnly = apigw.putGatewayResponse(b -> b.restApiId(api.apiId)
                .responseType(GatewayResponseType.MISSING_AUTHENTICATION_TOKEN).responseParameters(
                        Map.of("gatewayresponse.header.x-request-header", "method.request.header.Accept")));
        assertEquals("403", statusOnly.statusCode());
        assertEquals(Map.of("application/json", DEFAULT_TEMPLATE), statusOnly.responseTemplates());

        // DEFAULT_5XX's customisation shows in every 5XX type that has none of its own.
        apigw.putGatewayResponse(b -> b.restApiId(api.apiId).responseType(GatewayResponseType.DEFAULT_5_XX)
                .statusCode("599").responseParameters(Map.of("gatewayresponse.header.x-five", "'5'")));
        GatewayResponse config = get(api, GatewayResponseType.API_CONFIGURATION_ERROR);
        assertEquals("599", config.statusCode());
        assertTrue(config.defaultResponse());
        assertEquals(Map.of("gatewayresponse.header.x-five", "'5'"), config.responseParameters());
        assertEquals("403", get(api, GatewayResponseType.ACCESS_DENIED).statusCode(), "a 4XX type is not affected");

        apigw.deleteGatewayResponse(b -> b.restApiId(api.apiId).responseType(GatewayResponseType.MISSING_AUTHENTICATION_TOKEN));
        GatewayResponse restored = get(api, GatewayResponseType.MISSING_AUTHENTICATION_TOKEN);
        assertTrue(restored.defaultResponse());
        assertEquals("403", restored.statusCode());
        NotFoundException notSet = assertThrows(NotFoundException.class, () -> apigw.deleteGatewayResponse(
                b -> b.restApiId(api.apiId).responseType(GatewayResponseType.MISSING_AUTHENTICATION_TOKEN)));
        assertEquals("Gateway response type not defined on api", notSet.awsErrorDetails().errorMessage());
        api.delete();
    }

    @Test
    void badInputIsRefused() {
        ApiFixture api = api("gr-errors");
        NotFoundException noApi = assertThrows(NotFoundException.class,
                () -> apigw.getGatewayResponses(b -> b.restApiId("nosuchapi0")));
        assertEquals("Invalid API identifier specified 000000000000:nosuchapi0", noApi.awsErrorDetails().errorMessage());
        ApiGatewayException type = assertThrows(ApiGatewayException.class, () -> apigw.getGatewayResponse(
                b -> b.restApiId(api.apiId).responseType("FAKE_RESPONSE_TYPE")));
        assertEquals("ValidationException", type.awsErrorDetails().errorCode());
        assertTrue(type.awsErrorDetails().errorMessage().startsWith("1 validation error detected: Value "
                + "'FAKE_RESPONSE_TYPE' at 'responseType' failed to satisfy constraint: Member must satisfy enum value set: "
                + "[REQUEST_TOO_LARGE, RESOURCE_NOT_FOUND,"), type.awsErrorDetails().errorMessage());
        ApiGatewayException status = assertThrows(ApiGatewayException.class, () -> apigw.putGatewayResponse(
                b -> b.restApiId(api.apiId).responseType(GatewayResponseType.THROTTLED).statusCode("99")));
        assertEquals("ValidationException", status.awsErrorDetails().errorCode());
        ApiGatewayException header = assertThrows(ApiGatewayException.class, () -> apigw.putGatewayResponse(
                b -> b.restApiId(api.apiId).responseType(GatewayResponseType.THROTTLED)
                        .responseParameters(Map.of("method.response.header.X", "'x'"))));
        assertEquals("BadRequestException", header.awsErrorDetails().errorCode());
        ApiGatewayException source = assertThrows(ApiGatewayException.class, () -> apigw.putGatewayResponse(
                b -> b.restApiId(api.apiId).responseType(GatewayResponseType.THROTTLED)
                        .responseParameters(Map.of("gatewayresponse.header.X", "integration.response.body"))));
        assertEquals("BadRequestException", source.awsErrorDetails().errorCode());
        assertTrue(get(api, GatewayResponseType.THROTTLED).defaultResponse(), "nothing changed");
        api.delete();
    }

    @Test
    void gatewayErrorsCarryTheCustomisedResponseOnceDeployed() {
        ApiFixture api = api("gr-cors");
        api.mock(api.resource(api.rootId, "clicks"), "PUT", "{\"statusCode\": 200}", null, m -> m.apiKeyRequired(true))
                .deploy("v1");
        String cors = "gatewayresponse.header.Access-Control-Allow-Origin";
        apigw.putGatewayResponse(b -> b.restApiId(api.apiId).responseType(GatewayResponseType.DEFAULT_4_XX)
                .responseParameters(Map.of(cors, "'https://app.example'")));
        apigw.putGatewayResponse(b -> b.restApiId(api.apiId).responseType(GatewayResponseType.MISSING_AUTHENTICATION_TOKEN)
                .statusCode("404").responseParameters(Map.of(cors, "'https://app.example'",
                        "gatewayresponse.header.X-Trace", "method.request.header.X-Trace",
                        "gatewayresponse.header.X-Stage", "context.stage"))
                .responseTemplates(Map.of("application/json", "{\"error\": $context.error.messageString, "
                        + "\"type\": \"$context.error.responseType\", \"path\": \"$context.path\", "
                        + "\"q\": \"$input.params('q')\"}")));

        // Not deployed yet: API Gateway still answers as before.
        Response before = api.invoke("v1", "/nothing").put();
        before.then().statusCode(403).body("message", equalTo("Missing Authentication Token"));
        assertNull(before.header("Access-Control-Allow-Origin"));

        api.deploy("v1");
        api.invoke("v1", "/nothing?q=x").header("X-Trace", "t-7").put().then().statusCode(404)
                .header("Access-Control-Allow-Origin", "https://app.example")
                .header("X-Trace", "t-7").header("X-Stage", "v1")
                .header("x-amzn-ErrorType", "MissingAuthenticationTokenException")
                .body("error", equalTo("Missing Authentication Token"))
                .body("type", equalTo("MISSING_AUTHENTICATION_TOKEN"))
                .body("path", equalTo("/v1/nothing")).body("q", equalTo("x"));
        // A missing API key (INVALID_API_KEY, 403) takes DEFAULT_4XX's headers with its own status and body.
        api.invoke("v1", "/clicks").put().then().statusCode(403)
                .header("Access-Control-Allow-Origin", "https://app.example")
                .header("x-amzn-ErrorType", "ForbiddenException")
                .body("message", equalTo("Forbidden"));

        apigw.deleteGatewayResponse(b -> b.restApiId(api.apiId).responseType(GatewayResponseType.DEFAULT_4_XX));
        apigw.deleteGatewayResponse(b -> b.restApiId(api.apiId).responseType(GatewayResponseType.MISSING_AUTHENTICATION_TOKEN));
        api.deploy("v1");
        Response after = api.invoke("v1", "/nothing").put();
        after.then().statusCode(403).body("message", equalTo("Missing Authentication Token"));
        assertNull(after.header("Access-Control-Allow-Origin"));
        api.delete();
    }

    @Test
    void theCliPutsAGatewayResponseAsTheReadmeShows() {
        ApiFixture api = api("gr-cli");
        api.mock(api.resource(api.rootId, "clicks"), "PUT", "{\"statusCode\": 200}", null).deploy("v1");
        AwsCli cli = new AwsCli(endpoint.uri(), "us-east-1");
        cli.run("apigateway", "put-gateway-response", "--rest-api-id", api.apiId, "--response-type", "DEFAULT_4XX",
                "--response-parameters", "{\"gatewayresponse.header.Access-Control-Allow-Origin\":\"'https://app.example'\"}")
                .assertOk();
        cli.run("apigateway", "create-deployment", "--rest-api-id", api.apiId, "--stage-name", "v1").assertOk();
        api.invoke("v1", "/nothing").put().then().statusCode(403)
                .header("Access-Control-Allow-Origin", "https://app.example");
        assertTrue(cli.run("apigateway", "get-gateway-responses", "--rest-api-id", api.apiId).assertOk().stdout()
                .contains("'https://app.example'"));
        api.delete();
    }

    @Test
    void specificTypesAndTheFiveHundreds() {
        ApiFixture api = api("gr-types");
        String clicks = api.resource(api.rootId, "clicks");
        api.mock(clicks, "PUT", "{\"statusCode\": 200}", null);
        api.mock(api.resource(api.rootId, "broken"), "GET", "{\"no\": \"status\"}", null);
        apigw.putGatewayResponse(b -> b.restApiId(api.apiId).responseType(GatewayResponseType.THROTTLED)
                .statusCode("503").responseTemplates(Map.of("application/json", "{\"slowDown\": true}",
                        "text/plain", "slow down")));
        apigw.putGatewayResponse(b -> b.restApiId(api.apiId).responseType(GatewayResponseType.DEFAULT_5_XX)
                .responseParameters(Map.of("gatewayresponse.header.Access-Control-Allow-Origin", "'*'")));
        api.deploy("v1");
        api.patchStage("v1", "/~1clicks/PUT/throttling/burstLimit", "0", "/~1clicks/PUT/throttling/rateLimit", "0");

        api.invoke("v1", "/clicks").put().then().statusCode(503).header("x-amzn-ErrorType", "TooManyRequestsException")
                .body("slowDown", equalTo(true));
        api.invoke("v1", "/clicks").header("Accept", "text/plain").put().then().statusCode(503)
                .contentType("text/plain").body(equalTo("slow down"));
        // A mock template without a status code is a configuration error: DEFAULT_5XX's header, default body.
        api.invoke("v1", "/broken").get().then().statusCode(500).header("Access-Control-Allow-Origin", "*")
                .body("message", equalTo("Internal server error"));
        api.delete();
    }
}
