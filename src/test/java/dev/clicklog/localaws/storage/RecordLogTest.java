package dev.clicklog.localaws.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The on-disk record log (a Kinesis shard's records): reads by position across segments, by
 * arrival time, retention deleting whole segments, recovery of a torn tail, readers alongside the
 * writer, and memory that does not grow with the records held.
 */
class RecordLogTest {

    @TempDir
    Path dir;

    private final List<RecordLog> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(RecordLog::close);
    }

    private RecordLog open(Path path, RecordLog.Settings settings, BlockCache cache) {
        RecordLog log = RecordLog.open(path, 0, settings, cache);
        opened.add(log);
        return log;
    }

    /** A record read back: index, arrival, key, data. */
    private record Read(long index, long arrival, String key, String data) {
    }

    private static String data(long i) {
        // Sizes vary from a few bytes to a few kilobytes, so records straddle blocks and segments.
        return ("record-" + i + "-").repeat((int) (1 + (i * 7919) % 200));
    }

    /** Appends records {@code from} until {@code to}, publishing every few; arrival i is 1000 + i/10. */
    private static void append(RecordLog log, long from, long to) {
        for (long i = from; i < to; i++) {
            long index = log.add(1000 + i / 10, ("k" + i).getBytes(StandardCharsets.UTF_8),
                    data(i).getBytes(StandardCharsets.UTF_8));
            assertEquals(i, index);
            if (i % 7 == 0) {
                log.publish();
            }
        }
        log.publish();
    }

    private static List<Read> read(RecordLog log, long from, int max, long maxBytes) throws IOException {
        List<Read> out = new ArrayList<>();
        log.read(from, max, maxBytes, (index, arrival, bytes, keyOffset, keyLength, dataLength) -> out.add(new Read(index,
                arrival, new String(bytes, keyOffset, keyLength, StandardCharsets.UTF_8),
                new String(bytes, keyOffset + keyLength, dataLength, StandardCharsets.UTF_8))));
        return out;
    }

    private static void assertRecords(List<Read> reads, long from) {
        for (int j = 0; j < reads.size(); j++) {
            long i = from + j;
            assertEquals(new Read(i, 1000 + i / 10, "k" + i, data(i)), reads.get(j));
        }
    }

    private static long segmentFiles(Path path) throws IOException {
        try (Stream<Path> files = Files.list(path)) {
            return files.filter(f -> f.toString().endsWith(RecordLog.SUFFIX)).count();
        }
    }

    @Test
    void readsByPositionAcrossSegmentsAndBlocks() throws IOException {
        RecordLog log = open(dir.resolve("shard"), new RecordLog.Settings(64 * 1024, 8), new BlockCache(1 << 20));
        append(log, 0, 3000);
        assertEquals(3000, log.end());
        assertTrue(segmentFiles(dir.resolve("shard")) > 10, "several segments");
        for (long from : new long[] { 0, 1, 7, 8, 9, 500, 1234, 2990 }) {
            List<Read> reads = read(log, from, 100, Long.MAX_VALUE);
            assertEquals(Math.min(100, 3000 - from), reads.size());
            assertRecords(reads, from);
        }
        // A byte budget stops a read, but its first record is always read.
        List<Read> limited = read(log, 10, 100, 1);
        assertEquals(1, limited.size());
        assertRecords(limited, 10);
        assertEquals(List.of(), read(log, 3000, 10, Long.MAX_VALUE));
    }

    @Test
    void aReaderInterruptedInTheMiddleOfItsReadLeavesTheLogReadableAndWritable() throws Exception {
        // A tiny cache: every read goes to the file.
        RecordLog log = open(dir.resolve("shard"), new RecordLog.Settings(64 * 1024, 8), new BlockCache(1));
        append(log, 0, 500);
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread interrupted = new Thread(() -> {
            // Interrupted before its read: the read itself closes the file channel (FileChannel is interruptible).
            Thread.currentThread().interrupt();
            try {
                read(log, 0, 100, Long.MAX_VALUE);
            } catch (IOException | RuntimeException e) {
                failed.set(e);
            }
        });
        interrupted.start();
        interrupted.join();
        assertNotNull(failed.get(), "the interrupted reader gets its exception");

        // Everyone else reads and writes on.
        List<Read> all = read(log, 0, 1000, Long.MAX_VALUE);
        assertEquals(500, all.size());
        assertEquals(data(499), all.get(499).data());
        append(log, 500, 600);
        List<Read> more = read(log, 500, 1000, Long.MAX_VALUE);
        assertEquals(100, more.size());
        assertEquals(data(599), more.get(99).data());
    }

    @Test
    void findsRecordsByArrival() {
        RecordLog log = open(dir.resolve("shard"), new RecordLog.Settings(64 * 1024, 8), new BlockCache(1 << 20));
        append(log, 0, 2000);
        assertEquals(0, log.firstArrivedAtOrAfter(0));
        assertEquals(1230, log.firstArrivedAtOrAfter(1123));
        assertEquals(2000, log.firstArrivedAtOrAfter(5000));
        assertEquals(1000 + 1234 / 10, log.arrival(1234));
        assertEquals(-1, log.arrival(2000));
    }

    @Test
    void retentionDeletesWholeSegments() throws IOException {
        Path path = dir.resolve("shard");
        RecordLog log = open(path, new RecordLog.Settings(32 * 1024, 8), new BlockCache(1 << 20));
        append(log, 0, 3000);
        long before = segmentFiles(path);
        long diskBefore = log.diskBytes();
        log.trim(1000 + 150);
        assertTrue(segmentFiles(path) < before, "segments deleted");
        assertTrue(log.diskBytes() < diskBefore);
        long first = log.firstIndex();
        assertTrue(first > 0 && first <= 1500, "first kept: " + first);
        // Every record of a kept segment is still there; a read from before it starts at it.
        List<Read> reads = read(log, 0, 50, Long.MAX_VALUE);
        assertEquals(first, reads.get(0).index());
        assertRecords(reads, first);
        // Everything expired: only the segment being written stays.
        log.trim(Long.MAX_VALUE);
        assertEquals(1, segmentFiles(path));
        append(log, 3000, 3010);
        assertRecords(read(log, 3000, 10, Long.MAX_VALUE), 3000);
    }

    @Test
    void deletedSegmentsGiveTheirSpaceBackOnceNoReaderCanBeInThemEvenWhenIdle() throws IOException {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "open files are read from /proc");
        Path path = dir.resolve("shard");
        RecordLog log = open(path, new RecordLog.Settings(32 * 1024, 8), new BlockCache(1 << 20));
        append(log, 0, 3000);
        long now = System.nanoTime();
        log.trim(Long.MAX_VALUE, now);
        assertEquals(1, segmentFiles(path));
        long deleted = heldOpenDeleted(path);
        assertTrue(deleted > 10, "deleted segments a reader may still be in stay open: " + deleted);

        // Nothing more to delete (no write since), as on a stream nobody writes to any more.
        log.trim(Long.MAX_VALUE, now + RecordLog.RETIRED_NANOS - 1);
        assertEquals(deleted, heldOpenDeleted(path), "kept open while a reader may be in them");
        log.trim(Long.MAX_VALUE, now + RecordLog.RETIRED_NANOS);
        assertEquals(0, heldOpenDeleted(path), "closed: their space is free");
        append(log, 3000, 3010);
        assertRecords(read(log, 3000, 10, Long.MAX_VALUE), 3000);
    }

    /** Files under {@code path} that this process holds open though they were deleted (their space not yet free). */
    private static long heldOpenDeleted(Path path) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString();
                } catch (IOException closedMeanwhile) {
                    return "";
                }
            }).filter(target -> target.startsWith(path.toString()) && target.endsWith(" (deleted)")).count();
        }
    }

    @Test
    void reopensWhereItWasAndGoesOn() throws IOException {
        Path path = dir.resolve("shard");
        RecordLog log = open(path, new RecordLog.Settings(64 * 1024, 8), new BlockCache(1 << 20));
        append(log, 0, 1500);
        log.force();
        log.close();

        RecordLog again = open(path, new RecordLog.Settings(64 * 1024, 8), new BlockCache(1 << 20));
        assertEquals(1500, again.end());
        assertRecords(read(again, 0, 1500, Long.MAX_VALUE), 0);
        append(again, 1500, 1600);
        assertRecords(read(again, 1450, 150, Long.MAX_VALUE), 1450);
    }

    @Test
    void anEmptyLogMovesOnToACountItLost() throws IOException {
        Path path = dir.resolve("shard");
        RecordLog log = open(path, new RecordLog.Settings(64 * 1024, 8), new BlockCache(1 << 20));
        append(log, 0, 100);
        log.trim(Long.MAX_VALUE);
        assertThrows(IllegalStateException.class, () -> log.skipTo(50), "never back");
        log.skipTo(700);
        assertEquals(700, log.end());
        assertEquals(1, segmentFiles(path));
        append(log, 700, 710);
        assertThrows(IllegalStateException.class, () -> log.skipTo(900), "not while records are kept");
        log.force();
        log.close();

        RecordLog again = open(path, new RecordLog.Settings(64 * 1024, 8), new BlockCache(1 << 20));
        assertEquals(710, again.end());
        List<Read> reads = read(again, 0, 100, Long.MAX_VALUE);
        assertEquals(10, reads.size());
        assertRecords(reads, 700);
    }

    @Test
    void aTornTailIsCutAtTheLastWholeRecord() throws IOException {
        Path path = dir.resolve("shard");
        RecordLog log = open(path, new RecordLog.Settings(1 << 20, 8), new BlockCache(1 << 20));
        append(log, 0, 100);
        log.close();
        Path last;
        try (Stream<Path> files = Files.list(path)) {
            last = files.sorted().reduce((a, b) -> b).orElseThrow();
        }
        try (FileChannel ch = FileChannel.open(last, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 5);
        }

        RecordLog again = open(path, new RecordLog.Settings(1 << 20, 8), new BlockCache(1 << 20));
        assertEquals(99, again.end());
        assertRecords(read(again, 0, 200, Long.MAX_VALUE), 0);
        // The record lost with the tail comes again from the write-ahead log, at the same index.
        append(again, 99, 120);
        assertRecords(read(again, 0, 200, Long.MAX_VALUE), 0);
    }

    @Test
    void readersSeeWholeRecordsWhileTheWriterAppendsAndTrims() throws Exception {
        RecordLog log = open(dir.resolve("shard"), new RecordLog.Settings(16 * 1024, 4), new BlockCache(256 * 1024));
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<?>> readers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            readers.add(pool.submit(() -> {
                while (writing.get()) {
                    long from = Math.max(log.firstIndex(), log.end() - 40);
                    List<Read> reads = read(log, from, 40, Long.MAX_VALUE);
                    if (!reads.isEmpty()) {
                        assertRecords(reads, reads.get(0).index());
                    }
                }
                return null;
            }));
        }
        for (long i = 0; i < 6000; i += 50) {
            append(log, i, i + 50);
            log.trim(1000 + i / 10 - 100);
        }
        writing.set(false);
        for (Future<?> f : readers) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertEquals(6000, log.end());
    }

    @Test
    void memoryDoesNotFollowTheRecordsHeld() throws IOException {
        BlockCache cache = new BlockCache(1 << 20);
        RecordLog log = open(dir.resolve("shard"), RecordLog.Settings.DEFAULT, cache);
        byte[] data = new byte[1000];
        Arrays.fill(data, (byte) 'x');
        for (int i = 0; i < 100_000; i++) {
            log.add(i, ("k" + i).getBytes(StandardCharsets.UTF_8), data);
            if (i % 100 == 99) {
                log.publish();
            }
        }
        log.publish();
        long[] seen = { 0 };
        for (long from = 0; from < log.end(); ) {
            from = log.read(from, 10_000, 10L << 20, (index, arrival, bytes, keyOffset, keyLength, dataLength) -> seen[0]++);
        }
        assertEquals(100_000, seen[0]);
        assertTrue(log.diskBytes() > 100_000_000L, "the records are on disk: " + log.diskBytes());
        assertTrue(cache.bytes() <= cache.maxBytes(), "cache within its budget: " + cache.bytes());
        // The sparse index: a sample per 64 records, not an entry per record.
        assertTrue(log.heapBytes() < 512 * 1024, "the log's own heap: " + log.heapBytes());
        assertFalse(cache.misses() == 0);
    }
}
