package dev.clicklog.localaws.apigateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.clicklog.endpoint.LocalEndpoint;
import dev.clicklog.testing.AwsCli;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;

/** The AWS CLI's apigateway commands against localaws, then a raw HTTP call to the invoke URL. */
@QuarkusTest
class ApiGatewayCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    LocalEndpoint endpoint;

    @Inject
    ApiGatewayClient apigw;

    @Test
    void cliBuildsListsAndDeploysAnApiThatAnswersOverHttp() throws Exception {
        AwsCli aws = new AwsCli(endpoint.uri(), "us-east-1");
        String name = "cli-" + UUID.randomUUID().toString().substring(0, 8);
        JsonNode api = json(aws.run("apigateway", "create-rest-api", "--name", name,
                "--endpoint-configuration", "types=REGIONAL").assertOk());
        String id = api.path("id").asText();
        String root = api.path("rootResourceId").asText();

        JsonNode listed = json(aws.run("apigateway", "get-rest-apis").assertOk());
        assertTrue(listed.path("items").findValuesAsText("name").contains(name), listed.toString());

        String clicks = json(aws.run("apigateway", "create-resource", "--rest-api-id", id, "--parent-id", root,
                "--path-part", "clicks").assertOk()).path("id").asText();
        aws.run("apigateway", "put-method", "--rest-api-id", id, "--resource-id", clicks, "--http-method", "GET",
                "--authorization-type", "NONE").assertOk();
        aws.run("apigateway", "put-method-response", "--rest-api-id", id, "--resource-id", clicks, "--http-method", "GET",
                "--status-code", "200").assertOk();
        aws.run("apigateway", "put-integration", "--rest-api-id", id, "--resource-id", clicks, "--http-method", "GET",
                "--type", "MOCK", "--request-templates", "{\"application/json\": \"{\\\"statusCode\\\": 200}\"}").assertOk();
        aws.run("apigateway", "put-integration-response", "--rest-api-id", id, "--resource-id", clicks,
                "--http-method", "GET", "--status-code", "200", "--response-templates",
                "{\"application/json\": \"{\\\"clicks\\\": 0}\"}").assertOk();

        JsonNode resources = json(aws.run("apigateway", "get-resources", "--rest-api-id", id).assertOk());
        assertEquals(List.of("/", "/clicks"), resources.path("items").findValuesAsText("path"));
        assertTrue(resources.path("items").get(1).path("resourceMethods").has("GET"));

        JsonNode deployment = json(aws.run("apigateway", "create-deployment", "--rest-api-id", id,
                "--stage-name", "dev").assertOk());
        assertEquals(6, deployment.path("id").asText().length());
        JsonNode stage = json(aws.run("apigateway", "get-stage", "--rest-api-id", id, "--stage-name", "dev").assertOk());
        assertEquals(deployment.path("id").asText(), stage.path("deploymentId").asText());

        AwsCli.Result missing = aws.run("apigateway", "get-rest-api", "--rest-api-id", "doesnotexist");
        assertTrue(missing.exitCode() != 0);
        assertTrue(missing.stderr().contains("NotFoundException"), missing.stderr());
        assertTrue(missing.stderr().contains("Invalid API identifier specified"), missing.stderr());

        // The invoke URL, called as any HTTP client would.
        var uri = endpoint.uri();
        given().baseUri("http://" + uri.getHost()).port(uri.getPort())
                .get("/restapis/" + id + "/dev/_user_request_/clicks")
                .then().statusCode(200).body("clicks", equalTo(0));

        aws.run("apigateway", "delete-rest-api", "--rest-api-id", id).assertOk();
        assertTrue(apigw.getRestApis().items().stream().noneMatch(a -> a.id().equals(id)));
    }

    private static JsonNode json(AwsCli.Result result) throws Exception {
        return JSON.readTree(result.stdout());
    }
}
