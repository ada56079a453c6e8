package dev.clicklog.localaws.kinesis;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import dev.clicklog.endpoint.LocalEndpoint;
import dev.clicklog.localaws.LocalAwsConfig;
import dev.clicklog.localaws.spi.MetricSink;
import dev.clicklog.localaws.fault.FaultInjector;
import dev.clicklog.localaws.kinesis.KinesisChange.IteratorKey;
import dev.clicklog.localaws.kinesis.KinesisChange.StreamPut;
import dev.clicklog.localaws.kinesis.KinesisChange.StreamRemoved;
import dev.clicklog.localaws.kinesis.KinesisStream.Mode;
import dev.clicklog.localaws.kinesis.KinesisStream.Status;
import dev.clicklog.localaws.kinesis.RecordChange.RecordsAdded;
import dev.clicklog.localaws.kinesis.RecordChange.ShardEnd;
import dev.clicklog.localaws.protocol.AwsServiceException;
import dev.clicklog.localaws.storage.BlockCache;
import dev.clicklog.localaws.storage.Journal;
import dev.clicklog.localaws.storage.JsonCodec;
import dev.clicklog.localaws.storage.RecordLog;
import dev.clicklog.localaws.storage.Storage;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/**
 * Kinesis Data Streams' behaviour, independent of the wire: streams and their life cycle (CREATING →
 * ACTIVE, UPDATING, DELETING), tags, retention, encryption, records routed by hash key, shard
 * iterators, retention trimming, throughput limits and the AWS/Kinesis metrics.
 * <p>
 * A {@code @Singleton}: it sits on every request's path, where a client proxy's lookup is measurable.
 * <p>
 * Durable through two journals: {@code kinesis} holds the streams (every change to one, under this
 * service's lock, logs the stream as it now is), {@code kinesis-records} the records, appended per
 * shard under the shard's lock and kept in the shard's {@link RecordLog}. A stream CREATING,
 * UPDATING or DELETING when the endpoint stopped finishes its transition after the start.
 */
@Singleton
@Startup(Storage.REGISTER_PRIORITY)
class KinesisService {

    static final int DEFAULT_RETENTION_HOURS = 24;
    static final int MAX_RETENTION_HOURS = 8760;
    static final int ON_DEMAND_SHARDS = 4;
    static final int DEFAULT_MAX_RECORD_SIZE_KIB = 1024;
    static final int MAX_TAGS = 50;
    static final long MAX_PUT_RECORDS_BYTES = 10L * 1024 * 1024;
    static final long MAX_GET_RECORDS_BYTES = 10L * 1024 * 1024;
    static final int DEFAULT_LIST_STREAMS = 100;
    static final int DEFAULT_DESCRIBE_SHARDS = 100;
    static final int DEFAULT_LIST_SHARDS = 1000;
    static final int DEFAULT_LIST_TAGS = 10;
    /** UpdateShardCount's default limits: scalings per stream per rolling 24 hours, shards per stream. */
    static final int SCALINGS_PER_DAY = 10;
    static final int MAX_SHARDS_PER_STREAM = 10_000;
    /** UpdateStreamMode: switches per stream per rolling 24 hours. */
    static final int MODE_SWITCHES_PER_DAY = 2;

    /** Overridable delays (see {@link FaultInjector#overrideDelay}) so tests need not wait as long as AWS. */
    static final String ACTIVATION_DELAY = "kinesis.stream-activation";
    static final String DELETION_DELAY = "kinesis.stream-deletion";
    static final String ITERATOR_EXPIRY = "kinesis.shard-iterator-expiry";
    static final String RETENTION_PERIOD = "kinesis.retention-period";
    static final Duration DEFAULT_ITERATOR_EXPIRY = Duration.ofMinutes(5);
    /** ListShards' NextToken lives 300 seconds. */
    static final long NEXT_TOKEN_LIFETIME_MILLIS = 300_000;
    /** Idle shards are trimmed on this period; busy ones on every write. */
    private static final long TRIM_PERIOD_MILLIS = 10_000;

    private static final Pattern TAG_CHARACTERS = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");
    private static final Pattern KMS_KEY = Pattern.compile(
            "alias/.+|arn:aws[a-z-]*:kms:[^:]+:\\d{12}:(key|alias)/.+|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|mrk-[0-9a-fA-F]{32}");

    /** Names a stream by StreamName and/or StreamARN, as most operations accept either. */
    record StreamRef(String name, String arn) {
    }

    /** One page of a listing. */
    record Page<T>(List<T> items, boolean more, String nextToken) {
    }

    /** Where PutRecord wrote its record. */
    record Written(StreamShard shard, long index, boolean encrypted) {
    }

    /** Receives records read by GetRecords; the sequence number's 56 digits are in the reused array. */
    @FunctionalInterface
    interface RecordSink {
        void record(byte[] sequenceNumber, long arrivalMillis, byte[] bytes, int keyOffset, int keyLength, int dataLength,
                boolean encrypted) throws IOException;
    }

    /**
     * What GetRecords answers besides the records: no next iterator once a closed shard is read to
     * its end, and then its children.
     */
    record RecordsRead(String nextShardIterator, long millisBehindLatest, List<StreamShard> childShards) {
    }

    private final ConcurrentSkipListMap<String, KinesisStream> streams = new ConcurrentSkipListMap<>();
    private final LocalAwsConfig.Kinesis settings;
    private final KinesisErrors errors;
    private final FaultInjector faults;
    private final MetricSink metricStore;
    private final Vertx vertx;
    private final ShardIterators iterators = new ShardIterators();
    private final long trimTimer;
    private final ShardLogs logs;
    private final Journal<KinesisChange> journal;
    private final Journal<RecordChange> records;
    /** Whether the iterators' key came from the journal (else it is logged at start). */
    private boolean keyKept;
    /** Transitions scheduled and not yet run. */
    private final Set<Long> timers = ConcurrentHashMap.newKeySet();
    private volatile boolean stopped;
    /** The latest creation time given out: a stream re-created at once still gets a later one. */
    private long lastCreatedMillis;

