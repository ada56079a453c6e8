package dev.clicklog.portal.adapter;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * Reading a Kinesis data stream, as a consumer does: its shards, an iterator at a point in time, and
 * pages of records. Each call is one Kinesis call (errors as {@link AwsException}); pacing and
 * retrying are the caller's, who knows the read's budget.
 */
@ApplicationScoped
public class StreamReader {

    /** One record as Kinesis stored it. */
    public record StoredRecord(String sequenceNumber, String partitionKey, Instant arrival, byte[] data) {
    }

    /**
     * A page of GetRecords: its records, where to read on (null once a closed shard is read to its
     * end), and how far behind the shard's tip the page ends (null when Kinesis did not say).
     */
    public record Page(List<StoredRecord> records, String nextIterator, Long millisBehindLatest) {
    }

    private final KinesisClient kinesis;

    StreamReader(KinesisClient kinesis) {
        this.kinesis = kinesis;
    }

    /** Every shard the stream still retains records of, closed parents of a resharding included. */
    public List<String> shardIds(String stream) {
        List<String> ids = new ArrayList<>();
        String token = null;
        do {
            String next = token;
            ListShardsResponse page = AwsErrors.call(() -> kinesis.listShards(b -> {
                if (next == null) {
                    b.streamName(stream);
                } else {
                    b.nextToken(next);
                }
            }));
            page.shards().stream().map(Shard::shardId).forEach(ids::add);
            token = page.nextToken();
        } while (token != null);
        return ids;
    }

    /** An iterator at the first record of the shard that arrived at or after {@code at}. */
    public String iteratorAt(String stream, String shardId, Instant at) {
        return AwsErrors.call(() -> kinesis.getShardIterator(b -> b.streamName(stream).shardId(shardId)
                .shardIteratorType(ShardIteratorType.AT_TIMESTAMP).timestamp(at))).shardIterator();
    }

    /** An iterator at the record with this sequence number. */
    public String iteratorAtSequence(String stream, String shardId, String sequenceNumber) {
        return AwsErrors.call(() -> kinesis.getShardIterator(b -> b.streamName(stream).shardId(shardId)
                .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER).startingSequenceNumber(sequenceNumber)))
                .shardIterator();
    }

    /** Up to {@code limit} records from the iterator on. */
    public Page read(String iterator, int limit) {
        GetRecordsResponse page = AwsErrors.call(() -> kinesis.getRecords(b -> b.shardIterator(iterator).limit(limit)));
        List<StoredRecord> records = page.records().stream()
                .map(r -> new StoredRecord(r.sequenceNumber(), r.partitionKey(), r.approximateArrivalTimestamp(),
                        r.data().asByteArrayUnsafe()))
                .toList();
        return new Page(records, page.nextShardIterator(), page.millisBehindLatest());
    }
}
