package dev.clicklog.localaws.kinesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Proxy;
import java.math.BigInteger;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.clicklog.localaws.LocalAwsConfig;
import dev.clicklog.localaws.fault.FaultInjector;
import dev.clicklog.localaws.kinesis.KinesisService.StreamRef;
import dev.clicklog.localaws.kinesis.KinesisStream.Status;
import dev.clicklog.localaws.protocol.AwsServiceException;
import dev.clicklog.localaws.storage.Durability;
import dev.clicklog.localaws.storage.Storage;
import dev.clicklog.testing.DataDirs;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.Vertx;

/**
 * Kinesis through its journals: streams (shards after a reshard, tags, retention, status) and every
 * record with its sequence number are back after a restart and after a kill -9 (a crash copy of the
 * data directory), iterators issued before still read, a torn record file is cut at its last whole
 * record and mended from the log, retention deletes records from disk, and transitions under way
 * finish after the start.
 */
class KinesisDurabilityTest {

    private static final String REGION = "us-east-1";

    @TempDir
    Path dir;

    private final Vertx vertx = Vertx.vertx();
    private final List<Storage> opened = new ArrayList<>();
    private final List<KinesisService> services = new ArrayList<>();
    private FaultInjector faults;

    @AfterEach
    void close() {
        services.forEach(KinesisService::stop);
        opened.forEach(Storage::close);
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    /** The configuration Kinesis reads: these delays, small record files, AWS's limits. */
    static LocalAwsConfig config(Duration delay, long segmentBytes) {
        LocalAwsConfig.Kinesis kinesis = proxy(LocalAwsConfig.Kinesis.class, name -> switch (name) {
            case "streamActivationDelay", "streamDeletionDelay" -> delay;
            case "enforceShardLimits" -> false;
            case "shardLimit" -> 500;
            case "segmentSize" -> new MemorySize(BigInteger.valueOf(segmentBytes));
            case "cacheSize" -> new MemorySize(BigInteger.valueOf(1 << 20));
            default -> throw new UnsupportedOperationException(name);
        });
        LocalAwsConfig.Faults none = proxy(LocalAwsConfig.Faults.class, name -> Optional.empty());
        return proxy(LocalAwsConfig.class, name -> switch (name) {
            case "accountId" -> "000000000000";
            case "kinesis" -> kinesis;
            case "faults" -> none;
            default -> throw new UnsupportedOperationException(name);
        });
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, Function<String, Object> answers) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type },
                (p, method, args) -> answers.apply(method.getName()));
    }

    private KinesisService open(Path data, Durability durability, Duration delay, long segmentBytes) {
        LocalAwsConfig config = config(delay, segmentBytes);
        if (faults == null) {
            faults = faults(config);
        }
        Storage storage = new Storage(Storage.Settings.of(data, durability));
        opened.add(storage);
        KinesisService kinesis = new KinesisService(config, faults, (metric, value, unit, at) -> {
        }, vertx, storage);
        services.add(kinesis);
        storage.ready();
        kinesis.resume();
        return kinesis;
    }

    /** A service on its own (as {@link KinesisFixtures} needs one), with these delays and record files. */
    static KinesisService service(Duration delay, long segmentBytes, Vertx vertx, Storage storage) {
        LocalAwsConfig config = config(delay, segmentBytes);
        return new KinesisService(config, faults(config), (metric, value, unit, at) -> {
        }, vertx, storage);
    }

    private KinesisService open(Path data) {
        return open(data, Durability.FSYNC, Duration.ZERO, 64L << 20);
    }

    private static FaultInjector faults(LocalAwsConfig config) {
        try {
            Constructor<FaultInjector> c = FaultInjector.class.getDeclaredConstructor(LocalAwsConfig.class);
            c.setAccessible(true);
            return c.newInstance(config);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Closes the last storage opened, as a SIGTERM does. */
    private void stop(KinesisService kinesis) {
        kinesis.stop();
        services.remove(kinesis);
        opened.remove(opened.size() - 1).close();
    }

    private static StreamRef ref(String name) {
        return new StreamRef(name, null);
    }

    static void put(KinesisService kinesis, String stream, int from, int to) {
        int n = to - from;
        byte[][] keys = new byte[n][];
        byte[][] data = new byte[n][];
        for (int i = 0; i < n; i++) {
            keys[i] = ("key-" + (from + i)).getBytes(StandardCharsets.UTF_8);
            data[i] = ("click " + (from + i) + " " + "x".repeat((from + i) % 97)).getBytes(StandardCharsets.UTF_8);
        }
        kinesis.putRecords(ref(stream), new PutBatch(keys, data, new String[n]));
    }

    /** A stream "clicks" of one shard with {@code records} records, all in a snapshot (forced to their file). */
    private KinesisService checkpointed(Path data, int records) {
        KinesisService kinesis = open(data);
        kinesis.createStream("clicks", 1, null, Map.of(), null, null, REGION);
        put(kinesis, "clicks", 0, records);
        opened.get(0).checkpoint();
        return kinesis;
    }

    /** One record into "clicks", by its hash key when given. */
    private static KinesisService.Written putOne(KinesisService kinesis, String data, String explicitHashKey) {
        return kinesis.putRecord(ref("clicks"), "k".getBytes(StandardCharsets.UTF_8), data.getBytes(StandardCharsets.UTF_8),
                explicitHashKey, null);
    }

    /** A record as GetRecords hands it out. */
    record Read(String sequenceNumber, long arrival, String key, String data, boolean encrypted) {
    }

    private static List<Read> readAll(KinesisService kinesis, String iterator) {
        List<Read> reads = new ArrayList<>();
        String it = iterator;
        while (it != null) {
            int before = reads.size();
            try {
                it = kinesis.getRecords(it, 10_000, null, (seq, arrival, bytes, keyOffset, keyLength, dataLength, enc) -> reads.add(
                        new Read(new String(seq, StandardCharsets.US_ASCII), arrival,
                                new String(bytes, keyOffset, keyLength, StandardCharsets.UTF_8),
                                new String(bytes, keyOffset + keyLength, dataLength, StandardCharsets.UTF_8), enc)))
                        .nextShardIterator();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (reads.size() == before) {
                break;
            }
        }
        return reads;
    }

    private static String horizon(KinesisService kinesis, String stream, String shardId) {
        return kinesis.shardIterator(ref(stream), shardId, "TRIM_HORIZON", null, null);
    }

    /** Everything a client can see of a stream: its description, shards, tags and every record. */
    private static List<String> view(KinesisService kinesis, String stream) {
        KinesisStream s = kinesis.stream(ref(stream));
        List<String> lines = new ArrayList<>();
        lines.add(s.name + " " + s.arn + " " + s.createdMillis + " " + s.status() + " " + s.mode() + " "
                + s.retentionHours() + "h " + s.encryptionType() + " " + s.keyId() + " " + s.maxRecordSizeKiB);
        lines.add("tags " + s.tags());
        for (StreamShard shard : kinesis.listShards(ref(stream), null, null, null, null, null, null).items()) {
            lines.add(shard.shardId + " parent=" + shard.parentShardId + " adjacent=" + shard.adjacentParentShardId + " "
                    + shard.startingHashKey.toBigInteger() + ".." + shard.endingHashKey.toBigInteger() + " seq "
                    + shard.startingSequenceNumber() + ".." + shard.endingSequenceNumber() + " opened " + shard.openedMillis);
            readAll(kinesis, horizon(kinesis, stream, shard.shardId)).forEach(r -> lines.add("  " + r));
        }
        return lines;
    }

    private static long records(List<String> view) {
        return view.stream().filter(l -> l.startsWith("  ")).count();
    }

    @Test
    void streamsShardsRecordsAndSequenceNumbersComeBackExactly() {
        Path data = dir.resolve("data");
        KinesisService kinesis = open(data);
        kinesis.createStream("clicks", 2, null, Map.of("clicklog:pipeline", "clicks", "team", "web"), null, null, REGION);
        kinesis.createStream("other", null, "ON_DEMAND", Map.of(), null, 512, REGION);
        put(kinesis, "clicks", 0, 300);
        String before = horizon(kinesis, "clicks", "shardId-000000000000");
        opened.get(0).checkpoint();
        // After the snapshot, in the log only: a reshard, records in the children, tags, retention, encryption.
        kinesis.updateShardCount(ref("clicks"), 4, REGION);
        put(kinesis, "clicks", 300, 700);
        put(kinesis, "other", 0, 50);
        kinesis.addTags(ref("clicks"), Map.of("owner", "ops"));
        kinesis.removeTags(ref("clicks"), List.of("team"));
        kinesis.increaseRetention(ref("clicks"), 48);
        kinesis.startEncryption(ref("other"), "KMS", "alias/aws/kinesis");
        put(kinesis, "other", 50, 60);
        List<String> clicks = view(kinesis, "clicks");
        List<String> other = view(kinesis, "other");
        List<Read> fromBefore = readAll(kinesis, before);
        assertEquals(700, records(clicks));
        assertEquals(6, clicks.stream().filter(l -> l.startsWith("shardId-")).count(), "two parents, four children");
        stop(kinesis);

        KinesisService again = open(data);
        assertEquals(List.of("clicks", "other"), again.listStreams(null, null, null).items().stream().map(s -> s.name).toList());
        assertEquals(clicks, view(again, "clicks"));
        assertEquals(other, view(again, "other"));
        assertEquals(fromBefore, readAll(again, before), "an iterator issued before the restart reads the same records");

        // Sequence numbers go on where they stopped.
        KinesisService.Written next = putOne(again, "after", "0");
        List<Read> shard = readAll(again, horizon(again, "clicks", next.shard().shardId));
        assertEquals("after", shard.get(shard.size() - 1).data());
        assertTrue(new BigInteger(shard.get(shard.size() - 1).sequenceNumber())
                .compareTo(new BigInteger(shard.get(shard.size() - 2).sequenceNumber())) > 0);
        assertEquals(shard.size() - 1, next.index(), "the next index after the records kept");
    }

    @Test
    void aKillKeepsEveryAcknowledgedRecord() {
        Path data = dir.resolve("data");
        KinesisService kinesis = open(data);
        kinesis.createStream("clicks", 3, null, Map.of(), null, null, REGION);
        put(kinesis, "clicks", 0, 500);
        opened.get(0).checkpoint();
        put(kinesis, "clicks", 500, 900);
        kinesis.updateShardCount(ref("clicks"), 6, REGION);
        put(kinesis, "clicks", 900, 1000);
        opened.get(0).awaitDurable();
        List<String> view = view(kinesis, "clicks");
        // What a kill -9 leaves behind now.
        Path crashed = DataDirs.crashCopy(data, dir.resolve("crashed"));

        KinesisService again = open(crashed);
        assertEquals(view, view(again, "clicks"));
        assertEquals(1000, records(view));
    }

    @Test
    void aTornRecordFileIsCutAtItsLastWholeRecordAndMendedFromTheLog() throws IOException {
        Path data = dir.resolve("data");
        KinesisService kinesis = checkpointed(data, 200);
        put(kinesis, "clicks", 200, 400);
        opened.get(0).awaitDurable();
        List<String> view = view(kinesis, "clicks");
        Path crashed = DataDirs.crashCopy(data, dir.resolve("crashed"));
        Path segment = segments(crashed).get(0);
        // A crash in the middle of writing the records after the checkpoint: the file ends inside one.
        long size = Files.size(segment);
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ch.truncate(size * 3 / 4 + 5);
        }

        KinesisService again = open(crashed);
        assertEquals(view, view(again, "clicks"), "the records after the cut are back from the log");
        assertEquals(size, Files.size(segment));
    }

    @Test
    void garbageAfterTheLastCheckpointedRecordIsCut() throws IOException {
        Path data = dir.resolve("data");
        KinesisService kinesis = checkpointed(data, 100);
        List<String> view = view(kinesis, "clicks");
        stop(kinesis);
        Path segment = segments(data).get(0);
        long size = Files.size(segment);
        // Half a record: a length and a checksum, and a few bytes of a body that never came.
        Files.write(segment, new byte[] { 0, 0, 0, 40, 1, 2, 3, 4, 5, 6 }, StandardOpenOption.APPEND);

        KinesisService again = open(data);
        assertEquals(view, view(again, "clicks"));
        assertEquals(size, Files.size(segment));
        KinesisService.Written next = putOne(again, "next", null);
        assertEquals(100, next.index(), "the next record follows the last whole one");
    }

    @Test
    void aShardWhoseFilesAreLostGoesOnAtItsCount() throws IOException {
        Path data = dir.resolve("data");
        KinesisService kinesis = checkpointed(data, 50);
        stop(kinesis);
        for (Path segment : segments(data)) {
            Files.delete(segment);
        }

        KinesisService again = open(data);
        assertEquals(0, again.retainedRecords("clicks"));
        KinesisService.Written next = putOne(again, "next", null);
        assertEquals(50, next.index(), "the snapshot's count: no sequence number is given out twice");
    }

    @Test
    void retentionDeletesRecordsFromDiskAndTheCountGoesOn() {
        Path data = dir.resolve("data");
        KinesisService kinesis = open(data, Durability.FSYNC, Duration.ZERO, 4 * 1024);
        kinesis.createStream("clicks", 1, null, Map.of(), null, null, REGION);
        put(kinesis, "clicks", 0, 400);
        long diskBefore = diskBytes(data);
        assertTrue(segments(data).size() > 4, "records spread over several files: " + segments(data).size());
        faults.overrideDelay(KinesisService.RETENTION_PERIOD, Duration.ofMillis(100));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            kinesis.trimAll();
            return kinesis.retainedRecords("clicks") == 0;
        });
        assertTrue(diskBytes(data) < diskBefore / 5, "disk follows retention: " + diskBytes(data) + " of " + diskBefore);
        assertEquals(1, segments(data).size(), "an empty file keeps the count");
        faults.clear();
        stop(kinesis);

        KinesisService again = open(data, Durability.FSYNC, Duration.ZERO, 4 * 1024);
        assertEquals(0, again.retainedRecords("clicks"));
        assertTrue(readAll(again, horizon(again, "clicks", "shardId-000000000000")).isEmpty());
        KinesisService.Written next = putOne(again, "fresh", null);
        assertEquals(400, next.index(), "sequence numbers are never given out twice");
    }

    @Test
    void transitionsUnderWayFinishAfterTheStart() {
        Path data = dir.resolve("data");
        Duration delay = Duration.ofMillis(300);
        KinesisService kinesis = open(data, Durability.FSYNC, delay, 64L << 20);
        kinesis.createStream("deleted", 1, null, Map.of(), null, null, REGION);
        kinesis.createStream("resharded", 2, null, Map.of(), null, null, REGION);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> kinesis.stream(ref("resharded")).status() == Status.ACTIVE
                && kinesis.stream(ref("deleted")).status() == Status.ACTIVE);
        put(kinesis, "deleted", 0, 10);
        kinesis.deleteStream(ref("deleted"));
        kinesis.updateShardCount(ref("resharded"), 4, REGION);
        kinesis.createStream("created", 1, null, Map.of(), null, null, REGION);
        stop(kinesis);

        KinesisService again = open(data, Durability.FSYNC, delay, 64L << 20);
        assertEquals(Status.CREATING, again.stream(ref("created")).status());
        assertEquals(Status.UPDATING, again.stream(ref("resharded")).status());
        assertEquals(Status.DELETING, again.stream(ref("deleted")).status());
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> again.stream(ref("created")).status() == Status.ACTIVE
                && again.stream(ref("resharded")).status() == Status.ACTIVE
                && again.listStreams(null, null, null).items().size() == 2);
        assertEquals(4, again.stream(ref("resharded")).openShards().length);
        assertThrows(AwsServiceException.class, () -> again.stream(ref("deleted")));
        assertFalse(streamDirs(data).stream().anyMatch(d -> d.getFileName().toString().startsWith("deleted@")),
                "the deleted stream's records are gone from disk: " + streamDirs(data));
        assertEquals(2, streamDirs(data).size());
        stop(again);

        // And the finished transitions were logged: a second restart finds them done.
        KinesisService third = open(data, Durability.FSYNC, delay, 64L << 20);
        assertEquals(Status.ACTIVE, third.stream(ref("created")).status());
        assertEquals(4, third.stream(ref("resharded")).openShards().length);
        assertEquals(List.of("created", "resharded"), third.listStreams(null, null, null).items().stream().map(s -> s.name).toList());
    }

    @Test
    void readsTheCommittedVersion1Fixture() {
        Path data = DataDirs.crashCopy(Path.of("src/test/resources/storage/v1-kinesis"), dir.resolve("v1"));
        KinesisService kinesis = open(data);
        assertEquals(List.of("clicks"), kinesis.listStreams(null, null, null).items().stream().map(s -> s.name).toList());
        KinesisStream clicks = kinesis.stream(ref("clicks"));
        assertEquals(KinesisFixtures.CLICKS_CREATED, clicks.createdMillis);
        assertEquals(Status.ACTIVE, clicks.status());
        assertEquals(48, clicks.retentionHours());
        assertEquals(Map.of("team", "web", "owner", "ops"), clicks.tags());
        assertEquals(3, clicks.openShards().length);
        List<String> view = view(kinesis, "clicks");
        assertEquals(150, records(view));
        for (int i = 0; i < 150; i++) {
            String click = "click " + i + " ";
            assertEquals(1, view.stream().filter(l -> l.contains("data=" + click)).count(), click);
        }
        List<Read> first = readAll(kinesis, horizon(kinesis, "clicks", "shardId-000000000000"));
        assertEquals(SequenceNumber.format(SequenceNumber.template(KinesisFixtures.CLICKS_CREATED, 0), 1),
                first.get(0).sequenceNumber());
    }

    @Test
    void durabilityMemoryKeepsNothing() {
        Path data = dir.resolve("data");
        KinesisService kinesis = open(data, Durability.MEMORY, Duration.ZERO, 64L << 20);
        kinesis.createStream("clicks", 1, null, Map.of(), null, null, REGION);
        put(kinesis, "clicks", 0, 10);
        assertEquals(10, records(view(kinesis, "clicks")));
        stop(kinesis);

        KinesisService again = open(data, Durability.MEMORY, Duration.ZERO, 64L << 20);
        assertTrue(again.listStreams(null, null, null).items().isEmpty());
        assertNotNull(again.createStream("clicks", 1, null, Map.of(), null, null, REGION));
    }

    private static Path kinesisDir(Path data) {
        return data.resolve(ShardLogs.AREA);
    }

    private static List<Path> streamDirs(Path data) {
        try (Stream<Path> list = Files.list(kinesisDir(data))) {
            return list.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> segments(Path data) {
        try (Stream<Path> files = Files.walk(kinesisDir(data))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".rec")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long diskBytes(Path data) {
        return segments(data).stream().mapToLong(f -> {
            try {
                return Files.size(f);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).sum();
    }
}
