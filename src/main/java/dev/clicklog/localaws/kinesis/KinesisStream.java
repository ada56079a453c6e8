package dev.clicklog.localaws.kinesis;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A data stream: identity, status, settings, tags and shards. Status and settings change under the
 * stream's lock; readers see them through volatile fields. The shards are every shard the stream
 * has had, by index (a reshard adds children and closes their parents); records are routed among
 * the open ones.
 */
final class KinesisStream {

    enum Status {
        CREATING, ACTIVE, UPDATING, DELETING
    }

    enum Mode {
        PROVISIONED, ON_DEMAND
    }

    private static final long DAY_MILLIS = 24 * 60 * 60 * 1000L;

    final String name;
    final String arn;
    final long createdMillis;
    final int maxRecordSizeKiB;
    final StreamMetrics metrics;

    /**
     * Every shard, open or closed, at its index. Arrays rather than lists: hot call sites then see
     * one type whatever the shard count. Replaced as a whole by a reshard, which only appends, so
     * an index read from an older array stays valid.
     */
    private volatile StreamShard[] shards;
    /** The open shards, sorted by hash key; their ranges cover the whole space. */
    private volatile StreamShard[] open;
    private volatile Mode mode;
    private volatile Status status = Status.CREATING;
    private volatile int retentionHours;
    private volatile String encryptionType = "NONE";
    private volatile String keyId;
    /** Bumped by each change that passes through UPDATING, so a stale timer does not end a newer one. */
    private int updates;
    /** When UpdateShardCount and UpdateStreamMode were called (within the last day), for their daily limits. */
    private final ArrayDeque<Long> scalings = new ArrayDeque<>();
    private final ArrayDeque<Long> modeSwitches = new ArrayDeque<>();
    private final TreeMap<String, String> tags = new TreeMap<>();

    KinesisStream(String name, String arn, long createdMillis, Mode mode, int shardCount, int retentionHours,
            int maxRecordSizeKiB, Map<String, String> tags, StreamMetrics metrics) {
        this.name = name;
        this.arn = arn;
        this.createdMillis = createdMillis;
        this.mode = mode;
        this.maxRecordSizeKiB = maxRecordSizeKiB;
        this.shards = StreamShard.split(shardCount, createdMillis);
        this.open = shards;
        this.retentionHours = retentionHours;
        this.metrics = metrics;
        this.tags.putAll(tags);
    }

    Status status() {
        return status;
    }

    Mode mode() {
        return mode;
    }

    /** Every shard the stream has had, at its index. */
    StreamShard[] shards() {
        return shards;
    }

    StreamShard shard(int index) {
        return shards[index];
    }

    /** The open shards, by hash key. */
    StreamShard[] openShards() {
        return open;
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

    /** The open shard whose hash-key range holds the key (ranges are sorted and cover the whole space). */
    StreamShard shardFor(HashKey key) {
        StreamShard[] shards = open;
        int lo = 0;
        int hi = shards.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (shards[mid].startingHashKey.compareTo(key) <= 0) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return shards[lo];
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
            for (StreamShard shard : open) {
                shard.encryptFromNow();
            }
        }
    }

    /**
     * Applies a reshard: its new shards join the stream and the shards it replaces close, while
     * writers are held off those, so each record lands either before a parent's end or in a child.
     */
    synchronized void reshard(UniformScaling.Plan plan, long nowMillis) {
        List<StreamShard> closing = plan.replaced();
        closing.forEach(StreamShard::lockForReshard);
        try {
            StreamShard[] all = Arrays.copyOf(shards, shards.length + plan.created().size());
            for (StreamShard s : plan.created()) {
                if (encrypted()) {
                    s.encryptFromNow();
                }
                all[s.index] = s;
            }
            closing.forEach(s -> s.close(nowMillis));
            shards = all;
            open = plan.open().toArray(new StreamShard[0]);
        } finally {
            closing.forEach(StreamShard::unlockAfterReshard);
        }
    }

    /** Counts a scaling unless {@code perDay} happened in the last 24 hours; false then. */
    synchronized boolean recordScaling(long nowMillis, int perDay) {
        return withinDailyLimit(scalings, nowMillis, perDay);
    }

    synchronized boolean recordModeSwitch(long nowMillis, int perDay) {
        return withinDailyLimit(modeSwitches, nowMillis, perDay);
    }

    private static boolean withinDailyLimit(ArrayDeque<Long> times, long nowMillis, int perDay) {
        while (!times.isEmpty() && times.peekFirst() <= nowMillis - DAY_MILLIS) {
            times.removeFirst();
        }
        if (times.size() >= perDay) {
            return false;
        }
        times.addLast(nowMillis);
        return true;
    }

    synchronized void mode(Mode mode) {
        this.mode = mode;
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
