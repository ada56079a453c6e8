package dev.clicklog.portal.web.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.clicklog.portal.observe.MetricPoint;
import dev.clicklog.portal.observe.MetricSeries;

class SvgChartTest {

    private static final Instant START = Instant.parse("2025-01-31T12:00:00Z");

    @Test
    void aLineBreaksAtMissingDatapointsAndKeepsLonePoints() {
        SvgChart chart = SvgChart.of(series("Average", "Milliseconds", 10.0, 20.0, null, 30.0, null, 5.0, 15.0), 60);

        assertFalse(chart.bars());
        assertEquals(2, chart.lines().size(), "two runs of points, split by the gap: " + chart.lines());
        assertTrue(chart.lines().get(0).startsWith("M") && chart.lines().get(0).split(" L").length == 2);
        assertEquals(5, chart.points().size(), "every datapoint has its dot, the lone one included");
        assertEquals("12:03–12:04 UTC: 30 ms", chart.points().get(2).tip());
        assertEquals("Latest 15 ms at 12:06 UTC", chart.summary());
    }

    @Test
    void countsAreBarsWhereZeroIsDrawnAndAGapIsNot() {
        SvgChart chart = SvgChart.of(series("Sum", "Count", 4.0, 0.0, null, 2.0), 60);

        assertTrue(chart.bars());
        assertEquals(3, chart.barShapes().size(), "no bar for the missing period");
        SvgChart.Bar zero = chart.barShapes().get(1);
        assertEquals(1.0, zero.height(), "a zero is a hairline on the axis");
        assertEquals(chart.plotBottom(), zero.y() + zero.height(), 0.05);
        assertTrue(chart.barShapes().get(0).height() > chart.barShapes().get(2).height());
        assertEquals("Total 6", chart.summary());
        assertEquals(List.of("0", "1", "2", "3", "4"), labels(chart.yTicks()), "whole clicks on the axis");
    }

    @Test
    void axesAreLabelledInTheSeriesUnit() {
        SvgChart bytes = SvgChart.of(series("Sum", "Bytes", 1536.0, 3072.0), 300);
        assertEquals(List.of("0 KB", "1 KB", "2 KB", "3 KB"), labels(bytes.yTicks()));
        assertEquals(List.of("12:00"), labels(bytes.xTicks()).subList(0, 1));

        SvgChart ratio = SvgChart.of(series("Average", "None", 1.0, 0.5), 60);
        assertEquals(List.of("0 %", "25 %", "50 %", "75 %", "100 %"), labels(ratio.yTicks()));
    }

    @Test
    void eachAxisReadsInOneUnit() {
        SvgChart age = SvgChart.of(series("Maximum", "Milliseconds", 0.0, 1_200.0, 2_000.0), 60);
        assertEquals(List.of("0 s", "0.5 s", "1 s", "1.5 s", "2 s"), labels(age.yTicks()), "iterator age");
        SvgChart fast = SvgChart.of(series("Average", "Milliseconds", 12.0, 40.0), 60);
        assertEquals(List.of("0 ms", "10 ms", "20 ms", "30 ms", "40 ms"), labels(fast.yTicks()));
        SvgChart freshness = SvgChart.of(series("Maximum", "Seconds", 30.0, 290.0), 300);
        assertEquals(List.of("0 min", "2 min", "4 min", "6 min"), labels(freshness.yTicks()));
        SvgChart clicks = SvgChart.of(series("Sum", "Count", 3_000.0, 12_000.0), 60);
        assertEquals(List.of("0k", "5k", "10k", "15k"), labels(clicks.yTicks()));
        SvgChart megabytes = SvgChart.of(series("Sum", "Bytes", 300_000.0, 1.2 * 1024 * 1024), 60);
        assertEquals(List.of("0 MB", "0.5 MB", "1 MB", "1.5 MB"), labels(megabytes.yTicks()));
    }

    @Test
    void aSeriesWithoutDatapointsSaysSo() {
        SvgChart chart = SvgChart.of(series("Sum", "Count", null, null, null), 60);
        assertTrue(chart.empty());
        assertTrue(chart.barShapes().isEmpty());
        assertEquals("No datapoints in this window", chart.summary());
    }

    @Test
    void xLabelsAreThinnedToAFew() {
        Double[] values = new Double[96];
        SvgChart chart = SvgChart.of(series("Sum", "Count", values), 900);
        assertTrue(chart.xTicks().size() <= 6, labels(chart.xTicks()).toString());
        assertEquals("12:00", chart.xTicks().get(0).label());
    }

    private static MetricSeries series(String stat, String unit, Double... values) {
        List<MetricPoint> points = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            points.add(new MetricPoint(START.plusSeconds(60L * i), values[i]));
        }
        Double total = "Sum".equals(stat) ? Arrays.stream(values).filter(v -> v != null).reduce(Double::sum).orElse(null)
                : null;
        return new MetricSeries("s", "Series", "AWS/Kinesis", "M", stat, unit, points, total);
    }

    private static List<String> labels(List<SvgChart.Tick> ticks) {
        return ticks.stream().map(SvgChart.Tick::label).toList();
    }
}