    KinesisService(LocalAwsConfig config, FaultInjector faults, MetricSink metricStore, Vertx vertx, Storage storage) {
        this.settings = config.kinesis();
        this.errors = new KinesisErrors(config.accountId());
        this.faults = faults;
        this.metricStore = metricStore;
        this.vertx = vertx;
        this.logs = new ShardLogs(storage, new RecordLog.Settings(settings.segmentSize().asLongValue(), 64),
                new BlockCache(settings.cacheSize().asLongValue()));
        this.journal = storage.journal(KinesisChange.STORE, JsonCodec.of(KinesisChange.class, KinesisChange.VERSION),
                this, this::apply, out -> {
                    out.accept(new IteratorKey(iterators.secret()));
                    streams.values().forEach(s -> out.accept(new StreamPut(s.state())));
                });
        // Guarded per shard: each shard's part is taken under its lock, its records forced first.
        this.records = storage.journal(RecordChange.STORE, new RecordChange.RecordCodec(), null, this::applyRecords, out -> {
            for (KinesisStream stream : streams.values()) {
                for (StreamShard shard : stream.shards()) {
                    out.accept(new ShardEnd(stream.name, stream.createdMillis, shard.index, shard.force()));
                }
            }
        });
        this.trimTimer = vertx.setPeriodic(TRIM_PERIOD_MILLIS, id -> trimAll());
    }

    /** The one way the streams change at replay (live, a change is made, then logged whole). */
    private void apply(KinesisChange change) {
        if (change instanceof StreamPut put) {
            KinesisChange.StreamState state = put.stream();
            KinesisStream stream = streams.get(state.name());
            if (stream == null || stream.createdMillis != state.createdMillis()) {
                streams.put(state.name(), KinesisStream.of(state, new StreamMetrics(metricStore, state.name()), logs));
            } else {
                stream.restore(state, logs);
            }
            lastCreatedMillis = Math.max(lastCreatedMillis, state.createdMillis());
        } else if (change instanceof StreamRemoved removed) {
            KinesisStream stream = streams.get(removed.name());
            if (stream != null && stream.createdMillis == removed.createdMillis()) {
                streams.remove(removed.name());
                stream.closeLogs();
            }
            logs.delete(removed.name(), removed.createdMillis());
        } else if (change instanceof IteratorKey key) {
            iterators.secret(key.secret());
            keyKept = true;
        }
    }

    /** Records reach their shard's log, live and at replay; those of a stream gone since are dropped. */
    private void applyRecords(RecordChange change) {
        if (change instanceof RecordsAdded added) {
            StreamShard shard = shard(added.stream(), added.createdMillis(), added.shard());
            if (shard != null) {
                shard.add(added);
            }
        } else if (change instanceof ShardEnd end) {
            // A snapshot: the shard's files held this many records when it was taken.
            StreamShard shard = shard(end.stream(), end.createdMillis(), end.shard());
            if (shard != null) {
                shard.continuesAt(end.end(), end.stream());
            }
        }
    }

    /** A shard of the stream of that name created then, or null when that stream or shard is gone. */
    private StreamShard shard(String name, long createdMillis, int index) {
        KinesisStream stream = streams.get(name);
        return stream != null && stream.createdMillis == createdMillis && index < stream.shards().length
                ? stream.shard(index) : null;
    }

    /** Logs a stream as it now is; called holding this service's lock, after the change. */
    private void logStream(KinesisStream stream) {
        journal.append(new StreamPut(stream.state()));
    }

    /**
     * Once the storage is open (replayed): streams caught in a transition finish it, timed from when
     * it began, and the records of streams that are gone are deleted.
     */
    void onStart(@Observes StartupEvent event, LocalEndpoint endpoint) {
        if (endpoint.embedded()) {
            resume();
        }
    }

    synchronized void resume() {
        if (!keyKept && journal.persistent()) {
            journal.append(new IteratorKey(iterators.secret()));
            keyKept = true;
        }
        Set<String> live = new HashSet<>();
        long now = System.currentTimeMillis();
        for (KinesisStream stream : streams.values()) {
            live.add(ShardLogs.directoryName(stream.name, stream.createdMillis));
            long since = now - stream.transitionMillis();
            switch (stream.status()) {
                case CREATING -> after(remaining(ACTIVATION_DELAY, settings.streamActivationDelay(), since),
                        () -> activate(stream));
                case UPDATING -> {
                    int token = stream.updates();
                    after(remaining(ACTIVATION_DELAY, settings.streamActivationDelay(), since),
                            () -> finishUpdate(stream, token));
                }
                case DELETING -> after(remaining(DELETION_DELAY, settings.streamDeletionDelay(), since),
                        () -> finishDeletion(stream));
                default -> {
                    // ACTIVE: nothing under way.
                }
            }
        }
        logs.keepOnly(live);
    }

    private Duration remaining(String delay, Duration configured, long elapsedMillis) {
        return Duration.ofMillis(Math.max(0, faults.delayOr(delay, configured).toMillis() - elapsedMillis));
    }

    @PreDestroy
    void stop() {
        // Transitions under way are logged with their start: the next start finishes them.
        stopped = true;
        timers.forEach(vertx::cancelTimer);
        vertx.cancelTimer(trimTimer);
        for (KinesisStream stream : streams.values()) {
            stream.closeLogs();
        }
    }

    /** The block cache every shard reads through (tests of memory). */
    BlockCache cache() {
        return logs.cache();
    }

    String account() {
        return errors.account();
    }

