package dev.clicklog.localaws.cloudwatch;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.clicklog.localaws.spi.MetricId;
import dev.clicklog.localaws.spi.MetricSink;
import io.quarkus.scheduler.Scheduled;

/**
 * The metrics localaws records about itself (AWS/Kinesis, AWS/Firehose, AWS/ApiGateway), kept as
 * 1-minute aggregates like CloudWatch's standard resolution, for CloudWatch's query operations.
 * Recording is on the request path of every service, so it is a map lookup and a short lock.
 */
@ApplicationScoped
public class MetricStore implements MetricSink {

    /** CloudWatch keeps 1-minute datapoints for 15 days. */
    static final Duration RETENTION = Duration.ofDays(15);
    private static final long MINUTE_MS = 60_000;

    /** Sum, count, minimum and maximum of the values recorded in one minute. */
    public static final class Aggregate {
        private double sum;
        // A double because a statistic set (PutMetricData StatisticValues) may carry any SampleCount.
        private double count;
        private double min = Double.POSITIVE_INFINITY;
        private double max = Double.NEGATIVE_INFINITY;
        private String unit;

        synchronized void add(double sum, double samples, double minimum, double maximum, String unit) {
            this.sum += sum;
            count += samples;
            min = Math.min(min, minimum);
            max = Math.max(max, maximum);
            if (unit != null) {
                this.unit = unit;
            }
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
            m.computeIfAbsent(minute, t -> new Aggregate()).add(sum, samples, minimum, maximum, unit);
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
        long cutoff = now.minus(RETENTION).toEpochMilli();
        for (MetricId id : series.keySet()) {
            series.computeIfPresent(id, (k, minutes) -> {
                minutes.headMap(cutoff).clear();
                return minutes.isEmpty() ? null : minutes;
            });
        }
    }

    @Scheduled(every = "10m", delayed = "10m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void trimExpired() {
        trim(Instant.now());
    }
}
