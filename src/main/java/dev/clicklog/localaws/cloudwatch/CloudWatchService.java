package dev.clicklog.localaws.cloudwatch;

import static dev.clicklog.localaws.cloudwatch.CloudWatchErrors.INVALID_PARAMETER_COMBINATION;
import static dev.clicklog.localaws.cloudwatch.CloudWatchErrors.INVALID_PARAMETER_VALUE;
import static dev.clicklog.localaws.cloudwatch.CloudWatchErrors.LIMIT_EXCEEDED;
import static dev.clicklog.localaws.cloudwatch.CloudWatchErrors.VALIDATION_ERROR;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import dev.clicklog.localaws.cloudwatch.CloudWatchErrors.Problems;
import dev.clicklog.localaws.spi.MetricId;
import dev.clicklog.localaws.cloudwatch.MetricStore.Stats;
import dev.clicklog.localaws.cloudwatch.Statistic.Bucket;
import dev.clicklog.localaws.protocol.AwsServiceException;

/**
 * CloudWatch's metric operations over the {@link MetricStore}: validation as CloudWatch does it, and
 * statistics per period computed from the store's 1-minute aggregates. Plain Java; the wire shapes
 * are the handler's business. Every request is validated whole before anything is recorded.
 */
@ApplicationScoped
public class CloudWatchService {

    static final int MAX_QUERIES = 500;
    static final int MAX_STATISTICS_DATAPOINTS = 1440;
    static final int DEFAULT_MAX_DATAPOINTS = 100_800;
    static final int LIST_METRICS_PAGE = 500;
    static final int MAX_METRIC_DATA = 1000;
    static final int MAX_DIMENSIONS = 30;
    static final int MAX_DIMENSION_FILTERS = 10;
    static final int MAX_VALUES = 150;
    static final int MAX_EXPRESSION = 2048;
    static final List<String> UNITS = List.of("Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes",
            "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent",
            "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
            "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second",
            "None");
    static final String SCAN_DESCENDING = "TimestampDescending";
    static final String SCAN_ASCENDING = "TimestampAscending";

    private static final Pattern QUERY_ID = Pattern.compile("[a-z][a-zA-Z0-9_]{0,254}");
    private static final long MINUTE_MS = 60_000;
    /** CloudWatch rounds StartTime down to the minute, 5 minutes or the hour, by its age. */
    private static final Duration ONE_MINUTE_DATA = Duration.ofDays(15);
    private static final Duration FIVE_MINUTE_DATA = Duration.ofDays(63);
    private static final Duration RECENTLY_ACTIVE = Duration.ofHours(3);
    /** PutMetricData accepts timestamps from two weeks ago to two hours ahead. */
    private static final Duration OLDEST_PUT = Duration.ofDays(14);
    private static final Duration NEWEST_PUT = Duration.ofHours(2);
    /** CloudWatch rejects values outside ±2^360. */
    private static final double VALUE_LIMIT = Math.pow(2, 360);

    // ---- Request and result shapes. A path is the query-style name CloudWatch's messages use. ----

    /** A dimension as sent; name or value may be missing. */
    public record Dimension(String path, String name, String value) {
    }

    public record Metric(String path, String namespace, String metricName, List<Dimension> dimensions) {
    }

    public record MetricStat(String path, Metric metric, Integer period, String stat, String unit) {
    }

    public record MetricDataQuery(String path, String id, MetricStat metricStat, String expression, String label,
            Boolean returnData) {
    }

    /** A null list means the parameter was not sent. */
    public record GetMetricDataRequest(List<MetricDataQuery> queries, Instant startTime, Instant endTime,
            String nextToken, String scanBy, Integer maxDatapoints) {
    }

    public record MetricDataResult(String id, String label, List<Instant> timestamps, List<Double> values,
            String statusCode) {
    }

    public record GetMetricDataResult(List<MetricDataResult> results, String nextToken) {
    }

