package dev.clicklog.web.ui;

import java.util.Locale;

/** Metric values as people read them, by CloudWatch unit: 1.2k, 3.4 MB, 120 ms, 98.5 %. */
final class Units {

    private Units() {
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
        String[] units = { "B", "KB", "MB", "GB", "TB" };
        int i = 0;
        while (Math.abs(v) >= 1024 && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        return number(v) + " " + units[i];
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
