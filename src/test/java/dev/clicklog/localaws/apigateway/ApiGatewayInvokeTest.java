package dev.clicklog.localaws.apigateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.clicklog.endpoint.LocalEndpoint;
import dev.clicklog.localaws.cloudwatch.MetricStore;
import dev.clicklog.localaws.spi.MetricId;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.IntegrationType;
import software.amazon.awssdk.services.apigateway.model.Op;
import software.amazon.awssdk.services.apigateway.model.QuotaPeriodType;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;

/**
 * The data plane at {@code /restapis/{id}/{stage}/_user_request_/…} with MOCK integrations: routing,
 * API keys, throttling, validation, mapping templates, CORS and API Gateway's own error responses.
 */
@QuarkusTest
class ApiGatewayInvokeTest {

    @Inject
    ApiGatewayClient apigw;

    @Inject
    LocalEndpoint endpoint;

    @Inject
    MetricStore metrics;

    @Inject
    CloudWatchClient cloudWatch;

    private ApiFixture api(String prefix) {
        return new ApiFixture(apigw, endpoint.uri(), prefix);
    }

    @Test
    void templatesSeeApiGatewaysVariables() {
        ApiFixture api = api("vars");
        String items = api.resource(api.rootId, "items");
        String item = api.resource(items, "{itemId}");
        api.mock(item, "POST",
                // The request template decides the mock's status from the body, so the body must have been read.
                "{\"statusCode\": $input.json('$.code')}",
                "{\"id\": \"$input.params('itemId')\", \"q\": \"$input.params('q')\", "
                        + "\"header\": \"$input.params().header.get('X-Trace')\", "
                        + "\"b64\": \"$util.base64Encode('click')\", \"url\": \"$util.urlEncode('a b&c')\", "
                        + "\"decoded\": \"$util.base64Decode('Y2xpY2s=') $util.urlDecode('a+b%26c')\", "
                        + "\"js\": \"$util.escapeJavaScript('say \"hi\"')\", \"parsed\": $util.parseJson('{\"n\": 7}').n, "
                        + "\"requestId\": \"$context.requestId\", \"stage\": \"$context.stage\", "
                        + "\"resourcePath\": \"$context.resourcePath\", \"method\": \"$context.httpMethod\", "
                        + "\"path\": \"$context.path\", \"apiId\": \"$context.apiId\", \"account\": \"$context.accountId\", "
                        + "\"sourceIp\": \"$context.identity.sourceIp\", \"agent\": \"$context.identity.userAgent\", "
                        + "\"time\": \"$context.requestTime\", \"epoch\": $context.requestTimeEpoch, "
                        + "\"color\": \"$stageVariables.color\", \"missing\": \"$context.nothing\", "
                        + "\"loop\": [#foreach($x in ['a','b'])\"$x$foreach.index\"#if($foreach.hasNext),#end#end]}");
        api.apigw.createDeployment(b -> b.restApiId(api.apiId).stageName("test").variables(Map.of("color", "blue")));

        long before = System.currentTimeMillis();
        // The source IP is the TCP peer's, whatever X-Forwarded-For claims.
        Response r = api.invoke("test", "/items/42?q=clicks").header("X-Trace", "t-1").header("User-Agent", "tests/1")
                .header("X-Forwarded-For", "203.0.113.9").contentType("application/json").body("{\"code\": 200}").post();
        r.then().statusCode(200)
                .header("Content-Type", "application/json")
                .header("x-amzn-RequestId", notNullValue())
                .header("x-amz-apigw-id", notNullValue())
                .body("id", equalTo("42")).body("q", equalTo("clicks")).body("header", equalTo("t-1"))
                .body("b64", equalTo("Y2xpY2s=")).body("url", equalTo("a+b%26c")).body("decoded", equalTo("click a b&c")).body("js", equalTo("say \"hi\""))
                .body("parsed", equalTo(7))
                .body("requestId", equalTo(r.header("x-amzn-RequestId")))
                .body("stage", equalTo("test")).body("resourcePath", equalTo("/items/{itemId}"))
                .body("method", equalTo("POST")).body("path", equalTo("/test/items/42"))
                .body("apiId", equalTo(api.apiId)).body("account", equalTo("000000000000"))
                .body("sourceIp", equalTo("127.0.0.1")).body("agent", equalTo("tests/1"))
                .body("time", matchesPattern("\\d{2}/[A-Z][a-z]{2}/\\d{4}:\\d{2}:\\d{2}:\\d{2} \\+0000"))
                .body("color", equalTo("blue")).body("missing", equalTo(""))
                .body("loop", equalTo(List.of("a0", "b1")));
        long epoch = r.jsonPath().getLong("epoch");
        assertEquals(true, epoch >= before && epoch <= System.currentTimeMillis(), "requestTimeEpoch " + epoch);
        api.delete();
    }

