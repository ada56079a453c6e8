package dev.clicklog.localaws.kinesis;

import java.util.List;
import java.util.Map;

/**
 * What changes Kinesis' streams, as its journal {@code kinesis} records it: a stream as it now is
 * (created, its status, settings, tags or shards changed), one removed once its deletion is over,
 * and the key shard iterators are sealed with, so iterators issued before a restart still read.
 * Whole streams rather than edits, so replaying a change is putting it back. The records themselves
 * go to {@link RecordChange}'s journal.
 */
sealed interface KinesisChange permits KinesisChange.StreamPut, KinesisChange.StreamRemoved,
        KinesisChange.IteratorKey {

    /** The store's name and codec version: its files' names and on-disk format. */
    String STORE = "kinesis";
    int VERSION = 1;

    record StreamPut(StreamState stream) implements KinesisChange {
    }

    /** The stream of that name created at that time is gone (its deletion delay is over). */
    record StreamRemoved(String name, long createdMillis) implements KinesisChange {
    }

    record IteratorKey(byte[] secret) implements KinesisChange {
    }

    /**
     * A stream as it is: {@code transitionMillis} is when it entered its current status (a
     * CREATING, UPDATING or DELETING stream resumes its timer from it after a restart), {@code
     * updates} the token of its latest update, {@code targetShardCount} the shard count an
     * UpdateShardCount under way aims at (null when none).
     */
    record StreamState(String name, String arn, long createdMillis, KinesisStream.Mode mode, KinesisStream.Status status,
            long transitionMillis, int updates, Integer targetShardCount, int retentionHours, String encryptionType,
            String keyId, int maxRecordSizeKiB, Map<String, String> tags, List<ShardState> shards, List<Long> scalings,
            List<Long> modeSwitches) {
    }

    /**
     * A shard: hash keys as decimal strings, {@code closedMillis} -1 while open, {@code
     * encryptedFrom} the first record written encrypted (none: {@link Long#MAX_VALUE}).
     */
    record ShardState(int index, String startingHashKey, String endingHashKey, String parentShardId,
            String adjacentParentShardId, long openedMillis, long closedMillis, long encryptedFrom) {
    }
}
