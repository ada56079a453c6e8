package dev.clicklog.localaws.cloudwatch;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.clicklog.localaws.spi.MetricId;
import dev.clicklog.localaws.spi.MetricSink;
import dev.clicklog.localaws.storage.Journal;
import dev.clicklog.localaws.storage.Storage;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;

/**
 * The metrics localaws records about itself (AWS/Kinesis, AWS/Firehose, AWS/ApiGateway) and those
 * PutMetricData brings, kept as 1-minute aggregates like CloudWatch's standard resolution, for
 * CloudWatch's query operations. Recording is on the request path of every service, so it is a map
 * lookup and a short lock.
 *
 * <p>Durable through the {@code cloudwatch} journal, written behind: a recording marks its minute
 * dirty, and {@link #flush()} logs each dirty minute's aggregate as it now is, every second and at
 * the end of every PutMetricData (whose answer then waits for the log like any other). Minutes
 * are logged whole, so replay puts back exactly the last logged aggregate, and a crash loses at
 * most the last second of the metrics services record about themselves.
 */
@ApplicationScoped
@Startup(Storage.REGISTER_PRIORITY)
public class MetricStore implements MetricSink {

    /** CloudWatch keeps 1-minute datapoints for 15 days. */
    static final Duration RETENTION = Duration.ofDays(15);
    private static final long MINUTE_MS = 60_000;

    /** Sum, count, minimum and maximum of the values recorded in one minute. */
    public static final class Aggregate {
        private final MetricId metric;
        private final long minute;
        private double sum;
        // A double because a statistic set (PutMetricData StatisticValues) may carry any SampleCount.
        private double count;
        private double min = Double.POSITIVE_INFINITY;
        private double max = Double.NEGATIVE_INFINITY;
        private String unit;
        /** Changed since it was last logged. */
        private boolean dirty;

        Aggregate(MetricId metric, long minute) {
            this.metric = metric;
            this.minute = minute;
        }

        /** Adds to the aggregate; true when this made it dirty (it was clean before). */
        synchronized boolean add(double sum, double samples, double minimum, double maximum, String unit) {
            this.sum += sum;
            count += samples;
            min = Math.min(min, minimum);
            max = Math.max(max, maximum);
            if (unit != null) {
                this.unit = unit;
            }
            boolean wasClean = !dirty;
            dirty = true;
            return wasClean;
        }

        /** The aggregate as it is, marked clean: it is being logged. */
        synchronized MetricChange.Minute logged() {
            dirty = false;
            return change();
        }

        synchronized MetricChange.Minute change() {
            return new MetricChange.Minute(metric, minute, sum, count, min, max, unit);
        }

        synchronized void set(MetricChange.Minute m) {
            sum = m.sum();
            count = m.sampleCount();
            min = m.minimum();
            max = m.maximum();
            unit = m.unit();
        }

        public synchronized double sum() {
            return sum;
        }

        public synchronized long sampleCount() {
            return Math.round(count);
        }

        public synchronized double minimum() {
            return min;
        }

        public synchronized double maximum() {
            return max;
        }

        public synchronized String unit() {
            return unit;
        }

        /** All fields read under one lock, so a concurrent recording cannot tear them apart. */
        public synchronized Stats stats() {
            return new Stats(sum, count, min, max, unit);
        }
    }

    /** A consistent copy of one minute's aggregate; unit is null when none was recorded. */
    public record Stats(double sum, double sampleCount, double minimum, double maximum, String unit) {
    }

    /** A minute's aggregate and the minute it belongs to. */
    public record Datapoint(Instant minute, Aggregate aggregate) {
    }

    private final ConcurrentHashMap<MetricId, ConcurrentSkipListMap<Long, Aggregate>> series = new ConcurrentHashMap<>();
    /** Minutes changed since they were last logged; empty when nothing is logged (durability memory). */
    private final ConcurrentLinkedQueue<Aggregate> dirty = new ConcurrentLinkedQueue<>();
    /** Held while logging; the journal's monitor. */
    private final Object flushLock = new Object();
    private final Journal<MetricChange> journal;
    private final boolean logged;

    @Inject
    MetricStore(Storage storage) {
        this.journal = storage.journal(MetricChange.STORE, new MetricChange.MetricCodec(), flushLock, this::apply, out -> {
            long cutoff = cutoff(Instant.now());
            series.values().forEach(minutes -> minutes.tailMap(cutoff).values().forEach(a -> out.accept(a.change())));
        });
        this.logged = journal.persistent();
        journal.beforeClose(this::flush);
    }

