package dev.clicklog.portal.web.ui;

import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/** Metric values as people read them, by CloudWatch unit: 1.2k, 3.4 MB, 120 ms, 98.5 %. */
final class Units {

    private static final String[] BYTES = { "B", "KB", "MB", "GB", "TB" };

    /**
     * How the labels of a chart's axis read: all in one unit, the one that suits its largest value
     * (0 s, 0.5 s, 1 s — not 0 ms, 500 ms, 1 s). {@code scale} is that unit in the series' own.
     */
    record Axis(double scale, String suffix) {

        String label(double v) {
            DecimalFormat decimals = new DecimalFormat("#,##0.###", DecimalFormatSymbols.getInstance(Locale.ROOT));
            return decimals.format(v / scale) + suffix;
        }
    }

    private Units() {
    }

    /** The axis of values up to {@code max} in this CloudWatch unit. */
    static Axis axis(double max, String unit) {
        return switch (unit == null ? "" : unit) {
            case "Bytes" -> {
                int i = 0;
                double scale = 1;
                while (max / scale >= 1024 && i < BYTES.length - 1) {
                    scale *= 1024;
                    i++;
                }
                yield new Axis(scale, " " + BYTES[i]);
            }
            case "Milliseconds" -> max >= 1000 ? new Axis(1000, " s") : new Axis(1, " ms");
            case "Seconds" -> max >= 120 ? new Axis(60, " min") : new Axis(1, " s");
            case "None" -> new Axis(0.01, " %");
            default -> max >= 1_000_000 ? new Axis(1_000_000, "M") : max >= 10_000 ? new Axis(1000, "k") : new Axis(1, "");
        };
    }

    static String format(double v, String unit) {
        return switch (unit == null ? "" : unit) {
            case "Bytes" -> bytes(v);
            case "Milliseconds" -> v >= 1000 ? number(v / 1000) + " s" : number(v) + " ms";
            case "Seconds" -> v >= 120 ? number(v / 60) + " min" : number(v) + " s";
            case "None" -> number(v * 100) + " %";
            default -> count(v);
        };
    }

    static String bytes(double v) {
        int i = 0;
        while (Math.abs(v) >= 1024 && i < BYTES.length - 1) {
            v /= 1024;
            i++;
        }
        return number(v) + " " + BYTES[i];
    }

    static String count(double v) {
        if (Math.abs(v) >= 1_000_000) {
            return number(v / 1_000_000) + "M";
        }
        if (Math.abs(v) >= 10_000) {
            return number(v / 1000) + "k";
        }
        return number(v);
    }

    /** At most one decimal, none when the value is whole. */
    private static String number(double v) {
        double rounded = Math.round(v * 10) / 10.0;
        if (rounded == Math.rint(rounded)) {
            return String.format(Locale.ROOT, "%,d", (long) rounded);
        }
        return String.format(Locale.ROOT, "%,.1f", rounded);
    }
}