    /** AWS's own invoke host form, {apiId}.execute-api.<host>/{stage}/{path}, reaches the same stage. */
    @Test
    void invokeHostFormReachesTheStage() {
        ApiFixture api = api("host");
        String items = api.resource(api.rootId, "items");
        String item = api.resource(items, "{itemId}");
        api.mock(item, "GET", "{\"statusCode\": 200}",
                "{\"id\": \"$input.params('itemId')\", \"q\": \"$input.params('q')\", \"path\": \"$context.path\", "
                        + "\"stage\": \"$context.stage\"}");
        api.mock(api.rootId, "GET", "{\"statusCode\": 200}", "{\"root\": true}");
        api.deploy("v1");
        for (String host : List.of(api.apiId + ".execute-api.localhost:" + endpoint.uri().getPort(),
                api.apiId + ".execute-api.localhost", api.apiId + ".execute-api.us-east-1.amazonaws.com")) {
            hostForm(host, "/v1/items/42?q=clicks").get().then().statusCode(200)
                    .body("id", equalTo("42")).body("q", equalTo("clicks"))
                    .body("path", equalTo("/v1/items/42")).body("stage", equalTo("v1"));
            hostForm(host, "/v1").get().then().statusCode(200).body("root", equalTo(true));
            hostForm(host, "/v1/").get().then().statusCode(200).body("root", equalTo(true));
        }
        String host = api.apiId + ".execute-api.localhost:" + endpoint.uri().getPort();
        // The same answers as the path form: an unknown stage is Forbidden, an unknown path lacks a token.
        hostForm(host, "/v2/items/42").get().then().statusCode(403).body("message", equalTo("Forbidden"));
        hostForm(host, "/").get().then().statusCode(403).body("message", equalTo("Forbidden"));
        hostForm(host, "/v1/nothing").get().then().statusCode(403)
                .body("message", equalTo("Missing Authentication Token"));
        hostForm("zzzzzzzzzz.execute-api.localhost", "/v1/items/1").get().then().statusCode(403)
                .body("message", equalTo("Forbidden"));
        api.delete();
    }

    private RequestSpecification hostForm(String host, String pathAndQuery) {
        int q = pathAndQuery.indexOf('?');
        RequestSpecification spec = given().baseUri("http://" + endpoint.uri().getHost()).port(endpoint.uri().getPort())
                .urlEncodingEnabled(false).header("Host", host).basePath(q < 0 ? pathAndQuery : pathAndQuery.substring(0, q));
        return q < 0 ? spec : spec.queryParams(query(pathAndQuery.substring(q + 1)));
    }

