package dev.clicklog.portal.web.ui;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import dev.clicklog.portal.observe.MetricPoint;
import dev.clicklog.portal.observe.MetricSeries;
import dev.clicklog.portal.observe.PipelineMetrics;

/**
 * One metric series laid out as an inline SVG chart: bars for counts (Sum), a line for the other
 * statistics, a missing datapoint left as a gap (a zero is drawn: a hairline bar, a point on the
 * axis), with labelled axes, each in one unit. Only geometry and text are computed here; the template draws them.
 */
public record SvgChart(
        String id,
        String title,
        String unit,
        /** One sentence for the chart's heading and for screen readers: the total, or the latest value. */
        String summary,
        boolean empty,
        boolean bars,
        List<Tick> yTicks,
        List<Tick> xTicks,
        List<Bar> barShapes,
        List<String> lines,
        List<Point> points) {

    public static final int WIDTH = 640;
    public static final int HEIGHT = 220;
    public static final int LEFT = 72;
    public static final int RIGHT = 12;
    public static final int TOP = 14;
    public static final int BOTTOM = 36;
    private static final int PLOT_WIDTH = WIDTH - LEFT - RIGHT;
    private static final int PLOT_HEIGHT = HEIGHT - TOP - BOTTOM;
    private static final int MAX_X_LABELS = 6;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /**
     * An axis label at {@code position} (x or y, in SVG units); {@code at} the time an x label
     * names, so the page can show it in the browser's zone too (null on the y axis).
     */
    public record Tick(double position, String label, Instant at) {

        Tick(double position, String label) {
            this(position, label, null);
        }
    }

    /** A bar; {@code tip} is what hovering it says. */
    public record Bar(double x, double y, double width, double height, String tip) {
    }

    /** A datapoint of a line chart. */
    public record Point(double x, double y, String tip) {
    }

    /** Charts of one AWS service's resource. */
    public record Group(String title, List<SvgChart> charts) {
    }

    public int width() {
        return WIDTH;
    }

    public int height() {
        return HEIGHT;
    }

    public int plotLeft() {
        return LEFT;
    }

    public int plotRight() {
        return WIDTH - RIGHT;
    }

    public int plotTop() {
        return TOP;
    }

    public int plotBottom() {
        return HEIGHT - BOTTOM;
    }

    public int yLabelX() {
        return LEFT - 8;
    }

    public int xTickEnd() {
        return HEIGHT - BOTTOM + 5;
    }

    /** The top of the time labels, which hang below the axis whatever their size. */
    public int xLabelY() {
        return HEIGHT - BOTTOM + 8;
    }

    public int centerX() {
        return LEFT + PLOT_WIDTH / 2;
    }

    public int centerY() {
        return TOP + PLOT_HEIGHT / 2;
    }

    /** The metrics' charts, grouped by the service that publishes them, in the order the metrics list them. */
    public static List<Group> groups(PipelineMetrics metrics) {
        Map<String, List<SvgChart>> groups = new LinkedHashMap<>();
        for (MetricSeries s : metrics.series()) {
            groups.computeIfAbsent(serviceTitle(s.namespace()), k -> new ArrayList<>())
                    .add(of(s, metrics.periodSeconds()));
        }
        return groups.entrySet().stream().map(e -> new Group(e.getKey(), List.copyOf(e.getValue()))).toList();
    }

    public static SvgChart of(MetricSeries series, int periodSeconds) {
        List<MetricPoint> points = series.points();
        int n = Math.max(1, points.size());
        double slot = (double) PLOT_WIDTH / n;
        String unit = series.unit();
        double max = points.stream().map(MetricPoint::v).filter(Objects::nonNull).mapToDouble(Double::doubleValue)
                .max().orElse(0);
        boolean empty = points.stream().allMatch(p -> p.v() == null);
        // Steps are round in the axis' unit: 1 KB, 2 KB rather than 0.98 KB; 0.5 s, 1 s rather than 0.48 s.
        Units.Axis axis = Units.axis(max, unit);
        double step = niceStep(max / axis.scale() / 4) * axis.scale();
        if ("None".equals(unit) && max <= 1) {
            step = 0.25;
        } else if ("Count".equals(unit)) {
            step = Math.max(1, step); // no half clicks on the axis
        }
        double top = Math.max(step, Math.ceil(max / step) * step);

        List<Tick> yTicks = new ArrayList<>();
        for (double v = 0; v <= top + step / 2; v += step) {
            yTicks.add(new Tick(y(v, top), axis.label(v)));
        }
        List<Tick> xTicks = new ArrayList<>();
        int every = Math.max(1, (int) Math.ceil((double) points.size() / MAX_X_LABELS));
        for (int i = 0; i < points.size(); i += every) {
            xTicks.add(new Tick(LEFT + i * slot, CLOCK.format(points.get(i).t()), points.get(i).t()));
        }

        boolean bars = "Sum".equals(series.stat());
        List<Bar> barShapes = new ArrayList<>();
        List<Point> dots = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < points.size(); i++) {
            MetricPoint p = points.get(i);
            if (p.v() == null) {
                flush(line, lines);
                continue;
            }
            String tip = CLOCK.format(p.t()) + "–" + CLOCK.format(p.t().plusSeconds(periodSeconds)) + " UTC: "
                    + Units.format(p.v(), unit);
            double y = y(p.v(), top);
            if (bars) {
                double height = Math.max(1, HEIGHT - BOTTOM - y);
                barShapes.add(new Bar(round(LEFT + i * slot + slot * 0.15), round(HEIGHT - BOTTOM - height),
                        round(slot * 0.7), round(height), tip));
            } else {
                double x = LEFT + (i + 0.5) * slot;
                line.append(line.isEmpty() ? "M" : " L").append(round(x)).append(' ').append(round(y));
                dots.add(new Point(round(x), round(y), tip));
            }
        }
        flush(line, lines);
        return new SvgChart(series.id(), series.label(), unit, summary(series, empty), empty, bars, yTicks, xTicks,
                barShapes, lines, dots);
    }

    /** A path of one point has no length; its dot shows it. */
    private static void flush(StringBuilder line, List<String> lines) {
        if (line.indexOf(" L") > 0) {
            lines.add(line.toString());
        }
        line.setLength(0);
    }

    private static String summary(MetricSeries s, boolean empty) {
        if (empty) {
            return "No datapoints in this window";
        }
        if (s.total() != null) {
            return "Total " + Units.format(s.total(), s.unit());
        }
        List<MetricPoint> points = s.points();
        for (int i = points.size() - 1; i >= 0; i--) {
            if (points.get(i).v() != null) {
                return "Latest " + Units.format(points.get(i).v(), s.unit()) + " at " + CLOCK.format(points.get(i).t())
                        + " UTC";
            }
        }
        return "";
    }

    private static double y(double value, double top) {
        return round(TOP + PLOT_HEIGHT - value / top * PLOT_HEIGHT);
    }

    /** 1, 2, 2.5 or 5 times a power of ten: at least {@code raw}. */
    static double niceStep(double raw) {
        if (raw <= 0) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] { 1, 2, 2.5, 5, 10 }) {
            if (m * magnitude >= raw) {
                return m * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static String serviceTitle(String namespace) {
        return switch (namespace) {
            case "AWS/ApiGateway" -> "API Gateway (ingest API)";
            case "AWS/Kinesis" -> "Kinesis (data stream)";
            case "AWS/Firehose" -> "Firehose (delivery to S3)";
            default -> namespace;
        };
    }
}
