package dev.clicklog.localaws.cloudwatch;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import dev.clicklog.localaws.spi.MetricId;

/**
 * One metric recorded at known minutes of a fresh namespace, and the statistics CloudWatch gives for
 * them. Minutes (from {@link #base}, an hour boundary two hours ago):
 * <pre>
 *   m0: 10, 20   m1: 5   m2: –   m3: 100 (a PutRecords-style batch value, one sample)   m7: 1, 2, 3
 * </pre>
 * so with Period 60 the datapoints are m0, m1, m3, m7 (m2 is absent, not zero); with Period 300 two
 * periods (m0–m4: sum 135, count 4, min 5, max 100; m5–m9: sum 6, count 3, min 1, max 3); with Period
 * 3600 one (sum 141, count 7, min 1, max 100).
 */
final class KnownMetric {

    static final String METRIC = "Latency";
    static final String STAGE = "prod";

    final String namespace = "Test/" + UUID.randomUUID();
    final Instant base = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(2));
    final MetricId id = MetricId.of(namespace, METRIC, Map.of("Stage", STAGE));

    KnownMetric(MetricStore store) {
        store.record(id, 10, "Milliseconds", minute(0));
        store.record(id, 20, "Milliseconds", minute(0).plusSeconds(30));
        store.record(id, 5, "Milliseconds", minute(1).plusSeconds(59));
        store.record(id, 100, 1, "Milliseconds", minute(3));
        store.record(id, 1, "Milliseconds", minute(7));
        store.record(id, 2, "Milliseconds", minute(7).plusSeconds(1));
        store.record(id, 3, "Milliseconds", minute(7).plusSeconds(2));
        // Same name, other dimension value: must never leak into the queries above.
        store.record(MetricId.of(namespace, METRIC, Map.of("Stage", "beta")), 1000, "Milliseconds", minute(0));
    }

    Instant minute(int n) {
        return base.plusSeconds(60L * n);
    }

    /** [start, end) covering the ten minutes with data. */
    Instant end() {
        return minute(10);
    }
}