    private static Map<String, String> query(String query) {
        Map<String, String> params = new HashMap<>();
        for (String pair : query.split("&")) {
            String[] kv = pair.split("=", 2);
            params.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
        return params;
    }

    @Test
    void integrationResponsesAreSelectedByStatus() {
        ApiFixture api = api("select");
        String r = api.resource(api.rootId, "status");
        api.mock(r, "POST", "{\"statusCode\": $input.path('$.code')}", "{\"ok\": true}");
        api.apigw.putMethodResponse(b -> b.restApiId(api.apiId).resourceId(r).httpMethod("POST").statusCode("404"));
        api.apigw.putIntegrationResponse(b -> b.restApiId(api.apiId).resourceId(r).httpMethod("POST")
                .statusCode("404").selectionPattern("4\\d{2}").responseTemplates(Map.of("application/json",
                        "{\"message\": \"not here\"}")));
        api.deploy("v1");
        api.invoke("v1", "/status").contentType("application/json").body("{\"code\": 200}").post()
                .then().statusCode(200).body("ok", equalTo(true));
        api.invoke("v1", "/status").contentType("application/json").body("{\"code\": 403}").post()
                .then().statusCode(404).body("message", equalTo("not here"));
        // The selection pattern must match the whole status; the default 200 catches what it does not.
        api.invoke("v1", "/status").contentType("application/json").body("{\"code\": 5403}").post()
                .then().statusCode(200);

        // Without a default response, a status no pattern matches is a configuration error.
        String strict = api.resource(api.rootId, "strict");
        api.mock(strict, "POST", "{\"statusCode\": $input.path('$.code')}", null);
        api.apigw.putMethodResponse(b -> b.restApiId(api.apiId).resourceId(strict).httpMethod("POST").statusCode("400"));
        api.apigw.putIntegrationResponse(b -> b.restApiId(api.apiId).resourceId(strict).httpMethod("POST")
                .statusCode("200").selectionPattern("2\\d{2}"));
        api.apigw.putIntegrationResponse(b -> b.restApiId(api.apiId).resourceId(strict).httpMethod("POST")
                .statusCode("400").selectionPattern("4\\d{2}"));
        api.deploy("v1");
        api.invoke("v1", "/strict").contentType("application/json").body("{\"code\": 201}").post().then().statusCode(200);
        api.invoke("v1", "/strict").contentType("application/json").body("{\"code\": 409}").post().then().statusCode(400);
        api.invoke("v1", "/strict").contentType("application/json").body("{\"code\": 302}").post()
                .then().statusCode(500).body("message", equalTo("Internal server error"));
        api.delete();
    }

    @Test
    void awsIamMethodsRefuseUnsignedRequests() {
        ApiFixture api = api("iam");
        api.mock(api.resource(api.rootId, "private"), "GET", "{\"statusCode\": 200}", "signed",
                m -> m.authorizationType("AWS_IAM")).deploy("v1");
        missingToken(api.invoke("v1", "/private").get());
        api.invoke("v1", "/private").header("Authorization", "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/"
                + "execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=0").get()
                .then().statusCode(200).body(equalTo("signed"));
        api.delete();
    }

    @Test
    void unknownApiStageOrPathAnswersLikeApiGateway() {
        ApiFixture api = api("unknown");
        api.mock(api.resource(api.rootId, "clicks"), "PUT", "{\"statusCode\": 200}", null).deploy("v1");
        forbidden(api.invoke("v1", "/clicks").basePath("/restapis/nosuchapi1/v1/_user_request_/clicks").put());
        forbidden(api.invoke("nostage", "/clicks").put());
        missingToken(api.invoke("v1", "/nothing").put());
        missingToken(api.invoke("v1", "/clicks").get());
        missingToken(api.invoke("v1", "").get());
        api.invoke("v1", "/clicks").contentType("application/json").body("{}").put().then().statusCode(200);
        api.delete();
        forbidden(api.invoke("v1", "/clicks").put());
    }

    private static void forbidden(Response r) {
        r.then().statusCode(403).header("x-amzn-ErrorType", "ForbiddenException").body("message", equalTo("Forbidden"));
    }

    private static void missingToken(Response r) {
        r.then().statusCode(403).header("x-amzn-ErrorType", "MissingAuthenticationTokenException")
                .body("message", equalTo("Missing Authentication Token"));
    }

    @Test
    void routesPreferLiteralsThenVariablesThenGreedyPaths() {
        ApiFixture api = api("routing");
        String a = api.resource(api.rootId, "a");
        String literal = api.resource(a, "fixed");
        String variable = api.resource(a, "{name}");
        String greedy = api.resource(api.rootId, "{proxy+}");
        api.mock(literal, "GET", "{\"statusCode\": 200}", "literal");
        api.mock(variable, "GET", "{\"statusCode\": 200}", "variable $input.params('name')");
        api.mock(greedy, "ANY", "{\"statusCode\": 200}", "greedy $input.params('proxy')");
        api.deploy("v1");
        api.invoke("v1", "/a/fixed").get().then().statusCode(200).body(equalTo("literal"));
        api.invoke("v1", "/a/other").get().then().statusCode(200).body(equalTo("variable other"));
        api.invoke("v1", "/b/c/d").delete().then().statusCode(200).body(equalTo("greedy b/c/d"));
        api.invoke("v1", "/a/fixed/deeper").contentType("application/json").post().then().statusCode(200).body(equalTo("greedy a/fixed/deeper"));
        api.delete();
    }

    @Test
    void changesGoLiveOnlyWhenRedeployed() {
        ApiFixture api = api("redeploy");
        String r = api.resource(api.rootId, "v");
        api.mock(r, "GET", "{\"statusCode\": 200}", "one").deploy("v1");
        api.apigw.putIntegrationResponse(b -> b.restApiId(api.apiId).resourceId(r).httpMethod("GET").statusCode("200")
                .responseTemplates(Map.of("application/json", "two")));
        api.invoke("v1", "/v").get().then().body(equalTo("one"));
        api.deploy("v1");
        api.invoke("v1", "/v").get().then().body(equalTo("two"));
        api.delete();
    }

    @Test
    void apiKeysAreRequiredWhereMethodsAskForThem() {
        ApiFixture api = api("keys");
        api.mock(api.resource(api.rootId, "clicks"), "PUT", "{\"statusCode\": 200}", "$context.identity.apiKey",
                m -> m.apiKeyRequired(true)).deploy("v1");

        var enabled = api.apigw.createApiKey(b -> b.name(api.name + "-on").enabled(true));
        var disabled = api.apigw.createApiKey(b -> b.name(api.name + "-off").enabled(false));
        var unplanned = api.apigw.createApiKey(b -> b.name(api.name + "-unplanned").enabled(true));
        var plan = api.apigw.createUsagePlan(b -> b.name(api.name).apiStages(s -> s.apiId(api.apiId).stage("v1")));
        api.apigw.createUsagePlanKey(b -> b.usagePlanId(plan.id()).keyId(enabled.id()).keyType("API_KEY"));
        api.apigw.createUsagePlanKey(b -> b.usagePlanId(plan.id()).keyId(disabled.id()).keyType("API_KEY"));

        forbidden(api.invoke("v1", "/clicks").put());
        forbidden(api.invoke("v1", "/clicks").header("x-api-key", "not-a-key-at-all-0000000").put());
        forbidden(api.invoke("v1", "/clicks").header("x-api-key", disabled.value()).put());
        forbidden(api.invoke("v1", "/clicks").header("x-api-key", unplanned.value()).put());
        api.invoke("v1", "/clicks").header("x-api-key", enabled.value()).put()
                .then().statusCode(200).body(equalTo(enabled.value()));

        api.apigw.deleteUsagePlanKey(b -> b.usagePlanId(plan.id()).keyId(enabled.id()));
        forbidden(api.invoke("v1", "/clicks").header("x-api-key", enabled.value()).put());
        api.apigw.deleteUsagePlanKey(b -> b.usagePlanId(plan.id()).keyId(disabled.id()));
        api.apigw.deleteUsagePlan(b -> b.usagePlanId(plan.id()));
        List.of(enabled, disabled, unplanned).forEach(k -> api.apigw.deleteApiKey(b -> b.apiKey(k.id())));
        api.delete();
    }

    @Test
    void stageThrottlingAnswers429() {
        ApiFixture api = api("throttle");
        api.mock(api.resource(api.rootId, "clicks"), "PUT", "{\"statusCode\": 200}", null).deploy("v1");
        // A burst of one and a refill far slower than the test: exactly one request passes.
        api.patchStage("v1", "/*/*/throttling/burstLimit", "1", "/*/*/throttling/rateLimit", "0.001");
        api.invoke("v1", "/clicks").put().then().statusCode(200);
        api.invoke("v1", "/clicks").put().then().statusCode(429)
                .header("x-amzn-ErrorType", "TooManyRequestsException").body("message", equalTo("Too Many Requests"));

        // Changes that leave the limits alone do not refill the bucket: another API deployed, a stage
        // variable set, this API redeployed.
        ApiFixture other = api("throttle-other");
        other.mock(other.resource(other.rootId, "x"), "GET", "{\"statusCode\": 200}", null).deploy("v1");
        api.apigw.updateStage(b -> b.restApiId(api.apiId).stageName("v1")
                .patchOperations(o -> o.op(Op.REPLACE).path("/variables/color").value("blue")));
        api.deploy("v1");
        api.invoke("v1", "/clicks").put().then().statusCode(429);
        other.delete();

        // New limits apply at once: a burst of two.
        api.patchStage("v1", "/*/*/throttling/burstLimit", "2");
        api.invoke("v1", "/clicks").put().then().statusCode(200);
        api.invoke("v1", "/clicks").put().then().statusCode(200);
        api.invoke("v1", "/clicks").put().then().statusCode(429);
        // A method's own setting overrides the stage default.
        api.patchStage("v1", "/~1clicks/PUT/throttling/burstLimit", "100", "/~1clicks/PUT/throttling/rateLimit", "100");
        api.invoke("v1", "/clicks").put().then().statusCode(200);
        api.invoke("v1", "/clicks").put().then().statusCode(200);
        api.delete();
    }

    @Test
    void usagePlanThrottleAppliesPerKey() {
        ApiFixture api = api("planthrottle");
        api.mock(api.resource(api.rootId, "clicks"), "PUT", "{\"statusCode\": 200}", null, m -> m.apiKeyRequired(true))
                .deploy("v1");
        var limited = api.apigw.createApiKey(b -> b.name(api.name + "-limited").enabled(true));
        var other = api.apigw.createApiKey(b -> b.name(api.name + "-other").enabled(true));
        var plan = api.apigw.createUsagePlan(b -> b.name(api.name).apiStages(s -> s.apiId(api.apiId).stage("v1"))
                .throttle(t -> t.burstLimit(1).rateLimit(0.001)));
        for (var k : List.of(limited, other)) {
            api.apigw.createUsagePlanKey(b -> b.usagePlanId(plan.id()).keyId(k.id()).keyType("API_KEY"));
        }
        api.invoke("v1", "/clicks").header("x-api-key", limited.value()).put().then().statusCode(200);
        api.invoke("v1", "/clicks").header("x-api-key", limited.value()).put().then().statusCode(429)
                .header("x-amzn-ErrorType", "TooManyRequestsException").body("message", equalTo("Too Many Requests"));
        // Each key has its own bucket.
        api.invoke("v1", "/clicks").header("x-api-key", other.value()).put().then().statusCode(200);
        for (var k : List.of(limited, other)) {
            api.apigw.deleteUsagePlanKey(b -> b.usagePlanId(plan.id()).keyId(k.id()));
            api.apigw.deleteApiKey(b -> b.apiKey(k.id()));
        }
        api.apigw.deleteUsagePlan(b -> b.usagePlanId(plan.id()));
        api.delete();
    }

    @Test
    void usagePlanQuotaAnswersLimitExceeded() {
        ApiFixture api = api("quota");
        api.mock(api.resource(api.rootId, "clicks"), "PUT", "{\"statusCode\": 200}", null, m -> m.apiKeyRequired(true))
                .deploy("v1");
        var key = api.apigw.createApiKey(b -> b.name(api.name).enabled(true));
        var plan = api.apigw.createUsagePlan(b -> b.name(api.name).apiStages(s -> s.apiId(api.apiId).stage("v1"))
                .quota(q -> q.limit(2).period(QuotaPeriodType.DAY)));
        api.apigw.createUsagePlanKey(b -> b.usagePlanId(plan.id()).keyId(key.id()).keyType("API_KEY"));
        api.invoke("v1", "/clicks").header("x-api-key", key.value()).put().then().statusCode(200);
        api.invoke("v1", "/clicks").header("x-api-key", key.value()).put().then().statusCode(200);
        api.invoke("v1", "/clicks").header("x-api-key", key.value()).put().then().statusCode(429)
                .header("x-amzn-ErrorType", "LimitExceededException").body("message", equalTo("Limit Exceeded"));
        api.apigw.deleteUsagePlanKey(b -> b.usagePlanId(plan.id()).keyId(key.id()));
        api.apigw.deleteUsagePlan(b -> b.usagePlanId(plan.id()));
        api.apigw.deleteApiKey(b -> b.apiKey(key.id()));
        api.delete();
    }

    @Test
    void requestsAreValidatedAgainstModelsAndParameters() {
        ApiFixture api = api("validate");
        String r = api.resource(api.rootId, "clicks");
        api.apigw.createModel(b -> b.restApiId(api.apiId).name("Click").contentType("application/json").schema(
                "{\"$schema\":\"http://json-schema.org/draft-04/schema#\",\"type\":\"object\",\"properties\":"
                        + "{\"Data\":{\"type\":\"string\",\"minLength\":1}},\"required\":[\"Data\"]}"));
        String validator = api.apigw.createRequestValidator(b -> b.restApiId(api.apiId).name("all")
                .validateRequestBody(true).validateRequestParameters(true)).id();
        api.mock(r, "PUT", "{\"statusCode\": 200}", null, m -> m.requestValidatorId(validator)
                .requestModels(Map.of("application/json", "Click"))
                .requestParameters(Map.of("method.request.querystring.source", true, "method.request.header.X-Opt", false)))
                .deploy("v1");

        api.invoke("v1", "/clicks").contentType("application/json").body("{\"Data\":\"x\"}").put()
                .then().statusCode(400).header("x-amzn-ErrorType", "BadRequestException")
                .body("message", equalTo("Missing required request parameters: [source]"));
        for (String bad : List.of("{\"Data\":\"\"}", "{\"Other\":1}", "[1]", "not json")) {
            api.invoke("v1", "/clicks?source=web").contentType("application/json").body(bad).put()
                    .then().statusCode(400).body("message", equalTo("Invalid request body"));
        }
        api.invoke("v1", "/clicks?source=web").contentType("application/json").body("{\"Data\":\"Test\"}").put()
                .then().statusCode(200);
        api.delete();
    }

    @Test
    void templateErrorsAnswer500() {
        ApiFixture api = api("broken");
        api.mock(api.resource(api.rootId, "syntax"), "GET", "{\"statusCode\": 200}", "#if(");
        api.mock(api.resource(api.rootId, "runtime"), "POST", "{\"statusCode\": 200, \"v\": $util.parseJson('{oops')}", null);
        api.mock(api.resource(api.rootId, "nostatus"), "GET", "{\"no\": \"status\"}", null);
        api.deploy("v1");
        for (Response r : List.of(api.invoke("v1", "/syntax").get(),
                api.invoke("v1", "/runtime").contentType("application/json").post(),
                api.invoke("v1", "/nostatus").get())) {
            r.then().statusCode(500).header("x-amzn-ErrorType", "InternalServerErrorException")
                    .body("message", equalTo("Internal server error"));
        }
        api.delete();
    }

    @Test
    void templatesCannotReachTheJvm() {
        ApiFixture api = api("sandbox");
        api.mock(api.resource(api.rootId, "x"), "GET", "{\"statusCode\": 200}",
                "[$input.getClass().forName('java.lang.Runtime').getRuntime()][$util.getClass().getClassLoader()]")
                .deploy("v1");
        api.mock(api.resource(api.rootId, "file"), "GET", "{\"statusCode\": 200}", "#include('pom.xml')").deploy("v1");
        api.invoke("v1", "/x").get().then().statusCode(200).body(equalTo("[][]"));
        api.invoke("v1", "/file").get().then().statusCode(500).body("message", equalTo("Internal server error"));
        api.delete();
    }

    @Test
    void bodiesThatAreNotJsonCannotBeReadAsJson() {
        ApiFixture api = api("notjson");
        api.mock(api.resource(api.rootId, "x"), "POST", "{\"statusCode\": 200, \"v\": $input.json('$.a')}", null)
                .deploy("v1");
        api.invoke("v1", "/x").contentType("application/json").body("{not json").post()
                .then().statusCode(400).body("message", startsWith("Could not parse request body into json"));
        api.delete();
    }

    @Test
    void aMockWithoutRequestTemplateAnswersItsDefaultResponse() {
        ApiFixture api = api("mock-default");
        String r = api.resource(api.rootId, "ping");
        api.apigw.putMethod(b -> b.restApiId(api.apiId).resourceId(r).httpMethod("GET").authorizationType("NONE"));
        api.apigw.putIntegration(b -> b.restApiId(api.apiId).resourceId(r).httpMethod("GET").type(IntegrationType.MOCK));
        api.apigw.putMethodResponse(b -> b.restApiId(api.apiId).resourceId(r).httpMethod("GET").statusCode("200"));
        api.apigw.putIntegrationResponse(b -> b.restApiId(api.apiId).resourceId(r).httpMethod("GET").statusCode("200")
                .responseTemplates(Map.of("application/json", "{\"pong\": true}")));
        // The shorthand CDK's CORS preflights use, which is not JSON, names a status too.
        String cdk = api.resource(api.rootId, "cdk");
        api.mock(cdk, "OPTIONS", "{ statusCode: 204 }", null);
        api.apigw.putMethodResponse(b -> b.restApiId(api.apiId).resourceId(cdk).httpMethod("OPTIONS").statusCode("204"));
        api.apigw.putIntegrationResponse(b -> b.restApiId(api.apiId).resourceId(cdk).httpMethod("OPTIONS")
                .statusCode("204").selectionPattern("204"));
        api.deploy("v1");
        api.invoke("v1", "/ping").get().then().statusCode(200).body("pong", equalTo(true));
        api.invoke("v1", "/ping").contentType("text/plain").body("anything").get().then().statusCode(200)
                .body("pong", equalTo(true));
        api.invoke("v1", "/cdk").options().then().statusCode(204);
        api.delete();
    }

    @Test
    void passthroughBehaviorDecidesUnmatchedContentTypes() {
        ApiFixture api = api("passthrough");
        String r = api.resource(api.rootId, "x");
        api.mock(r, "POST", "{\"statusCode\": 200}", null);
        api.apigw.putIntegration(b -> b.restApiId(api.apiId).resourceId(r).httpMethod("POST").type(IntegrationType.MOCK)
                .passthroughBehavior("NEVER").requestTemplates(Map.of("application/json", "{\"statusCode\": 200}")));
        api.deploy("v1");
        api.invoke("v1", "/x").contentType("text/plain").body("hello").post().then().statusCode(415)
                .header("x-amzn-ErrorType", "UnsupportedMediaTypeException")
                .body("message", equalTo("Unsupported Media Type"));
        api.invoke("v1", "/x").contentType("application/json; charset=utf-8").body("{}").post().then().statusCode(200);
        api.delete();
    }

    @Test
    void corsPreflightGetsTheConfiguredHeaders() {
        ApiFixture api = api("cors");
        String r = api.resource(api.rootId, "clicks");
        api.apigw.putMethod(b -> b.restApiId(api.apiId).resourceId(r).httpMethod("OPTIONS").authorizationType("NONE"));
        api.apigw.putMethodResponse(b -> b.restApiId(api.apiId).resourceId(r).httpMethod("OPTIONS").statusCode("200")
                .responseParameters(Map.of("method.response.header.Access-Control-Allow-Origin", false,
                        "method.response.header.Access-Control-Allow-Methods", false,
                        "method.response.header.Access-Control-Allow-Headers", false)));
        api.apigw.putIntegration(b -> b.restApiId(api.apiId).resourceId(r).httpMethod("OPTIONS").type(IntegrationType.MOCK)
                .requestTemplates(Map.of("application/json", "{\"statusCode\": 200}")));
        api.apigw.putIntegrationResponse(b -> b.restApiId(api.apiId).resourceId(r).httpMethod("OPTIONS").statusCode("200")
                .responseParameters(Map.of("method.response.header.Access-Control-Allow-Origin", "'*'",
                        "method.response.header.Access-Control-Allow-Methods", "'OPTIONS,PUT'",
                        "method.response.header.Access-Control-Allow-Headers", "'Content-Type,X-Api-Key'")));
        api.deploy("v1");
        // What a browser sends before a cross-origin PUT with a JSON body.
        api.invoke("v1", "/clicks").header("Origin", "http://localhost:3000")
                .header("Access-Control-Request-Method", "PUT")
                .header("Access-Control-Request-Headers", "content-type,x-api-key")
                .options()
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", "*")
                .header("Access-Control-Allow-Methods", "OPTIONS,PUT")
                .header("Access-Control-Allow-Headers", "Content-Type,X-Api-Key");
        api.delete();
    }

    @Test
    void responseTemplatesOverrideStatusAndHeaders() {
        ApiFixture api = api("override");
        String r = api.resource(api.rootId, "clicks");
        // Echo the caller's Origin only when it is one of the allowed ones, as a multi-origin CORS API does.
        api.mock(r, "PUT", "{\"statusCode\": 200}",
                "#set($origin = $input.params('Origin'))\n"
                        + "#set($allowed = ['https://a.example', 'https://b.example'])#if($allowed.contains($origin))"
                        + "#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)#end\n"
                        + "#if($input.params('X-Fail') == 'yes')#set($context.responseOverride.status = 418)#end\n"
                        + "{\"ok\": true}");
        api.deploy("v1");
        api.invoke("v1", "/clicks").header("Origin", "https://b.example").contentType("application/json").body("{}").put()
                .then().statusCode(200).header("Access-Control-Allow-Origin", "https://b.example").body("ok", equalTo(true));
        Response other = api.invoke("v1", "/clicks").header("Origin", "https://evil.example")
                .contentType("application/json").body("{}").put();
        other.then().statusCode(200);
        assertEquals(null, other.header("Access-Control-Allow-Origin"));
        api.invoke("v1", "/clicks").header("X-Fail", "yes").contentType("application/json").body("{}").put()
                .then().statusCode(418).body("ok", equalTo(true));
        api.delete();
    }

    @Test
    void invocationsArePublishedAsCloudWatchMetrics() {
        ApiFixture api = api("metrics");
        api.mock(api.resource(api.rootId, "clicks"), "PUT", "{\"statusCode\": 200}", null).deploy("v1");
        int ok = 7;
        int notFound = 3;
        for (int i = 0; i < ok; i++) {
            api.invoke("v1", "/clicks").put().then().statusCode(200);
        }
        for (int i = 0; i < notFound; i++) {
            api.invoke("v1", "/nothing").put().then().statusCode(403);
        }
        Map<String, String> byStage = Map.of("ApiName", api.name, "Stage", "v1");
        assertEquals(ok + notFound, sum("Count", byStage));
        assertEquals(notFound, sum("4XXError", byStage));
        assertEquals(0, sum("5XXError", byStage));
        assertEquals(ok + notFound, sum("Count", Map.of("ApiName", api.name)));
        assertEquals(ok + notFound, samples("Latency", byStage));

        // The same through CloudWatch, as the portal reads it: the 4XXError average is the error rate.
        Instant start = Instant.now().minus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MINUTES);
        var data = cloudWatch.getMetricData(b -> b.startTime(start).endTime(Instant.now().plus(1, ChronoUnit.MINUTES))
                .metricDataQueries(query("count", "Count", "Sum", api.name), query("errors", "4XXError", "Sum", api.name)));
        Map<String, Double> totals = new HashMap<>();
        data.metricDataResults().forEach(r -> totals.put(r.id(), r.values().stream().mapToDouble(Double::doubleValue).sum()));
        assertEquals(Map.of("count", (double) ok + notFound, "errors", (double) notFound), totals);
        api.delete();
    }

