package dev.clicklog.localaws.apigateway;

import dev.clicklog.localaws.apigateway.invoke.IntegrationAccess;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.clicklog.endpoint.LocalEndpoint;
import dev.clicklog.localaws.cloudwatch.MetricStore;
import dev.clicklog.localaws.spi.MetricId;
import dev.clicklog.testing.TestRoles;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.IntegrationType;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * The seed's click path: a REST API whose PUT /clicks has an AWS integration to Kinesis PutRecord,
 * built by SDK calls as its console steps did, and PUT /clicks/batch mapped to PutRecords.
 */
@QuarkusTest
class ApiGatewayKinesisTest {

    static final String PUT_RECORD_TEMPLATE =
            "{\"StreamName\": \"%s\", \"Data\": \"$util.base64Encode($input.body)\", \"PartitionKey\": \"$context.requestId\"}";
    private static final String PUT_RECORDS_TEMPLATE = """
            {
              "StreamName": "%s",
              "Records": [
            #foreach($click in $input.path('$'))
                {"Data": "$util.base64Encode($input.json("$[$foreach.index]"))", "PartitionKey": "$context.requestId"}#if($foreach.hasNext),#end
            #end
              ]
            }""";

    @Inject
    ApiGatewayClient apigw;

    @Inject
    KinesisClient kinesis;

    @Inject
    IamClient iam;

    @Inject
    LocalEndpoint endpoint;

    @Inject
    MetricStore metrics;

    private String stream() {
        return activeStream(kinesis);
    }

