package dev.clicklog.localaws.kinesis;

import static dev.clicklog.localaws.kinesis.TestStreams.active;
import static dev.clicklog.localaws.kinesis.TestStreams.iterator;
import static dev.clicklog.localaws.kinesis.TestStreams.unique;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;

import dev.clicklog.endpoint.LocalEndpoint;
import dev.clicklog.localaws.http.AwsResponse;
import dev.clicklog.localaws.http.LocalAwsClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/** The wire itself: malformed bodies, unknown operations, JSON next to CBOR, in-process calls. */
@QuarkusTest
class KinesisWireTest {

    private static final String JSON = "application/x-amz-json-1.1";
    private static final String CBOR = "application/x-amz-cbor-1.1";
    private static final ObjectMapper CBOR_MAPPER = new ObjectMapper(new CBORFactory());
    private static final ObjectMapper JSON_MAPPER = new ObjectMapper();

    @Inject
    KinesisClient kinesis;

    @Inject
    LocalEndpoint endpoint;

    @Inject
    LocalAwsClient inProcess;

    @Test
    void malformedJsonBodyIsSerializationExceptionAndCreatesNothing() throws IOException {
        String name = unique("badjson");
        Response response = request("CreateStream", JSON).body(utf8("{\"StreamName\": \"" + name + "\", \"ShardCount\": 1"))
                .post("/");
        assertEquals(400, response.statusCode());
        assertEquals("SerializationException", response.header("x-amzn-ErrorType"));
        assertTrue(response.contentType().startsWith(JSON));
        assertEquals("SerializationException", JSON_MAPPER.readTree(response.asByteArray()).path("__type").asText());

        Response wrongType = request("CreateStream", JSON).body(utf8("{\"StreamName\": \"" + name + "\", \"ShardCount\": \"one\"}")).post("/");
        assertEquals("SerializationException", JSON_MAPPER.readTree(wrongType.asByteArray()).path("__type").asText());
        assertThrows(ResourceNotFoundException.class, () -> kinesis.describeStream(b -> b.streamName(name)));
    }

    @Test
    void malformedCborBodyIsSerializationExceptionInCbor() throws IOException {
        String name = active(kinesis, "badcbor", 1);
        byte[] truncated = CBOR_MAPPER.writeValueAsBytes(CBOR_MAPPER.createObjectNode().put("StreamName", name)
                .set("Records", CBOR_MAPPER.createArrayNode().add(CBOR_MAPPER.createObjectNode().put("PartitionKey", "k")
                        .put("Data", "x".getBytes(StandardCharsets.UTF_8)))));
        byte[] body = Arrays.copyOf(truncated, truncated.length - 3);
        for (String operation : List.of("PutRecords", "PutRecord", "CreateStream")) {
            Response response = request(operation, CBOR).body(body).post("/");
            assertEquals(400, response.statusCode(), operation);
            assertTrue(response.contentType().startsWith(CBOR));
            assertEquals("SerializationException", CBOR_MAPPER.readTree(response.asByteArray()).path("__type").asText(), operation);
        }
        assertTrue(TestStreams.readAll(kinesis, iterator(kinesis, name, "shardId-000000000000",
                b -> b.shardIteratorType(ShardIteratorType.TRIM_HORIZON))).isEmpty(), "nothing was written");
    }

    @Test
    void unknownOperationsAnswerUnknownOperationException() throws IOException {
        Response json = request("MergeShards", JSON).body(utf8("{}")).post("/");
        assertEquals(400, json.statusCode());
        assertEquals("UnknownOperationException", JSON_MAPPER.readTree(json.asByteArray()).path("__type").asText());
        Response cbor = request("EnableEnhancedMonitoring", CBOR).body(CBOR_MAPPER.writeValueAsBytes(CBOR_MAPPER.createObjectNode())).post("/");
        assertEquals(400, cbor.statusCode());
        assertEquals("UnknownOperationException", CBOR_MAPPER.readTree(cbor.asByteArray()).path("__type").asText());

        String name = active(kinesis, "unknown", 1);
        KinesisException e = assertThrows(KinesisException.class, () -> kinesis.splitShard(
                b -> b.streamName(name).shardToSplit("shardId-000000000000").newStartingHashKey("1")));
        assertEquals("UnknownOperationException", e.awsErrorDetails().errorCode());
        assertEquals(1, kinesis.listShards(b -> b.streamName(name)).shards().size(), "nothing was split");
    }

