package dev.clicklog.localaws.apigateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.clicklog.endpoint.LocalEndpoint;
import dev.clicklog.localaws.fault.FaultInjector;
import dev.clicklog.testing.TestRoles;
import dev.clicklog.testing.AwsCli;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.ApiGatewayException;
import software.amazon.awssdk.services.apigateway.model.BadRequestException;
import software.amazon.awssdk.services.apigateway.model.ConflictException;
import software.amazon.awssdk.services.apigateway.model.CreateRestApiResponse;
import software.amazon.awssdk.services.apigateway.model.EndpointType;
import software.amazon.awssdk.services.apigateway.model.GetResourcesResponse;
import software.amazon.awssdk.services.apigateway.model.IntegrationType;
import software.amazon.awssdk.services.apigateway.model.NotFoundException;
import software.amazon.awssdk.services.apigateway.model.QuotaPeriodType;
import software.amazon.awssdk.services.apigateway.model.Resource;
import software.amazon.awssdk.services.apigateway.model.Op;
import software.amazon.awssdk.services.apigateway.model.Stage;
import software.amazon.awssdk.services.iam.IamClient;

/** The control plane through the real SDK client: every operation, its shapes and AWS's errors. */
@QuarkusTest
class ApiGatewayControlPlaneTest {

    private static final String KINESIS_PUT = "arn:aws:apigateway:us-east-1:kinesis:action/PutRecord";

    @Inject
    ApiGatewayClient apigw;

    @Inject
    IamClient iam;

    @Inject
    LocalEndpoint endpoint;

    @Inject
    FaultInjector faults;

