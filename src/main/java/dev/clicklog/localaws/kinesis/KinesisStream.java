package dev.clicklog.localaws.kinesis;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A data stream: identity, status, settings, tags and shards. Status and settings change under the
 * stream's lock; readers see them through volatile fields.
 */
final class KinesisStream {

    enum Status {
        CREATING, ACTIVE, UPDATING, DELETING
    }

    enum Mode {
        PROVISIONED, ON_DEMAND
    }

    final String name;
    final String arn;
    final long createdMillis;
    final Mode mode;
    final int maxRecordSizeKiB;
    final List<StreamShard> shards;
    final StreamMetrics metrics;

    private volatile Status status = Status.CREATING;
    private volatile int retentionHours;
    private volatile String encryptionType = "NONE";
    private volatile String keyId;
    /** Bumped by each change that passes through UPDATING, so a stale timer does not end a newer one. */
    private int updates;
    private final TreeMap<String, String> tags = new TreeMap<>();

    KinesisStream(String name, String arn, long createdMillis, Mode mode, int shardCount, int retentionHours,
            int maxRecordSizeKiB, Map<String, String> tags, StreamMetrics metrics) {
        this.name = name;
        this.arn = arn;
        this.createdMillis = createdMillis;
        this.mode = mode;
        this.maxRecordSizeKiB = maxRecordSizeKiB;
        this.shards = List.of(StreamShard.split(shardCount, createdMillis));
        this.retentionHours = retentionHours;
        this.metrics = metrics;
        this.tags.putAll(tags);
    }

    Status status() {
        return status;
    }

    int retentionHours() {
        return retentionHours;
    }

    String encryptionType() {
        return encryptionType;
    }

    String keyId() {
        return keyId;
    }

    boolean encrypted() {
        return "KMS".equals(encryptionType);
    }

    /** Reads and writes are served while ACTIVE and while UPDATING, as on AWS. */
    boolean readable() {
        Status s = status;
        return s == Status.ACTIVE || s == Status.UPDATING;
    }

    /** The shard whose hash-key range holds the key (ranges are sorted and cover the whole space). */
    StreamShard shardFor(HashKey key) {
        int lo = 0;
        int hi = shards.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (shards.get(mid).startingHashKey.compareTo(key) <= 0) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return shards.get(lo);
    }

    synchronized void activate() {
        if (status == Status.CREATING) {
            status = Status.ACTIVE;
        }
    }

    synchronized void markDeleting() {
        status = Status.DELETING;
    }

    /** Enters UPDATING for a change; returns the token that {@link #finishUpdate} must present. */
    synchronized int startUpdate() {
        status = Status.UPDATING;
        return ++updates;
    }

    /** Back to ACTIVE unless a newer update started meanwhile; encryption then applies to new records. */
    synchronized void finishUpdate(int token) {
        if (status != Status.UPDATING || token != updates) {
            return;
        }
        status = Status.ACTIVE;
        if (encrypted()) {
            shards.forEach(StreamShard::encryptFromNow);
        }
    }

    synchronized void retentionHours(int hours) {
        retentionHours = hours;
    }

    synchronized void encryption(String type, String key) {
        encryptionType = type;
        keyId = key;
    }

    synchronized Map<String, String> tags() {
        return new TreeMap<>(tags);
    }

    synchronized void putTags(Map<String, String> added) {
        tags.putAll(added);
    }

    synchronized void removeTags(List<String> keys) {
        keys.forEach(tags::remove);
    }
}