    /** A store that keeps nothing across restarts (tests of its arithmetic). */
    MetricStore() {
        this(Storage.memory(Path.of(System.getProperty("java.io.tmpdir"), "localaws-metrics")));
    }

    private void apply(MetricChange change) {
        if (change instanceof MetricChange.Minute m && m.minute() >= cutoff(Instant.now())) {
            series.computeIfAbsent(m.metric(), k -> new ConcurrentSkipListMap<>())
                    .computeIfAbsent(m.minute(), t -> new Aggregate(m.metric(), t)).set(m);
        }
    }

    /**
     * Logs every minute changed since the last flush, as it now is. Every second, and by
     * PutMetricData before it answers.
     */
    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void flush() {
        if (!logged || dirty.isEmpty()) {
            return;
        }
        synchronized (flushLock) {
            for (Aggregate a = dirty.poll(); a != null; a = dirty.poll()) {
                journal.append(a.logged());
            }
        }
    }

    /** Records one sample (e.g. one request's latency). */
    @Override
    public void record(MetricId metric, double value, String unit, Instant at) {
        record(metric, value, 1, unit, at);
    }

    /**
     * Records a value standing for {@code samples} samples at once, e.g. IncomingRecords of a
     * PutRecords call (value 100, one sample), as AWS counts per call. The value is both the
     * minimum and the maximum: it is one observation, however many samples it stands for.
     */
    public void record(MetricId metric, double value, long samples, String unit, Instant at) {
        record(metric, value, samples, value, value, unit, at);
    }

    /** Records a statistic set (sum, sample count, minimum, maximum), as PutMetricData's StatisticValues. */
    public void recordStatistics(MetricId metric, double sum, double samples, double minimum, double maximum, String unit,
            Instant at) {
        record(metric, sum, samples, minimum, maximum, unit, at);
    }

    private void record(MetricId metric, double sum, double samples, double minimum, double maximum, String unit,
            Instant at) {
        long minute = Math.floorDiv(at.toEpochMilli(), MINUTE_MS) * MINUTE_MS;
        // Inside compute, so that trim cannot drop a series between its lookup and this write.
        series.compute(metric, (k, minutes) -> {
            ConcurrentSkipListMap<Long, Aggregate> m = minutes != null ? minutes : new ConcurrentSkipListMap<>();
            Aggregate aggregate = m.computeIfAbsent(minute, t -> new Aggregate(metric, t));
            if (aggregate.add(sum, samples, minimum, maximum, unit) && logged) {
                dirty.add(aggregate);
            }
            return m;
        });
    }

    /** The minutes of [start, end) that have data, oldest first. */
    public List<Datapoint> query(MetricId metric, Instant start, Instant end) {
        ConcurrentSkipListMap<Long, Aggregate> minutes = series.get(metric);
        List<Datapoint> out = new ArrayList<>();
        if (minutes == null) {
            return out;
        }
        NavigableMap<Long, Aggregate> range = minutes.subMap(start.toEpochMilli(), true, end.toEpochMilli(), false);
        range.forEach((minute, agg) -> out.add(new Datapoint(Instant.ofEpochMilli(minute), agg)));
        return out;
    }

    /** Every metric with data, for ListMetrics. */
    public List<MetricId> metrics() {
        return new ArrayList<>(series.keySet());
    }

    /** The latest minute with data of the metric, or null when it has none. */
    public Instant lastMinute(MetricId metric) {
        ConcurrentSkipListMap<Long, Aggregate> minutes = series.get(metric);
        Map.Entry<Long, Aggregate> last = minutes == null ? null : minutes.lastEntry();
        return last == null ? null : Instant.ofEpochMilli(last.getKey());
    }

    /** Drops minutes older than CloudWatch's retention, so memory stays bounded. */
    public void trim(Instant now) {
        long cutoff = cutoff(now);
        for (MetricId id : series.keySet()) {
            series.computeIfPresent(id, (k, minutes) -> {
                minutes.headMap(cutoff).clear();
                return minutes.isEmpty() ? null : minutes;
            });
        }
    }

    private static long cutoff(Instant now) {
        return now.minus(RETENTION).toEpochMilli();
    }

    @Scheduled(every = "10m", delayed = "10m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void trimExpired() {
        trim(Instant.now());
    }
}
