package dev.clicklog.localaws.apigateway;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import dev.clicklog.testing.AwsCli;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.IntegrationType;
import software.amazon.awssdk.services.apigateway.model.PutMethodRequest;

/**
 * Builds REST APIs through the real SDK client, step by step as the console does, for the data
 * plane tests; every API gets a unique name.
 */
final class ApiFixture {

    final ApiGatewayClient apigw;
    final URI endpoint;
    final String apiId;
    final String name;
    final String rootId;

    ApiFixture(ApiGatewayClient apigw, URI endpoint, String prefix) {
        this.apigw = apigw;
        this.endpoint = endpoint;
        this.name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        var api = apigw.createRestApi(b -> b.name(name));
        this.apiId = api.id();
        this.rootId = api.rootResourceId();
    }

    String resource(String parentId, String pathPart) {
        return apigw.createResource(b -> b.restApiId(apiId).parentId(parentId).pathPart(pathPart)).id();
    }

    /**
     * A method with a MOCK integration whose request template is {@code requestTemplate} and whose
     * 200 response renders {@code responseTemplate} (null: the backend body passes through).
     */
    ApiFixture mock(String resourceId, String httpMethod, String requestTemplate, String responseTemplate) {
        return mock(resourceId, httpMethod, requestTemplate, responseTemplate, m -> {
        });
    }

    /** As {@link #mock(String, String, String, String)}, with more method settings (API key, validator, …). */
    ApiFixture mock(String resourceId, String httpMethod, String requestTemplate, String responseTemplate,
            Consumer<PutMethodRequest.Builder> method) {
        apigw.putMethod(b -> method.accept(b.restApiId(apiId).resourceId(resourceId).httpMethod(httpMethod)
                .authorizationType("NONE")));
        apigw.putMethodResponse(b -> b.restApiId(apiId).resourceId(resourceId).httpMethod(httpMethod).statusCode("200"));
        apigw.putIntegration(b -> b.restApiId(apiId).resourceId(resourceId).httpMethod(httpMethod)
                .type(IntegrationType.MOCK).requestTemplates(Map.of("application/json", requestTemplate)));
        apigw.putIntegrationResponse(b -> b.restApiId(apiId).resourceId(resourceId).httpMethod(httpMethod)
                .statusCode("200").responseTemplates(responseTemplate == null ? null
                        : Map.of("application/json", responseTemplate)));
        return this;
    }

    ApiFixture deploy(String stage) {
        apigw.createDeployment(b -> b.restApiId(apiId).stageName(stage));
        return this;
    }

    /** UpdateStage (a PATCH) through the AWS CLI, as a person would change a stage's throttling. */
    ApiFixture patchStage(String stage, String... replacements) {
        List<String> args = new ArrayList<>(List.of("apigateway", "update-stage",
                "--rest-api-id", apiId, "--stage-name", stage, "--patch-operations"));
        for (int i = 0; i < replacements.length; i += 2) {
            args.add("op=replace,path=" + replacements[i] + ",value=" + replacements[i + 1]);
        }
        new AwsCli(endpoint, "us-east-1").run(args.toArray(String[]::new)).assertOk();
        return this;
    }

    String invokePath(String stage, String path) {
        return "/restapis/" + apiId + "/" + stage + "/_user_request_" + path;
    }

    /** A RestAssured request to the invoke URL of {@code path} in {@code stage}. */
    RequestSpecification invoke(String stage, String path) {
        int q = path.indexOf('?');
        RequestSpecification spec = RestAssured.given().baseUri("http://" + endpoint.getHost()).port(endpoint.getPort())
                .basePath(invokePath(stage, q < 0 ? path : path.substring(0, q))).urlEncodingEnabled(false);
        if (q >= 0) {
            for (String pair : path.substring(q + 1).split("&")) {
                String[] kv = pair.split("=", 2);
                spec.queryParam(kv[0], kv.length > 1 ? kv[1] : "");
            }
        }
        return spec;
    }

    void delete() {
        apigw.deleteRestApi(b -> b.restApiId(apiId));
    }
}