    @Test
    void cborAnswersCarryTaggedEpochMillisecondTimestamps() throws IOException {
        String name = active(kinesis, "tags1", 1);
        long before = System.currentTimeMillis();
        kinesis.putRecord(b -> b.streamName(name).partitionKey("k").data(SdkBytes.fromUtf8String("x")));
        String it = iterator(kinesis, name, "shardId-000000000000", b -> b.shardIteratorType(ShardIteratorType.TRIM_HORIZON));
        Response response = request("GetRecords", CBOR)
                .body(CBOR_MAPPER.writeValueAsBytes(CBOR_MAPPER.createObjectNode().put("ShardIterator", it))).post("/");
        assertEquals(200, response.statusCode());
        try (CBORParser p = (CBORParser) CBOR_MAPPER.getFactory().createParser(response.asByteArray())) {
            JsonToken t;
            boolean found = false;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.FIELD_NAME && p.currentName().equals("ApproximateArrivalTimestamp")) {
                    assertEquals(JsonToken.VALUE_NUMBER_INT, p.nextToken());
                    assertEquals(1, p.getCurrentTag(), "tag 1: an epoch timestamp");
                    long millis = p.getLongValue();
                    assertTrue(millis >= before && millis <= System.currentTimeMillis(), "epoch milliseconds: " + millis);
                    found = true;
                }
                if (t == JsonToken.FIELD_NAME && p.currentName().equals("Data")) {
                    assertEquals(JsonToken.VALUE_EMBEDDED_OBJECT, p.nextToken(), "blobs are CBOR byte strings");
                }
            }
            assertTrue(found);
        }
    }

    @Test
    void theSdkForcedToJsonWorksTheSame() {
        List<String> contentTypes = new CopyOnWriteArrayList<>();
        try (KinesisClient json = jsonClient(contentTypes)) {
            String name = unique("json");
            json.createStream(b -> b.streamName(name).shardCount(2));
            TestStreams.awaitStatus(json, name, StreamStatus.ACTIVE);
            Instant before = Instant.now().minusSeconds(1);
            var put = json.putRecord(b -> b.streamName(name).partitionKey("pk").data(SdkBytes.fromUtf8String("{\"via\":\"json\"}")));
            List<Record> records = TestStreams.readAll(json, iterator(json, name, put.shardId(),
                    b -> b.shardIteratorType(ShardIteratorType.AT_TIMESTAMP).timestamp(before)));
            assertEquals("{\"via\":\"json\"}", records.get(0).data().asUtf8String());
            Instant arrival = records.get(0).approximateArrivalTimestamp();
            assertTrue(arrival.isAfter(before) && !arrival.isAfter(Instant.now()), "arrival " + arrival);
            Instant created = json.describeStreamSummary(b -> b.streamName(name)).streamDescriptionSummary().streamCreationTimestamp();
            assertEquals(kinesis.describeStreamSummary(b -> b.streamName(name)).streamDescriptionSummary().streamCreationTimestamp(),
                    created, "JSON and CBOR clients see the same creation time");
            assertThrows(ResourceNotFoundException.class, () -> json.describeStream(b -> b.streamName(unique("nope"))));
        }
        assertFalse(contentTypes.isEmpty());
        assertEquals(Set.of(JSON), Set.copyOf(contentTypes), "every request and answer was JSON 1.1");
    }

    @Test
    void inProcessJsonCallsAreAnsweredExactlyAsOnTheWire() throws IOException {
        String name = active(kinesis, "inproc", 1);
        ObjectNode put = JSON_MAPPER.createObjectNode().put("StreamName", name).put("PartitionKey", "req-1")
                .put("Data", Base64.getEncoder().encodeToString("{\"Data\":\"Test\"}".getBytes(StandardCharsets.UTF_8)));
        AwsResponse response = inProcess.json(KinesisHandler.TARGET_PREFIX, "PutRecord", put);
        assertEquals(200, response.status());
        JsonNode written = JSON_MAPPER.readTree(response.body());
        assertEquals("shardId-000000000000", written.path("ShardId").asText());

        ObjectNode iteratorRequest = JSON_MAPPER.createObjectNode().put("StreamName", name).put("ShardId", "shardId-000000000000")
                .put("ShardIteratorType", "AT_SEQUENCE_NUMBER").put("StartingSequenceNumber", written.path("SequenceNumber").asText());
        String it = inProcess.jsonOrThrow(KinesisHandler.TARGET_PREFIX, "GetShardIterator", iteratorRequest).path("ShardIterator").asText();
        JsonNode records = inProcess.jsonOrThrow(KinesisHandler.TARGET_PREFIX, "GetRecords",
                JSON_MAPPER.createObjectNode().put("ShardIterator", it)).path("Records");
        assertEquals("req-1", records.get(0).path("PartitionKey").asText());
        assertEquals("{\"Data\":\"Test\"}", new String(records.get(0).path("Data").binaryValue(), StandardCharsets.UTF_8));
        JsonNode arrival = records.get(0).path("ApproximateArrivalTimestamp");
        assertTrue(arrival.isNumber() && Math.abs(arrival.asDouble() - System.currentTimeMillis() / 1000.0) < 60,
                "epoch seconds: " + arrival);

        AwsResponse missing = inProcess.json(KinesisHandler.TARGET_PREFIX, "PutRecord", put.put("StreamName", unique("gone")));
        assertEquals(400, missing.status());
        assertEquals("ResourceNotFoundException", JSON_MAPPER.readTree(missing.body()).path("__type").asText());
    }

    private KinesisClient jsonClient(List<String> contentTypes) {
        kinesis.listStreams(b -> b.limit(1)); // the injected client keeps CBOR: build it before the switch below
        String previous = System.getProperty("aws.cborEnabled");
        System.setProperty("aws.cborEnabled", "false");
        try {
            return KinesisClient.builder()
                    .endpointOverride(endpoint.uri())
                    .region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                    .httpClient(ApacheHttpClient.create())
                    .overrideConfiguration(c -> c.addExecutionInterceptor(new ExecutionInterceptor() {
                        @Override
                        public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
                            context.httpRequest().firstMatchingHeader("Content-Type").ifPresent(contentTypes::add);
                            context.httpResponse().firstMatchingHeader("Content-Type").ifPresent(contentTypes::add);
                        }
                    }))
                    .build();
        } finally {
            if (previous == null) {
                System.clearProperty("aws.cborEnabled");
            } else {
                System.setProperty("aws.cborEnabled", previous);
            }
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private RequestSpecification request(String operation, String contentType) {
        // Sent as AWS clients send them: no charset appended to the content type.
        return given().config(RestAssured.config().encoderConfig(
                        EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false)))
                .baseUri("http://" + endpoint.uri().getHost()).port(endpoint.uri().getPort())
                .header("X-Amz-Target", KinesisHandler.TARGET_PREFIX + "." + operation)
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/kinesis/aws4_request,"
                        + " SignedHeaders=host, Signature=0")
                .contentType(contentType);
    }
}
