package dev.clicklog.localaws.firehose;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jboss.logging.Logger;

import dev.clicklog.localaws.firehose.FirehoseChange.ObjectIntent;
import dev.clicklog.localaws.firehose.KinesisWireClient.RecordsPage;
import dev.clicklog.localaws.firehose.KinesisWireClient.Shard;
import dev.clicklog.localaws.firehose.KinesisWireClient.ShardPage;
import dev.clicklog.localaws.firehose.KinesisWireClient.SourceRecord;
import dev.clicklog.localaws.protocol.AwsServiceException;

/**
 * Reads every shard of a delivery stream's source stream from the delivery start on, the way a
 * Kinesis consumer does: AT_TIMESTAMP iterators, one GetRecords per shard per poll, children of a
 * split or merge only once their parents are read to the end and delivered. After a restart each
 * shard resumes right after its checkpoint (the last record in S3). Used by one {@link Delivery}
 * at a time, on whichever worker thread runs it.
 */
final class KinesisShardReader {

    private static final Logger LOG = Logger.getLogger(KinesisShardReader.class);

    /** Kinesis's maximum per GetRecords call. */
    static final int GET_RECORDS_LIMIT = 10_000;

    /** Receives what one GetRecords returned. */
    interface Sink {
        void record(String shardId, SourceRecord record);

        void read(long records, long bytes, long millisBehindLatest);
    }

    /**
     * One shard's progress: where the next read starts, the last record handed to the buffer
     * (resuming point if the iterator has to be fetched again) and the last one written to S3.
     */
    private static final class Cursor {
        final Shard shard;
        String iterator;
        String position;
        String checkpoint;
        boolean ended;
        /** Records read so far, and how far behind the tip the last read was. */
        int read;
        long behind;

        Cursor(Shard shard, String checkpoint) {
            this.shard = shard;
            this.position = checkpoint;
            this.checkpoint = checkpoint;
        }

        /** Read to its end and everything read is in S3: its children may start. */
        boolean delivered() {
            return ended && Objects.equals(position, checkpoint);
        }
    }

    private final KinesisWireClient kinesis;
    private final DeliveryAccess access;
    private final String streamName;
    private final Instant start;
    private final Map<String, Cursor> cursors = new LinkedHashMap<>();
    /** The checkpoints the delivery stream had when this reader began (after a restart), per shard. */
    private final Map<String, String> resumeAfter;
    private boolean listed;
    private boolean sourceDeleted;
    private boolean denied;
    /** Whether the last poll found nothing more to read: every shard at its tip, none waiting for its parents. */
    private boolean caughtUp;

    KinesisShardReader(KinesisWireClient kinesis, DeliveryAccess access, String streamName, Instant start,
            Map<String, String> checkpoints) {
        this.kinesis = kinesis;
        this.access = access;
        this.streamName = streamName;
        this.start = start;
        this.resumeAfter = new HashMap<>(checkpoints);
    }

    /** True once the source stream was found deleted; nothing more will be read. */
    boolean sourceDeleted() {
        return sourceDeleted;
    }

    /** Whether the source role may not read the stream (as of the last poll). */
    boolean denied() {
        return denied;
    }

    /**
     * Whether the last poll read every shard to its tip and found nothing: what was read before is
     * all there is (once no more records arrive).
     */
    boolean caughtUp() {
        return caughtUp;
    }

    /** One GetRecords on every shard that may be read now. */
    void poll(Sink sink) {
        caughtUp = false;
        if (sourceDeleted || (!listed && !listShards())) {
            return;
        }
        boolean shardEnded = false;
        boolean nothingLeft = true;
        for (Cursor cursor : new ArrayList<>(cursors.values())) {
            if (cursor.ended) {
                continue;
            }
            if (!parentsDelivered(cursor.shard)) {
                nothingLeft = false;
                continue;
            }
            try {
                int before = cursor.read;
                shardEnded |= read(cursor, sink);
                nothingLeft &= cursor.read == before && cursor.behind == 0;
            } catch (AwsServiceException e) {
                if (!recover(cursor, e)) {
                    return;
                }
                nothingLeft = false;
            }
        }
        if (shardEnded) {
            listShards();
        }
        caughtUp = nothingLeft && !shardEnded;
    }

    /** Records that everything up to these sequence numbers is in S3. */
    void checkpoint(Map<String, String> lastSequenceByShard) {
        lastSequenceByShard.forEach((shardId, sequence) -> {
            Cursor cursor = cursors.get(shardId);
            if (cursor != null) {
                cursor.checkpoint = sequence;
            }
        });
    }

    /**
     * The data of the records an object intended before a restart holds, in the order it held them:
     * per shard the records after the checkpoint up to the intent's last sequence number. Null when
     * the source no longer has them all (the stream deleted, records past retention). Call it
     * before the first {@link #poll}; the shards then resume after the intent's records.
     */
    List<byte[]> reread(ObjectIntent intent) {
        Map<String, ArrayDeque<byte[]>> byShard = new HashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        intent.runs().forEach(r -> counts.merge(r.shardId(), r.records(), Integer::sum));
        for (Map.Entry<String, Integer> shard : counts.entrySet()) {
            ArrayDeque<byte[]> data = readRange(shard.getKey(), shard.getValue(),
                    intent.lastSequenceByShard().get(shard.getKey()));
            if (data == null) {
                return null;
            }
            byShard.put(shard.getKey(), data);
        }
        List<byte[]> ordered = new ArrayList<>();
        for (ObjectIntent.Run run : intent.runs()) {
            ArrayDeque<byte[]> data = byShard.get(run.shardId());
            for (int i = 0; i < run.records(); i++) {
                ordered.add(data.poll());
            }
        }
        resumeAfter.putAll(intent.lastSequenceByShard());
        return ordered;
    }

