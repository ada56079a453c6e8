package dev.clicklog.testing;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.IntegrationType;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamStatus;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamType;
import software.amazon.awssdk.services.firehose.model.ProcessorType;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Builds the seed's click pipeline by SDK calls, in the order of its console steps: a 1-shard
 * stream, a role API Gateway may assume to put records on it, a bucket, a role Firehose may assume
 * to read the stream and write the bucket's prefix (least privilege: localaws enforces them), a REST API whose PUT /clicks has an AWS integration
 * calling Kinesis PutRecord through the seed's mapping template, a deployment, and a delivery
 * stream from the stream to the bucket. Every resource gets a unique name.
 */
public final class SeedPipelines {

    public static final String STAGE = "test";
    public static final String PREFIX = "clicks/";
    static final Duration WAIT = Duration.ofSeconds(60);
    static final String TEMPLATE = "{\"StreamName\": \"%s\", \"Data\": \"$util.base64Encode($input.body)\", "
            + "\"PartitionKey\": \"$context.requestId\"}";

    /** What one pipeline is made of, by name, and where clicks are sent. */
    public record Pipeline(String stream, String apiId, String apiName, String bucket, String deliveryStream,
            URI invokeUrl) {
    }

    private final TestRoles roles;
    private final KinesisClient kinesis;
    private final ApiGatewayClient apiGateway;
    private final S3Client s3;
    private final FirehoseClient firehose;
    private final URI endpoint;

    public SeedPipelines(IamClient iam, KinesisClient kinesis, ApiGatewayClient apiGateway, S3Client s3,
            FirehoseClient firehose, URI endpoint) {
        this.roles = new TestRoles(iam);
        this.kinesis = kinesis;
        this.apiGateway = apiGateway;
        this.s3 = s3;
        this.firehose = firehose;
        this.endpoint = endpoint;
    }

    /** A pipeline whose delivery stream buffers 1 MiB or {@code intervalSeconds}, newline after each click. */
    public Pipeline create(String name, int intervalSeconds) {
        String id = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        String stream = id;
        kinesis.createStream(b -> b.streamName(stream).shardCount(1));
        await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> kinesis.describeStreamSummary(
                b -> b.streamName(stream)).streamDescriptionSummary().streamStatus() == StreamStatus.ACTIVE);
        String streamArn = "arn:aws:kinesis:us-east-1:000000000000:stream/" + stream;

        String apiRole = roles.create(id + "-apigateway", "apigateway.amazonaws.com", TestRoles.putRecords(streamArn)).arn();
        String bucket = id;
        s3.createBucket(b -> b.bucket(bucket));
        String firehoseRole = roles.create(id + "-firehose", "firehose.amazonaws.com", TestRoles.readStream(streamArn),
                TestRoles.writeObjects(bucket, PREFIX)).arn();

        var api = apiGateway.createRestApi(b -> b.name(id));
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

        String deliveryStream = id + "-to-s3";
        firehose.createDeliveryStream(b -> b.deliveryStreamName(deliveryStream)
                .deliveryStreamType(DeliveryStreamType.KINESIS_STREAM_AS_SOURCE)
                .kinesisStreamSourceConfiguration(k -> k.kinesisStreamARN(streamArn).roleARN(firehoseRole))
                .extendedS3DestinationConfiguration(d -> d.roleARN(firehoseRole).bucketARN("arn:aws:s3:::" + bucket)
                        .prefix(PREFIX).bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(intervalSeconds))
                        .processingConfiguration(p -> p.enabled(true)
                                .processors(pr -> pr.type(ProcessorType.APPEND_DELIMITER_TO_RECORD)))));
        await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> firehose.describeDeliveryStream(
                b -> b.deliveryStreamName(deliveryStream)).deliveryStreamDescription().deliveryStreamStatus()
                == DeliveryStreamStatus.ACTIVE);
        URI invoke = endpoint.resolve("/restapis/" + api.id() + "/" + STAGE + "/_user_request_/clicks");
        return new Pipeline(stream, api.id(), id, bucket, deliveryStream, invoke);
    }
}