    /** A new 1-shard stream, ACTIVE when this returns. */
    static String activeStream(KinesisClient kinesis) {
        String name = "clicks-" + UUID.randomUUID().toString().substring(0, 8);
        kinesis.createStream(b -> b.streamName(name).shardCount(1));
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> kinesis
                .describeStreamSummary(b -> b.streamName(name)).streamDescriptionSummary().streamStatus() == StreamStatus.ACTIVE);
        return name;
    }

    static String streamArn(String stream) {
        return "arn:aws:kinesis:us-east-1:000000000000:stream/" + stream;
    }

    /** A method with an AWS integration to a Kinesis action, a 200 method and integration response. */
    static void kinesisMethod(ApiFixture api, String resourceId, String action, String template, String role) {
        ApiGatewayClient apigw = api.apigw;
        apigw.putMethod(b -> b.restApiId(api.apiId).resourceId(resourceId).httpMethod("PUT").authorizationType("NONE"));
        apigw.putIntegration(b -> b.restApiId(api.apiId).resourceId(resourceId).httpMethod("PUT").type(IntegrationType.AWS)
                .integrationHttpMethod("POST").uri("arn:aws:apigateway:us-east-1:kinesis:action/" + action)
                .credentials(role).requestTemplates(Map.of("application/json", template)));
        apigw.putMethodResponse(b -> b.restApiId(api.apiId).resourceId(resourceId).httpMethod("PUT").statusCode("200"));
        apigw.putIntegrationResponse(b -> b.restApiId(api.apiId).resourceId(resourceId).httpMethod("PUT").statusCode("200"));
    }

    private List<Record> records(String stream) {
        String shard = kinesis.listShards(b -> b.streamName(stream)).shards().get(0).shardId();
        String iterator = kinesis.getShardIterator(b -> b.streamName(stream).shardId(shard)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        List<Record> all = new ArrayList<>();
        while (true) {
            String current = iterator;
            var page = kinesis.getRecords(b -> b.shardIterator(current));
            if (page.records().isEmpty()) {
                return all;
            }
            all.addAll(page.records());
            iterator = page.nextShardIterator();
        }
    }

    @Test
    void seedApiPutsClicksIntoKinesis() {
        String stream = stream();
        String streamArn = kinesis.describeStreamSummary(b -> b.streamName(stream)).streamDescriptionSummary().streamARN();
        // The role API Gateway assumes to write the stream, as the console's steps created it.
        TestRoles.Role apiRole = new TestRoles(iam).create(stream + "-apigateway", IntegrationAccess.PRINCIPAL,
                TestRoles.putRecords(streamArn));
        String role = apiRole.arn();
        ApiFixture api = new ApiFixture(apigw, endpoint.uri(), "seed");
        String clicks = api.resource(api.rootId, "clicks");
        kinesisMethod(api, clicks, "PutRecord", PUT_RECORD_TEMPLATE.formatted(stream), role);
        kinesisMethod(api, api.resource(clicks, "batch"), "PutRecords", PUT_RECORDS_TEMPLATE.formatted(stream), role);
        api.deploy("v1");
        assertEquals(role, apigw.getIntegration(b -> b.restApiId(api.apiId).resourceId(clicks).httpMethod("PUT")).credentials());

        Response one = api.invoke("v1", "/clicks").contentType("application/json").body("{\"Data\":\"Test\"}").put();
        one.then().statusCode(200)
                .body("ShardId", equalTo("shardId-000000000000"))
                .body("SequenceNumber", matchesPattern("\\d+"));
        String requestId = one.header("x-amzn-RequestId");

        api.invoke("v1", "/clicks/batch").contentType("application/json")
                .body("[{\"page\":\"/a\"},{\"page\":\"/b\",\"n\":2},{\"page\":\"/c\"}]").put()
                .then().statusCode(200).body("FailedRecordCount", equalTo(0)).body("Records.size()", equalTo(3));

        List<Record> records = records(stream);
        assertEquals(List.of("{\"Data\":\"Test\"}", "{\"page\":\"/a\"}", "{\"page\":\"/b\",\"n\":2}", "{\"page\":\"/c\"}"),
                records.stream().map(r -> r.data().asUtf8String()).toList());
        assertEquals(requestId, records.get(0).partitionKey());
        assertEquals(one.jsonPath().getString("SequenceNumber"), records.get(0).sequenceNumber());
        assertEquals(1, records.stream().skip(1).map(Record::partitionKey).distinct().count());

        Instant now = Instant.now();
        var integrationLatency = metrics.query(MetricId.of("AWS/ApiGateway", "IntegrationLatency",
                Map.of("ApiName", api.name, "Stage", "v1")), now.minus(5, ChronoUnit.MINUTES), now.plus(1, ChronoUnit.MINUTES));
        assertEquals(2, integrationLatency.stream().mapToLong(p -> p.aggregate().sampleCount()).sum());
        api.delete();
        kinesis.deleteStream(b -> b.streamName(stream));
        iam.deleteRolePolicy(b -> b.roleName(apiRole.name()).policyName(TestRoles.POLICY));
        iam.deleteRole(b -> b.roleName(apiRole.name()));
    }

    @Test
    void kinesisAnswersMapToMethodResponses() {
        String stream = stream();
        String role = new TestRoles(iam).create("errors", IntegrationAccess.PRINCIPAL,
                TestRoles.putRecords(streamArn(stream)), TestRoles.putRecords(streamArn("no-such-stream"))).arn();
        ApiFixture api = new ApiFixture(apigw, endpoint.uri(), "errors");
        String missing = api.resource(api.rootId, "missing");
        kinesisMethod(api, missing, "PutRecord", PUT_RECORD_TEMPLATE.formatted("no-such-stream"), role);
        String invalid = api.resource(api.rootId, "invalid");
        // A template that renders something that is not JSON: Kinesis refuses it as on AWS.
        kinesisMethod(api, invalid, "PutRecord", "{\"StreamName\": \"" + stream + "\", \"Data\": $input.body}", role);
        for (String r : List.of(missing, invalid)) {
            apigw.putMethodResponse(b -> b.restApiId(api.apiId).resourceId(r).httpMethod("PUT").statusCode("400"));
            apigw.putIntegrationResponse(b -> b.restApiId(api.apiId).resourceId(r).httpMethod("PUT").statusCode("400")
                    .selectionPattern("4\\d{2}"));
        }
        String unmapped = api.resource(api.rootId, "unmapped");
        kinesisMethod(api, unmapped, "PutRecord", PUT_RECORD_TEMPLATE.formatted("no-such-stream"), role);
        // Response headers mapped from the backend's headers and body.
        String mapped = api.resource(api.rootId, "mapped");
        kinesisMethod(api, mapped, "PutRecord", PUT_RECORD_TEMPLATE.formatted(stream), role);
        apigw.putMethodResponse(b -> b.restApiId(api.apiId).resourceId(mapped).httpMethod("PUT").statusCode("200")
                .responseParameters(Map.of("method.response.header.X-Shard", false,
                        "method.response.header.X-Backend-Type", false, "method.response.header.X-Stage", false)));
        apigw.putIntegrationResponse(b -> b.restApiId(api.apiId).resourceId(mapped).httpMethod("PUT").statusCode("200")
                .responseParameters(Map.of("method.response.header.X-Shard", "integration.response.body.ShardId",
                        "method.response.header.X-Backend-Type", "integration.response.header.Content-Type",
                        "method.response.header.X-Stage", "context.stage")));
        api.deploy("v1");

        api.invoke("v1", "/missing").contentType("application/json").body("{}").put()
                .then().statusCode(400).body("__type", containsString("ResourceNotFoundException"));
        api.invoke("v1", "/invalid").contentType("application/json").body("not json at all").put()
                .then().statusCode(400).body("__type", containsString("SerializationException"));
        // With only a default response, AWS answers 200 with the service's error body.
        api.invoke("v1", "/unmapped").contentType("application/json").body("{}").put()
                .then().statusCode(200).body("__type", containsString("ResourceNotFoundException"));
        api.invoke("v1", "/mapped").contentType("application/json").body("{\"Data\":\"mapped\"}").put()
                .then().statusCode(200)
                .header("X-Shard", "shardId-000000000000")
                .header("X-Backend-Type", "application/x-amz-json-1.1")
                .header("X-Stage", "v1");
        assertEquals(List.of("{\"Data\":\"mapped\"}"), records(stream).stream().map(r -> r.data().asUtf8String()).toList());
        api.delete();
        kinesis.deleteStream(b -> b.streamName(stream));
    }
}