    /** {@code count} records of a shard after its checkpoint, the last of them {@code last}; null when they are not all there. */
    private ArrayDeque<byte[]> readRange(String shardId, int count, String last) {
        String after = resumeAfter.get(shardId);
        try {
            access.checkRead("GetShardIterator");
            String iterator = after == null ? kinesis.iteratorAtTimestamp(streamName, shardId, start)
                    : kinesis.iteratorAfter(streamName, shardId, after);
            ArrayDeque<byte[]> data = new ArrayDeque<>(count);
            String lastRead = null;
            while (data.size() < count && iterator != null) {
                access.checkRead("GetRecords");
                RecordsPage page = kinesis.getRecords(iterator, Math.min(GET_RECORDS_LIMIT, count - data.size()));
                for (SourceRecord record : page.records()) {
                    data.add(record.data());
                    lastRead = record.sequenceNumber();
                }
                iterator = page.nextIterator();
                if (page.records().isEmpty() && page.millisBehindLatest() == 0) {
                    break;
                }
            }
            return data.size() == count && Objects.equals(lastRead, last) ? data : null;
        } catch (AwsServiceException e) {
            if ("ResourceNotFoundException".equals(e.code())) {
                return null;
            }
            throw e;
        }
    }

    private boolean read(Cursor cursor, Sink sink) {
        if (cursor.iterator == null) {
            String shardId = cursor.shard.shardId();
            access.checkRead("GetShardIterator");
            cursor.iterator = cursor.position == null
                    ? kinesis.iteratorAtTimestamp(streamName, shardId, start)
                    : kinesis.iteratorAfter(streamName, shardId, cursor.position);
        }
        access.checkRead("GetRecords");
        RecordsPage page = kinesis.getRecords(cursor.iterator, GET_RECORDS_LIMIT);
        denied = false;
        long bytes = 0;
        for (SourceRecord record : page.records()) {
            sink.record(cursor.shard.shardId(), record);
            cursor.position = record.sequenceNumber();
            bytes += record.data().length;
        }
        cursor.read += page.records().size();
        cursor.behind = page.millisBehindLatest();
        sink.read(page.records().size(), bytes, page.millisBehindLatest());
        cursor.iterator = page.nextIterator();
        if (cursor.iterator == null) {
            cursor.ended = true;
            return true;
        }
        return false;
    }

    /** Handles a failed read; false when polling should stop for now. */
    private boolean recover(Cursor cursor, AwsServiceException e) {
        switch (e.code()) {
            case "ExpiredIteratorException":
                cursor.iterator = null;
                return true;
            case "ProvisionedThroughputExceededException", "LimitExceededException":
                return true;
            case "ResourceNotFoundException":
                checkSourceExists();
                return false;
            case "AccessDeniedException", "AccessDenied":
                deniedRead(e);
                return false;
            default:
                LOG.debugf("firehose: reading %s/%s failed: %s %s", streamName, cursor.shard.shardId(), e.code(),
                        e.getMessage());
                cursor.iterator = null;
                return false;
        }
    }

    /** Lists the stream's shards and starts following the new ones; false if the listing failed. */
    private boolean listShards() {
        try {
            String token = null;
            do {
                access.checkRead("ListShards");
                ShardPage page = kinesis.listShards(streamName, token);
                page.shards().forEach(s -> cursors.computeIfAbsent(s.shardId(), id -> new Cursor(s, resumeAfter.get(id))));
                token = page.nextToken();
            } while (token != null);
            listed = true;
            return true;
        } catch (AwsServiceException e) {
            if ("ResourceNotFoundException".equals(e.code())) {
                checkSourceExists();
            } else if (denial(e)) {
                deniedRead(e);
            } else {
                LOG.debugf("firehose: listing shards of %s failed: %s", streamName, e.getMessage());
            }
            return false;
        }
    }

    /** The source role may not read: nothing is read until it may (checked again every poll); said once per streak. */
    private void deniedRead(AwsServiceException e) {
        LOG.logf(denied ? Logger.Level.DEBUG : Logger.Level.WARN, "firehose: reading %s is denied (%s); retrying",
                streamName, e.getMessage());
        denied = true;
    }

    /** A stream that is, say, still being created is also "not found" for reads: only a missing one is deleted. */
    private void checkSourceExists() {
        try {
            access.checkRead("DescribeStream");
            kinesis.describeStreamSummary(streamName);
        } catch (AwsServiceException e) {
            if ("ResourceNotFoundException".equals(e.code())) {
                sourceDeleted = true;
            } else if (denial(e)) {
                deniedRead(e);
            }
        }
    }

    /** Kinesis' refusal of the role's read, or the role that cannot be assumed at all (deleted, say). */
    private static boolean denial(AwsServiceException e) {
        return "AccessDeniedException".equals(e.code()) || "AccessDenied".equals(e.code());
    }

    /** A parent no longer listed (trimmed) counts as delivered. */
    private boolean parentsDelivered(Shard shard) {
        return parentDelivered(shard.parentShardId()) && parentDelivered(shard.adjacentParentShardId());
    }

    private boolean parentDelivered(String shardId) {
        Cursor parent = shardId == null ? null : cursors.get(shardId);
        return parent == null || parent.delivered();
    }
}