    // ---- streams ------------------------------------------------------------------------------

    synchronized KinesisStream createStream(String name, Integer shardCount, String streamMode, Map<String, String> tags,
            Integer warmThroughputMiBps, Integer maxRecordSizeKiB, String region) {
        if (warmThroughputMiBps != null) {
            throw KinesisErrors.invalidArgument(
                    "Warm throughput requires MinimumThroughputBillingCommitment to be enabled for the account " + account() + ".");
        }
        Mode mode = streamMode != null ? Mode.valueOf(streamMode) : shardCount == null ? Mode.ON_DEMAND : Mode.PROVISIONED;
        int shards;
        if (mode == Mode.ON_DEMAND) {
            if (shardCount != null) {
                throw KinesisErrors.invalidArgument("ShardCount is not expected when StreamMode=ON_DEMAND");
            }
            shards = ON_DEMAND_SHARDS;
        } else {
            if (shardCount == null) {
                throw KinesisErrors.invalidArgument("ShardCount is required when StreamMode=PROVISIONED");
            }
            shards = shardCount;
        }
        checkTags(tags, "create stream " + name);
        if (tags.size() > MAX_TAGS) {
            throw tooManyTags("create stream", name);
        }
        if (streams.containsKey(name)) {
            throw errors.streamExists(name);
        }
        int current = openShardCount();
        if ((long) current + shards > settings.shardLimit()) {
            throw errors.shardLimit(region, current, settings.shardLimit(), shards);
        }
        long created = Math.max(System.currentTimeMillis(), lastCreatedMillis + 1);
        lastCreatedMillis = created;
        String arn = "arn:aws:kinesis:" + region + ":" + account() + ":stream/" + name;
        KinesisStream stream = new KinesisStream(name, arn, created, mode, shards, DEFAULT_RETENTION_HOURS,
                maxRecordSizeKiB == null ? DEFAULT_MAX_RECORD_SIZE_KIB : maxRecordSizeKiB, tags,
                new StreamMetrics(metricStore, name));
        stream.openLogs(logs);
        streams.put(name, stream);
        logStream(stream);
        after(faults.delayOr(ACTIVATION_DELAY, settings.streamActivationDelay()), () -> activate(stream));
        return stream;
    }

    /** The tags of the stream of this name, or none when there is no such stream. */
    Map<String, String> tagsIfAny(String name) {
        KinesisStream stream = name == null ? null : streams.get(name);
        return stream == null ? Map.of() : stream.tags();
    }

    /** The name of the stream a shard iterator was issued for; null when it is not one this endpoint issued. */
    String iteratorStream(String shardIterator) {
        ShardIterators.Position p = shardIterator == null ? null : iterators.read(shardIterator);
        return p == null ? null : p.streamName();
    }

    /** The stream in whatever state, or ResourceNotFoundException. */
    KinesisStream stream(StreamRef ref) {
        String name = nameOf(ref);
        KinesisStream stream = streams.get(name);
        if (stream == null || ref.arn() != null && !ref.arn().equals(stream.arn)) {
            throw errors.streamNotFound(name);
        }
        return stream;
    }

    synchronized void deleteStream(StreamRef ref) {
        KinesisStream stream = stream(ref);
        synchronized (stream) {
            if (stream.status() == Status.DELETING) {
                return;
            }
            if (stream.status() == Status.CREATING) {
                throw errors.notActive(stream);
            }
            stream.markDeleting();
            logStream(stream);
        }
        after(faults.delayOr(DELETION_DELAY, settings.streamDeletionDelay()), () -> finishDeletion(stream));
    }

    private synchronized void activate(KinesisStream stream) {
        if (streams.get(stream.name) == stream && stream.activate()) {
            logStream(stream);
        }
    }

    /** The end of a deletion: the stream, then its records, are gone. */
    private synchronized void finishDeletion(KinesisStream stream) {
        if (streams.remove(stream.name, stream)) {
            journal.append(new StreamRemoved(stream.name, stream.createdMillis));
            stream.closeLogs();
            logs.delete(stream.name, stream.createdMillis);
        }
    }

    /** The end of an UPDATING period: a reshard under way is applied, then the stream is ACTIVE. */
    private synchronized void finishUpdate(KinesisStream stream, int token) {
        if (streams.get(stream.name) != stream) {
            return;
        }
        synchronized (stream) {
            Integer target = stream.targetShardCount();
            if (stream.status() == Status.UPDATING && stream.updates() == token && target != null
                    && target != stream.openShards().length) {
                long now = System.currentTimeMillis();
                stream.reshard(UniformScaling.plan(stream.openShards(), target, stream.shards().length,
                        stream.createdMillis, now), now, logs, state -> journal.append(new StreamPut(state)));
            }
            if (stream.finishUpdate(token)) {
                logStream(stream);
            }
        }
    }

    /** Streams in name order after {@code exclusiveStart} (or after the NextToken's position). */
    Page<KinesisStream> listStreams(Integer limit, String exclusiveStart, String nextToken) {
        String after = nextToken != null ? readToken(nextToken, "streams", false) : exclusiveStart;
        NavigableMap<String, KinesisStream> rest = after == null ? streams : streams.tailMap(after, false);
        int max = limit == null ? DEFAULT_LIST_STREAMS : limit;
        List<KinesisStream> page = new ArrayList<>();
        for (KinesisStream s : rest.values()) {
            if (page.size() == max) {
                return new Page<>(page, true, token("streams", page.get(page.size() - 1).name));
            }
            page.add(s);
        }
        return new Page<>(page, false, null);
    }

    /** A page of a stream's shards, in shard-id order, after {@code exclusiveStartShardId}. */
    Page<StreamShard> describeShards(KinesisStream stream, Integer limit, String exclusiveStartShardId) {
        return shardPage(stream, exclusiveStartShardId, limit == null ? DEFAULT_DESCRIBE_SHARDS : limit, false);
    }

