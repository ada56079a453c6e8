package dev.clicklog.it;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.SdkSystemSetting;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.RestApi;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.ListDeliveryStreamsResponse;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ListStreamsResponse;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;

/**
 * An AWS-compatible endpoint as a test looks into it, through the real SDK: a client of each service
 * the pipelines use, and every resource of each kind, to count what a pipeline left behind.
 */
final class AwsResources implements AutoCloseable {

    private final SdkHttpClient http = ApacheHttpClient.create();
    final IamClient iam;
    final KinesisClient kinesis;
    final FirehoseClient firehose;
    final ApiGatewayClient apiGateway;
    final S3Client s3;
    final CloudWatchLogsClient logs;

    /** Clients of the endpoint; Kinesis in CBOR, or in JSON for an endpoint that cannot read CBOR. */
    AwsResources(URI endpoint, boolean cbor) {
        iam = client(IamClient.builder(), endpoint);
        kinesis = kinesis(endpoint, cbor);
        firehose = client(FirehoseClient.builder(), endpoint);
        apiGateway = client(ApiGatewayClient.builder(), endpoint);
        s3 = client(S3Client.builder().forcePathStyle(true), endpoint);
        logs = client(CloudWatchLogsClient.builder(), endpoint);
    }

    /** Every resource a pipeline can own, by kind, sorted: what an endpoint no pipeline uses any more must not have. */
    Map<String, List<String>> all() {
        Map<String, List<String>> all = new TreeMap<>();
        all.put("IAM roles", roles());
        all.put("Kinesis streams", streams());
        all.put("Firehose delivery streams", deliveryStreams());
        all.put("API Gateway REST APIs", restApis().stream().map(RestApi::name).sorted().toList());
        all.put("API Gateway API keys", apiGateway.getApiKeys(r -> r.limit(500)).items().stream()
                .map(k -> k.name()).sorted().toList());
        all.put("API Gateway usage plans", apiGateway.getUsagePlans(r -> r.limit(500)).items().stream()
                .map(p -> p.name()).sorted().toList());
        all.put("S3 buckets", buckets());
        all.put("CloudWatch Logs log groups", logGroups());
        return all;
    }

    List<String> roles() {
        return iam.listRolesPaginator().roles().stream().map(Role::roleName).sorted().toList();
    }

    List<String> streams() {
        ListStreamsResponse page = kinesis.listStreams(r -> r.limit(100));
        assertFalse(page.hasMoreStreams(), "more than 100 streams");
        return page.streamNames().stream().sorted().toList();
    }

    List<String> deliveryStreams() {
        ListDeliveryStreamsResponse page = firehose.listDeliveryStreams(r -> r.limit(100));
        assertFalse(page.hasMoreDeliveryStreams(), "more than 100 delivery streams");
        return page.deliveryStreamNames().stream().sorted().toList();
    }

    List<RestApi> restApis() {
        return apiGateway.getRestApis(r -> r.limit(500)).items();
    }

    List<String> buckets() {
        return s3.listBuckets().buckets().stream().map(Bucket::name).sorted().toList();
    }

    List<String> logGroups() {
        return logs.describeLogGroupsPaginator(r -> r.limit(50)).logGroups().stream().map(LogGroup::logGroupName)
                .sorted().toList();
    }

    @Override
    public void close() {
        iam.close();
        kinesis.close();
        firehose.close();
        apiGateway.close();
        s3.close();
        logs.close();
        http.close();
    }

    /** The SDK reads whether to speak CBOR while the client is built, from this system property only. */
    private KinesisClient kinesis(URI endpoint, boolean cbor) {
        synchronized (AwsResources.class) {
            String property = SdkSystemSetting.CBOR_ENABLED.property();
            String before = System.getProperty(property);
            System.setProperty(property, Boolean.toString(cbor));
            try {
                return client(KinesisClient.builder(), endpoint);
            } finally {
                if (before == null) {
                    System.clearProperty(property);
                } else {
                    System.setProperty(property, before);
                }
            }
        }
    }

    private <C, B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>> C client(B builder, URI endpoint) {
        return builder.endpointOverride(endpoint).region(Region.US_EAST_1).httpClient(http)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build();
    }
}
