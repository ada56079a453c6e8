package dev.clicklog.localaws.kinesis;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import dev.clicklog.localaws.kinesis.KinesisChange.ShardState;
import dev.clicklog.localaws.kinesis.KinesisChange.StreamState;

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
    /** When the stream entered its status: a transition resumes from it after a restart. */
    private volatile long transitionMillis;
    /** The shard count an UpdateShardCount under way aims at; null when none is. */
    private Integer targetShardCount;
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
        this.transitionMillis = createdMillis;
    }

    /** A stream as its journal recorded it, its shards' records opened from {@code logs}. */
    static KinesisStream of(StreamState state, StreamMetrics metrics, ShardLogs logs) {
        KinesisStream stream = new KinesisStream(state.name(), state.arn(), state.createdMillis(), state.mode(), 0,
                state.retentionHours(), state.maxRecordSizeKiB(), state.tags(), metrics);
        stream.restore(state, logs);
        return stream;
    }

    /** Takes on a recorded state (replay): settings, status, tags, and shards added or closed since. */
    synchronized void restore(StreamState state, ShardLogs logs) {
        mode = state.mode();
        status = state.status();
        transitionMillis = state.transitionMillis();
        updates = state.updates();
        targetShardCount = state.targetShardCount();
        retentionHours = state.retentionHours();
        encryptionType = state.encryptionType();
        keyId = state.keyId();
        tags.clear();
        tags.putAll(state.tags());
        scalings.clear();
        scalings.addAll(state.scalings());
        modeSwitches.clear();
        modeSwitches.addAll(state.modeSwitches());
        StreamShard[] all = Arrays.copyOf(shards, Math.max(shards.length, state.shards().size()));
        for (ShardState s : state.shards()) {
            if (s.index() < shards.length) {
                all[s.index()].restore(s);
            } else {
                StreamShard shard = StreamShard.of(s, createdMillis);
                shard.attach(logs.open(name, createdMillis, shard.index));
                all[s.index()] = shard;
            }
        }
        shards = all;
        open = Arrays.stream(all).filter(s -> !s.closed()).sorted(Comparator.comparing((StreamShard s) -> s.startingHashKey))
                .toArray(StreamShard[]::new);
    }

    /** Opens the records of the shards the stream was created with. */
    void openLogs(ShardLogs logs) {
        for (StreamShard s : shards) {
            s.attach(logs.open(name, createdMillis, s.index));
        }
    }

    /** Closes every shard's files. */
    void closeLogs() {
        for (StreamShard s : shards) {
            s.closeLog();
        }
    }

    /** The stream as its journal records it. */
    StreamState state() {
        return state(shards);
    }

    private synchronized StreamState state(StreamShard[] with) {
        List<ShardState> shardStates = new ArrayList<>(with.length);
        for (StreamShard s : with) {
            shardStates.add(s.state());
        }
        return new StreamState(name, arn, createdMillis, mode, status, transitionMillis, updates, targetShardCount,
                retentionHours, encryptionType, keyId, maxRecordSizeKiB, new TreeMap<>(tags), shardStates,
                List.copyOf(scalings), List.copyOf(modeSwitches));
    }

    long transitionMillis() {
        return transitionMillis;
    }

    synchronized int updates() {
        return updates;
    }

    synchronized Integer targetShardCount() {
        return targetShardCount;
    }

    synchronized void targetShardCount(Integer target) {
        targetShardCount = target;
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

    /** ACTIVE once created; false when it was not CREATING (any more). */
    synchronized boolean activate() {
        if (status == Status.CREATING) {
            status = Status.ACTIVE;
            transitionMillis = System.currentTimeMillis();
            return true;
        }
        return false;
    }

    synchronized void markDeleting() {
        status = Status.DELETING;
        transitionMillis = System.currentTimeMillis();
    }

    /** Enters UPDATING for a change; returns the token that {@link #finishUpdate} must present. */
    synchronized int startUpdate() {
        status = Status.UPDATING;
        transitionMillis = System.currentTimeMillis();
        return ++updates;
    }

    /**
     * Back to ACTIVE unless a newer update started meanwhile (false then); encryption then applies
     * to new records.
     */
    synchronized boolean finishUpdate(int token) {
        if (status != Status.UPDATING || token != updates) {
            return false;
        }
        status = Status.ACTIVE;
        transitionMillis = System.currentTimeMillis();
        targetShardCount = null;
        if (encrypted()) {
            for (StreamShard shard : open) {
                shard.encryptFromNow();
            }
        }
        return true;
    }

    /**
     * Applies a reshard: its new shards join the stream and the shards it replaces close, while
     * writers are held off those, so each record lands either before a parent's end or in a child.
     * The new layout is recorded ({@code record}) before any writer can reach a child, so a child's
     * records always follow it in the log.
     */
    synchronized void reshard(UniformScaling.Plan plan, long nowMillis, ShardLogs logs, Consumer<StreamState> record) {
        List<StreamShard> closing = plan.replaced();
        closing.forEach(StreamShard::lockForReshard);
        try {
            StreamShard[] all = Arrays.copyOf(shards, shards.length + plan.created().size());
            for (StreamShard s : plan.created()) {
                s.attach(logs.open(name, createdMillis, s.index));
                if (encrypted()) {
                    s.encryptFromNow();
                }
                all[s.index] = s;
            }
            closing.forEach(s -> s.close(nowMillis));
            record.accept(state(all));
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