    /** ListShards: by stream or by NextToken (not both), optionally after a shard id. */
    Page<StreamShard> listShards(StreamRef ref, String nextToken, String exclusiveStartShardId, Integer maxResults,
            String filterType, String filterShardId, Long filterTimestamp) {
        boolean named = ref.name() != null || ref.arn() != null;
        if (nextToken != null && named) {
            throw KinesisErrors.invalidArgument("NextToken and StreamName cannot be provided together.");
        }
        if (nextToken == null && !named) {
            throw KinesisErrors.invalidArgument("Either NextToken or StreamName should be provided.");
        }
        if (nextToken != null && exclusiveStartShardId != null) {
            throw KinesisErrors.invalidArgument("NextToken and ExclusiveStartShardId cannot be provided together.");
        }
        String after = exclusiveStartShardId;
        KinesisStream stream;
        if (nextToken != null) {
            String[] position = readToken(nextToken, "shards", true).split("/", 3);
            stream = streams.get(position[2]);
            if (stream == null || stream.createdMillis != Long.parseLong(position[0])) {
                throw errors.streamNotFound(position[2]);
            }
            after = position[1];
        } else {
            stream = stream(ref);
        }
        if (stream.status() == Status.CREATING) {
            throw errors.notActive(stream);
        }
        Predicate<StreamShard> filter = shard -> true;
        if (filterType != null) {
            long now = System.currentTimeMillis();
            // The trim horizon: the oldest time a record can still be read from, never before the stream existed.
            long horizon = Math.max(stream.createdMillis, now - retentionMillis(stream));
            switch (filterType) {
                case "AFTER_SHARD_ID" -> {
                    if (filterShardId == null) {
                        throw KinesisErrors.invalidArgument("ShardId must be specified when the ShardFilter type is AFTER_SHARD_ID.");
                    }
                    after = after == null || filterShardId.compareTo(after) > 0 ? filterShardId : after;
                }
                case "AT_TIMESTAMP", "FROM_TIMESTAMP" -> {
                    if (filterTimestamp == null) {
                        throw KinesisErrors.invalidArgument("Timestamp must be specified when the ShardFilter type is " + filterType + ".");
                    }
                    long at = Math.max(filterTimestamp, horizon);
                    filter = filterType.equals("AT_TIMESTAMP") ? shard -> shard.openAt(at)
                            : shard -> !shard.closed() || shard.closedMillis() >= at;
                }
                case "AT_TRIM_HORIZON" -> filter = shard -> shard.openAt(horizon);
                case "AT_LATEST" -> filter = shard -> !shard.closed();
                default -> {
                    // FROM_TRIM_HORIZON: every shard still listed, as without a filter.
                }
            }
        }
        return shardPage(stream, after, maxResults == null ? DEFAULT_LIST_SHARDS : maxResults, true, filter);
    }

    // ---- tags, retention, encryption ----------------------------------------------------------

    synchronized void addTags(StreamRef ref, Map<String, String> tags) {
        KinesisStream stream = changeable(ref);
        checkTags(tags, "add tags to stream " + stream.name);
        synchronized (stream) {
            Map<String, String> merged = stream.tags();
            merged.putAll(tags);
            if (merged.size() > MAX_TAGS) {
                throw tooManyTags("add tags to stream", stream.name);
            }
            stream.putTags(tags);
            logStream(stream);
        }
    }

    synchronized void removeTags(StreamRef ref, List<String> keys) {
        KinesisStream stream = changeable(ref);
        for (String key : keys) {
            if (!TAG_CHARACTERS.matcher(key).matches()) {
                throw invalidTags("remove tags from stream " + stream.name);
            }
        }
        stream.removeTags(keys);
        logStream(stream);
    }

    /** Tags in key order after {@code exclusiveStartKey}. */
    Page<Map.Entry<String, String>> listTags(StreamRef ref, String exclusiveStartKey, Integer limit) {
        Map<String, String> tags = stream(ref).tags();
        int max = limit == null ? DEFAULT_LIST_TAGS : limit;
        List<Map.Entry<String, String>> page = new ArrayList<>();
        for (Map.Entry<String, String> e : tags.entrySet()) {
            if (exclusiveStartKey != null && e.getKey().compareTo(exclusiveStartKey) <= 0) {
                continue;
            }
            if (page.size() == max) {
                return new Page<>(page, true, null);
            }
            page.add(Map.entry(e.getKey(), e.getValue()));
        }
        return new Page<>(page, false, null);
    }

    void increaseRetention(StreamRef ref, int hours) {
        changeRetention(ref, hours, true);
    }

    void decreaseRetention(StreamRef ref, int hours) {
        changeRetention(ref, hours, false);
    }

    synchronized void startEncryption(StreamRef ref, String encryptionType, String keyId) {
        if (!"KMS".equals(encryptionType)) {
            throw KinesisErrors.invalidArgument("Encryption type " + encryptionType
                    + " is not valid for StartStreamEncryption. Valid encryption type: KMS.");
        }
        if (!KMS_KEY.matcher(keyId).matches()) {
            throw KinesisErrors.invalidArgument("Invalid KeyId " + keyId
                    + ". Specify a key id, a key or alias ARN, or an alias name prefixed by \"alias/\".");
        }
        KinesisStream stream = stream(ref);
        int token;
        synchronized (stream) {
            requireActive(stream);
            stream.encryption("KMS", keyId);
            token = stream.startUpdate();
            logStream(stream);
        }
        after(faults.delayOr(ACTIVATION_DELAY, settings.streamActivationDelay()), () -> finishUpdate(stream, token));
    }

