package dev.clicklog.localaws.cloudwatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.clicklog.localaws.spi.MetricId;
import dev.clicklog.localaws.storage.Durability;
import dev.clicklog.localaws.storage.Storage;
import dev.clicklog.testing.DataDirs;

/**
 * CloudWatch's datapoints through the {@code cloudwatch} journal: what was flushed comes back
 * minute for minute after a restart (and after a checkpoint), a clean stop flushes what was still
 * only in memory, and datapoints older than CloudWatch's retention are not brought back.
 */
class MetricStoreDurabilityTest {

    @TempDir
    Path dir;

    private final List<Storage> opened = new ArrayList<>();
    private final Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    private final MetricId incoming = MetricId.of("AWS/Kinesis", "IncomingRecords", Map.of("StreamName", "clicks"));
    private final MetricId custom = MetricId.of("Shop", "Orders", Map.of());

    @AfterEach
    void close() {
        opened.forEach(Storage::close);
    }

    private MetricStore open(Path data) {
        Storage storage = new Storage(Storage.Settings.of(data, Durability.FSYNC));
        opened.add(storage);
        MetricStore store = new MetricStore(storage);
        storage.ready();
        return store;
    }

    private static List<MetricStore.Stats> stats(MetricStore store, MetricId id, Instant from, Instant to) {
        return store.query(id, from, to).stream().map(d -> d.aggregate().stats()).toList();
    }

    @Test
    void flushedMinutesComeBackExactly() {
        Path data = dir.resolve("data");
        MetricStore store = open(data);
        for (int i = 0; i < 5; i++) {
            store.record(incoming, 100 + i, 1, "Count", minute.minusSeconds(60L * i));
        }
        store.recordStatistics(custom, 30, 3, 2, 20, "Count", minute);
        store.flush();
        opened.get(0).checkpoint();
        // After the snapshot: more of a minute already logged, and a minute of its own.
        store.record(incoming, 7, 1, "Count", minute);
        store.record(custom, 1.5, "None", minute.plusSeconds(60));
        store.flush();
        List<MetricStore.Stats> incomingBefore = stats(store, incoming, minute.minusSeconds(600), minute.plusSeconds(120));
        List<MetricStore.Stats> customBefore = stats(store, custom, minute.minusSeconds(600), minute.plusSeconds(120));
        // A crash now: the copy of what is on disk is what the next start sees.
        opened.get(0).awaitDurable();
        Path crashed = DataDirs.crashCopy(data, dir.resolve("crashed"));

        MetricStore again = open(crashed);
        assertEquals(incomingBefore, stats(again, incoming, minute.minusSeconds(600), minute.plusSeconds(120)));
        assertEquals(customBefore, stats(again, custom, minute.minusSeconds(600), minute.plusSeconds(120)));
        assertEquals(5, incomingBefore.size());
    }

    @Test
    void aCleanStopFlushesWhatWasOnlyInMemory() {
        Path data = dir.resolve("data");
        MetricStore store = open(data);
        store.record(incoming, 42, 1, "Count", minute);
        // No flush: closing the storage runs the store's last flush.
        opened.get(0).close();

        MetricStore again = open(data);
        assertEquals(42, stats(again, incoming, minute, minute.plusSeconds(60)).get(0).sum());
    }

    @Test
    void minutesPastTheRetentionAreNotBroughtBack() {
        Path data = dir.resolve("data");
        MetricStore store = open(data);
        Instant old = minute.minus(MetricStore.RETENTION).minusSeconds(120);
        store.record(incoming, 1, 1, "Count", old);
        store.record(incoming, 2, 1, "Count", minute);
        opened.get(0).close();

        MetricStore again = open(data);
        assertTrue(again.query(incoming, old, old.plusSeconds(60)).isEmpty());
        assertEquals(1, again.query(incoming, minute, minute.plusSeconds(60)).size());
    }
}
