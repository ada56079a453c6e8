package dev.clicklog.portal.web.ui;

import java.util.ArrayList;
import java.util.List;

import dev.clicklog.portal.observe.MetricPoint;

/**
 * Clicks per minute as the bars of a small SVG chart (attributes only: the page's CSP allows no
 * inline style), with each minute's value also as text for keyboards, touch and screen readers.
 */
public record ActivityBars(List<Bar> bars, long max, long total) {

    public static final int WIDTH = 300;
    public static final int HEIGHT = 60;

    /** One minute: its bar's place and height in the chart, its time and count. */
    public record Bar(int x, int y, int width, int height, MetricPoint point, long clicks) {
    }

    static ActivityBars of(List<MetricPoint> points) {
        long max = 0;
        long total = 0;
        for (MetricPoint p : points) {
            long v = p.v() == null ? 0 : Math.round(p.v());
            max = Math.max(max, v);
            total += v;
        }
        List<Bar> bars = new ArrayList<>();
        int n = Math.max(1, points.size());
        int slot = WIDTH / n;
        for (int i = 0; i < points.size(); i++) {
            MetricPoint p = points.get(i);
            long v = p.v() == null ? 0 : Math.round(p.v());
            int h = max == 0 ? 0 : (int) Math.max(v > 0 ? 2 : 0, Math.round((double) v / max * (HEIGHT - 2)));
            bars.add(new Bar(i * slot + 1, HEIGHT - h, Math.max(1, slot - 2), h, p, v));
        }
        return new ActivityBars(bars, max, total);
    }
}
