package dev.clicklog.localaws.cloudwatch;

import java.time.Instant;
import java.util.Arrays;
import java.util.regex.Pattern;

/** CloudWatch's basic statistics, computed from a period's sum, count, minimum and maximum. */
enum Statistic {
    SampleCount, Average, Sum, Minimum, Maximum;

    /**
     * Statistics CloudWatch knows but that need the samples themselves (percentiles, trimmed and
     * winsorized means, percentile ranks, IQM); the store keeps only per-minute aggregates.
     */
    private static final Pattern SAMPLE_BASED = Pattern.compile(
            "(?i)(p\\d+(\\.\\d+)?|(tm|wm|tc|ts)\\d+(\\.\\d+)?|(tm|wm|tc|ts|pr)\\(.*\\)|iqm)");

    static final String SET = "[ " + String.join(", ", Arrays.stream(values()).map(Enum::name).toList()) + " ]";

    double of(Bucket bucket) {
        return switch (this) {
            case SampleCount -> bucket.sampleCount();
            case Average -> bucket.sum() / bucket.sampleCount();
            case Sum -> bucket.sum();
            case Minimum -> bucket.minimum();
            case Maximum -> bucket.maximum();
        };
    }

    /** The statistic of that exact name, or null. */
    static Statistic named(String name) {
        for (Statistic s : values()) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }

    static boolean sampleBased(String name) {
        return SAMPLE_BASED.matcher(name).matches();
    }

    /** One period's aggregate of a metric: the datapoint the statistics are computed from. */
    record Bucket(Instant timestamp, double sum, double sampleCount, double minimum, double maximum,
            String unit) {
    }
}
