package dev.clicklog.portal.pipeline;

import dev.clicklog.portal.pipeline.step.BucketStepTest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.clicklog.portal.adapter.AwsErrors;
import dev.clicklog.portal.adapter.AwsFailure;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.Method;
import software.amazon.awssdk.services.apigateway.model.Op;
import software.amazon.awssdk.services.apigateway.model.PatchOperation;
import software.amazon.awssdk.services.apigateway.model.RequestValidator;
import software.amazon.awssdk.services.apigateway.model.Resource;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamDescription;
import software.amazon.awssdk.services.firehose.model.ExtendedS3DestinationDescription;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StreamDescriptionSummary;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A pipeline's whole life against the local endpoint: requested over the REST API, every resource
 * checked through the SDK (names, tags, policies), clicks sent to its invoke URL reaching the stream
 * and S3, then deleted with every resource gone.
 */
@QuarkusTest
class PipelineLifecycleTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCOUNT = "000000000000";
    private static final Map<String, String> TEAM_TAGS = Map.of("clicklog:team", "growth", "managed-by", "clicklog-portal");

    @Inject
    IamClient iam;
    @Inject
    KinesisClient kinesis;
    @Inject
    S3Client s3;
    @Inject
    FirehoseClient firehose;
    @Inject
    ApiGatewayClient apiGateway;
    @Inject
    CloudWatchLogsClient logs;
    @Inject
    PipelinesConfig config;

    @Test
    void aPipelineIsProvisionedCarriesClicksAndIsTornDown() throws Exception {
        // An account without a CloudWatch role for API Gateway, as a new one is: the pipeline sets the portal's.
        apiGateway.updateAccount(r -> r.patchOperations(PatchOperation.builder().op(Op.REPLACE).path("/cloudwatchRoleArn")
                .value("").build()));
        String name = PipelineApi.uniqueName("life");
        JsonPath created = PipelineApi.create("{\"name\":\"" + name + "\",\"team\":\"growth\",\"shards\":2,"
                + "\"retentionHours\":48,\"bufferSizeMb\":1,\"bufferIntervalSeconds\":1,\"s3Prefix\":\"raw/clicks/\","
                + "\"allowedOrigins\":[\"https://shop.example\"]}");
        assertEquals("PROVISIONING", created.getString("status"));

        JsonPath ready = PipelineApi.awaitStatus(name, "READY");
        String stream = "clicklog-" + name;
        String bucket = "clicklog-" + name + "-" + ACCOUNT;
        String streamArn = "arn:aws:kinesis:us-east-1:" + ACCOUNT + ":stream/" + stream;
        String bucketArn = "arn:aws:s3:::" + bucket;
        Map<String, String> tags = tags(ready);

        // the view
        assertEquals(List.of("DONE", "DONE", "DONE", "DONE", "DONE", "DONE"), ready.getList("steps.state"));
        assertEquals("arn:aws:iam::" + ACCOUNT + ":role/clicklog-" + name + "-apigateway", ready.getString("resources.apiRoleArn"));
        assertEquals("arn:aws:iam::" + ACCOUNT + ":role/clicklog-" + name + "-firehose", ready.getString("resources.deliveryRoleArn"));
        assertEquals(stream, ready.getString("resources.streamName"));
        assertEquals(streamArn, ready.getString("resources.streamArn"));
        assertEquals(bucket, ready.getString("resources.bucket"));
        assertEquals("raw/clicks/", ready.getString("resources.prefix"));
        assertEquals(stream, ready.getString("resources.deliveryStreamName"));
        assertEquals("v1", ready.getString("resources.stage"));
        String apiId = ready.getString("resources.restApiId");
        assertNotNull(apiId);
        String invokeUrl = ready.getString("invokeUrl");
        assertTrue(invokeUrl.endsWith("/restapis/" + apiId + "/v1/_user_request_/clicks"), invokeUrl);
        List<String> types = ready.getList("events.type");
        assertEquals("CREATED", types.get(0));
        assertEquals("READY", types.get(types.size() - 1));
        assertEquals(6, types.stream().filter("SUCCEEDED"::equals).count());

        // IAM: each role trusts one service and may do exactly its job on this pipeline's resources
        JsonNode apiTrust = policy(iam.getRole(r -> r.roleName("clicklog-" + name + "-apigateway")).role().assumeRolePolicyDocument());
        assertEquals("apigateway.amazonaws.com", apiTrust.at("/Statement/0/Principal/Service").asText());
        JsonNode apiPolicy = policy(iam.getRolePolicy(r -> r.roleName("clicklog-" + name + "-apigateway")
                .policyName("clicklog-put-records")).policyDocument());
        assertEquals(1, apiPolicy.get("Statement").size());
        assertEquals(List.of("kinesis:PutRecord", "kinesis:PutRecords"), strings(apiPolicy.at("/Statement/0/Action")));
        assertEquals(List.of(streamArn), strings(apiPolicy.at("/Statement/0/Resource")));

        JsonNode deliveryTrust = policy(iam.getRole(r -> r.roleName("clicklog-" + name + "-firehose")).role().assumeRolePolicyDocument());
        assertEquals("firehose.amazonaws.com", deliveryTrust.at("/Statement/0/Principal/Service").asText());
        assertEquals(ACCOUNT, deliveryTrust.at("/Statement/0/Condition/StringEquals/sts:ExternalId").asText());
        JsonNode deliveryPolicy = policy(iam.getRolePolicy(r -> r.roleName("clicklog-" + name + "-firehose")
                .policyName("clicklog-delivery")).policyDocument());
        Map<String, List<String>> resourcesByAction = new TreeMap<>();
        for (JsonNode statement : deliveryPolicy.get("Statement")) {
            for (String action : strings(statement.get("Action"))) {
                resourcesByAction.put(action, strings(statement.get("Resource")));
            }
        }
        for (String read : List.of("kinesis:DescribeStream", "kinesis:GetShardIterator", "kinesis:GetRecords", "kinesis:ListShards")) {
            assertEquals(List.of(streamArn), resourcesByAction.get(read), read);
        }
        for (String locate : List.of("s3:GetBucketLocation", "s3:ListBucket")) {
            assertEquals(List.of(bucketArn), resourcesByAction.get(locate), locate);
        }
        for (String write : List.of("s3:PutObject", "s3:AbortMultipartUpload")) {
            assertEquals(List.of(bucketArn + "/raw/clicks/*", bucketArn + "/errors/raw/clicks/*"),
                    resourcesByAction.get(write), write);
        }
        for (String role : List.of("-apigateway", "-firehose")) {
            Map<String, String> roleTags = iam.listRoleTags(r -> r.roleName("clicklog-" + name + role)).tags().stream()
                    .collect(Collectors.toMap(t -> t.key(), t -> t.value()));
            assertEquals(tags, roleTags, role);
        }

        // Kinesis
        StreamDescriptionSummary s = kinesis.describeStreamSummary(r -> r.streamName(stream)).streamDescriptionSummary();
        assertEquals("ACTIVE", s.streamStatusAsString());
        assertEquals(2, s.openShardCount());
        assertEquals(48, s.retentionPeriodHours());
        assertEquals("KMS", s.encryptionTypeAsString());
        assertEquals("alias/aws/kinesis", s.keyId());
        assertEquals(tags, kinesis.listTagsForStream(r -> r.streamName(stream)).tags().stream()
                .collect(Collectors.toMap(t -> t.key(), t -> t.value())));

        // S3: private, encrypted with S3-managed keys, tagged
        s3.headBucket(r -> r.bucket(bucket));
        assertEquals(tags, s3.getBucketTagging(r -> r.bucket(bucket)).tagSet().stream()
                .collect(Collectors.toMap(t -> t.key(), t -> t.value())));
        BucketStepTest.assertPrivateWithS3ManagedKeys(s3, bucket);

        // Firehose
        DeliveryStreamDescription d = firehose.describeDeliveryStream(r -> r.deliveryStreamName(stream)).deliveryStreamDescription();
        assertEquals("ACTIVE", d.deliveryStreamStatusAsString());
        assertEquals("KinesisStreamAsSource", d.deliveryStreamTypeAsString());
        assertEquals(streamArn, d.source().kinesisStreamSourceDescription().kinesisStreamARN());
        ExtendedS3DestinationDescription dest = d.destinations().get(0).extendedS3DestinationDescription();
        assertEquals(bucketArn, dest.bucketARN());
        assertEquals(ready.getString("resources.deliveryRoleArn"), dest.roleARN());
        assertEquals("raw/clicks/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/", dest.prefix());
        assertEquals("errors/raw/clicks/!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/"
                + "day=!{timestamp:dd}/", dest.errorOutputPrefix());
        assertEquals(1, dest.bufferingHints().sizeInMBs());
        assertEquals(1, dest.bufferingHints().intervalInSeconds());
        assertEquals("UNCOMPRESSED", dest.compressionFormatAsString());
        assertEquals("AppendDelimiterToRecord", dest.processingConfiguration().processors().get(0).typeAsString());
        assertEquals(tags, firehose.listTagsForDeliveryStream(r -> r.deliveryStreamName(stream)).tags().stream()
                .collect(Collectors.toMap(t -> t.key(), t -> t.value())));

        // API Gateway
        assertEquals(tags, new HashMap<>(apiGateway.getRestApi(r -> r.restApiId(apiId)).tags()));
        Map<String, Resource> resources = apiGateway.getResources(r -> r.restApiId(apiId).embed("methods")).items().stream()
                .collect(Collectors.toMap(Resource::path, r -> r));
        Method put = resources.get("/clicks").resourceMethods().get("PUT");
        assertEquals("arn:aws:apigateway:us-east-1:kinesis:action/PutRecord", put.methodIntegration().uri());
        assertEquals(ready.getString("resources.apiRoleArn"), put.methodIntegration().credentials());
        assertEquals("{\"StreamName\": \"" + stream + "\", \"Data\": \"$util.base64Encode($input.body)\", "
                + "\"PartitionKey\": \"$context.requestId\"}", put.methodIntegration().requestTemplates().get("application/json"));
        assertEquals("arn:aws:apigateway:us-east-1:kinesis:action/PutRecords",
                resources.get("/clicks/batch").resourceMethods().get("PUT").methodIntegration().uri());
        Method post = resources.get("/clicks").resourceMethods().get("POST");
        assertEquals("arn:aws:apigateway:us-east-1:kinesis:action/PutRecord", post.methodIntegration().uri());
        assertEquals(ready.getString("resources.apiRoleArn"), post.methodIntegration().credentials());
        assertEquals(Map.of("application/json", put.methodIntegration().requestTemplates().get("application/json"),
                "text/plain", put.methodIntegration().requestTemplates().get("application/json")),
                post.methodIntegration().requestTemplates());
        assertEquals("NEVER", post.methodIntegration().passthroughBehavior());
        assertTrue(resources.get("/clicks").resourceMethods().containsKey("OPTIONS"));
        assertTrue(resources.get("/clicks/batch").resourceMethods().containsKey("OPTIONS"));

        // ... bodies validated by a validator of bodies against the models
        List<RequestValidator> validators = apiGateway.getRequestValidators(r -> r.restApiId(apiId)).items();
        assertEquals(1, validators.size(), validators.toString());
        assertEquals("clicklog-body", validators.get(0).name());
        assertTrue(validators.get(0).validateRequestBody());
        assertFalse(validators.get(0).validateRequestParameters());
        String validatorId = validators.get(0).id();
        Method batchPut = resources.get("/clicks/batch").resourceMethods().get("PUT");
        for (Method m : List.of(put, post, batchPut)) {
            assertEquals(validatorId, m.requestValidatorId(), m.httpMethod());
        }
        assertEquals(Map.of("application/json", "Click"), put.requestModels());
        assertEquals(Map.of("application/json", "Click", "text/plain", "Click"), post.requestModels());
        assertEquals(Map.of("application/json", "Clicks"), batchPut.requestModels());
        Map<String, JsonNode> models = new HashMap<>();
        for (var m : apiGateway.getModels(r -> r.restApiId(apiId)).items()) {
            models.put(m.name(), JSON.readTree(m.schema()));
            assertEquals("application/json", m.contentType(), m.name());
        }
        assertEquals("object", models.get("Click").get("type").asText());
        assertEquals("array", models.get("Clicks").get("type").asText());
        assertEquals(1, models.get("Clicks").get("minItems").asInt());
        assertEquals(500, models.get("Clicks").get("maxItems").asInt());
        assertEquals("object", models.get("Clicks").at("/items/type").asText());

        // ... deployed to stage v1, throttled as configured, tagged (with the deployed definition's fingerprint)
        var stage = apiGateway.getStage(r -> r.restApiId(apiId).stageName("v1"));
        assertEquals(config.stage().rateLimit(), stage.methodSettings().get("*/*").throttlingRateLimit());
        assertEquals(config.stage().burstLimit(), stage.methodSettings().get("*/*").throttlingBurstLimit());
        assertEquals(1000.0, config.stage().rateLimit(), "the default");
        assertEquals(2000, config.stage().burstLimit(), "the default");
        Map<String, String> stageTags = new HashMap<>(stage.tags());
        assertTrue(stageTags.remove("clicklog:definition").matches("[0-9a-f]{16}"), stage.tags().toString());
        assertEquals(tags, stageTags);

        // Clicks: one, then a batch, through the invoke URL
        String click = "{\"page\":\"/checkout\",\"button\":\"pay\",\"test\":\"" + name + "\"}";
        given().contentType(ContentType.JSON).body(click).when().put(invokeUrl)
                .then().log().ifValidationFails().statusCode(200)
                .header("Access-Control-Allow-Origin", "https://shop.example")
                .body("SequenceNumber", notNullValue());
        given().contentType(ContentType.JSON).body("[{\"n\":1},{\"n\":2},{\"n\":3}]").when().put(invokeUrl + "/batch")
                .then().log().ifValidationFails().statusCode(200)
                .body("FailedRecordCount", equalTo(0));
        // The gateway's own refusals carry CORS too, so a page can read why its click was refused.
        given().contentType(ContentType.JSON).header("Origin", "https://shop.example").body("\"not an object\"")
                .when().put(invokeUrl)
                .then().statusCode(400)
                .header("Access-Control-Allow-Origin", "https://shop.example")
                .body("message", equalTo("Invalid request body"));
        for (String type : List.of("DEFAULT_4XX", "DEFAULT_5XX")) {
            assertEquals(Map.of("gatewayresponse.header.Access-Control-Allow-Origin", "'https://shop.example'"),
                    apiGateway.getGatewayResponse(r -> r.restApiId(apiId).responseType(type)).responseParameters(), type);
        }
        given().header("Origin", "https://shop.example").header("Access-Control-Request-Method", "PUT")
                .when().options(invokeUrl)
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", "https://shop.example")
                .header("Access-Control-Allow-Methods", "OPTIONS,POST,PUT");

        // Access logs: the stage writes every answer, the refusal above included, to the pipeline's log group.
        String logGroup = "/aws/apigateway/clicklog-" + name;
        String logGroupArn = "arn:aws:logs:us-east-1:" + ACCOUNT + ":log-group:" + logGroup;
        assertEquals(logGroup, ready.getString("resources.logGroup"));
        assertEquals(logGroupArn, ready.getString("arns.logGroup"));
        LogGroup group = logs.describeLogGroups(r -> r.logGroupNamePrefix(logGroup)).logGroups().get(0);
        assertEquals(config.accessLogs().retentionDays(), group.retentionInDays());
        assertEquals(14, config.accessLogs().retentionDays(), "the default");
        assertEquals(tags, logs.listTagsForResource(r -> r.resourceArn(logGroupArn)).tags());
        assertEquals(logGroupArn, stage.accessLogSettings().destinationArn());
        assertTrue(stage.accessLogSettings().format().contains("\"requestId\":\"$context.requestId\""),
                stage.accessLogSettings().format());
        String accountRole = apiGateway.getAccount().cloudwatchRoleArn();
        assertEquals("arn:aws:iam::" + ACCOUNT + ":role/clicklog-apigateway-logs", accountRole,
                "API Gateway needs the account's CloudWatch role to write logs");
        assertEquals("apigateway.amazonaws.com", policy(iam.getRole(r -> r.roleName("clicklog-apigateway-logs")).role()
                .assumeRolePolicyDocument()).at("/Statement/0/Principal/Service").asText());
        JsonNode logsPolicy = policy(iam.getRolePolicy(r -> r.roleName("clicklog-apigateway-logs")
                .policyName("clicklog-access-logs")).policyDocument());
        assertEquals(List.of("logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"),
                strings(logsPolicy.at("/Statement/0/Action")));
        assertEquals(List.of("arn:aws:logs:*:" + ACCOUNT + ":log-group:/aws/apigateway/clicklog-*:log-stream:*"),
                strings(logsPolicy.at("/Statement/0/Resource")));
        List<String> refused = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
                .until(() -> logs.filterLogEvents(r -> r.logGroupName(logGroup).filterPattern("{ $.status = 400 }"))
                        .events().stream().map(e -> e.message()).toList(), l -> !l.isEmpty());
        JsonNode line = JSON.readTree(refused.get(0));
        assertEquals("Invalid request body", line.path("error").asText());
        assertEquals("BAD_REQUEST_BODY", line.path("responseType").asText());

        List<Record> records = readStream(stream);
        List<String> inStream = records.stream().map(r -> r.data().asUtf8String()).toList();
        assertTrue(inStream.contains(click), inStream.toString());
        assertEquals(4, inStream.size(), inStream.toString());
        List<String> batch = inStream.stream().filter(x -> !x.equals(click)).map(x -> x.replace(" ", "")).sorted().toList();
        assertEquals(List.of("{\"n\":1}", "{\"n\":2}", "{\"n\":3}"), batch);
        // each record of the batch is keyed by the request id and its position in the batch
        List<String> batchKeys = records.stream().filter(r -> !r.data().asUtf8String().equals(click))
                .map(Record::partitionKey).sorted().toList();
        String requestId = batchKeys.get(0).substring(0, batchKeys.get(0).length() - 2);
        assertEquals(List.of(requestId + "-0", requestId + "-1", requestId + "-2"), batchKeys);
        assertFalse(requestId.contains("$"), requestId);

        String inS3 = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> objectsText(bucket, "raw/clicks/year="), text -> text.contains(click + "\n"));
        assertTrue(inS3.contains(click + "\n"), inS3);

        // Teardown
        assertEquals("DELETING", PipelineApi.delete(name).getString("status"));
        JsonPath deleted = PipelineApi.awaitStatus(name, "DELETED", PipelineApi.TEARDOWN);
        assertEquals(List.of("DONE", "DONE", "DONE", "DONE", "DONE", "DONE"), deleted.getList("steps.state"));
        assertEquals(null, deleted.getString("invokeUrl"));
        assertGone(() -> iam.getRole(r -> r.roleName("clicklog-" + name + "-apigateway")));
        assertGone(() -> iam.getRole(r -> r.roleName("clicklog-" + name + "-firehose")));
        assertGone(() -> kinesis.describeStreamSummary(r -> r.streamName(stream)));
        assertGone(() -> firehose.describeDeliveryStream(r -> r.deliveryStreamName(stream)));
        assertGone(() -> apiGateway.getRestApi(r -> r.restApiId(apiId)));
        assertEquals(List.of(), logs.describeLogGroups(r -> r.logGroupNamePrefix(logGroup)).logGroups());
        assertEquals(accountRole, apiGateway.getAccount().cloudwatchRoleArn(), "the account's role is every pipeline's");
        assertFalse(apiGateway.getRestApis(r -> r.limit(500)).items().stream().anyMatch(a -> a.name().equals(stream)));
        // The clicks stay: the bucket and what Firehose wrote in it
        assertEquals("KEPT", deleted.getString("clicks"));
        s3.headBucket(r -> r.bucket(bucket));
        assertTrue(objectsText(bucket, "raw/clicks/year=").contains(click + "\n"));

        // Deleting again changes nothing; the name can be used again, the old pipeline stays as history
        assertEquals("DELETED", PipelineApi.delete(name).getString("status"));
        given().get("/api/pipelines").then().body("name", Matchers.not(Matchers.hasItem(name)));
        given().get("/api/pipelines?includeDeleted=true").then().body("name", Matchers.hasItem(name));
        JsonPath again = PipelineApi.create("{\"name\":\"" + name + "\",\"team\":\"growth\",\"s3Prefix\":\"raw/clicks/\"}");
        assertEquals(ready.getString("pipelineId"), again.getString("pipelineId"), "the same team adopts its kept clicks");
        PipelineApi.awaitStatus(name, "READY");
        given().delete("/api/pipelines/" + name + "?purge=true").then().statusCode(202);
        PipelineApi.awaitStatus(name, "DELETED", PipelineApi.TEARDOWN);
        assertGone(() -> s3.headBucket(r -> r.bucket(bucket)));
    }

    @Test
    void anApiKeyIsRequiredWhenAsked() {
        String name = PipelineApi.uniqueName("key");
        PipelineApi.create("{\"name\":\"" + name + "\",\"team\":\"growth\",\"bufferIntervalSeconds\":1,\"apiKeyRequired\":true}");
        JsonPath ready = PipelineApi.awaitStatus(name, "READY");
        // never in the pipeline's view: asked for on its own
        assertNull(ready.get("resources.apiKey"));
        String key = given().get("/api/pipelines/" + name + "/api-key").then().statusCode(200).extract().jsonPath()
                .getString("apiKey");
        assertNotNull(key);
        String planId = ready.getString("resources.usagePlanId");
        String apiId = ready.getString("resources.restApiId");
        var plan = apiGateway.getUsagePlan(r -> r.usagePlanId(planId));
        assertEquals(apiId, plan.apiStages().get(0).apiId());
        assertEquals("v1", plan.apiStages().get(0).stage());
        assertEquals("DAY", plan.quota().periodAsString());
        assertEquals(config.usagePlan().quotaPerDay(), plan.quota().limit());
        assertEquals(config.usagePlan().rateLimit(), plan.throttle().rateLimit());
        assertEquals(config.usagePlan().burstLimit(), plan.throttle().burstLimit());
        assertEquals(tags(ready), new HashMap<>(plan.tags()));
        assertTrue(apiGateway.getUsagePlanKeys(r -> r.usagePlanId(planId)).items().stream()
                .anyMatch(k -> k.id().equals(ready.getString("resources.apiKeyId"))));
        var apiKey = apiGateway.getApiKey(r -> r.apiKey(ready.getString("resources.apiKeyId")).includeValue(true));
        assertEquals("clicklog-" + name, apiKey.name());
        assertTrue(apiKey.enabled());
        assertEquals(key, apiKey.value());
        assertEquals(tags(ready), new HashMap<>(apiKey.tags()));

        String url = ready.getString("invokeUrl");
        given().contentType(ContentType.JSON).header("Origin", "https://any.example").body("{\"a\":1}").when().put(url)
                .then().statusCode(403)
                .header("Access-Control-Allow-Origin", "*");
        given().contentType(ContentType.TEXT).body("{\"a\":1}").when().post(url).then().statusCode(403);
        given().contentType(ContentType.JSON).header("x-api-key", key).body("{\"a\":1}").when().put(url)
                .then().statusCode(200);

        PipelineApi.deleteAndAwait(name);
        assertGone(() -> apiGateway.getUsagePlan(r -> r.usagePlanId(planId)));
        assertGone(() -> apiGateway.getApiKey(r -> r.apiKey(ready.getString("resources.apiKeyId"))));
    }

    @Test
    void eachAllowedOriginGetsItsOwnCorsAnswer() {
        String name = PipelineApi.uniqueName("cors");
        PipelineApi.create("{\"name\":\"" + name + "\",\"team\":\"growth\",\"bufferIntervalSeconds\":1,"
                + "\"allowedOrigins\":[\"https://a.example\",\"https://b.example:8443\"]}");
        String url = PipelineApi.awaitStatus(name, "READY").getString("invokeUrl");

        given().contentType(ContentType.JSON).header("Origin", "https://b.example:8443").body("{\"x\":1}").when().put(url)
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", "https://b.example:8443")
                .header("Vary", "Origin")
                .body("SequenceNumber", notNullValue());
        given().header("Origin", "https://a.example").header("Access-Control-Request-Method", "PUT")
                .when().options(url + "/batch")
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", "https://a.example")
                .header("Access-Control-Allow-Methods", "OPTIONS,PUT");
        given().contentType(ContentType.JSON).header("Origin", "https://a.example").body("[\"not a click\"]")
                .when().put(url)
                .then().statusCode(400)
                .header("Access-Control-Allow-Origin", "https://a.example")
                .header("Vary", "Origin");
        given().contentType(ContentType.JSON).header("Origin", "https://evil.example").body("{\"x\":2}").when().put(url)
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", Matchers.nullValue());
        PipelineApi.deleteAndAwait(name);
    }

    /**
     * {@code navigator.sendBeacon(url, JSON.stringify(click))}: a POST of text/plain;charset=UTF-8,
     * without a preflight. The click is put into the stream as it is; what is no JSON object is refused.
     */
    @Test
    void aBeaconPostsOneClick() {
        String name = PipelineApi.uniqueName("beacon");
        PipelineApi.create("{\"name\":\"" + name + "\",\"team\":\"growth\",\"bufferIntervalSeconds\":1,\"allowedOrigins\":[\"https://shop.example\"]}");
        String url = PipelineApi.awaitStatus(name, "READY").getString("invokeUrl");
        String click = "{\"page\":\"/checkout\",\"beacon\":true,\"é\":\"ü\"}";
        given().header("Origin", "https://shop.example").contentType("text/plain;charset=UTF-8").body(click)
                .when().post(url)
                .then().log().ifValidationFails().statusCode(200)
                .header("Access-Control-Allow-Origin", "https://shop.example")
                .body("SequenceNumber", notNullValue());
        String json = "{\"page\":\"/cart\"}";
        given().contentType(ContentType.JSON).body(json).when().post(url)
                .then().log().ifValidationFails().statusCode(200)
                .header("Access-Control-Allow-Origin", "https://shop.example");
        for (String notAClick : List.of("[{\"page\":\"/a\"}]", "\"a string\"", "42", "not json at all")) {
            given().contentType("text/plain;charset=UTF-8").body(notAClick).when().post(url)
                    .then().statusCode(400)
                    .body("message", equalTo("Invalid request body"));
        }
        given().contentType("application/x-www-form-urlencoded").body("page=/a").when().post(url)
                .then().statusCode(415);

        List<String> inStream = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> readStream("clicklog-" + name).stream().map(r -> r.data().asUtf8String()).toList(),
                        data -> data.size() >= 2);
        assertEquals(2, inStream.size(), "only the clicks: " + inStream);
        assertEquals(Set.of(click, json), Set.copyOf(inStream));
        PipelineApi.deleteAndAwait(name);
    }

    @Test
    void retryOfAPipelineThatDidNotFailIs409() {
        String name = PipelineApi.uniqueName("noretry");
        PipelineApi.create("{\"name\":\"" + name + "\",\"team\":\"growth\"}");
        PipelineApi.awaitStatus(name, "READY");
        given().post("/api/pipelines/" + name + "/retry").then().statusCode(409)
                .body("message", Matchers.containsString("READY"));
        PipelineApi.deleteAndAwait(name);
    }

    /** The tags of every resource of the pipeline: its name, team and id. */
    private static Map<String, String> tags(JsonPath view) {
        Map<String, String> tags = new HashMap<>(TEAM_TAGS);
        tags.put("clicklog:pipeline", view.getString("name"));
        tags.put("clicklog:pipeline-id", view.getString("pipelineId"));
        return tags;
    }

    private static JsonNode policy(String document) throws Exception {
        String text = document.startsWith("%") ? URLDecoder.decode(document, StandardCharsets.UTF_8) : document;
        return JSON.readTree(text);
    }

    private static List<String> strings(JsonNode node) {
        List<String> list = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> list.add(n.asText()));
        } else {
            list.add(node.asText());
        }
        return list;
    }

    /** Every record in the stream, read from the start of each shard. */
    private List<Record> readStream(String stream) {
        List<Record> data = new ArrayList<>();
        for (var shard : kinesis.listShards(r -> r.streamName(stream)).shards()) {
            String iterator = kinesis.getShardIterator(r -> r.streamName(stream).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            data.addAll(kinesis.getRecords(r -> r.shardIterator(iterator)).records());
        }
        return data;
    }

    private String objectsText(String bucket, String prefix) {
        StringBuilder text = new StringBuilder();
        for (S3Object o : s3.listObjectsV2(r -> r.bucket(bucket).prefix(prefix)).contents()) {
            text.append(s3.getObjectAsBytes(r -> r.bucket(bucket).key(o.key())).asUtf8String());
        }
        return text.toString();
    }

    /** The call fails because the resource does not exist (each service says so its own way). */
    static void assertGone(Runnable describe) {
        SdkServiceException e = assertThrows(SdkServiceException.class, describe::run);
        assertEquals(AwsFailure.Kind.NOT_FOUND, AwsErrors.classify(e).kind(), e.getMessage());
    }
}
