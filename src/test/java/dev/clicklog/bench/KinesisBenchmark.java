package dev.clicklog.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.sun.management.OperatingSystemMXBean;

import dev.clicklog.localaws.fault.FaultInjector;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * Kinesis throughput through the real SDK (CBOR, the portal's own client) against localaws, with
 * 8 client threads: PutRecords in batches of 100 records of ~200-byte JSON clicks, then GetRecords
 * (Limit 10000) over what was written, on a 1-shard and a 4-shard stream; and the heap of a
 * stream written non-stop with a short retention period, which must level off.
 * <p>
 * Run: {@code ./mvnw verify -Pbenchmark -Dtest=KinesisBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 */
@QuarkusTest
@Tag("benchmark")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KinesisBenchmark {

    private static final int THREADS = 8;
    private static final int BATCH = 100;
    private static final Duration WARM_UP = Duration.ofSeconds(5);
    private static final Duration MEASURE = Duration.ofSeconds(15);

    @Inject
    KinesisClient kinesis;

    @Inject
    FaultInjector faults;

    @Test
    @Order(1)
    void putAndGetRecordsThroughput() throws Exception {
        // A first round on a throwaway stream, so that every scenario below runs compiled code
        // (the JIT time each measured phase still saw is reported with it).
        String warmUp = activeStream(2);
        run(WARM_UP.multipliedBy(4), t -> putLoop(warmUp, t));
        run(WARM_UP.multipliedBy(2), t -> getLoop(warmUp, 2, t));
        kinesis.deleteStream(b -> b.streamName(warmUp));

        List<String> lines = new ArrayList<>();
        for (int shards : new int[] { 1, 4 }) {
            String stream = activeStream(shards);
            run(WARM_UP, t -> putLoop(stream, t));
            Rate put = run(MEASURE, t -> putLoop(stream, t));
            run(WARM_UP, t -> getLoop(stream, shards, t));
            Rate get = run(MEASURE, t -> getLoop(stream, shards, t));
            lines.add(String.format(Locale.ROOT, "%d shard%s: PutRecords %,9.0f records/s (%5.2f µs CPU/record, JIT %4.1f s)"
                    + "   GetRecords %,9.0f records/s (%5.2f µs CPU/record, JIT %4.1f s)",
                    shards, shards == 1 ? " " : "s", put.perSecond(), put.cpuMicrosPerRecord(), put.jitSeconds(),
                    get.perSecond(), get.cpuMicrosPerRecord(), get.jitSeconds()));
            kinesis.deleteStream(b -> b.streamName(stream));
        }
        System.out.println();
        System.out.println("=== Kinesis throughput, SDK v2 (CBOR), " + THREADS + " client threads, batches of " + BATCH
                + " ~200-byte records, GetRecords Limit 10000, " + MEASURE.toSeconds() + " s each ===");
        lines.forEach(System.out::println);
        System.out.println("(CPU: this JVM's CPU time, SDK client and localaws together, per record; JIT: compilation time"
                + " during the measured phase; "
                + Runtime.getRuntime().availableProcessors() + " cores, load average at the end "
                + String.format(Locale.ROOT, "%.1f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()) + ")");
        System.out.println();
    }

    /** Records per second over all threads, this JVM's CPU time spent per record, and JIT compilation time meanwhile. */
    private record Rate(double perSecond, double cpuMicrosPerRecord, double jitSeconds) {
    }

    /** Runs second, on compiled code, so the write rate is steady and the retained volume with it. */
    @Test
    @Order(2)
    void heapStaysBoundedByRetention() throws Exception {
        Duration retention = Duration.ofSeconds(5);
        faults.overrideDelay("kinesis.retention-period", retention);
        try {
            String stream = activeStream(1);
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            AtomicBoolean writing = new AtomicBoolean(true);
            LongAdder written = new LongAdder();
            ExecutorService writers = Executors.newFixedThreadPool(THREADS);
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                writers.submit(() -> {
                    List<PutRecordsRequest> requests = requests(stream, thread);
                    for (int i = 0; writing.get(); i++) {
                        kinesis.putRecords(requests.get(i % requests.size()));
                        written.add(BATCH);
                    }
                    return null;
                });
            }
            System.out.println();
            System.out.println("=== Heap while writing non-stop to a 1-shard stream with a " + retention.toSeconds()
                    + " s retention period (after a full GC) ===");
            long start = System.nanoTime();
            long before = 0;
            // 30 s of writing, then 15 s idle: longer than retention plus the 10 s trimming period.
            for (int sample = 1; sample <= 15; sample++) {
                // The sampling period of this report: every 3 s from the start, without drifting.
                Pacing.awaitNanoTime(start + sample * TimeUnit.SECONDS.toNanos(3));
                if (sample == 11) {
                    writing.set(false);
                    writers.shutdown();
                    writers.awaitTermination(30, TimeUnit.SECONDS);
                }
                long total = written.sum();
                System.gc();
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf(Locale.ROOT, "t=%4.0f s  %s  %,8d records/s  records written %,11d  heap used %,6d MiB%n",
                        seconds, writing.get() ? "writing" : "idle   ", (total - before) / 3, total,
                        memory.getHeapMemoryUsage().getUsed() / (1024 * 1024));
                before = total;
            }
            kinesis.deleteStream(b -> b.streamName(stream));
            System.out.println();
        } finally {
            faults.clear();
        }
    }

    private String activeStream(int shards) {
        String stream = "bench-" + shards + "-" + UUID.randomUUID().toString().substring(0, 6);
        kinesis.createStream(b -> b.streamName(stream).shardCount(shards));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> kinesis.describeStreamSummary(b -> b.streamName(stream))
                .streamDescriptionSummary().streamStatus() == StreamStatus.ACTIVE);
        return stream;
    }

    /** Runs the loop on every thread for the duration. */
    private Rate run(Duration duration, ThreadLoop loop) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<Long>> results = new ArrayList<>();
        long cpuStart = processCpuNanos();
        long jitStart = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
        long start = System.nanoTime();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            results.add(pool.submit(() -> loop.run(thread).apply(running)));
        }
        Pacing.awaitNanoTime(start + duration.toNanos()); // the measured period
        running.set(false);
        long records = 0;
        for (Future<Long> f : results) {
            records += f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuMicros = (processCpuNanos() - cpuStart) / 1e3;
        double jitSeconds = (ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - jitStart) / 1e3;
        pool.shutdown();
        return new Rate(records / seconds, cpuMicros / records, jitSeconds);
    }

    private static long processCpuNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    @FunctionalInterface
    private interface ThreadLoop {
        Counter run(int thread) throws Exception;
    }

    @FunctionalInterface
    private interface Counter {
        long apply(AtomicBoolean running) throws Exception;
    }

    private Counter putLoop(String stream, int thread) {
        List<PutRecordsRequest> requests = requests(stream, thread);
        return running -> {
            long records = 0;
            for (int i = 0; running.get(); i++) {
                int failed = kinesis.putRecords(requests.get(i % requests.size())).failedRecordCount();
                records += BATCH - failed;
            }
            return records;
        };
    }

    /** Each thread reads one shard from its oldest record on, starting over whenever it catches up. */
    private Counter getLoop(String stream, int shards, int thread) {
        String shardId = String.format(Locale.ROOT, "shardId-%012d", thread % shards);
        Callable<String> horizon = () -> kinesis.getShardIterator(b -> b.streamName(stream).shardId(shardId)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        return running -> {
            long records = 0;
            String iterator = horizon.call();
            while (running.get()) {
                String current = iterator;
                GetRecordsResponse page = kinesis.getRecords(b -> b.shardIterator(current).limit(10000));
                records += page.records().size();
                iterator = page.records().isEmpty() ? horizon.call() : page.nextShardIterator();
            }
            return records;
        };
    }

    /** Ten distinct PutRecords requests per thread: 100 clicks each, random partition keys. */
    private static List<PutRecordsRequest> requests(String stream, int thread) {
        Random random = new Random(thread);
        List<PutRecordsRequest> requests = new ArrayList<>();
        for (int r = 0; r < 10; r++) {
            List<PutRecordsRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < BATCH; i++) {
                String click = String.format(Locale.ROOT, "{\"page\":\"/products/%06d\",\"button\":\"add-to-cart\",\"user\":\"%s\","
                        + "\"ts\":%d,\"referrer\":\"https://www.example.com/search?q=shoes\",\"session\":\"%016x\"}",
                        random.nextInt(1_000_000), new UUID(random.nextLong(), random.nextLong()), 1_700_000_000_000L + i,
                        random.nextLong());
                entries.add(PutRecordsRequestEntry.builder()
                        .partitionKey(Long.toHexString(random.nextLong()))
                        .data(SdkBytes.fromString(click, StandardCharsets.UTF_8))
                        .build());
            }
            requests.add(PutRecordsRequest.builder().streamName(stream).records(entries).build());
        }
        return requests;
    }
}