    // ---- capacity -----------------------------------------------------------------------------

    /** What UpdateShardCount answers. */
    record ShardCountUpdate(KinesisStream stream, int current, int target) {
    }

    /**
     * UpdateShardCount with UNIFORM_SCALING: the stream goes UPDATING, then its open shards are split
     * and merged into {@code target} shards of equal size and it is ACTIVE again. Reads and writes go
     * on meanwhile. AWS's default limits apply: at most double and at least half the open shards, ten
     * scalings per rolling 24 hours, and the account's shard limit.
     */
    ShardCountUpdate updateShardCount(StreamRef ref, int target, String region) {
        KinesisStream stream = stream(ref);
        int token;
        int current;
        synchronized (this) {
            synchronized (stream) {
                requireActive(stream);
                if (stream.mode() == Mode.ON_DEMAND) {
                    throw KinesisErrors.validation("UpdateShardCount is not supported for stream " + stream.name
                            + " under account " + account() + " because it is in ON_DEMAND capacity mode.");
                }
                current = stream.openShards().length;
                if (target > 2 * current) {
                    throw errors.scalingLimit(stream, "TargetShardCount " + target + " is more than double the current"
                            + " open shard count " + current);
                }
                if (2L * target < current) {
                    throw errors.scalingLimit(stream, "TargetShardCount " + target + " is less than half the current"
                            + " open shard count " + current);
                }
                if (target > MAX_SHARDS_PER_STREAM) {
                    throw errors.scalingLimit(stream, "TargetShardCount " + target + " is more than "
                            + MAX_SHARDS_PER_STREAM + " shards");
                }
                int open = openShardCount();
                if (target > current && (long) open + target - current > settings.shardLimit()) {
                    throw errors.shardLimit(region, open, settings.shardLimit(), target - current);
                }
                long now = System.currentTimeMillis();
                if (!stream.recordScaling(now, SCALINGS_PER_DAY)) {
                    throw errors.scalingLimit(stream, "the stream was scaled " + SCALINGS_PER_DAY
                            + " times in the last 24 hours");
                }
                token = stream.startUpdate();
                stream.targetShardCount(target);
                logStream(stream);
            }
        }
        after(faults.delayOr(ACTIVATION_DELAY, settings.streamActivationDelay()), () -> finishUpdate(stream, token));
        return new ShardCountUpdate(stream, current, target);
    }

    /**
     * UpdateStreamMode: the stream goes UPDATING and comes back ACTIVE in the other capacity mode,
     * with the shards it has. AWS allows two switches per rolling 24 hours.
     */
    synchronized void updateStreamMode(StreamRef ref, String mode) {
        KinesisStream stream = stream(ref);
        Mode wanted = Mode.valueOf(mode);
        int token;
        synchronized (stream) {
            requireActive(stream);
            if (stream.mode() == wanted) {
                return;
            }
            if (!stream.recordModeSwitch(System.currentTimeMillis(), MODE_SWITCHES_PER_DAY)) {
                throw errors.modeSwitchLimit(stream, MODE_SWITCHES_PER_DAY);
            }
            stream.mode(wanted);
            token = stream.startUpdate();
            logStream(stream);
        }
        after(faults.delayOr(ACTIVATION_DELAY, settings.streamActivationDelay()), () -> finishUpdate(stream, token));
    }

    private int openShardCount() {
        return streams.values().stream().mapToInt(s -> s.openShards().length).sum();
    }

    // ---- records ------------------------------------------------------------------------------

    Written putRecord(StreamRef ref, byte[] partitionKey, byte[] data, String explicitHashKey, String sequenceNumberForOrdering) {
        KinesisStream stream = writable(ref);
        PutBatch batch = new PutBatch(new byte[][] { partitionKey }, new byte[][] { data }, new String[] { explicitHashKey });
        checkRecordSize(stream, batch, 0);
        StreamShard shard;
        long now;
        do {
            // Routed again when a reshard closed the shard before the record got in: it goes to a child.
            route(stream, batch);
            shard = stream.shard(batch.shard[0]);
            if (sequenceNumberForOrdering != null) {
                checkOrdering(stream, shard, sequenceNumberForOrdering);
            }
            now = System.currentTimeMillis();
            if (!stream.readable()) {
                // Its deletion ended while the record waited: its shards are gone.
                throw errors.streamNotFound(stream.name);
            }
        } while (!shard.append(stream, records, now, batch, settings.enforceShardLimits(), now - retentionMillis(stream)));
        boolean written = batch.written(0);
        stream.metrics.putRecord(written, batch.bytes(0), Instant.ofEpochMilli(now));
        if (!written) {
            throw errors.throughputExceeded(shard, stream);
        }
        return new Written(shard, batch.index[0], shard.encrypted(batch.index[0]));
    }

    /**
     * Writes a PutRecords batch: records are routed by hash key and appended per shard in request
     * order; with limits on, records over a shard's allowance fail individually.
     */
    KinesisStream putRecords(StreamRef ref, PutBatch batch) {
        KinesisStream stream = writable(ref);
        long total = 0;
        for (int i = 0; i < batch.size; i++) {
            checkRecordSize(stream, batch, i);
            total += batch.bytes(i);
        }
        if (total > MAX_PUT_RECORDS_BYTES) {
            throw KinesisErrors.invalidArgument("Records size exceeds 10 MB limit");
        }
        long now = System.currentTimeMillis();
        long cutoff = now - retentionMillis(stream);
        do {
            if (!stream.readable()) {
                // Its deletion ended while the records waited: its shards are gone.
                throw errors.streamNotFound(stream.name);
            }
            // Records whose shard a reshard closed before they got in are routed again, to its children.
            route(stream, batch);
            StreamShard[] shards = stream.shards();
            boolean[] touched = new boolean[shards.length];
            for (int i = 0; i < batch.size; i++) {
                touched[batch.shard[i]] |= batch.pending[i];
            }
            for (StreamShard shard : shards) {
                if (touched[shard.index]) {
                    shard.append(stream, records, now, batch, settings.enforceShardLimits(), cutoff);
                }
            }
        } while (batch.anyPending());
        int written = 0;
        long bytes = 0;
        for (int i = 0; i < batch.size; i++) {
            if (batch.written(i)) {
                written++;
                bytes += batch.bytes(i);
            }
        }
        stream.metrics.putRecords(written, bytes, batch.size - written, Instant.ofEpochMilli(now));
        return stream;
    }