    public record GetMetricStatisticsRequest(String namespace, String metricName, List<Dimension> dimensions,
            Instant startTime, Instant endTime, Integer period, List<String> statistics,
            List<String> extendedStatistics, String unit) {
    }

    /** One period's statistics, in the order they were asked for. */
    public record StatisticsDatapoint(Instant timestamp, Map<Statistic, Double> values, String unit) {
    }

    public record GetMetricStatisticsResult(String label, List<StatisticsDatapoint> datapoints) {
    }

    public record ListMetricsRequest(String namespace, String metricName, List<Dimension> dimensions,
            String nextToken, String recentlyActive) {
    }

    public record ListMetricsResult(List<MetricId> metrics, String nextToken) {
    }

    public record StatisticSet(String path, Double sampleCount, Double sum, Double minimum, Double maximum) {
    }

    public record MetricDatum(String path, String metricName, List<Dimension> dimensions, Instant timestamp,
            Double value, StatisticSet statisticValues, List<Double> values, List<Double> counts, String unit,
            Integer storageResolution) {
    }

    public record PutMetricDataRequest(String namespace, List<MetricDatum> metricData) {
    }

    private final MetricStore store;

    CloudWatchService(MetricStore store) {
        this.store = store;
    }

    // ---- GetMetricData ----

    public GetMetricDataResult getMetricData(GetMetricDataRequest r) {
        Problems p = new Problems();
        if (r.queries() == null) {
            p.missing("MetricDataQueries");
        }
        if (r.startTime() == null) {
            p.missing("StartTime");
        }
        if (r.endTime() == null) {
            p.missing("EndTime");
        }
        p.throwIfAny();
        if (r.queries().size() > MAX_QUERIES) {
            throw AwsServiceException.badRequest(LIMIT_EXCEEDED,
                    "The collection MetricDataQueries must not have a size greater than " + MAX_QUERIES + ".");
        }
        Set<String> ids = new HashSet<>();
        Map<String, MetricMath.Node> expressions = new HashMap<>();
        for (MetricDataQuery q : r.queries()) {
            validate(q, ids, expressions, p);
        }
        validateReferences(r.queries(), expressions, p);
        checkTimeRange(r.startTime(), r.endTime(), VALIDATION_ERROR, p);
        if (r.scanBy() != null && !r.scanBy().equals(SCAN_ASCENDING) && !r.scanBy().equals(SCAN_DESCENDING)) {
            p.add(VALIDATION_ERROR, "The value " + r.scanBy() + " for parameter ScanBy is not valid.");
        }
        if (r.maxDatapoints() != null && r.maxDatapoints() < 1) {
            p.add(VALIDATION_ERROR, "The value " + r.maxDatapoints() + " for parameter MaxDatapoints is not valid.");
        }
        p.throwIfAny();
        int[] cursor = decodeCursor(r.nextToken(), r.queries().size());

        Instant start = alignStart(r.startTime(), Instant.now());
        boolean ascending = SCAN_ASCENDING.equals(r.scanBy());
        long budget = r.maxDatapoints() != null ? r.maxDatapoints() : DEFAULT_MAX_DATAPOINTS;
        Evaluation evaluation = new Evaluation(r.queries(), expressions, start, r.endTime());
        List<MetricDataResult> results = new ArrayList<>();
        String next = null;
        for (int i = cursor[0]; i < r.queries().size(); i++) {
            MetricDataQuery q = r.queries().get(i);
            if (Boolean.FALSE.equals(q.returnData())) {
                continue;
            }
            if (budget == 0) {
                next = encodeCursor(i, 0);
                break;
            }
            List<Map.Entry<Instant, Double>> points = new ArrayList<>(
                    (ascending ? evaluation.series(q.id()) : evaluation.series(q.id()).descendingMap()).entrySet());
            int from = i == cursor[0] ? Math.min(cursor[1], points.size()) : 0;
            int to = (int) Math.min(points.size(), from + budget);
            List<Instant> timestamps = new ArrayList<>(to - from);
            List<Double> values = new ArrayList<>(to - from);
            for (Map.Entry<Instant, Double> point : points.subList(from, to)) {
                timestamps.add(point.getKey());
                values.add(point.getValue());
            }
            budget -= to - from;
            boolean partial = to < points.size();
            String label = q.label() != null ? q.label()
                    : q.metricStat() != null ? q.metricStat().metric().metricName() : q.id();
            results.add(new MetricDataResult(q.id(), label, timestamps, values, partial ? "PartialData" : "Complete"));
            if (partial) {
                next = encodeCursor(i, to);
                break;
            }
        }
        return new GetMetricDataResult(results, next);
    }

