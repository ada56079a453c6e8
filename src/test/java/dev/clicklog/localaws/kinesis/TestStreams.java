package dev.clicklog.localaws.kinesis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import org.awaitility.Awaitility;

import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.CreateStreamRequest;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/** Stream set-up shared by the Kinesis tests: unique names, waiting for a status, reading a shard. */
final class TestStreams {

    static final Duration WAIT = Duration.ofSeconds(10);

    private TestStreams() {
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Creates a stream and waits, as a caller must, until it is ACTIVE. */
    static String active(KinesisClient kinesis, String prefix, int shards) {
        return active(kinesis, prefix, b -> b.shardCount(shards));
    }

    static String active(KinesisClient kinesis, String prefix, Consumer<CreateStreamRequest.Builder> settings) {
        String name = unique(prefix);
        kinesis.createStream(b -> settings.accept(b.streamName(name)));
        awaitStatus(kinesis, name, StreamStatus.ACTIVE);
        return name;
    }

    static void awaitStatus(KinesisClient kinesis, String name, StreamStatus status) {
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(50))
                .until(() -> kinesis.describeStreamSummary(b -> b.streamName(name)).streamDescriptionSummary().streamStatus() == status);
    }

    static String iterator(KinesisClient kinesis, String stream, String shardId, Consumer<GetShardIteratorRequest.Builder> type) {
        return kinesis.getShardIterator(b -> type.accept(b.streamName(stream).shardId(shardId))).shardIterator();
    }

    /** Every record from the iterator on, following NextShardIterator until a call returns none. */
    static List<Record> readAll(KinesisClient kinesis, String iterator) {
        List<Record> records = new ArrayList<>();
        String next = iterator;
        while (true) {
            String current = next;
            GetRecordsResponse page = kinesis.getRecords(b -> b.shardIterator(current));
            if (page.records().isEmpty()) {
                return records;
            }
            records.addAll(page.records());
            next = page.nextShardIterator();
        }
    }
}