    String throughputMessage(StreamShard shard, KinesisStream stream) {
        return errors.throughputMessage(shard, stream);
    }

    String shardIterator(StreamRef ref, String shardId, String type, String startingSequenceNumber, Long timestampMillis) {
        String name = nameOf(ref);
        int index = shardIndex(shardId);
        if (index < 0) {
            throw errors.noSuchShard(shardId, name);
        }
        String canonical = StreamShard.shardId(index);
        KinesisStream stream = streams.get(name);
        if (stream == null || ref.arn() != null && !ref.arn().equals(stream.arn) || !stream.readable()
                || index >= stream.shards().length || !stream.shard(index).listed(System.currentTimeMillis()
                        - retentionMillis(stream))) {
            throw errors.shardNotFound(canonical, name);
        }
        StreamShard shard = stream.shard(index);
        long now = System.currentTimeMillis();
        long horizon = shard.log.firstArrivedAtOrAfter(now - retentionMillis(stream));
        boolean bySequence = type.equals("AT_SEQUENCE_NUMBER") || type.equals("AFTER_SEQUENCE_NUMBER");
        if (startingSequenceNumber != null && (type.equals("TRIM_HORIZON") || type.equals("LATEST"))
                || startingSequenceNumber == null && bySequence) {
            throw KinesisErrors.invalidArgument("Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and"
                    + " StartingSequenceNumber or (2) TRIM_HORIZON or LATEST and no StartingSequenceNumber. Request specified "
                    + type + (startingSequenceNumber == null ? " and no StartingSequenceNumber." : " and also a StartingSequenceNumber."));
        }
        long position = switch (type) {
            case "TRIM_HORIZON" -> horizon;
            case "LATEST" -> shard.log.end();
            case "AT_TIMESTAMP" -> {
                if (timestampMillis == null) {
                    throw KinesisErrors.invalidArgument("Must specify timestampInMillis parameter for iterator of type"
                            + " AT_TIMESTAMP. Current request has no timestamp parameter.");
                }
                if (timestampMillis > now) {
                    throw KinesisErrors.invalidArgument("The timestampInMillis parameter cannot be greater than the"
                            + " currentTimestampInMillis. timestampInMillis: " + timestampMillis
                            + ", currentTimestampInMillis: " + now);
                }
                yield Math.max(horizon, shard.log.firstArrivedAtOrAfter(timestampMillis));
            }
            default -> {
                long counter = sequenceCounter(stream, shard, startingSequenceNumber);
                yield Math.max(horizon, type.equals("AT_SEQUENCE_NUMBER") ? Math.max(0, counter - 1) : counter);
            }
        };
        return iterators.issue(stream, shard, position, now);
    }

    /**
     * GetRecords: validates the iterator, then hands up to {@code limit} records (and at most
     * 10 MiB) to the sink, oldest first, and answers the next iterator.
     */
    RecordsRead getRecords(String shardIterator, int limit, String streamArn, RecordSink sink) throws IOException {
        ShardIterators.Position p = iterators.read(shardIterator);
        if (p == null) {
            throw KinesisErrors.invalidArgument("Invalid ShardIterator.");
        }
        long now = System.currentTimeMillis();
        long tolerated = faults.delayOr(ITERATOR_EXPIRY, DEFAULT_ITERATOR_EXPIRY).toMillis();
        if (now - p.issuedMillis() > tolerated) {
            throw KinesisErrors.expiredIterator(p.issuedMillis(), now, tolerated);
        }
        if (streamArn != null && !streamArn.endsWith(":stream/" + p.streamName())) {
            throw KinesisErrors.invalidArgument("The ShardIterator was not issued for stream " + streamArn + ".");
        }
        KinesisStream stream = streams.get(p.streamName());
        String shardId = StreamShard.shardId(p.shardIndex());
        if (stream == null || stream.createdMillis != p.streamCreatedMillis() || !stream.readable()
                || streamArn != null && !streamArn.equals(stream.arn)) {
            throw errors.shardNotFound(shardId, p.streamName());
        }
        StreamShard shard = stream.shard(p.shardIndex());
        Instant at = Instant.ofEpochMilli(now);
        if (settings.enforceShardLimits() && !shard.allowRead(now)) {
            stream.metrics.readThrottled(at);
            throw errors.throughputExceeded(shard, stream);
        }
        // Read before the records: a shard closed by then has all its records below its end.
        boolean closed = shard.closed();
        long from = Math.max(p.position(), shard.log.firstArrivedAtOrAfter(now - retentionMillis(stream)));
        ReadCounter counter = new ReadCounter(shard, sink);
        long next = shard.log.read(from, limit, MAX_GET_RECORDS_BYTES, counter);
        // How far behind the tip the caller is: the age of the oldest record it has not read yet.
        long unread = next < shard.log.end() ? shard.log.arrival(next) : -1;
        long behind = unread < 0 ? 0 : Math.max(0, now - unread);
        stream.metrics.getRecords(counter.records, counter.bytes, counter.records == 0 ? 0 : Math.max(0, now - counter.lastArrival), at);
        if (closed && next >= shard.log.end()) {
            // The end of a closed shard: no next iterator, and where its keys went on.
            return new RecordsRead(null, 0, children(stream, shard));
        }
        return new RecordsRead(iterators.issue(stream, shard, next, now), behind, null);
    }

