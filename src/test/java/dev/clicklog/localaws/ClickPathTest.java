package dev.clicklog.localaws;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.clicklog.aws.LocalEndpoint;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.IntegrationType;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamStatus;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamType;
import software.amazon.awssdk.services.firehose.model.ProcessorType;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The seed's click path, built by SDK calls as its console steps did: API Gateway (AWS integration,
 * no Lambda) → Kinesis Data Stream → Firehose → S3, with the IAM roles between them, then used as a
 * browser would use it, through the invoke URL.
 */
@QuarkusTest
class ClickPathTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(60);
    static final String STAGE = "test";
    static final String TEMPLATE = "{\"StreamName\": \"%s\", \"Data\": \"$util.base64Encode($input.body)\", "
            + "\"PartitionKey\": \"$context.requestId\"}";

    @Inject
    IamClient iam;

    @Inject
    KinesisClient kinesis;

    @Inject
    ApiGatewayClient apiGateway;

    @Inject
    S3Client s3;

    @Inject
    FirehoseClient firehose;

    @Inject
    CloudWatchClient cloudWatch;

    @Inject
    LocalEndpoint endpoint;

    /** What one pipeline is made of, by name. */
    record Pipeline(String stream, String apiId, String apiName, String bucket, String prefix, URI invokeUrl) {
    }

    /** The seed's console steps, in order, with a short buffering interval. */
    Pipeline seedPipeline() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String stream = "clicks-" + id;
        kinesis.createStream(b -> b.streamName(stream).shardCount(1));
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> kinesis.describeStreamSummary(
                b -> b.streamName(stream)).streamDescriptionSummary().streamStatus() == StreamStatus.ACTIVE);
        String streamArn = "arn:aws:kinesis:us-east-1:000000000000:stream/" + stream;

        String apiRole = role("clicks-apigateway-" + id, "apigateway.amazonaws.com",
                "{\"Effect\":\"Allow\",\"Action\":[\"kinesis:PutRecord\",\"kinesis:PutRecords\"],\"Resource\":\"" + streamArn + "\"}");
        String bucket = "clicks-" + id;
        s3.createBucket(b -> b.bucket(bucket));
        String firehoseRole = role("clicks-firehose-" + id, "firehose.amazonaws.com",
                "{\"Effect\":\"Allow\",\"Action\":[\"kinesis:DescribeStream\",\"kinesis:GetShardIterator\","
                        + "\"kinesis:GetRecords\",\"kinesis:ListShards\"],\"Resource\":\"" + streamArn + "\"},"
                        + "{\"Effect\":\"Allow\",\"Action\":[\"s3:PutObject\"],\"Resource\":\"arn:aws:s3:::" + bucket + "/clicks/*\"}");

        String apiName = "clicks-" + id;
        var api = apiGateway.createRestApi(b -> b.name(apiName));
        String resource = apiGateway.createResource(b -> b.restApiId(api.id()).parentId(api.rootResourceId())
                .pathPart("clicks")).id();
        apiGateway.putMethod(b -> b.restApiId(api.id()).resourceId(resource).httpMethod("PUT").authorizationType("NONE"));
        apiGateway.putIntegration(b -> b.restApiId(api.id()).resourceId(resource).httpMethod("PUT")
                .type(IntegrationType.AWS).integrationHttpMethod("POST")
                .uri("arn:aws:apigateway:us-east-1:kinesis:action/PutRecord").credentials(apiRole)
                .requestTemplates(Map.of("application/json", String.format(TEMPLATE, stream)))
                .passthroughBehavior("WHEN_NO_TEMPLATES"));
        apiGateway.putMethodResponse(b -> b.restApiId(api.id()).resourceId(resource).httpMethod("PUT").statusCode("200"));
        apiGateway.putIntegrationResponse(b -> b.restApiId(api.id()).resourceId(resource).httpMethod("PUT")
                .statusCode("200").selectionPattern(""));
        apiGateway.createDeployment(b -> b.restApiId(api.id()).stageName(STAGE));

        String deliveryStream = "clicks-" + id + "-to-s3";
        firehose.createDeliveryStream(b -> b.deliveryStreamName(deliveryStream)
                .deliveryStreamType(DeliveryStreamType.KINESIS_STREAM_AS_SOURCE)
                .kinesisStreamSourceConfiguration(k -> k.kinesisStreamARN(streamArn).roleARN(firehoseRole))
                .extendedS3DestinationConfiguration(d -> d.roleARN(firehoseRole).bucketARN("arn:aws:s3:::" + bucket)
                        .prefix("clicks/").bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(1))
                        .processingConfiguration(p -> p.enabled(true)
                                .processors(pr -> pr.type(ProcessorType.APPEND_DELIMITER_TO_RECORD)))));
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> firehose.describeDeliveryStream(
                b -> b.deliveryStreamName(deliveryStream)).deliveryStreamDescription().deliveryStreamStatus()
                == DeliveryStreamStatus.ACTIVE);
        URI invoke = endpoint.uri().resolve("/restapis/" + api.id() + "/" + STAGE + "/_user_request_/clicks");
        return new Pipeline(stream, api.id(), apiName, bucket, "clicks/", invoke);
    }

    /** A role the service may assume, with one inline policy of the given statements. */
    String role(String name, String service, String statements) {
        String trust = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\""
                + service + "\"},\"Action\":\"sts:AssumeRole\"}]}";
        String arn = iam.createRole(b -> b.roleName(name).assumeRolePolicyDocument(trust)).role().arn();
        iam.putRolePolicy(b -> b.roleName(name).policyName(name + "-policy")
                .policyDocument("{\"Version\":\"2012-10-17\",\"Statement\":[" + statements + "]}"));
        return arn;
    }

    static HttpResponse<String> put(HttpClient http, URI uri, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Every newline-terminated record in the objects under the pipeline's prefix. */
    List<String> delivered(Pipeline p) {
        List<String> lines = new ArrayList<>();
        for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(p.bucket()).prefix(p.prefix())).contents()) {
            String body = s3.getObjectAsBytes(b -> b.bucket(p.bucket()).key(o.key())).asUtf8String();
            assertTrue(body.endsWith("\n"), body);
            lines.addAll(List.of(body.substring(0, body.length() - 1).split("\n", -1)));
        }
        return lines;
    }

    @Test
    void aClickTravelsFromTheInvokeUrlThroughKinesisToS3() throws Exception {
        Pipeline p = seedPipeline();
        HttpResponse<String> response = put(HttpClient.newHttpClient(), p.invokeUrl(), "{\"Data\":\"Test\"}");
        assertEquals(200, response.statusCode(), response.body());
        JsonNode out = JSON.readTree(response.body());
        assertEquals("shardId-000000000000", out.path("ShardId").asText());
        assertTrue(out.path("SequenceNumber").asText().matches("\\d+"), response.body());
        String requestId = response.headers().firstValue("x-amzn-RequestId").orElseThrow();

        String iterator = kinesis.getShardIterator(b -> b.streamName(p.stream()).shardId("shardId-000000000000")
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        List<Record> records = kinesis.getRecords(b -> b.shardIterator(iterator)).records();
        assertEquals(1, records.size());
        assertEquals("{\"Data\":\"Test\"}", records.get(0).data().asUtf8String());
        assertEquals(requestId, records.get(0).partitionKey());
        assertEquals(out.path("SequenceNumber").asText(), records.get(0).sequenceNumber());

        List<String> lines = new ArrayList<>();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            lines.clear();
            lines.addAll(delivered(p));
            return !lines.isEmpty();
        });
        assertEquals(List.of("{\"Data\":\"Test\"}"), lines, "the object holds exactly the body sent");
    }

    @Test
    void aThousandClicksFromEightClientsLandInS3ExactlyOnce() throws Exception {
        Pipeline p = seedPipeline();
        Instant start = Instant.now().minus(Duration.ofMinutes(1));
        int clients = 8;
        int perClient = 125;
        ConcurrentLinkedQueue<String> sent = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                done.add(pool.submit(() -> {
                    HttpClient http = HttpClient.newHttpClient();
                    int ok = 0;
                    for (int i = 0; i < perClient; i++) {
                        String id = UUID.randomUUID().toString();
                        String click = "{\"id\":\"" + id + "\",\"client\":" + client + ",\"n\":" + i + "}";
                        HttpResponse<String> r = put(http, p.invokeUrl(), click);
                        assertEquals(200, r.statusCode(), r.body());
                        sent.add(id);
                        ok++;
                    }
                    return ok;
                }));
            }
            for (Future<Integer> f : done) {
                assertEquals(perClient, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(clients * perClient, new HashSet<>(sent).size());

        List<String> lines = new ArrayList<>();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            lines.clear();
            lines.addAll(delivered(p));
            return lines.size() >= sent.size();
        });
        List<String> ids = new ArrayList<>();
        for (String line : lines) {
            ids.add(JSON.readTree(line).path("id").asText());
        }
        Set<String> unique = new HashSet<>(ids);
        assertEquals(sent.size(), ids.size(), "each click delivered once: no loss, no duplicate");
        assertEquals(new HashSet<>(sent), unique);

        await().atMost(WAIT).until(() -> sum("AWS/Kinesis", "IncomingRecords", Map.of("StreamName", p.stream()), start)
                == sent.size());
        await().atMost(WAIT).until(() -> sum("AWS/ApiGateway", "Count", Map.of("ApiName", p.apiName(), "Stage", STAGE),
                start) == sent.size());
    }

    /** GetMetricData: the Sum of one metric over every minute since {@code start}. */
    double sum(String namespace, String metric, Map<String, String> dimensions, Instant start) {
        MetricDataResult result = cloudWatch.getMetricData(b -> b.startTime(start)
                .endTime(Instant.now().plus(Duration.ofMinutes(1)))
                .metricDataQueries(q -> q.id("m").metricStat(s -> s.period(60).stat("Sum")
                        .metric(m -> m.namespace(namespace).metricName(metric).dimensions(dimensions.entrySet().stream()
                                .map(e -> software.amazon.awssdk.services.cloudwatch.model.Dimension.builder()
                                        .name(e.getKey()).value(e.getValue()).build())
                                .toList())))))
                .metricDataResults().get(0);
        return result.values().stream().mapToDouble(Double::doubleValue).sum();
    }
}
