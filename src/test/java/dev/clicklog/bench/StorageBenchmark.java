package dev.clicklog.bench;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.clicklog.localaws.storage.Codec;
import dev.clicklog.localaws.storage.Durability;
import dev.clicklog.localaws.storage.Journal;
import dev.clicklog.localaws.storage.Storage;
import dev.clicklog.testing.Host;

/**
 * The storage engine's own write throughput: N writers each appending changes of 200 bytes and
 * waiting, as a request does, until its change is durable before the next — with durability fsync
 * (group commit: one fsync for the changes that arrive together), os and memory. Prints changes per
 * second and the changes each fsync covered.
 *
 * <p>Run with {@code ./mvnw -B -o verify -Pbenchmark -Dtest=StorageBenchmark -DskipITs}; the
 * duration per case with {@code -Dstorage.bench.seconds=5} (default 5), writer counts with
 * {@code -Dstorage.bench.writers=1,4,16,64}.
 */
@Tag("benchmark")
class StorageBenchmark {

    /** A store that only counts: the benchmark measures the log, not a service. */
    private static final class Counter {
        private long changes;
        private final Journal<byte[]> journal;

        Counter(Storage storage) {
            journal = storage.journal("bench", new Codec<>() {
                @Override
                public int version() {
                    return 1;
                }

                @Override
                public void write(byte[] change, DataOutput out) throws IOException {
                    out.writeShort(change.length);
                    out.write(change);
                }

                @Override
                public byte[] read(int version, DataInput in) throws IOException {
                    byte[] b = new byte[in.readUnsignedShort()];
                    in.readFully(b);
                    return b;
                }
            }, this, change -> changes++, out -> {
            });
        }

        synchronized void add(byte[] change) {
            journal.record(change);
        }
    }

    @Test
    void appendThroughput() throws Exception {
        int seconds = Integer.getInteger("storage.bench.seconds", 5);
        int[] writerCounts = Arrays.stream(System.getProperty("storage.bench.writers", "1,4,16,64").split(","))
                .mapToInt(Integer::parseInt).toArray();
        Path root = Path.of("target", "storage-bench");
        System.out.printf("%-8s %8s %14s %14s %12s%n", "mode", "writers", "changes/s", "per write", "mean ms");
        for (Durability durability : Durability.values()) {
            for (int writers : writerCounts) {
                Path dir = root.resolve(durability.name().toLowerCase() + "-" + writers);
                Host.deleteTree(dir);
                Storage storage = new Storage(new Storage.Settings(dir, durability, 64L << 20, Long.MAX_VALUE,
                        Duration.ofDays(1)));
                Counter counter = new Counter(storage);
                storage.open();
                try {
                    run(storage, counter, durability, writers, seconds);
                } finally {
                    storage.close();
                    Host.deleteTree(dir);
                }
            }
        }
        Files.deleteIfExists(root);
    }

    private static void run(Storage storage, Counter counter, Durability durability, int writers, int seconds)
            throws Exception {
        byte[] change = new byte[200];
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch start = new CountDownLatch(1);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<Future<long[]>> results = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            results.add(pool.submit(() -> {
                start.await();
                long n = 0;
                long waited = 0;
                while (System.nanoTime() < deadline) {
                    long t = System.nanoTime();
                    counter.add(change);
                    storage.durable().toCompletableFuture().get();
                    waited += System.nanoTime() - t;
                    n++;
                }
                return new long[] { n, waited };
            }));
        }
        long before = storage.stats().batches();
        long t0 = System.nanoTime();
        start.countDown();
        long total = 0;
        long waited = 0;
        for (Future<long[]> f : results) {
            long[] r = f.get();
            total += r[0];
            waited += r[1];
        }
        double elapsed = (System.nanoTime() - t0) / 1e9;
        pool.shutdown();
        long batches = storage.stats().batches() - before;
        System.out.printf("%-8s %8d %14.0f %14s %12.3f%n", durability.name().toLowerCase(), writers, total / elapsed,
                batches == 0 ? "-" : String.format("%.1f", (double) total / batches), waited / 1e6 / Math.max(1, total));
    }
}
