package dev.clicklog.localaws.cloudwatch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/** What Kinesis records about a stream, read back through CloudWatch as a dashboard would. */
@QuarkusTest
class KinesisMetricsTest {

    @Inject
    KinesisClient kinesis;

    @Inject
    CloudWatchClient cloudWatch;

    private static MetricDataQuery query(String id, String stream, String metric, String stat) {
        return MetricDataQuery.builder().id(id).metricStat(s -> s.stat(stat).period(900).metric(m -> m
                .namespace("AWS/Kinesis").metricName(metric).dimensions(d -> d.name("StreamName").value(stream)))).build();
    }

    @Test
    void incomingRecordsSumWhatWasPut() {
        String stream = "metrics-" + UUID.randomUUID().toString().substring(0, 8);
        kinesis.createStream(b -> b.streamName(stream).shardCount(1));
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> kinesis
                .describeStreamSummary(b -> b.streamName(stream)).streamDescriptionSummary().streamStatus() == StreamStatus.ACTIVE);
        Instant start = Instant.now().minusSeconds(60);

        kinesis.putRecord(b -> b.streamName(stream).partitionKey("a").data(SdkBytes.fromUtf8String("one")));
        kinesis.putRecord(b -> b.streamName(stream).partitionKey("b").data(SdkBytes.fromUtf8String("two")));
        List<PutRecordsRequestEntry> batch = List.of("c1", "c2", "c3", "c4", "c5").stream()
                .map(s -> PutRecordsRequestEntry.builder().partitionKey(s).data(SdkBytes.fromUtf8String(s)).build()).toList();
        kinesis.putRecords(b -> b.streamName(stream).records(batch));

        Map<String, Double> totals = cloudWatch.getMetricData(b -> b.startTime(start).endTime(Instant.now().plusSeconds(60))
                .metricDataQueries(query("records", stream, "IncomingRecords", "Sum"),
                        query("calls", stream, "IncomingRecords", "SampleCount"),
                        query("largest", stream, "IncomingRecords", "Maximum"),
                        query("bytes", stream, "IncomingBytes", "Sum")))
                .metricDataResults().stream()
                .collect(Collectors.toMap(MetricDataResult::id, r -> r.id().equals("largest")
                        ? r.values().stream().mapToDouble(Double::doubleValue).max().orElse(0)
                        : r.values().stream().mapToDouble(Double::doubleValue).sum()));
        assertEquals(7.0, totals.get("records"));
        assertEquals(3.0, totals.get("calls"));
        assertEquals(5.0, totals.get("largest"));
        // A record's size is its data and its partition key, as Kinesis counts it.
        assertEquals((3 + 1) + (3 + 1) + 5 * (2 + 2.0), totals.get("bytes"));
    }
}
