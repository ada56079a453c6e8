package dev.clicklog.localaws.firehose;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What changes Firehose's delivery streams, as its journal {@code firehose} records it: a delivery
 * stream as it now is (created, tagged, its destination updated, deleting), one removed once its
 * deletion is over, and its delivery's progress: the S3 object it is about to write (before the
 * PUT) and the checkpoints that object moved (after it), and the records put directly. Whole
 * streams rather than edits, so replaying a change is putting it back. What a Kinesis source's
 * delivery buffers is not logged: it is read again from the source stream after the checkpoints.
 */
sealed interface FirehoseChange permits FirehoseChange.StreamPut, FirehoseChange.StreamRemoved,
        FirehoseChange.ObjectIntended, FirehoseChange.ObjectDelivered, FirehoseChange.RecordsPut {

    /** The store's name and codec version: its files' names and on-disk format. */
    String STORE = "firehose";
    int VERSION = 1;

    record StreamPut(StreamState stream) implements FirehoseChange {
    }

    /** The delivery stream of that name created at that time is gone (its deletion is over). */
    record StreamRemoved(String region, String name, Instant created) implements FirehoseChange {
    }

    /**
     * The delivery is about to write this object: logged (and durable) before the PUT, so that
     * after a crash the same object is written again, to the same key, before anything else.
     */
    record ObjectIntended(String region, String name, Instant created, ObjectIntent object) implements FirehoseChange {
    }

    /**
     * Records put directly (PutRecord/PutRecordBatch), numbered from {@code firstSequence}: logged
     * before the put is answered, held until the object holding them is in S3.
     */
    record RecordsPut(String region, String name, Instant created, long firstSequence, List<DirectRecord> records)
            implements FirehoseChange {
    }

    /** A record put directly and when it arrived. */
    record DirectRecord(byte[] data, Instant arrival) {
    }

    /** The object intended last is in S3: each shard's checkpoint moves to the last sequence number it holds. */
    record ObjectDelivered(String region, String name, Instant created, Map<String, String> lastSequenceByShard)
            implements FirehoseChange {
    }

    /**
     * A delivery stream as it is: {@code deletingSince} null unless DELETING; {@code checkpoints}
     * the last sequence number in S3 per source shard; {@code intent} the object being written, if
     * any.
     */
    record StreamState(String name, String region, String arn, String type, KinesisSource source,
            Integer throughputHintInMBs, S3Destination destination, Map<String, String> tags, Instant created,
            Instant activeAt, int version, Instant lastUpdated, Instant deletingSince, Map<String, String> checkpoints,
            ObjectIntent intent) {

        StreamState withTags(Map<String, String> newTags) {
            return new StreamState(name, region, arn, type, source, throughputHintInMBs, destination, newTags, created,
                    activeAt, version, lastUpdated, deletingSince, checkpoints, intent);
        }

        /** UpdateDestination: the new configuration under the next version id. */
        StreamState withDestination(S3Destination updated, Instant at) {
            return new StreamState(name, region, arn, type, source, throughputHintInMBs, updated, tags, created,
                    activeAt, version + 1, at, deletingSince, checkpoints, intent);
        }

        StreamState deleting(Instant since) {
            return new StreamState(name, region, arn, type, source, throughputHintInMBs, destination, tags, created,
                    activeAt, version, lastUpdated, since, checkpoints, intent);
        }
    }

    /**
     * An object being written from a Kinesis source: where, how its body is made, and exactly which
     * records it holds — per shard the records after that shard's checkpoint up to {@code
     * lastSequenceByShard}, in the order of {@code runs} (so many records of one shard, then so many
     * of another, as they were read) — so that it can be made again byte for byte.
     */
    record ObjectIntent(String bucket, String key, boolean gzip, boolean delimiter, List<Run> runs,
            Map<String, String> lastSequenceByShard) {

        /** Records of one shard, in a row. */
        record Run(String shardId, int records) {
        }
    }
}