    private static void validate(MetricDataQuery q, Set<String> ids, Map<String, MetricMath.Node> expressions, Problems p) {
        if (q.id() == null) {
            p.missing(q.path() + ".Id");
        } else if (!QUERY_ID.matcher(q.id()).matches()) {
            p.add(VALIDATION_ERROR, "The value " + q.id() + " for parameter " + q.path()
                    + ".Id is not valid. It must start with a lowercase letter and contain only letters, numbers and underscores.");
        } else if (!ids.add(q.id())) {
            p.add(VALIDATION_ERROR, "The value " + q.id() + " for parameter " + q.path() + ".Id is not unique.");
        }
        if ((q.metricStat() == null) == (q.expression() == null)) {
            p.add(VALIDATION_ERROR, "Exactly one of MetricStat and Expression must be specified for " + q.path() + ".");
        } else if (q.expression() != null) {
            try {
                if (q.expression().length() > MAX_EXPRESSION) {
                    throw new MetricMath.InvalidExpression("longer than " + MAX_EXPRESSION + " characters");
                }
                MetricMath.Node node = MetricMath.parse(q.expression());
                if (q.id() != null) {
                    expressions.put(q.id(), node);
                }
            } catch (MetricMath.InvalidExpression e) {
                invalidExpression(q, e.getMessage(), p);
            }
        } else {
            validate(q.metricStat(), p);
        }
    }

    private static void invalidExpression(MetricDataQuery q, String reason, Problems p) {
        p.add(VALIDATION_ERROR, "The value for parameter " + q.path() + ".Expression is not valid: " + reason + ".");
    }

    /** Every Id an expression names must exist, an expression needs a metric, and none may depend on itself. */
    private static void validateReferences(List<MetricDataQuery> queries, Map<String, MetricMath.Node> expressions,
            Problems p) {
        Set<String> ids = new HashSet<>();
        queries.forEach(q -> ids.add(q.id()));
        for (MetricDataQuery q : queries) {
            MetricMath.Node node = q.id() == null ? null : expressions.get(q.id());
            if (node == null || q.expression() == null) {
                continue;
            }
            Set<String> refs = MetricMath.references(node);
            if (refs.isEmpty()) {
                invalidExpression(q, "it must refer to at least one metric or expression Id", p);
            }
            for (String ref : refs) {
                if (!ids.contains(ref)) {
                    invalidExpression(q, "unknown Id " + ref, p);
                }
            }
            if (dependsOn(q.id(), q.id(), expressions, new HashSet<>())) {
                invalidExpression(q, "it refers to itself, directly or through other expressions", p);
            }
        }
    }

    private static boolean dependsOn(String id, String target, Map<String, MetricMath.Node> expressions, Set<String> seen) {
        MetricMath.Node node = expressions.get(id);
        if (node == null || !seen.add(id)) {
            return false;
        }
        for (String ref : MetricMath.references(node)) {
            if (ref.equals(target) || dependsOn(ref, target, expressions, seen)) {
                return true;
            }
        }
        return false;
    }

