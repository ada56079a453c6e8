package dev.clicklog.localaws.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.clicklog.testing.DataDirs;

/**
 * The storage engine on its own: replay equals what was written, group commit, a torn or damaged
 * log cut at the last whole change with one log line, format versions, snapshots and compaction
 * (also while writers write), and the lock on the data directory.
 */
class StorageTest {

    @TempDir
    Path dir;

    private final List<Storage> opened = new ArrayList<>();
    private final List<LogRecord> warnings = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                synchronized (warnings) {
                    warnings.add(record);
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final Logger storageLog = Logger.getLogger("dev.clicklog.localaws.storage");

    StorageTest() {
        storageLog.addHandler(capture);
    }

    @AfterEach
    void closeAll() {
        opened.forEach(Storage::close);
        storageLog.removeHandler(capture);
    }

    private Storage storage(Path data, Durability durability) {
        return storage(new Storage.Settings(data, durability, 64L << 20, 64L << 20, Duration.ofMinutes(10)));
    }

    private Storage storage(Storage.Settings settings) {
        Storage s = new Storage(settings);
        opened.add(s);
        return s;
    }

    /** A storage over {@code data} and the key-value store, opened (and so replayed). */
    private record Opened(Storage storage, KeyValueStore store) {
    }

    private Opened open(Path data, Durability durability) {
        Storage s = storage(data, durability);
        KeyValueStore store = new KeyValueStore(s);
        s.open();
        return new Opened(s, store);
    }

    /** As {@link #open}, with "k0" → "v0" … put into it. */
    private Opened written(Path data, int changes) {
        Opened o = open(data, Durability.FSYNC);
        for (int i = 0; i < changes; i++) {
            o.store().put("k" + i, "v" + i);
        }
        return o;
    }

    private static Map<String, String> numbered(int changes) {
        Map<String, String> expected = new TreeMap<>();
        for (int i = 0; i < changes; i++) {
            expected.put("k" + i, "v" + i);
        }
        return expected;
    }

    private KeyValueStore reopen(Path data) {
        return open(data, Durability.FSYNC).store();
    }

    private static Path crashCopy(Path from, Path to) {
        return DataDirs.crashCopy(from, to);
    }

    private static List<Path> segments(Path data) throws IOException {
        try (Stream<Path> files = Files.list(data.resolve("wal"))) {
            return files.filter(f -> f.toString().endsWith(".wal")).sorted().toList();
        }
    }

    private List<LogRecord> warnings() {
        synchronized (warnings) {
            return List.copyOf(warnings);
        }
    }

    @Test
    void whatWasWrittenIsReplayedExactly() {
        Path data = dir.resolve("data");
        Opened o = open(data, Durability.FSYNC);
        Storage s = o.storage();
        KeyValueStore store = o.store();
        Random random = new Random(7);
        for (int i = 0; i < 2000; i++) {
            String key = "k" + random.nextInt(300);
            if (random.nextInt(4) == 0) {
                store.remove(key);
            } else {
                store.put(key, "v" + i + "-\u00e9\u6f22");
            }
        }
        Map<String, String> before = store.snapshot();
        s.close();

        assertEquals(before, reopen(data).snapshot());
        assertTrue(warnings().isEmpty(), () -> "warnings: " + warnings());
    }

    @Test
    void whatWasDurableSurvivesACrash() throws IOException {
        Path data = dir.resolve("data");
        Opened o = written(data, 500);
        o.storage().awaitDurable();
        // No close: the copy is what a kill -9 now leaves.
        Path crashed = crashCopy(data, dir.resolve("crashed"));

        assertEquals(numbered(500), reopen(crashed).snapshot());
    }

    @Test
    void concurrentWritersShareEachFsync() throws Exception {
        Opened o = open(dir.resolve("data"), Durability.FSYNC);
        Storage s = o.storage();
        KeyValueStore store = o.store();
        int writers = 16;
        int each = 200;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            done.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < each; i++) {
                    store.put("w" + writer + "-" + i, "v");
                    // As a request does: answered only once its change is durable.
                    s.durable().toCompletableFuture().get(30, TimeUnit.SECONDS);
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) {
            f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();
        Storage.Stats stats = s.stats();
        long changes = (long) writers * each;
        assertEquals(changes, stats.durableLsn());
        assertTrue(stats.batches() < changes,
                "every change had an fsync of its own: " + stats.batches() + " batches for " + changes + " changes");
        System.out.printf("group commit: %d changes by %d writers in %d fsyncs%n", changes, writers, stats.batches());
    }

    @Test
    void aTornLastChangeIsCutWithOneLineAndTheRestKept() throws IOException {
        Path data = dir.resolve("data");
        written(data, 100).storage().close();
        Path last = segments(data).get(segments(data).size() - 1);
        try (FileChannel ch = FileChannel.open(last, StandardOpenOption.WRITE)) {
            // A crash in the middle of writing the last change.
            ch.truncate(ch.size() - 3);
        }

        Opened again = open(data, Durability.FSYNC);
        Map<String, String> expected = numbered(99);
        assertEquals(expected, again.store().snapshot());
        assertNotNull(again.storage().recovery().cut());
        List<LogRecord> lines = warnings();
        assertEquals(1, lines.size(), () -> "expected one line saying what was dropped: " + lines);
        String line = lines.get(0).getMessage();
        assertTrue(line.contains("cut short") && line.contains("LSN 99") && line.contains(last.getFileName().toString()),
                line);

        // The log goes on from the cut: later changes replay after the surviving ones.
        again.store().put("after", "cut");
        again.storage().close();
        expected.put("after", "cut");
        assertEquals(expected, reopen(data).snapshot());
        assertEquals(1, warnings().size(), "the cut is reported once");
    }

    @Test
    void aFlippedByteEndsTheLogAtTheDamagedChange() throws IOException {
        Path data = dir.resolve("data");
        written(data, 100).storage().close();
        Path segment = segments(data).get(0);
        long offset;
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ)) {
            Frames.Reader reader = new Frames.Reader(ch, 0);
            // The header, then the first 50 changes.
            for (int frame = 0; frame < 51; frame++) {
                assertEquals(Frames.Status.FRAME, reader.next());
            }
            // A byte in the middle of the 51st change's body.
            offset = reader.position() + Frames.HEADER + 12;
        }
        flip(segment, offset);