    /** The shards that took over a closed shard's hash keys: those naming it as a parent. */
    private static List<StreamShard> children(KinesisStream stream, StreamShard shard) {
        List<StreamShard> children = new ArrayList<>();
        for (StreamShard s : stream.shards()) {
            if (shard.shardId.equals(s.parentShardId) || shard.shardId.equals(s.adjacentParentShardId)) {
                children.add(s);
            }
        }
        return children;
    }

    /** Drops records past every stream's retention period. */
    void trimAll() {
        long now = System.currentTimeMillis();
        for (KinesisStream stream : streams.values()) {
            long cutoff = now - retentionMillis(stream);
            for (StreamShard shard : stream.shards()) {
                shard.trim(cutoff);
            }
        }
    }

    /** Records a stream keeps on disk (tests of trimming). */
    long retainedRecords(String streamName) {
        KinesisStream stream = streams.get(streamName);
        return stream == null ? 0 : Arrays.stream(stream.shards()).mapToLong(s -> s.log.retainedRecords()).sum();
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static final class ReadCounter implements RecordLog.RecordVisitor {
        private final StreamShard shard;
        private final RecordSink sink;
        private final byte[] sequenceNumber = new byte[SequenceNumber.LENGTH];
        int records;
        long bytes;
        long lastArrival;

        ReadCounter(StreamShard shard, RecordSink sink) {
            this.shard = shard;
            this.sink = sink;
        }

        @Override
        public void record(long index, long arrivalMillis, byte[] data, int keyOffset, int keyLength, int dataLength)
                throws IOException {
            SequenceNumber.write(shard.sequenceTemplate, index + 1, sequenceNumber);
            sink.record(sequenceNumber, arrivalMillis, data, keyOffset, keyLength, dataLength, shard.encrypted(index));
            records++;
            bytes += keyLength + dataLength;
            lastArrival = arrivalMillis;
        }
    }

    private long retentionMillis(KinesisStream stream) {
        return faults.delayOr(RETENTION_PERIOD, Duration.ofHours(stream.retentionHours())).toMillis();
    }

    /** Data operations find a stream only while it is ACTIVE or UPDATING. */
    private KinesisStream writable(StreamRef ref) {
        KinesisStream stream = stream(ref);
        if (!stream.readable()) {
            throw errors.streamNotFound(stream.name);
        }
        return stream;
    }

    /** Tags may change while the stream is ACTIVE or UPDATING. */
    private KinesisStream changeable(StreamRef ref) {
        KinesisStream stream = stream(ref);
        if (!stream.readable()) {
            throw errors.notActive(stream);
        }
        return stream;
    }

    private void requireActive(KinesisStream stream) {
        if (stream.status() != Status.ACTIVE) {
            throw errors.notActive(stream);
        }
    }

    private synchronized void changeRetention(StreamRef ref, int hours, boolean increase) {
        if (hours < DEFAULT_RETENTION_HOURS) {
            throw KinesisErrors.invalidArgument("Minimum allowed retention period is " + DEFAULT_RETENTION_HOURS
                    + " hours. Requested retention period (" + hours + " hours) is too short.");
        }
        if (hours > MAX_RETENTION_HOURS) {
            throw KinesisErrors.invalidArgument("Maximum allowed retention period is " + MAX_RETENTION_HOURS
                    + " hours. Requested retention period (" + hours + " hours) is too long.");
        }
        KinesisStream stream = stream(ref);
        int token;
        synchronized (stream) {
            requireActive(stream);
            int current = stream.retentionHours();
            if (increase && hours < current || !increase && hours > current) {
                throw KinesisErrors.invalidArgument("Requested retention period (" + hours + " hours) for stream "
                        + stream.name + " can not be " + (increase ? "shorter" : "longer") + " than existing retention period ("
                        + current + " hours). Use " + (increase ? "Decrease" : "Increase") + "RetentionPeriod API.");
            }
            if (hours == current) {
                return;
            }
            stream.retentionHours(hours);
            token = stream.startUpdate();
            logStream(stream);
        }
        after(faults.delayOr(ACTIVATION_DELAY, settings.streamActivationDelay()), () -> finishUpdate(stream, token));
    }

    /** Picks each record's shard: by ExplicitHashKey when given, else by the MD5 of its partition key. */
    private static void route(KinesisStream stream, PutBatch batch) {
        for (int i = 0; i < batch.size; i++) {
            if (!batch.pending[i]) {
                continue;
            }
            String explicit = batch.explicitHashKeys[i];
            HashKey key;
            if (explicit != null) {
                BigInteger value = new BigInteger(explicit);
                if (value.compareTo(HashKey.SPACE) >= 0) {
                    throw KinesisErrors.invalidArgument("Invalid ExplicitHashKey. ExplicitHashKey must be in the range:"
                            + " [0, 2^128-1]. Specified value was " + explicit);
                }
                key = HashKey.of(value);
            } else {
                key = HashKey.ofPartitionKey(batch.keys[i]);
            }
            batch.shard[i] = stream.shardFor(key).index;
        }
    }

    private void checkRecordSize(KinesisStream stream, PutBatch batch, int i) {
        long max = stream.maxRecordSizeKiB * 1024L;
        if (batch.bytes(i) > max) {
            throw KinesisErrors.invalidArgument("Record size " + batch.bytes(i) + " bytes (partition key and data) exceeds"
                    + " the maximum record size of " + stream.maxRecordSizeKiB + " KiB for stream " + stream.name
                    + " under account " + account() + ".");
        }
    }

    /** SequenceNumberForOrdering must be a sequence number this stream could have given out. */
    private void checkOrdering(KinesisStream stream, StreamShard shard, String sequenceNumber) {
        SequenceNumber.Parsed p = SequenceNumber.parse(sequenceNumber);
        boolean future = p != null && p.streamCreatedMillis() == stream.createdMillis && p.shardIndex() == shard.index
                && p.counter() > shard.log.end();
        if (p == null || future) {
            throw KinesisErrors.invalidArgument("ExclusiveMinimumSequenceNumber " + sequenceNumber + " used in PutRecord on stream "
                    + stream.name + " under account " + account() + " is invalid.");
        }
    }

    private long sequenceCounter(KinesisStream stream, StreamShard shard, String sequenceNumber) {
        SequenceNumber.Parsed p = SequenceNumber.parse(sequenceNumber);
        String where = " used in GetShardIterator on shard " + shard.shardId + " in stream " + stream.name + " under account "
                + account() + " is invalid";
        if (p == null) {
            throw KinesisErrors.invalidArgument("StartingSequenceNumber " + sequenceNumber + where + ".");
        }
        if (p.shardIndex() != shard.index) {
            throw KinesisErrors.invalidArgument("Invalid StartingSequenceNumber. It encodes " + StreamShard.shardId(p.shardIndex())
                    + ", while it was used in a call to a shard with " + shard.shardId);
        }
        if (p.streamCreatedMillis() != stream.createdMillis) {
            throw KinesisErrors.invalidArgument("StartingSequenceNumber " + sequenceNumber + where
                    + " because it did not come from this stream.");
        }
        return p.counter();
    }

    /** Shard ids are accepted as AWS accepts them: "shardId-000000000001", "1" or "anything-1". */
    private static int shardIndex(String shardId) {
        String[] parts = shardId.split("-", -1);
        String digits = parts.length > 1 && !parts[1].isEmpty() ? parts[1] : shardId;
        if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        long index = Long.parseLong(digits);
        return index > Integer.MAX_VALUE ? -1 : (int) index;
    }

    private Page<StreamShard> shardPage(KinesisStream stream, String afterShardId, int max, boolean withToken) {
        return shardPage(stream, afterShardId, max, withToken, shard -> true);
    }

    /**
     * A page of the shards listed now (open, or closed within the retention period) that pass the
     * filter, in shard-id order after {@code afterShardId}.
     */
    private Page<StreamShard> shardPage(KinesisStream stream, String afterShardId, int max, boolean withToken,
            Predicate<StreamShard> filter) {
        long cutoff = System.currentTimeMillis() - retentionMillis(stream);
        List<StreamShard> page = new ArrayList<>();
        for (StreamShard shard : stream.shards()) {
            if (afterShardId != null && shard.shardId.compareTo(afterShardId) <= 0 || !shard.listed(cutoff)
                    || !filter.test(shard)) {
                continue;
            }
            if (page.size() == max) {
                String last = page.get(page.size() - 1).shardId;
                return new Page<>(page, true, withToken ? token("shards", stream.createdMillis + "/" + last + "/" + stream.name) : null);
            }
            page.add(shard);
        }
        return new Page<>(page, false, null);
    }

    private String nameOf(StreamRef ref) {
        if (ref.name() != null) {
            if (ref.arn() != null && !ref.arn().endsWith(":stream/" + ref.name())) {
                throw KinesisErrors.invalidArgument("StreamARN " + ref.arn() + " and StreamName " + ref.name()
                        + " do not name the same stream.");
            }
            return ref.name();
        }
        if (ref.arn() == null) {
            throw KinesisErrors.invalidArgument("Either StreamName or StreamARN should be provided.");
        }
        return ref.arn().substring(ref.arn().indexOf(":stream/") + ":stream/".length());
    }

    private void checkTags(Map<String, String> tags, String action) {
        for (Map.Entry<String, String> e : tags.entrySet()) {
            if (!TAG_CHARACTERS.matcher(e.getKey()).matches() || !TAG_CHARACTERS.matcher(e.getValue()).matches()) {
                throw invalidTags(action);
            }
        }
    }

    private AwsServiceException invalidTags(String action) {
        return KinesisErrors.invalidArgument("Failed to " + action + " under account " + account()
                + " because some tags contained illegal characters. The allowed characters are Unicode letters,"
                + " white-spaces, '_',',','/','=','+','-','@',':'.");
    }

    private AwsServiceException tooManyTags(String action, String stream) {
        return KinesisErrors.invalidArgument("Failed to " + action + " " + stream + " under account " + account()
                + " because a given stream cannot have more than " + MAX_TAGS + " tags associated with it.");
    }

    /** An opaque paging token: what it pages, when it was issued, and where the page ended. */
    private static String token(String kind, String position) {
        String raw = kind + "|" + System.currentTimeMillis() + "|" + position;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    private static String readToken(String token, String kind, boolean expires) {
        String[] parts;
        try {
            parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split("\\|", 3);
        } catch (IllegalArgumentException e) {
            parts = new String[0];
        }
        if (parts.length != 3 || !parts[0].equals(kind) || !parts[1].chars().allMatch(Character::isDigit) || parts[1].isEmpty()) {
            throw KinesisErrors.invalidArgument("Invalid NextToken.");
        }
        if (expires && System.currentTimeMillis() - Long.parseLong(parts[1]) > NEXT_TOKEN_LIFETIME_MILLIS) {
            throw KinesisErrors.expiredNextToken();
        }
        return parts[2];
    }

    private void after(Duration delay, Runnable action) {
        long millis = delay.toMillis();
        if (millis <= 0) {
            action.run();
        } else {
            timers.add(vertx.setTimer(millis, id -> {
                timers.remove(id);
                if (!stopped) {
                    action.run();
                }
            }));
        }
    }
}