    private static void validate(MetricStat s, Problems p) {
        if (s.metric() == null) {
            p.missing(s.path() + ".Metric");
        } else {
            validateDimensions(s.metric().path() + ".Dimensions", s.metric().dimensions(), VALIDATION_ERROR, p);
        }
        if (s.period() == null) {
            p.missing(s.path() + ".Period");
        } else if (!standardPeriod(s.period())) {
            p.add(VALIDATION_ERROR, "The value " + s.period() + " for parameter " + s.path()
                    + ".Period is not valid. The period must be a multiple of 60: metrics here have standard (1-minute) resolution.");
        }
        if (s.stat() == null) {
            p.missing(s.path() + ".Stat");
        } else if (Statistic.named(s.stat()) == null) {
            p.add(VALIDATION_ERROR, "The value " + s.stat() + " for parameter " + s.path() + ".Stat is "
                    + (Statistic.sampleBased(s.stat()) ? sampleBasedUnavailable() : "not a valid statistic."));
        }
        if (s.unit() != null && !UNITS.contains(s.unit())) {
            p.add(VALIDATION_ERROR, "The value " + s.unit() + " for parameter " + s.path() + ".Unit is not valid.");
        }
    }

    /** The values of each query of one GetMetricData request, computed once and only when needed. */
    private final class Evaluation {
        private final Map<String, MetricDataQuery> byId = new HashMap<>();
        private final Map<String, MetricMath.Node> expressions;
        private final Instant start;
        private final Instant end;
        private final Map<String, NavigableMap<Instant, Double>> computed = new HashMap<>();

        Evaluation(List<MetricDataQuery> queries, Map<String, MetricMath.Node> expressions, Instant start, Instant end) {
            queries.forEach(q -> byId.put(q.id(), q));
            this.expressions = expressions;
            this.start = start;
            this.end = end;
        }

        NavigableMap<Instant, Double> series(String id) {
            NavigableMap<Instant, Double> values = computed.get(id);
            if (values != null) {
                return values;
            }
            MetricStat stat = byId.get(id).metricStat();
            if (stat != null) {
                Statistic statistic = Statistic.named(stat.stat());
                values = new TreeMap<>();
                for (Bucket b : buckets(metricId(stat.metric()), start, end, stat.period(), stat.unit())) {
                    values.put(b.timestamp(), statistic.of(b));
                }
            } else {
                values = MetricMath.evaluate(expressions.get(id), this::series);
            }
            computed.put(id, values);
            return values;
        }
    }

    private static String sampleBasedUnavailable() {
        return "not available: percentiles and other sample-based statistics need the raw samples, "
                + "and this endpoint keeps only per-minute sums, counts, minimums and maximums.";
    }

    /** The page position: [query index, datapoints of that query already returned]. */
    private static int[] decodeCursor(String token, int queries) {
        if (token == null) {
            return new int[] { 0, 0 };
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split(":");
            int query = Integer.parseInt(parts[1]);
            int offset = Integer.parseInt(parts[2]);
            if (parts.length == 3 && parts[0].equals("gmd") && query >= 0 && query < queries && offset >= 0) {
                return new int[] { query, offset };
            }
        } catch (RuntimeException e) {
            // not one of our tokens: answered below
        }
        throw CloudWatchErrors.invalidNextToken();
    }