    @AfterEach
    void clearFaults() {
        faults.clear();
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void restApiLifecycleWithPaging() {
        String name = unique("lifecycle");
        CreateRestApiResponse created = apigw.createRestApi(b -> b.name(name).description("clicks")
                .endpointConfiguration(e -> e.types(EndpointType.REGIONAL)).tags(Map.of("team", "web")));
        assertTrue(created.id().matches("[a-z0-9]{10}"), created.id());
        assertTrue(created.rootResourceId().matches("[a-z0-9]{10}"));
        assertEquals(List.of(EndpointType.REGIONAL), created.endpointConfiguration().types());
        assertEquals(Map.of("team", "web"), created.tags());
        assertNotNull(created.createdDate());

        var got = apigw.getRestApi(b -> b.restApiId(created.id()));
        assertEquals(name, got.name());
        assertEquals("clicks", got.description());

        String other = apigw.createRestApi(b -> b.name(unique("other"))).id();
        var firstPage = apigw.getRestApis(b -> b.limit(1));
        assertEquals(1, firstPage.items().size());
        assertNotNull(firstPage.position());
        var all = apigw.getRestApisPaginator(b -> b.limit(1)).items().stream().map(a -> a.id()).toList();
        assertTrue(all.containsAll(List.of(created.id(), other)), all.toString());

        apigw.deleteRestApi(b -> b.restApiId(created.id()));
        apigw.deleteRestApi(b -> b.restApiId(other));
        NotFoundException e = assertThrows(NotFoundException.class, () -> apigw.getRestApi(b -> b.restApiId(created.id())));
        assertEquals("Invalid API identifier specified 000000000000:" + created.id(), e.awsErrorDetails().errorMessage());
        assertEquals(404, e.statusCode());
    }

    @Test
    void createRestApiRejectsBadInput() {
        assertEquals("Description cannot be an empty string", assertThrows(BadRequestException.class,
                () -> apigw.createRestApi(b -> b.name(unique("x")).description(""))).awsErrorDetails().errorMessage());
        assertThrows(BadRequestException.class, () -> apigw.createRestApi(b -> b.name(unique("x"))
                .endpointConfiguration(e -> e.types(EndpointType.REGIONAL, EndpointType.EDGE))));
    }

    @Test
    void resourcesFollowApiGatewaysPathRules() {
        var api = apigw.createRestApi(b -> b.name(unique("paths")));
        String id = api.id();
        String clicks = apigw.createResource(b -> b.restApiId(id).parentId(api.rootResourceId()).pathPart("clicks")).id();
        var byId = apigw.createResource(b -> b.restApiId(id).parentId(clicks).pathPart("{clickId}"));
        assertEquals("/clicks/{clickId}", byId.path());
        assertEquals(clicks, byId.parentId());
        String proxy = apigw.createResource(b -> b.restApiId(id).parentId(api.rootResourceId()).pathPart("{proxy+}")).id();

        ConflictException dup = assertThrows(ConflictException.class,
                () -> apigw.createResource(b -> b.restApiId(id).parentId(api.rootResourceId()).pathPart("clicks")));
        assertEquals("Another resource with the same parent already has this name: clicks", dup.awsErrorDetails().errorMessage());
        assertEquals(409, dup.statusCode());
        assertThrows(BadRequestException.class,
                () -> apigw.createResource(b -> b.restApiId(id).parentId(api.rootResourceId()).pathPart("bad path")));
        assertEquals("Cannot create a child of a resource with a greedy path variable: {proxy+}",
                assertThrows(BadRequestException.class, () -> apigw.createResource(
                        b -> b.restApiId(id).parentId(proxy).pathPart("x"))).awsErrorDetails().errorMessage());
        assertTrue(assertThrows(BadRequestException.class, () -> apigw.createResource(
                b -> b.restApiId(id).parentId(clicks).pathPart("{other}"))).awsErrorDetails().errorMessage()
                .contains("already has a variable path part"));
        assertEquals("Invalid Resource identifier specified", assertThrows(NotFoundException.class,
                () -> apigw.createResource(b -> b.restApiId(id).parentId("nope123456").pathPart("y")))
                .awsErrorDetails().errorMessage());

        apigw.putMethod(b -> b.restApiId(id).resourceId(clicks).httpMethod("PUT").authorizationType("NONE"));
        GetResourcesResponse plain = apigw.getResources(b -> b.restApiId(id));
        assertEquals(List.of("/", "/clicks", "/clicks/{clickId}", "/{proxy+}"),
                plain.items().stream().map(Resource::path).toList());
        Resource clicksPlain = plain.items().get(1);
        assertTrue(clicksPlain.resourceMethods().containsKey("PUT"));
        assertNull(clicksPlain.resourceMethods().get("PUT").authorizationType());
        Resource clicksEmbedded = apigw.getResources(b -> b.restApiId(id).embed("methods")).items().get(1);
        assertEquals("NONE", clicksEmbedded.resourceMethods().get("PUT").authorizationType());

        var pages = apigw.getResources(b -> b.restApiId(id).limit(3));
        assertEquals(3, pages.items().size());
        assertEquals(4, apigw.getResourcesPaginator(b -> b.restApiId(id).limit(3)).items().stream().count());

        apigw.deleteResource(b -> b.restApiId(id).resourceId(clicks));
        assertEquals(List.of("/", "/{proxy+}"),
                apigw.getResources(b -> b.restApiId(id)).items().stream().map(Resource::path).toList());
        assertThrows(NotFoundException.class, () -> apigw.getResource(b -> b.restApiId(id).resourceId(byId.id())));
        apigw.deleteRestApi(b -> b.restApiId(id));
    }

    @Test
    void methodsIntegrationsAndTheirResponses() {
        String role = new TestRoles(iam).create("clicks-to-kinesis", "apigateway.amazonaws.com",
                TestRoles.putRecords("arn:aws:kinesis:us-east-1:000000000000:stream/s")).arn();
        var api = apigw.createRestApi(b -> b.name(unique("methods")));
        String id = api.id();
        String clicks = apigw.createResource(b -> b.restApiId(id).parentId(api.rootResourceId()).pathPart("clicks")).id();
        String validator = apigw.createRequestValidator(b -> b.restApiId(id).name("body").validateRequestBody(true)).id();

        var method = apigw.putMethod(b -> b.restApiId(id).resourceId(clicks).httpMethod("PUT").authorizationType("NONE")
                .apiKeyRequired(true).requestValidatorId(validator)
                .requestParameters(Map.of("method.request.querystring.source", true))
                .requestModels(Map.of("application/json", "Empty")));
        assertEquals("PUT", method.httpMethod());
        assertTrue(method.apiKeyRequired());
        assertEquals(validator, method.requestValidatorId());
        assertEquals("Invalid HttpMethod specified. Valid options are GET,PUT,POST,DELETE,PATCH,OPTIONS,HEAD,ANY",
                assertThrows(BadRequestException.class, () -> apigw.putMethod(b -> b.restApiId(id).resourceId(clicks)
                        .httpMethod("FETCH").authorizationType("NONE"))).awsErrorDetails().errorMessage());
        assertEquals("Invalid model identifier specified: Nope", assertThrows(BadRequestException.class,
                () -> apigw.putMethod(b -> b.restApiId(id).resourceId(clicks).httpMethod("POST")
                        .authorizationType("NONE").requestModels(Map.of("application/json", "Nope"))))
                .awsErrorDetails().errorMessage());

        apigw.putMethodResponse(b -> b.restApiId(id).resourceId(clicks).httpMethod("PUT").statusCode("200")
                .responseParameters(Map.of("method.response.header.Access-Control-Allow-Origin", false)));
        var integration = apigw.putIntegration(b -> b.restApiId(id).resourceId(clicks).httpMethod("PUT")
                .type(IntegrationType.AWS).integrationHttpMethod("POST").uri(KINESIS_PUT).credentials(role)
                .requestTemplates(Map.of("application/json", "{\"StreamName\": \"s\"}")));
        assertEquals(IntegrationType.AWS, integration.type());
        assertEquals("POST", integration.httpMethod());
        assertEquals(KINESIS_PUT, integration.uri());
        assertEquals("WHEN_NO_MATCH", integration.passthroughBehavior());
        assertEquals(29000, integration.timeoutInMillis());

        BadRequestException badArn = assertThrows(BadRequestException.class, () -> apigw.putIntegration(b -> b
                .restApiId(id).resourceId(clicks).httpMethod("PUT").type(IntegrationType.AWS)
                .integrationHttpMethod("POST").uri(KINESIS_PUT).credentials("not-an-arn")));
        assertEquals("Invalid ARN specified in the request", badArn.awsErrorDetails().errorMessage());
        assertThrows(BadRequestException.class, () -> apigw.putIntegration(b -> b.restApiId(id).resourceId(clicks)
                .httpMethod("PUT").type(IntegrationType.HTTP).integrationHttpMethod("GET").uri("http://example.com")));
        assertEquals("Invalid Method identifier specified", assertThrows(NotFoundException.class,
                () -> apigw.putIntegration(b -> b.restApiId(id).resourceId(clicks).httpMethod("GET")
                        .type(IntegrationType.MOCK))).awsErrorDetails().errorMessage());

        var response = apigw.putIntegrationResponse(b -> b.restApiId(id).resourceId(clicks).httpMethod("PUT")
                .statusCode("200").selectionPattern("2\\d{2}")
                .responseParameters(Map.of("method.response.header.Access-Control-Allow-Origin", "'*'"))
                .responseTemplates(Map.of("application/json", "$input.json('$')")));
        assertEquals("2\\d{2}", response.selectionPattern());
        assertThrows(BadRequestException.class, () -> apigw.putIntegrationResponse(b -> b.restApiId(id)
                .resourceId(clicks).httpMethod("PUT").statusCode("200")
                .responseParameters(Map.of("method.response.header.Undeclared", "'x'"))));
        assertEquals("Invalid Response status code specified", assertThrows(NotFoundException.class,
                () -> apigw.putIntegrationResponse(b -> b.restApiId(id).resourceId(clicks).httpMethod("PUT")
                        .statusCode("500"))).awsErrorDetails().errorMessage());

        var got = apigw.getMethod(b -> b.restApiId(id).resourceId(clicks).httpMethod("PUT"));
        assertEquals(Map.of("method.request.querystring.source", true), got.requestParameters());
        assertEquals("'*'", got.methodIntegration().integrationResponses().get("200").responseParameters()
                .get("method.response.header.Access-Control-Allow-Origin"));
        assertEquals(role, apigw.getIntegration(b -> b.restApiId(id).resourceId(clicks).httpMethod("PUT")).credentials());
        assertEquals("$input.json('$')", apigw.getIntegrationResponse(b -> b.restApiId(id).resourceId(clicks)
                .httpMethod("PUT").statusCode("200")).responseTemplates().get("application/json"));
        apigw.deleteRestApi(b -> b.restApiId(id));
    }

    @Test
    void modelsAndRequestValidators() {
        String id = apigw.createRestApi(b -> b.name(unique("models"))).id();
        String schema = "{\"$schema\":\"http://json-schema.org/draft-04/schema#\",\"type\":\"object\","
                + "\"properties\":{\"Data\":{\"type\":\"string\"}},\"required\":[\"Data\"]}";
        var model = apigw.createModel(b -> b.restApiId(id).name("Click").contentType("application/json").schema(schema));
        assertEquals("Click", model.name());
        assertEquals(schema, model.schema());
        assertEquals(List.of("Click", "Empty", "Error"),
                apigw.getModels(b -> b.restApiId(id)).items().stream().map(m -> m.name()).sorted().toList());

        BadRequestException invalid = assertThrows(BadRequestException.class, () -> apigw.createModel(b -> b
                .restApiId(id).name("Bad").contentType("application/json").schema("{\"type\":\"objekt\"}")));
        assertTrue(invalid.awsErrorDetails().errorMessage().startsWith("Invalid model specified"));
        assertThrows(BadRequestException.class, () -> apigw.createModel(b -> b.restApiId(id).name("NotJson")
                .contentType("application/json").schema("{not json")));
        assertEquals("Model name already exists for this REST API", assertThrows(ConflictException.class,
                () -> apigw.createModel(b -> b.restApiId(id).name("Click").contentType("application/json")
                        .schema(schema))).awsErrorDetails().errorMessage());

        var validator = apigw.createRequestValidator(b -> b.restApiId(id).name("all").validateRequestBody(true)
                .validateRequestParameters(true));
        assertTrue(validator.id().matches("[a-z0-9]{6}"));
        var listed = apigw.getRequestValidators(b -> b.restApiId(id)).items();
        assertEquals(1, listed.size());
        assertTrue(listed.get(0).validateRequestBody());
        assertEquals("Invalid REST API identifier specified", assertThrows(BadRequestException.class,
                () -> apigw.createRequestValidator(b -> b.restApiId("nope123456").name("x")))
                .awsErrorDetails().errorMessage());
        apigw.deleteRestApi(b -> b.restApiId(id));
    }

    @Test
    void deploymentsAndStages() {
        var api = apigw.createRestApi(b -> b.name(unique("stages")));
        String id = api.id();
        assertEquals("The REST API doesn't contain any methods", assertThrows(BadRequestException.class,
                () -> apigw.createDeployment(b -> b.restApiId(id).stageName("v1"))).awsErrorDetails().errorMessage());

        String clicks = apigw.createResource(b -> b.restApiId(id).parentId(api.rootResourceId()).pathPart("clicks")).id();
        apigw.putMethod(b -> b.restApiId(id).resourceId(clicks).httpMethod("PUT").authorizationType("NONE"));
        apigw.putIntegration(b -> b.restApiId(id).resourceId(clicks).httpMethod("PUT").type(IntegrationType.MOCK)
                .requestTemplates(Map.of("application/json", "{\"statusCode\": 200}")));
        var deployment = apigw.createDeployment(b -> b.restApiId(id).stageName("v1").description("first"));
        assertTrue(deployment.id().matches("[a-z0-9]{6}"));
        assertEquals("first", deployment.description());
        var summary = apigw.getDeployment(b -> b.restApiId(id).deploymentId(deployment.id()).embed("apisummary"));
        assertEquals("NONE", summary.apiSummary().get("/clicks").get("PUT").authorizationType());

        var v1 = apigw.getStage(b -> b.restApiId(id).stageName("v1"));
        assertEquals(deployment.id(), v1.deploymentId());
        var v2 = apigw.createStage(b -> b.restApiId(id).stageName("v2").deploymentId(deployment.id())
                .variables(Map.of("stream", "clicks")).tags(Map.of("env", "test")));
        assertEquals(Map.of("stream", "clicks"), v2.variables());
        assertEquals("Stage already exists", assertThrows(ConflictException.class, () -> apigw.createStage(
                b -> b.restApiId(id).stageName("v2").deploymentId(deployment.id()))).awsErrorDetails().errorMessage());
        assertEquals(List.of("v1", "v2"), apigw.getStages(b -> b.restApiId(id)).item().stream()
                .map(Stage::stageName).sorted().toList());

        // UpdateStage is a PATCH: through the SDK and through the AWS CLI.
        apigw.updateStage(b -> b.restApiId(id).stageName("v2").patchOperations(
                p -> p.op(Op.REPLACE).path("/*/*/throttling/rateLimit").value("7")));
        assertEquals(7.0, apigw.getStage(b -> b.restApiId(id).stageName("v2")).methodSettings().get("*/*")
                .throttlingRateLimit());
        AwsCli cli = new AwsCli(endpoint.uri(), "us-east-1");
        cli.run("apigateway", "update-stage", "--rest-api-id", id, "--stage-name", "v1", "--patch-operations",
                "op=replace,path=/*/*/throttling/rateLimit,value=100", "op=replace,path=/*/*/throttling/burstLimit,value=50",
                "op=replace,path=/~1clicks/PUT/throttling/rateLimit,value=5").assertOk();
        var updated = apigw.getStage(b -> b.restApiId(id).stageName("v1"));
        assertEquals(100.0, updated.methodSettings().get("*/*").throttlingRateLimit());
        assertEquals(50, updated.methodSettings().get("*/*").throttlingBurstLimit());
        assertEquals(5.0, updated.methodSettings().get("~1clicks/PUT").throttlingRateLimit());
        AwsCli.Result bad = cli.run("apigateway", "update-stage", "--rest-api-id", id, "--stage-name", "v1",
                "--patch-operations", "op=replace,path=/nonsense,value=1");
        assertTrue(bad.exitCode() != 0);
        assertTrue(bad.stderr().contains("BadRequestException"), bad.stderr());
        assertEquals(100.0, apigw.getStage(b -> b.restApiId(id).stageName("v1")).methodSettings().get("*/*")
                .throttlingRateLimit());

        assertEquals(List.of(deployment.id()), apigw.getDeployments(b -> b.restApiId(id)).items().stream().map(d -> d.id()).toList());
        apigw.deleteStage(b -> b.restApiId(id).stageName("v2"));
        assertEquals("Invalid Stage identifier specified", assertThrows(NotFoundException.class,
                () -> apigw.getStage(b -> b.restApiId(id).stageName("v2"))).awsErrorDetails().errorMessage());
        apigw.deleteRestApi(b -> b.restApiId(id));
    }

    @Test
    void apiKeysUsagePlansAndTags() {
        var api = apigw.createRestApi(b -> b.name(unique("keys")));
        String id = api.id();
        String r = apigw.createResource(b -> b.restApiId(id).parentId(api.rootResourceId()).pathPart("clicks")).id();
        apigw.putMethod(b -> b.restApiId(id).resourceId(r).httpMethod("PUT").authorizationType("NONE"));
        apigw.putIntegration(b -> b.restApiId(id).resourceId(r).httpMethod("PUT").type(IntegrationType.MOCK));
        apigw.createDeployment(b -> b.restApiId(id).stageName("v1"));

        var key = apigw.createApiKey(b -> b.name(unique("key")).enabled(true));
        assertTrue(key.value().matches("[A-Za-z0-9]{40}"), key.value());
        assertTrue(key.enabled());
        assertNull(apigw.getApiKey(b -> b.apiKey(key.id())).value());
        assertEquals(key.value(), apigw.getApiKey(b -> b.apiKey(key.id()).includeValue(true)).value());
        var custom = apigw.createApiKey(b -> b.name(unique("custom")).value("0123456789abcdefghijKLMNOP"));
        assertFalse(custom.enabled());
        assertTrue(apigw.getApiKeys(b -> b.includeValues(true)).items().stream()
                .anyMatch(k -> "0123456789abcdefghijKLMNOP".equals(k.value())));

        var plan = apigw.createUsagePlan(b -> b.name(unique("plan"))
                .apiStages(s -> s.apiId(id).stage("v1"))
                .throttle(t -> t.rateLimit(10.0).burstLimit(20))
                .quota(q -> q.limit(1000).period(QuotaPeriodType.DAY)));
        assertEquals(20, plan.throttle().burstLimit());
        assertEquals(QuotaPeriodType.DAY, plan.quota().period());
        assertEquals(plan.name(), apigw.getUsagePlan(b -> b.usagePlanId(plan.id())).name());
        assertThrows(BadRequestException.class, () -> apigw.createUsagePlan(b -> b.name(unique("bad"))
                .apiStages(s -> s.apiId(id).stage("nope"))));

        var planKey = apigw.createUsagePlanKey(b -> b.usagePlanId(plan.id()).keyId(key.id()).keyType("API_KEY"));
        assertEquals(key.value(), planKey.value());
        assertEquals("API_KEY", planKey.type());
        assertThrows(ConflictException.class,
                () -> apigw.createUsagePlanKey(b -> b.usagePlanId(plan.id()).keyId(key.id()).keyType("API_KEY")));
        assertEquals(List.of(key.id()), apigw.getUsagePlanKeys(b -> b.usagePlanId(plan.id())).items().stream()
                .map(k -> k.id()).toList());
        assertTrue(apigw.getUsagePlans(b -> b.keyId(key.id())).items().stream().anyMatch(p -> p.id().equals(plan.id())));

        // UpdateUsagePlan: throttle and quota replaced, a stage removed and added back, nothing applied on error
        var updated = apigw.updateUsagePlan(b -> b.usagePlanId(plan.id()).patchOperations(
                p -> p.op(Op.REPLACE).path("/throttle/rateLimit").value("5"),
                p -> p.op(Op.REPLACE).path("/quota/limit").value("50"),
                p -> p.op(Op.REPLACE).path("/quota/period").value("WEEK"),
                p -> p.op(Op.REMOVE).path("/apiStages").value(id + ":v1")));
        assertEquals(5.0, updated.throttle().rateLimit());
        assertEquals(20, updated.throttle().burstLimit());
        assertEquals(50, updated.quota().limit());
        assertEquals(QuotaPeriodType.WEEK, updated.quota().period());
        assertTrue(updated.apiStages().isEmpty());
        assertThrows(BadRequestException.class, () -> apigw.updateUsagePlan(b -> b.usagePlanId(plan.id()).patchOperations(
                p -> p.op(Op.REPLACE).path("/throttle/burstLimit").value("1"),
                p -> p.op(Op.ADD).path("/apiStages").value(id + ":nope"))));
        assertEquals(20, apigw.getUsagePlan(b -> b.usagePlanId(plan.id())).throttle().burstLimit(), "nothing applied");
        var restored = apigw.updateUsagePlan(b -> b.usagePlanId(plan.id()).patchOperations(
                p -> p.op(Op.ADD).path("/apiStages").value(id + ":v1")));
        assertEquals(List.of(id + ":v1"), restored.apiStages().stream().map(s -> s.apiId() + ":" + s.stage()).toList());
        assertThrows(NotFoundException.class, () -> apigw.updateUsagePlan(b -> b.usagePlanId("nope00").patchOperations(
                p -> p.op(Op.REPLACE).path("/name").value("x"))));

        String arn = "arn:aws:apigateway:us-east-1::/restapis/" + id;
        apigw.tagResource(b -> b.resourceArn(arn).tags(Map.of("a", "1", "b", "2")));
        apigw.untagResource(b -> b.resourceArn(arn).tagKeys("a"));
        assertEquals(Map.of("b", "2"), apigw.getTags(b -> b.resourceArn(arn)).tags());
        String stageArn = arn + "/stages/v1";
        apigw.tagResource(b -> b.resourceArn(stageArn).tags(Map.of("env", "test")));
        assertEquals(Map.of("env", "test"), apigw.getStage(b -> b.restApiId(id).stageName("v1")).tags());
        assertThrows(BadRequestException.class, () -> apigw.getTags(b -> b.resourceArn("arn:nope")));
        assertThrows(NotFoundException.class,
                () -> apigw.getTags(b -> b.resourceArn("arn:aws:apigateway:us-east-1::/usageplans/nope00")));

        apigw.deleteUsagePlanKey(b -> b.usagePlanId(plan.id()).keyId(key.id()));
        assertTrue(apigw.getUsagePlanKeys(b -> b.usagePlanId(plan.id())).items().isEmpty());
        apigw.deleteUsagePlan(b -> b.usagePlanId(plan.id()));
        assertThrows(NotFoundException.class, () -> apigw.getUsagePlan(b -> b.usagePlanId(plan.id())));
        apigw.deleteApiKey(b -> b.apiKey(key.id()));
        apigw.deleteApiKey(b -> b.apiKey(custom.id()));
        assertEquals("Invalid API Key identifier specified", assertThrows(NotFoundException.class,
                () -> apigw.getApiKey(b -> b.apiKey(key.id()))).awsErrorDetails().errorMessage());
        apigw.deleteRestApi(b -> b.restApiId(id));
    }

    @Test
    void armedFaultsAnswerAsAwsWould() {
        faults.failNext("apigateway", "CreateRestApi", 1, 409, "ConflictException",
                "Unable to complete operation due to concurrent modification. Please try again later.");
        ConflictException e = assertThrows(ConflictException.class, () -> apigw.createRestApi(b -> b.name(unique("f"))));
        assertTrue(e.awsErrorDetails().errorMessage().contains("concurrent modification"));
        String id = apigw.createRestApi(b -> b.name(unique("f"))).id();
        apigw.deleteRestApi(b -> b.restApiId(id));
    }

    @Test
    void unknownOperationsAnswerAsApiGatewayDoes() {
        var uri = endpoint.uri();
        given().baseUri("http://" + uri.getHost()).port(uri.getPort())
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/apigateway/aws4_request, "
                        + "SignedHeaders=host, Signature=0")
                .get("/restapis/abc/nothing-here")
                .then().statusCode(404)
                .header("x-amzn-ErrorType", "UnknownOperationException")
                .body("message", containsString("Unknown operation"));
        // A real API Gateway operation this endpoint does not implement answers the same way.
        ApiGatewayException e = assertThrows(ApiGatewayException.class, () -> apigw.getDomainNames(b -> {
        }));
        assertEquals(404, e.statusCode());
        assertEquals("UnknownOperationException", e.awsErrorDetails().errorCode());
    }

