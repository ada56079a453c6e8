package dev.clicklog.portal.observe;

import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The time ranges the metrics can be shown over, each with a CloudWatch period that gives a chart
 * between 15 and 100 points.
 */
public enum MetricsWindow {
    M15("15m", Duration.ofMinutes(15), Duration.ofMinutes(1)),
    H1("1h", Duration.ofHours(1), Duration.ofMinutes(1)),
    H3("3h", Duration.ofHours(3), Duration.ofMinutes(5)),
    H24("24h", Duration.ofHours(24), Duration.ofMinutes(15));

    public static final MetricsWindow DEFAULT = H1;

    private final String label;
    private final Duration length;
    private final Duration period;

    MetricsWindow(String label, Duration length, Duration period) {
        this.label = label;
        this.length = length;
        this.period = period;
    }

    /** The window a query parameter names ({@code 15m}, {@code 1h}, {@code 3h}, {@code 24h}); the default when absent. */
    public static MetricsWindow parse(String parameter, String raw) {
        if (raw == null || raw.isBlank()) {
            return DEFAULT;
        }
        return Arrays.stream(values()).filter(w -> w.label.equals(raw.strip())).findFirst()
                .orElseThrow(() -> ObserveException.invalid(parameter, "must be one of " + labels()));
    }

    public static String labels() {
        return Arrays.stream(values()).map(MetricsWindow::label).collect(Collectors.joining(", "));
    }

    public String label() {
        return label;
    }

    public Duration length() {
        return length;
    }

    public Duration period() {
        return period;
    }

    /** The points of a series over this window. */
    public int points() {
        return (int) (length.toSeconds() / period.toSeconds());
    }
}
