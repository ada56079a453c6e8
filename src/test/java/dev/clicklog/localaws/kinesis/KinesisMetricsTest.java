package dev.clicklog.localaws.kinesis;

import static dev.clicklog.localaws.kinesis.TestStreams.active;
import static dev.clicklog.localaws.kinesis.TestStreams.iterator;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.clicklog.localaws.cloudwatch.MetricStore;
import dev.clicklog.localaws.cloudwatch.MetricStore.Datapoint;
import dev.clicklog.localaws.spi.MetricId;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/** The AWS/Kinesis metrics that puts and gets record, as CloudWatch will serve them. */
@QuarkusTest
class KinesisMetricsTest {

    @Inject
    KinesisClient kinesis;

    @Inject
    MetricStore metrics;

    @Test
    void putsAndGetsRecordStreamMetricsWithAwsUnits() {
        Instant start = Instant.now().minusSeconds(120);
        String name = active(kinesis, "metrics", 1);
        for (int i = 0; i < 3; i++) {
            kinesis.putRecord(b -> b.streamName(name).partitionKey("k").data(SdkBytes.fromUtf8String("0123456789")));
        }
        List<PutRecordsRequestEntry> batch = IntStream.range(0, 5)
                .mapToObj(i -> PutRecordsRequestEntry.builder().partitionKey("k").data(SdkBytes.fromUtf8String("01234567890123456789")).build())
                .toList();
        kinesis.putRecords(b -> b.streamName(name).records(batch));
        String it = iterator(kinesis, name, "shardId-000000000000", b -> b.shardIteratorType(ShardIteratorType.TRIM_HORIZON));
        String next = kinesis.getRecords(b -> b.shardIterator(it)).nextShardIterator();
        kinesis.getRecords(b -> b.shardIterator(next));
        Instant end = Instant.now().plusSeconds(120);

        // Bytes are partition key plus data: 3 × (1 + 10) by PutRecord, 5 × (1 + 20) by PutRecords.
        assertSum(name, "IncomingRecords", 8, "Count", start, end);
        assertSum(name, "IncomingBytes", 138, "Bytes", start, end);
        assertSum(name, "PutRecord.Success", 3, "Count", start, end);
        assertSum(name, "PutRecord.Bytes", 33, "Bytes", start, end);
        assertSum(name, "PutRecords.Records", 5, "Count", start, end);
        assertSum(name, "PutRecords.Bytes", 105, "Bytes", start, end);
        assertSum(name, "PutRecords.Success", 1, "Count", start, end);
        assertSum(name, "GetRecords.Records", 8, "Count", start, end);
        assertSum(name, "GetRecords.Bytes", 138, "Bytes", start, end);
        assertSum(name, "GetRecords.Success", 2, "Count", start, end);
        assertSum(name, "WriteProvisionedThroughputExceeded", 0, "Count", start, end);
        assertSum(name, "ReadProvisionedThroughputExceeded", 0, "Count", start, end);

        List<Datapoint> age = query(name, "GetRecords.IteratorAgeMilliseconds", start, end);
        assertFalse(age.isEmpty());
        assertEquals("Milliseconds", age.get(0).aggregate().unit());
        assertEquals(2, age.stream().mapToLong(d -> d.aggregate().sampleCount()).sum(), "one sample per GetRecords call");
        assertTrue(age.stream().mapToDouble(d -> d.aggregate().minimum()).min().orElseThrow() >= 0);
    }

    private void assertSum(String stream, String metric, double expected, String unit, Instant start, Instant end) {
        List<Datapoint> points = query(stream, metric, start, end);
        assertFalse(points.isEmpty(), metric + " was recorded");
        assertEquals(expected, points.stream().mapToDouble(d -> d.aggregate().sum()).sum(), metric);
        assertEquals(unit, points.get(0).aggregate().unit(), metric + " unit");
    }

    private List<Datapoint> query(String stream, String metric, Instant start, Instant end) {
        return metrics.query(MetricId.of("AWS/Kinesis", metric, Map.of("StreamName", stream)), start, end);
    }
}
