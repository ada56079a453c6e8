package dev.clicklog.localaws.kinesis;

import static dev.clicklog.localaws.kinesis.TestStreams.active;
import static dev.clicklog.localaws.kinesis.TestStreams.iterator;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.clicklog.endpoint.LocalEndpoint;
import dev.clicklog.localaws.cloudwatch.MetricStore;
import dev.clicklog.localaws.spi.MetricId;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * AWS's per-shard throughput limits, enforced when {@code enforce-shard-limits} is on (a restart
 * with that setting is the point of this class). The client does not retry, so the throttling
 * that the SDK would otherwise retry away is visible.
 */
@QuarkusTest
@TestProfile(KinesisShardLimitsTest.EnforcedLimits.class)
class KinesisShardLimitsTest {

    public static class EnforcedLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("clicklog.localaws.kinesis.enforce-shard-limits", "true");
        }
    }

    @Inject
    LocalEndpoint endpoint;

    @Inject
    MetricStore metrics;

    @Test
    void writesBeyondAThousandRecordsPerSecondFailPerRecord() {
        try (KinesisClient kinesis = noRetries()) {
            String name = active(kinesis, "throttled", 1);
            List<PutRecordsRequestEntry> batch = IntStream.range(0, 500)
                    .mapToObj(i -> PutRecordsRequestEntry.builder().partitionKey("k" + i).data(SdkBytes.fromUtf8String("click")).build())
                    .toList();
            // Each batch fits the limit; within one second, a third one cannot.
            PutRecordsResponse throttled = Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ZERO)
                    .until(() -> kinesis.putRecords(b -> b.streamName(name).records(batch)), r -> r.failedRecordCount() > 0);
            PutRecordsResultEntry failed = throttled.records().stream().filter(r -> r.errorCode() != null).findFirst().orElseThrow();
            assertEquals("ProvisionedThroughputExceededException", failed.errorCode());
            assertEquals("Rate exceeded for shard shardId-000000000000 in stream " + name + " under account 000000000000.",
                    failed.errorMessage());
            assertEquals((long) throttled.failedRecordCount(), throttled.records().stream().filter(r -> r.errorCode() != null).count());
            assertTrue(throttled.records().stream().filter(r -> r.errorCode() == null).allMatch(r -> r.sequenceNumber() != null));

            ProvisionedThroughputExceededException single = Awaitility.await().atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ZERO).until(() -> throttledPut(kinesis, name, batch), e -> e != null);
            assertTrue(single.awsErrorDetails().errorMessage().startsWith("Rate exceeded for shard shardId-000000000000"));
            assertTrue(sum(name, "WriteProvisionedThroughputExceeded") >= throttled.failedRecordCount() + 1);
        }
    }

    @Test
    void moreThanFiveReadsPerSecondAreThrottled() {
        try (KinesisClient kinesis = noRetries()) {
            String name = active(kinesis, "reads", 1);
            String it = iterator(kinesis, name, "shardId-000000000000", b -> b.shardIteratorType(ShardIteratorType.TRIM_HORIZON));
            ProvisionedThroughputExceededException e = Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ZERO)
                    .until(() -> throttledRead(kinesis, it), ex -> ex != null);
            assertNotNull(e.awsErrorDetails());
            assertTrue(sum(name, "ReadProvisionedThroughputExceeded") >= 1);
        }
    }

    private static ProvisionedThroughputExceededException throttledPut(KinesisClient kinesis, String name,
            List<PutRecordsRequestEntry> fill) {
        kinesis.putRecords(b -> b.streamName(name).records(fill));
        try {
            kinesis.putRecord(b -> b.streamName(name).partitionKey("k").data(SdkBytes.fromUtf8String("one more")));
            return null;
        } catch (ProvisionedThroughputExceededException e) {
            return e;
        }
    }

    private static ProvisionedThroughputExceededException throttledRead(KinesisClient kinesis, String iterator) {
        try {
            kinesis.getRecords(b -> b.shardIterator(iterator));
            return null;
        } catch (ProvisionedThroughputExceededException e) {
            return e;
        }
    }

    private double sum(String stream, String metric) {
        return metrics.query(MetricId.of("AWS/Kinesis", metric, Map.of("StreamName", stream)), Instant.now().minusSeconds(300),
                Instant.now().plusSeconds(300)).stream().mapToDouble(d -> d.aggregate().sum()).sum();
    }

    private KinesisClient noRetries() {
        return KinesisClient.builder()
                .endpointOverride(endpoint.uri())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(ApacheHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(b -> b.maxAttempts(1)))
                .build();
    }
}