    @Test
    void stagesListedByDeployment() {
        var api = apigw.createRestApi(b -> b.name(unique("bydeployment")));
        String id = api.id();
        apigw.putMethod(b -> b.restApiId(id).resourceId(api.rootResourceId()).httpMethod("GET").authorizationType("NONE"));
        apigw.putIntegration(b -> b.restApiId(id).resourceId(api.rootResourceId()).httpMethod("GET")
                .type(IntegrationType.MOCK));
        String first = apigw.createDeployment(b -> b.restApiId(id).stageName("one")).id();
        String second = apigw.createDeployment(b -> b.restApiId(id).stageName("two")).id();
        Map<String, List<String>> byDeployment = Map.of(
                first, apigw.getStages(b -> b.restApiId(id).deploymentId(first)).item().stream().map(Stage::stageName).toList(),
                second, apigw.getStages(b -> b.restApiId(id).deploymentId(second)).item().stream().map(Stage::stageName).toList());
        assertEquals(Map.of(first, List.of("one"), second, List.of("two")), byDeployment);
        assertEquals("Active stages pointing to this deployment must be moved or deleted",
                assertThrows(BadRequestException.class, () -> apigw.deleteDeployment(b -> b.restApiId(id)
                        .deploymentId(first))).awsErrorDetails().errorMessage());
        apigw.deleteStage(b -> b.restApiId(id).stageName("one"));
        apigw.deleteDeployment(b -> b.restApiId(id).deploymentId(first));
        assertEquals(List.of(second), apigw.getDeployments(b -> b.restApiId(id)).items().stream().map(d -> d.id())
                .collect(Collectors.toList()));
        apigw.deleteRestApi(b -> b.restApiId(id));
    }
}