        Opened again = open(data, Durability.FSYNC);
        assertEquals(numbered(50), again.store().snapshot());
        String cut = again.storage().recovery().cut();
        assertTrue(cut.contains("checksum mismatch"), cut);
        assertEquals(1, warnings().size(), () -> "one line: " + warnings());
    }

    private static void flip(Path file, long offset) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            ch.read(one, offset);
            one.put(0, (byte) (one.get(0) ^ 0x10));
            one.rewind();
            ch.write(one, offset);
        }
    }

    @Test
    void aLogInANewerFormatIsRefusedWithAClearMessage() throws IOException {
        Path data = dir.resolve("data");
        Files.createDirectories(data.resolve("wal"));
        byte[] body = ByteBuffer.allocate(28).put(FileHeader.LOG_MAGIC).putInt(FileHeader.FORMAT_VERSION + 1)
                .putLong(1).putLong(0).array();
        ByteBuffer frame = ByteBuffer.allocate(Frames.HEADER + body.length);
        Frames.putHeader(frame, body, 0, body.length);
        frame.put(body);
        Files.write(WriteAheadLog.segmentFile(data.resolve("wal"), 1), frame.array());

        Storage s = storage(data, Durability.FSYNC);
        new KeyValueStore(s);
        StorageException refused = assertThrows(StorageException.class, s::open);
        assertTrue(refused.getMessage().contains("newer than this portal reads"), refused.getMessage());
    }

    @Test
    void readsTheCommittedVersion1Fixture() throws IOException {
        Path fixture = Path.of("src/test/resources/storage/v1-keyvalue");
        Path data = dir.resolve("v1");
        crashCopy(fixture, data);

        KeyValueStore store = reopen(data);
        assertEquals(StorageFixtures.KEY_VALUE_EXPECTED, store.snapshot());
        assertTrue(warnings().isEmpty(), () -> "warnings: " + warnings());
    }

    @Test
    void snapshotsLetTheLogBeCompacted() throws IOException {
        Path data = dir.resolve("data");
        Storage s = storage(new Storage.Settings(data, Durability.FSYNC, 1024, Long.MAX_VALUE, Duration.ofDays(1)));
        KeyValueStore store = new KeyValueStore(s);
        s.ready();
        for (int i = 0; i < 300; i++) {
            store.put("k" + (i % 100), "v" + i);
            s.awaitDurable();
        }
        int before = segments(data).size();
        assertTrue(before > 10, "segments: " + before);
        s.checkpoint();
        int after = segments(data).size();
        assertTrue(after <= 2, "segments left after a checkpoint: " + after);
        assertTrue(Files.isRegularFile(data.resolve("snapshots/keyvalue.snap")));
        store.put("after", "checkpoint");
        store.remove("k0");
        Map<String, String> expected = store.snapshot();
        s.close();

        assertEquals(expected, reopen(data).snapshot());
    }

    @Test
    void snapshotsTakenWhileWritersWriteAreExact() throws Exception {
        Path data = dir.resolve("data");
        // Checkpoints come from the writers themselves, so none runs while the directory is copied below.
        Storage s = storage(new Storage.Settings(data, Durability.OS, 8 * 1024, Long.MAX_VALUE, Duration.ofDays(1)));
        KeyValueStore first = new KeyValueStore(s, "first");
        KeyValueStore second = new KeyValueStore(s, "second");
        s.ready();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int writer = w;
            KeyValueStore store = w % 2 == 0 ? first : second;
            done.add(pool.submit(() -> {
                Random random = new Random(writer);
                for (int i = 0; i < 3000; i++) {
                    String key = "w" + writer + "-" + random.nextInt(200);
                    if (random.nextInt(3) == 0) {
                        store.remove(key);
                    } else {
                        store.put(key, "v" + i);
                    }
                    if (i % 500 == 0) {
                        s.checkpoint();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();
        s.awaitDurable();
        Map<String, String> firstExpected = first.snapshot();
        Map<String, String> secondExpected = second.snapshot();
        Path crashed = crashCopy(data, dir.resolve("crashed"));
        assertTrue(Files.isRegularFile(crashed.resolve("snapshots/first.snap")), "snapshots were taken");

        Storage again = storage(crashed, Durability.OS);
        KeyValueStore firstReplayed = new KeyValueStore(again, "first");
        KeyValueStore secondReplayed = new KeyValueStore(again, "second");
        again.open();
        assertEquals(firstExpected, firstReplayed.snapshot());
        assertEquals(secondExpected, secondReplayed.snapshot());
    }

    @Test
    void memoryDurabilityWritesNoLog() throws IOException {
        Path data = dir.resolve("data");
        Opened o = open(data, Durability.MEMORY);
        Storage s = o.storage();
        KeyValueStore store = o.store();
        store.put("a", "b");
        assertTrue(s.durable().toCompletableFuture().isDone());
        assertEquals(Map.of("a", "b"), store.snapshot());
        assertFalse(Files.exists(data.resolve("wal")));
        assertFalse(Files.exists(data.resolve("snapshots")));
        // Files a service keeps itself go to a directory of this run's own.
        assertTrue(s.area("s3").startsWith(data.toAbsolutePath().resolve("runs")));
    }

    @Test
    void aSecondPortalCannotUseTheSameDirectory() {
        Path data = dir.resolve("data");
        storage(data, Durability.FSYNC).open();
        StorageException refused = assertThrows(StorageException.class, () -> storage(data, Durability.FSYNC).open());
        assertTrue(refused.getMessage().contains("in use by another running portal"), refused.getMessage());
    }

    @Test
    void aStoreRegisteredAfterTheStartIsReplayedToo() {
        Path data = dir.resolve("data");
        Storage s = storage(data, Durability.FSYNC);
        KeyValueStore store = new KeyValueStore(s, "late");
        s.open();
        store.put("a", "1");
        s.checkpoint();
        store.put("b", "2");
        s.close();

        Storage again = storage(data, Durability.FSYNC);
        again.open();
        KeyValueStore late = new KeyValueStore(again, "late");
        assertEquals(Map.of("a", "1", "b", "2"), late.snapshot());
    }

    @Test
    void storesNoServiceKeepsAreDroppedOnceTheStartIsOver() throws IOException {
        Path data = dir.resolve("data");
        Storage s = storage(data, Durability.FSYNC);
        KeyValueStore gone = new KeyValueStore(s, "gone");
        KeyValueStore kept = new KeyValueStore(s, "kept");
        s.open();
        gone.put("a", "1");
        s.checkpoint();
        gone.put("b", "2");
        kept.put("c", "3");
        s.close();

        Storage again = storage(data, Durability.FSYNC);
        KeyValueStore keptAgain = new KeyValueStore(again, "kept");
        again.ready();
        again.checkpoint();
        assertFalse(Files.exists(data.resolve("snapshots/gone.snap")));
        assertTrue(warnings().stream().anyMatch(r -> r.getMessage().contains("gone")), () -> "warnings: " + warnings());
        again.close();
        assertEquals(Map.of("c", "3"), keptAgain.snapshot());
        assertEquals(Map.of(), new KeyValueStore(reopenStorage(data), "gone").snapshot());
    }

    private Storage reopenStorage(Path data) {
        Storage s = storage(data, Durability.FSYNC);
        s.open();
        return s;
    }

    @Test
    void aDamagedSnapshotIsReportedAndTheLogAfterItStillReplayed() throws IOException {
        Path data = dir.resolve("data");
        Opened o = open(data, Durability.FSYNC);
        o.store().put("in-snapshot", "1");
        o.storage().checkpoint();
        o.store().put("after-snapshot", "2");
        o.storage().close();
        Path snapshot = data.resolve("snapshots/keyvalue.snap");
        flip(snapshot, Files.size(snapshot) - 20);

        KeyValueStore replayed = reopen(data);
        assertEquals("2", replayed.snapshot().get("after-snapshot"));
        assertTrue(warnings().stream().anyMatch(r -> r.getMessage().contains("damaged")), () -> "warnings: " + warnings());
    }

    @Test
    void osDurabilityReplaysLikeFsync() {
        Path data = dir.resolve("data");
        Opened o = open(data, Durability.OS);
        o.store().put("a", "1");
        o.storage().close();
        Opened again = open(data, Durability.OS);
        assertEquals(Map.of("a", "1"), again.store().snapshot());
        assertNull(again.storage().failure());
    }
}
