package dev.clicklog.portal.adapter;

import dev.clicklog.endpoint.LocalEndpoint;

import java.net.URI;
import java.time.Duration;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.SdkSystemSetting;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClientBuilder;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The one place where AWS SDK clients are built. Every client is configured the same way: in local
 * mode against the embedded endpoint with static credentials, in aws mode with the SDK's default
 * chains plus the optional endpoint override.
 */
@ApplicationScoped
public class AwsClientProducer {

    /** Credentials localaws accepts; it does not verify signatures. */
    static final AwsBasicCredentials LOCAL_CREDENTIALS = AwsBasicCredentials.create("test", "test");
    static final Region LOCAL_DEFAULT_REGION = Region.US_EAST_1;

    private final AwsConfig config;
    private final LocalEndpoint localEndpoint;
    private final SdkHttpClient httpClient;
    private final EndpointHints hints;

    AwsClientProducer(AwsConfig config, LocalEndpoint localEndpoint, EndpointCapabilities capabilities) {
        this.config = config;
        this.localEndpoint = localEndpoint;
        this.hints = new EndpointHints(capabilities);
        // One pooled HTTP client for every service. Apache's, because API Gateway's control plane
        // updates stages and usage plans with PATCH, which HttpURLConnection cannot send; bounded
        // timeouts so a stalled connection fails a reconcile step instead of holding its worker.
        this.httpClient = ApacheHttpClient.builder()
                .maxConnections(64)
                .connectionTimeout(Duration.ofSeconds(5))
                .socketTimeout(Duration.ofSeconds(60))
                .build();
    }

    @Produces
    @ApplicationScoped
    StsClient sts() {
        return configure(StsClient.builder()).build();
    }

    @Produces
    @ApplicationScoped
    IamClient iam() {
        return configure(IamClient.builder()).build();
    }

    @Produces
    @ApplicationScoped
    KinesisClient kinesis() {
        return kinesis(config.cbor());
    }

    /**
     * A Kinesis client speaking CBOR or JSON 1.1. The SDK offers no per-client switch: its protocol
     * factory reads {@code aws.cborEnabled} once, while the client is built. So the property is set
     * for the build of this client only (clients are built one at a time), unless the JVM was
     * started with it already. A JVM-wide {@code -Daws.cborEnabled=false} still turns CBOR off.
     */
    KinesisClient kinesis(boolean cbor) {
        synchronized (AwsClientProducer.class) {
            String property = SdkSystemSetting.CBOR_ENABLED.property();
            String before = System.getProperty(property);
            if (!cbor) {
                System.setProperty(property, "false");
            }
            try {
                return configure(KinesisClient.builder()).build();
            } finally {
                if (!cbor) {
                    if (before == null) {
                        System.clearProperty(property);
                    } else {
                        System.setProperty(property, before);
                    }
                }
            }
        }
    }

    @Produces
    @ApplicationScoped
    S3Client s3() {
        return configure(S3Client.builder()).forcePathStyle(pathStyle()).build();
    }

    /** Path-style addressing: a local or custom endpoint has no per-bucket DNS names. */
    private boolean pathStyle() {
        return config.local() || config.endpoint().isPresent();
    }

    /** Presigns S3 requests for the same endpoint, addressing and credentials as the S3 client. */
    @Produces
    @ApplicationScoped
    S3Presigner s3Presigner() {
        S3Presigner.Builder builder = S3Presigner.builder()
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(pathStyle()).build());
        Region region = region();
        if (region != null) {
            builder.region(region);
        }
        if (config.local()) {
            builder.endpointOverride(localEndpoint.uri()).credentialsProvider(StaticCredentialsProvider.create(LOCAL_CREDENTIALS));
        } else {
            config.endpoint().ifPresent(builder::endpointOverride);
        }
        return builder.build();
    }

    @Produces
    @ApplicationScoped
    FirehoseClient firehose() {
        return configure(FirehoseClient.builder()).build();
    }

    @Produces
    @ApplicationScoped
    ApiGatewayClient apiGateway() {
        return configure(ApiGatewayClient.builder()).build();
    }

    @Produces
    @ApplicationScoped
    CloudWatchClient cloudWatch() {
        return cloudWatch(config.cloudwatchProtocol().resolve(config.cbor()));
    }

    /** A CloudWatch client speaking this protocol: the SDK's own (CBOR), or JSON or query through {@link CloudWatchWire}. */
    CloudWatchClient cloudWatch(CloudWatchProtocol protocol) {
        CloudWatchClientBuilder builder = configure(CloudWatchClient.builder());
        if (protocol != CloudWatchProtocol.CBOR) {
            builder.overrideConfiguration(builder.overrideConfiguration().toBuilder()
                    .addExecutionInterceptor(new CloudWatchWire(protocol)).build());
        }
        return builder.build();
    }

    @Produces
    @ApplicationScoped
    CloudWatchLogsClient cloudWatchLogs() {
        return configure(CloudWatchLogsClient.builder()).build();
    }

    void close(@Disposes StsClient c) {
        c.close();
    }

    void close(@Disposes IamClient c) {
        c.close();
    }

    void close(@Disposes KinesisClient c) {
        c.close();
    }

    void close(@Disposes S3Client c) {
        c.close();
    }

    void close(@Disposes S3Presigner c) {
        c.close();
    }

    void close(@Disposes FirehoseClient c) {
        c.close();
    }

    void close(@Disposes ApiGatewayClient c) {
        c.close();
    }

    void close(@Disposes CloudWatchClient c) {
        c.close();
    }

    void close(@Disposes CloudWatchLogsClient c) {
        c.close();
    }

    @PreDestroy
    void closeHttpClient() {
        httpClient.close();
    }

    /** The region the clients use; in aws mode without a configured region, the SDK's chain decides. */
    public Region region() {
        return config.region().map(Region::of).orElse(config.local() ? LOCAL_DEFAULT_REGION : null);
    }

    private <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B builder) {
        builder.httpClient(httpClient).overrideConfiguration(o -> o.addExecutionInterceptor(hints));
        Region region = region();
        if (region != null) {
            builder.region(region);
        }
        if (config.local()) {
            URI endpoint = localEndpoint.uri();
            builder.endpointOverride(endpoint).credentialsProvider(StaticCredentialsProvider.create(LOCAL_CREDENTIALS));
        } else {
            config.endpoint().ifPresent(builder::endpointOverride);
        }
        return builder;
    }
}
