package dev.clicklog.portal.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.clicklog.portal.adapter.StreamReader;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * How one shard's newest records are found, on streams nobody else reads (no Firehose), so that
 * CloudWatch's GetRecords metrics count this reader's calls and records only.
 */
@QuarkusTest
class ShardTailTest {

    private static final String SHARD = "shardId-000000000000";
    private static final long DAY = Duration.ofDays(1).toMillis();

    @Inject
    KinesisClient kinesis;

    @Inject
    StreamReader reader;

    @Inject
    CloudWatchClient cloudWatch;

    @Test
    void theNewestRecordsOfTheLastSecondsComeFromOneRead() {
        String stream = stream();
        for (int i = 0; i < 30; i++) {
            int n = i;
            kinesis.putRecord(b -> b.streamName(stream).partitionKey("k" + n).data(SdkBytes.fromUtf8String("r" + n)));
        }

        ShardTail.Result result = tail(stream, 10, System.currentTimeMillis() - DAY);

        assertTrue(result.complete());
        assertEquals(IntStream.range(20, 30).mapToObj(i -> "r" + i).toList(), data(result.records()));
        assertEquals(SHARD, result.shardId());
        assertEquals(1, getRecords(stream, Statistic.SAMPLE_COUNT), "one GetRecords call reaches the tip");
    }

    @Test
    void aBurstOfRecordsIsNotReadToItsEnd() {
        String stream = stream();
        int records = burst(stream);

        ShardTail.Result result = tail(stream, 50, System.currentTimeMillis() - DAY);

        assertNewest(records, 50, result);
        assertReadAtMost(stream, 8, 8_000);
    }

    @Test
    void aBurstThatEndedBeforeTheFirstWindowIsFoundNotRead() {
        String stream = stream();
        int records = burst(stream);
        long ended = System.currentTimeMillis();
        // Quiet for three first windows (100 ms here): the first probe finds nothing, the next one the burst.
        Awaitility.await().atMost(Duration.ofSeconds(2)).until(() -> System.currentTimeMillis() > ended + 300);

        ShardTail.Result result = tail(stream, 50, System.currentTimeMillis() - DAY, 100, 32);

        assertNewest(records, 50, result);
        assertReadAtMost(stream, 12, 12_000);
    }

    @Test
    void fewerRecordsThanWantedAreReadBackToTheFloor() {
        String stream = stream();
        List.of("a", "b", "c").forEach(s -> kinesis.putRecord(b -> b.streamName(stream).partitionKey(s)
                .data(SdkBytes.fromUtf8String(s))));

        ShardTail.Result result = tail(stream, 50, System.currentTimeMillis() - DAY);

        assertTrue(result.complete());
        assertEquals(List.of("a", "b", "c"), data(result.records()));
    }

    @Test
    void recordsBeforeTheFloorAreLeftOut() {
        String stream = stream();
        List.of("old1", "old2").forEach(s -> kinesis.putRecord(b -> b.streamName(stream).partitionKey(s)
                .data(SdkBytes.fromUtf8String(s))));
        long floor = System.currentTimeMillis() + 2;
        Awaitility.await().atMost(Duration.ofSeconds(1)).until(() -> System.currentTimeMillis() > floor);
        List.of("new1", "new2").forEach(s -> kinesis.putRecord(b -> b.streamName(stream).partitionKey(s)
                .data(SdkBytes.fromUtf8String(s))));

        ShardTail.Result result = tail(stream, 50, floor);

        assertTrue(result.complete());
        assertEquals(List.of("new1", "new2"), data(result.records()));
    }

    @Test
    void aReadStopsAtItsCallBudget() {
        String stream = stream();
        kinesis.putRecord(b -> b.streamName(stream).partitionKey("k").data(SdkBytes.fromUtf8String("only")));

        // 4 calls: two probes (10 s, 40 s) of a 24-hour window, not enough to reach the floor.
        ShardTail.Result result = tail(stream, 50, System.currentTimeMillis() - DAY, 10_000, 4);

        assertFalse(result.complete());
        assertEquals(List.of("only"), data(result.records()));
        assertEquals(2, getRecords(stream, Statistic.SAMPLE_COUNT));
    }

    /** Puts 20,000 records r0…r19999 in batches of 500, as fast as the stream takes them; answers the count. */
    private int burst(String stream) {
        int batches = 40;
        for (int b = 0; b < batches; b++) {
            int batch = b;
            List<PutRecordsRequestEntry> entries = IntStream.range(0, 500)
                    .mapToObj(i -> PutRecordsRequestEntry.builder().partitionKey("k" + i)
                            .data(SdkBytes.fromUtf8String("r" + (batch * 500 + i))).build())
                    .toList();
            kinesis.putRecords(r -> r.streamName(stream).records(entries));
        }
        return batches * 500;
    }

    private static void assertNewest(int records, int wanted, ShardTail.Result result) {
        assertTrue(result.complete());
        assertEquals(IntStream.range(records - wanted, records).mapToObj(i -> "r" + i).toList(), data(result.records()));
    }

    private ShardTail.Result tail(String stream, int wanted, long floor) {
        return tail(stream, wanted, floor, 10_000, 32);
    }

    private ShardTail.Result tail(String stream, int wanted, long floor, long initialWindow, int maxCalls) {
        long now = System.currentTimeMillis();
        return new ShardTail(reader, new ShardReadPacer(4), stream, SHARD, wanted, floor, now, initialWindow, maxCalls,
                System.nanoTime() + Duration.ofSeconds(5).toNanos()).read();
    }

    /** The stream's GetRecords calls and the records they returned stayed within these bounds. */
    private void assertReadAtMost(String stream, int calls, int records) {
        double made = getRecords(stream, Statistic.SAMPLE_COUNT);
        double read = getRecords(stream, Statistic.SUM);
        assertTrue(made <= calls, "GetRecords calls: " + made);
        assertTrue(read < records, "records read: " + read);
    }

    private String stream() {
        String name = "tail-" + UUID.randomUUID().toString().substring(0, 8);
        kinesis.createStream(b -> b.streamName(name).shardCount(1));
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> kinesis
                .describeStreamSummary(b -> b.streamName(name)).streamDescriptionSummary().streamStatus()
                == StreamStatus.ACTIVE);
        return name;
    }

    /** GetRecords.Records of the stream over the last minutes: its SampleCount is the number of calls. */
    private double getRecords(String stream, Statistic statistic) {
        Instant now = Instant.now();
        return cloudWatch.getMetricStatistics(b -> b.namespace("AWS/Kinesis").metricName("GetRecords.Records")
                .dimensions(d -> d.name("StreamName").value(stream)).startTime(now.minusSeconds(600))
                .endTime(now.plusSeconds(60)).period(60).statistics(statistic))
                .datapoints().stream()
                .mapToDouble(d -> statistic == Statistic.SUM ? d.sum() : d.sampleCount())
                .sum();
    }

    private static List<String> data(List<StreamReader.StoredRecord> records) {
        return records.stream().map(r -> new String(r.data(), StandardCharsets.UTF_8)).toList();
    }
}
