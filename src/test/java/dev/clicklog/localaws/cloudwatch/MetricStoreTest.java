package dev.clicklog.localaws.cloudwatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import dev.clicklog.localaws.spi.MetricId;
import dev.clicklog.localaws.cloudwatch.MetricStore.Stats;

/** The store's arithmetic, its behaviour under concurrent recording, and its retention. */
class MetricStoreTest {

    private final MetricStore store = new MetricStore();
    private final Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    private final MetricId incoming = MetricId.of("AWS/Kinesis", "IncomingRecords", Map.of("StreamName", "s"));

    private Stats only(MetricId id, Instant at) {
        List<MetricStore.Datapoint> points = store.query(id, at, at.plusSeconds(60));
        assertEquals(1, points.size());
        return points.get(0).aggregate().stats();
    }

    @Test
    void aBatchValueIsOneSampleForMinimumAndMaximum() {
        store.record(incoming, 100, 1, "Count", minute);
        store.record(incoming, 1, 1, "Count", minute.plusSeconds(10));
        store.record(incoming, 500, 1, "Count", minute.plusSeconds(59));
        Stats s = only(incoming, minute);
        assertEquals(601, s.sum());
        assertEquals(3, s.sampleCount());
        assertEquals(1, s.minimum());
        assertEquals(500, s.maximum());
        assertEquals("Count", s.unit());
    }

    @Test
    void statisticSetsKeepTheirOwnMinimumAndMaximum() {
        store.recordStatistics(incoming, 30, 3, 2, 20, "Count", minute);
        store.record(incoming, 7, "Count", minute);
        Stats s = only(incoming, minute);
        assertEquals(37, s.sum());
        assertEquals(4, s.sampleCount());
        assertEquals(2, s.minimum());
        assertEquals(20, s.maximum());
    }

    @Test
    void concurrentRecordingLosesNothingEvenWhileTrimming() throws Exception {
        int threads = 8;
        int perThread = 20_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean done = new AtomicBoolean();
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                writers.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        // Each thread also writes a metric of its own, created and trimmed while others write.
                        store.record(incoming, i % 100, 1, "Count", minute.plusMillis(i % 60_000));
                        store.record(MetricId.of("Test", "PerThread", Map.of("T", "" + thread)), 1, "Count", minute);
                    }
                    return null;
                }));
            }
            Future<?> trimmer = pool.submit(() -> {
                start.await();
                while (!done.get()) {
                    store.trim(Instant.now());
                }
                return null;
            });
            start.countDown();
            for (Future<?> w : writers) {
                w.get();
            }
            done.set(true);
            trimmer.get();
        } finally {
            pool.shutdownNow();
        }
        Stats s = only(incoming, minute);
        assertEquals((double) threads * perThread, s.sampleCount());
        assertEquals((double) threads * (perThread / 100) * (99 * 100 / 2), s.sum());
        assertEquals(0, s.minimum());
        assertEquals(99, s.maximum());
        for (int t = 0; t < threads; t++) {
            assertEquals(perThread, only(MetricId.of("Test", "PerThread", Map.of("T", "" + t)), minute).sampleCount());
        }
    }

    @Test
    void trimDropsWhatCloudWatchNoLongerKeeps() {
        Instant now = Instant.now();
        MetricId old = MetricId.of("AWS/Firehose", "DeliveryToS3.Records", Map.of("DeliveryStreamName", "d"));
        store.record(old, 1, "Count", now.minus(Duration.ofDays(16)));
        store.record(incoming, 1, "Count", now.minus(Duration.ofDays(16)));
        store.record(incoming, 2, "Count", now.minus(Duration.ofDays(14)));
        store.trim(now);
        assertNull(store.lastMinute(old));
        assertTrue(!store.metrics().contains(old));
        assertEquals(List.of(incoming), store.metrics());
        assertEquals(1, store.query(incoming, now.minus(Duration.ofDays(20)), now).size());
    }
}