    private static MetricDataQuery query(String id, String metric, String stat, String apiName) {
        return MetricDataQuery.builder().id(id).metricStat(s -> s.period(60).stat(stat).metric(m -> m
                .namespace("AWS/ApiGateway").metricName(metric).dimensions(
                        Dimension.builder().name("ApiName").value(apiName).build(),
                        Dimension.builder().name("Stage").value("v1").build()))).build();
    }

    private double sum(String metric, Map<String, String> dimensions) {
        return points(metric, dimensions).stream().mapToDouble(p -> p.aggregate().sum()).sum();
    }

    private long samples(String metric, Map<String, String> dimensions) {
        return points(metric, dimensions).stream().mapToLong(p -> p.aggregate().sampleCount()).sum();
    }

    private List<MetricStore.Datapoint> points(String metric, Map<String, String> dimensions) {
        Instant now = Instant.now();
        return metrics.query(MetricId.of("AWS/ApiGateway", metric, dimensions), now.minus(10, ChronoUnit.MINUTES),
                now.plus(1, ChronoUnit.MINUTES));
    }

    @Test
    void rawInvokeWithoutAnySdk() {
        ApiFixture api = api("raw");
        api.mock(api.resource(api.rootId, "ping"), "GET", "{\"statusCode\": 200}", "{\"pong\": true}").deploy("prod");
        var uri = endpoint.uri();
        given().baseUri("http://" + uri.getHost()).port(uri.getPort())
                .get("/restapis/" + api.apiId + "/prod/_user_request_/ping")
                .then().statusCode(200).body("pong", equalTo(true));
        api.delete();
    }
}