    private static String encodeCursor(int query, int offset) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("gmd:" + query + ":" + offset).getBytes(StandardCharsets.UTF_8));
    }

    // ---- GetMetricStatistics ----

    public GetMetricStatisticsResult getMetricStatistics(GetMetricStatisticsRequest r) {
        Problems p = new Problems();
        if (r.namespace() == null) {
            p.missing("Namespace");
        }
        if (r.metricName() == null) {
            p.missing("MetricName");
        }
        if (r.startTime() == null) {
            p.missing("StartTime");
        }
        if (r.endTime() == null) {
            p.missing("EndTime");
        }
        if (r.period() == null) {
            p.missing("Period");
        }
        if (r.statistics().isEmpty() && r.extendedStatistics().isEmpty()) {
            p.missing("Statistics");
        }
        validateDimensions("Dimensions", r.dimensions(), INVALID_PARAMETER_VALUE, p);
        p.throwIfAny();
        if (r.statistics().size() > 5) {
            p.add(INVALID_PARAMETER_VALUE, "The collection Statistics must not have a size greater than 5.");
        }
        for (int i = 0; i < r.statistics().size(); i++) {
            if (Statistic.named(r.statistics().get(i)) == null) {
                p.add(INVALID_PARAMETER_VALUE, "The parameter Statistics.member." + (i + 1) + " must be a value in the set "
                        + Statistic.SET + ".");
            }
        }
        if (!r.extendedStatistics().isEmpty()) {
            p.add(INVALID_PARAMETER_VALUE, "The parameter ExtendedStatistics is " + sampleBasedUnavailable());
        }
        if (r.period() < 1) {
            p.add(INVALID_PARAMETER_VALUE, "The parameter Period must be greater than 0.");
        } else if (!standardPeriod(r.period())) {
            p.add(INVALID_PARAMETER_VALUE, "The parameter Period must be a multiple of 60.");
        }
        if (r.unit() != null && !UNITS.contains(r.unit())) {
            p.add(INVALID_PARAMETER_VALUE, "The parameter Unit must be a value in the set [ " + String.join(", ", UNITS) + " ].");
        }
        checkTimeRange(r.startTime(), r.endTime(), INVALID_PARAMETER_VALUE, p);
        p.throwIfAny();

        Instant start = alignStart(r.startTime(), Instant.now());
        long periodMs = r.period() * 1000L;
        long span = r.endTime().toEpochMilli() - start.toEpochMilli();
        long requested = (span + periodMs - 1) / periodMs;
        if (requested > MAX_STATISTICS_DATAPOINTS) {
            throw AwsServiceException.badRequest(INVALID_PARAMETER_COMBINATION, "You have requested up to " + requested
                    + " datapoints, which exceeds the limit of " + MAX_STATISTICS_DATAPOINTS
                    + ". You may reduce the datapoints requested by increasing Period, or decreasing the time range.");
        }
        MetricId id = MetricId.of(r.namespace(), r.metricName(), dimensionMap(r.dimensions()));
        List<StatisticsDatapoint> datapoints = new ArrayList<>();
        for (Bucket b : buckets(id, start, r.endTime(), r.period(), r.unit())) {
            Map<Statistic, Double> values = new EnumMap<>(Statistic.class);
            r.statistics().forEach(s -> values.put(Statistic.named(s), Statistic.named(s).of(b)));
            datapoints.add(new StatisticsDatapoint(b.timestamp(), values, b.unit()));
        }
        return new GetMetricStatisticsResult(r.metricName(), datapoints);
    }

    // ---- ListMetrics ----

    public ListMetricsResult listMetrics(ListMetricsRequest r) {
        Problems p = new Problems();
        for (Dimension d : r.dimensions()) {
            if (d.name() == null) {
                p.missing(d.path() + ".Name");
            }
        }
        if (r.dimensions().size() > MAX_DIMENSION_FILTERS) {
            p.add(INVALID_PARAMETER_VALUE,
                    "The collection Dimensions must not have a size greater than " + MAX_DIMENSION_FILTERS + ".");
        }
        if (r.recentlyActive() != null && !r.recentlyActive().equals("PT3H")) {
            p.add(INVALID_PARAMETER_VALUE, "The parameter RecentlyActive must be a value in the set [ PT3H ].");
        }
        p.throwIfAny();
        String after = null;
        if (r.nextToken() != null) {
            try {
                after = new String(Base64.getUrlDecoder().decode(r.nextToken()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw CloudWatchErrors.invalidNextToken();
            }
            if (!after.startsWith("lm\u0001")) {
                throw CloudWatchErrors.invalidNextToken();
            }
        }
        long activeSince = Math.floorDiv(Instant.now().minus(RECENTLY_ACTIVE).toEpochMilli(), MINUTE_MS) * MINUTE_MS;
        List<MetricId> matching = new ArrayList<>();
        for (MetricId id : store.metrics()) {
            if (matches(id, r) && (after == null || sortKey(id).compareTo(after) > 0)
                    && (r.recentlyActive() == null || recentlyActive(id, activeSince))) {
                matching.add(id);
            }
        }
        matching.sort(Comparator.comparing(CloudWatchService::sortKey));
        if (matching.size() <= LIST_METRICS_PAGE) {
            return new ListMetricsResult(matching, null);
        }
        List<MetricId> page = List.copyOf(matching.subList(0, LIST_METRICS_PAGE));
        String token = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(sortKey(page.get(page.size() - 1)).getBytes(StandardCharsets.UTF_8));
        return new ListMetricsResult(page, token);
    }

    private boolean recentlyActive(MetricId id, long since) {
        Instant last = store.lastMinute(id);
        return last != null && last.toEpochMilli() >= since;
    }

    private static boolean matches(MetricId id, ListMetricsRequest r) {
        if (r.namespace() != null && !r.namespace().equals(id.namespace())) {
            return false;
        }
        if (r.metricName() != null && !r.metricName().equals(id.metricName())) {
            return false;
        }
        for (Dimension filter : r.dimensions()) {
            String value = id.dimensions().get(filter.name());
            if (value == null || (filter.value() != null && !filter.value().equals(value))) {
                return false;
            }
        }
        return true;
    }

    /** A total order over metrics that a NextToken can carry: the last metric of the page. */
    private static String sortKey(MetricId id) {
        StringBuilder key = new StringBuilder("lm\u0001").append(id.namespace()).append('\u0001').append(id.metricName());
        id.dimensions().forEach((k, v) -> key.append('\u0001').append(k).append('\u0002').append(v));
        return key.toString();
    }

    // ---- PutMetricData ----

    public void putMetricData(PutMetricDataRequest r) {
        Problems p = new Problems();
        if (r.namespace() == null) {
            p.missing("Namespace");
        }
        if (r.metricData() == null) {
            p.missing("MetricData");
        }
        p.throwIfAny();
        if (r.namespace().isEmpty() || r.namespace().length() > 255 || r.namespace().startsWith(":")
                || r.namespace().startsWith("AWS/")) {
            p.add(INVALID_PARAMETER_VALUE, "The value " + r.namespace() + " for parameter Namespace is invalid.");
        }
        if (r.metricData().size() > MAX_METRIC_DATA) {
            p.add(INVALID_PARAMETER_VALUE,
                    "The collection MetricData must not have a size greater than " + MAX_METRIC_DATA + ".");
        }
        Instant now = Instant.now();
        for (MetricDatum d : r.metricData()) {
            validate(d, now, p);
        }
        p.throwIfAny();
        for (MetricDatum d : r.metricData()) {
            MetricId id = MetricId.of(r.namespace(), d.metricName(), dimensionMap(d.dimensions()));
            Instant at = d.timestamp() != null ? d.timestamp() : now;
            if (d.value() != null) {
                store.record(id, d.value(), d.unit(), at);
            } else if (d.statisticValues() != null) {
                StatisticSet s = d.statisticValues();
                store.recordStatistics(id, s.sum(), s.sampleCount(), s.minimum(), s.maximum(), d.unit(), at);
            } else {
                for (int i = 0; i < d.values().size(); i++) {
                    double v = d.values().get(i);
                    double count = d.counts().isEmpty() ? 1 : d.counts().get(i);
                    if (count > 0) {
                        store.recordStatistics(id, v * count, count, v, v, d.unit(), at);
                    }
                }
            }
        }
        // Acknowledged means durable: the data goes to the log now, not with the next periodic flush.
        store.flush();
    }

    private static void validate(MetricDatum d, Instant now, Problems p) {
        String path = d.path();
        if (d.metricName() == null) {
            p.missing(path + ".MetricName");
        }
        validateDimensions(path + ".Dimensions", d.dimensions(), INVALID_PARAMETER_VALUE, p);
        boolean hasValues = !d.values().isEmpty();
        if (d.value() == null && d.statisticValues() == null && !hasValues) {
            p.missing(path + ".Value");
        }
        if (d.value() != null && d.statisticValues() != null) {
            exclusive(path, "Value", "StatisticValues", p);
        }
        if (d.value() != null && hasValues) {
            exclusive(path, "Value", "Values", p);
        }
        if (d.statisticValues() != null && hasValues) {
            exclusive(path, "StatisticValues", "Values", p);
        }
        checkValue(path + ".Value", d.value(), p);
        if (d.statisticValues() != null) {
            validate(d.statisticValues(), p);
        }
        if (d.values().size() > MAX_VALUES) {
            p.add(INVALID_PARAMETER_VALUE, "The collection " + path + ".Values must not have a size greater than " + MAX_VALUES + ".");
        }
        if (!d.counts().isEmpty() && d.counts().size() != d.values().size()) {
            p.add(INVALID_PARAMETER_VALUE, "The parameters " + path + ".Values and " + path
                    + ".Counts must be of the same size.");
        }
        for (int i = 0; i < d.values().size(); i++) {
            checkValue(path + ".Values.member." + (i + 1), d.values().get(i), p);
        }
        for (int i = 0; i < d.counts().size(); i++) {
            double c = d.counts().get(i);
            if (!Double.isFinite(c) || c < 0) {
                p.add(INVALID_PARAMETER_VALUE, "The value " + c + " for parameter " + path + ".Counts.member." + (i + 1) + " is invalid.");
            }
        }
        if (d.unit() != null && !UNITS.contains(d.unit())) {
            p.add(INVALID_PARAMETER_VALUE, "The parameter " + path + ".Unit must be a value in the set [ "
                    + String.join(", ", UNITS) + " ].");
        }
        if (d.storageResolution() != null && d.storageResolution() != 1 && d.storageResolution() != 60) {
            p.add(INVALID_PARAMETER_VALUE, "The parameter " + path + ".StorageResolution must be a value in the set [ 1, 60 ].");
        }
        if (d.timestamp() != null && d.timestamp().isBefore(now.minus(OLDEST_PUT))) {
            p.add(INVALID_PARAMETER_VALUE, "The parameter " + path + ".Timestamp must specify a time within the past two weeks.");
        } else if (d.timestamp() != null && d.timestamp().isAfter(now.plus(NEWEST_PUT))) {
            p.add(INVALID_PARAMETER_VALUE, "The parameter " + path
                    + ".Timestamp must specify a time no more than two hours in the future.");
        }
    }

    private static void validate(StatisticSet s, Problems p) {
        String path = s.path();
        Map<String, Double> members = new LinkedHashMap<>();
        members.put("SampleCount", s.sampleCount());
        members.put("Sum", s.sum());
        members.put("Minimum", s.minimum());
        members.put("Maximum", s.maximum());
        members.forEach((name, value) -> {
            if (value == null) {
                p.missing(path + "." + name);
            } else {
                checkValue(path + "." + name, value, p);
            }
        });
        if (s.sampleCount() != null && s.sampleCount() <= 0) {
            p.add(INVALID_PARAMETER_VALUE, "The parameter " + path + ".SampleCount must be greater than 0.");
        }
        if (s.minimum() != null && s.maximum() != null && s.minimum() > s.maximum()) {
            p.add(INVALID_PARAMETER_VALUE, "The parameter " + path + ".Minimum must not be greater than " + path + ".Maximum.");
        }
    }

    private static void exclusive(String path, String a, String b, Problems p) {
        p.add(INVALID_PARAMETER_COMBINATION, "The parameters " + path + "." + a + " and " + path + "." + b
                + " are mutually exclusive and you have specified both.");
    }

    private static void checkValue(String path, Double value, Problems p) {
        if (value != null && (!Double.isFinite(value) || Math.abs(value) > VALUE_LIMIT)) {
            p.add(INVALID_PARAMETER_VALUE, "The value " + value + " for parameter " + path + " is invalid.");
        }
    }

    // ---- Shared ----

    private static void validateDimensions(String path, List<Dimension> dimensions, String code, Problems p) {
        if (dimensions.size() > MAX_DIMENSIONS) {
            p.add(code, "The collection " + path + " must not have a size greater than " + MAX_DIMENSIONS + ".");
        }
        for (Dimension d : dimensions) {
            if (d.name() == null) {
                p.missing(d.path() + ".Name");
            }
            if (d.value() == null) {
                p.missing(d.path() + ".Value");
            }
        }
    }

    private static void checkTimeRange(Instant start, Instant end, String code, Problems p) {
        if (start.equals(end)) {
            p.add(code, "The parameter StartTime must not equal parameter EndTime.");
        } else if (start.isAfter(end)) {
            p.add(code, "The parameter StartTime must be less than the parameter EndTime.");
        }
    }

    /** Standard-resolution periods: whole minutes, the only resolution the store keeps. */
    private static boolean standardPeriod(int period) {
        return period >= 60 && period % 60 == 0;
    }

    private static MetricId metricId(Metric m) {
        return MetricId.of(m.namespace(), m.metricName(), dimensionMap(m.dimensions()));
    }

    private static Map<String, String> dimensionMap(List<Dimension> dimensions) {
        Map<String, String> map = new LinkedHashMap<>();
        dimensions.forEach(d -> map.put(d.name(), d.value()));
        return map;
    }

    /**
     * CloudWatch's rounding of StartTime: down to the minute for data under 15 days old, to 5 minutes
     * under 63 days, to the hour beyond. Periods are counted from the rounded start.
     */
    static Instant alignStart(Instant start, Instant now) {
        Duration age = Duration.between(start, now);
        long unit = age.compareTo(FIVE_MINUTE_DATA) > 0 ? 3_600_000 : age.compareTo(ONE_MINUTE_DATA) > 0 ? 300_000 : MINUTE_MS;
        return Instant.ofEpochMilli(Math.floorDiv(start.toEpochMilli(), unit) * unit);
    }

    /**
     * The periods of [start, end) that have data, oldest first; a missing period is absent, not zero.
     * Reads only the minutes of the range (the store's series are sorted maps).
     */
    private List<Bucket> buckets(MetricId metric, Instant start, Instant end, int period, String unit) {
        List<Bucket> out = new ArrayList<>();
        long origin = start.toEpochMilli();
        long periodMs = period * 1000L;
        long current = -1;
        double sum = 0;
        double count = 0;
        double min = 0;
        double max = 0;
        String bucketUnit = null;
        for (MetricStore.Datapoint minute : store.query(metric, start, end)) {
            Stats s = minute.aggregate().stats();
            String minuteUnit = s.unit() != null ? s.unit() : "None";
            if (unit != null && !unit.equals(minuteUnit)) {
                continue;
            }
            long index = (minute.minute().toEpochMilli() - origin) / periodMs;
            if (index != current) {
                if (current >= 0) {
                    out.add(new Bucket(Instant.ofEpochMilli(origin + current * periodMs), sum, count, min, max, bucketUnit));
                }
                current = index;
                sum = 0;
                count = 0;
                min = Double.POSITIVE_INFINITY;
                max = Double.NEGATIVE_INFINITY;
            }
            sum += s.sum();
            count += s.sampleCount();
            min = Math.min(min, s.minimum());
            max = Math.max(max, s.maximum());
            bucketUnit = minuteUnit;
        }
        if (current >= 0) {
            out.add(new Bucket(Instant.ofEpochMilli(origin + current * periodMs), sum, count, min, max, bucketUnit));
        }
        return out;
    }
}
