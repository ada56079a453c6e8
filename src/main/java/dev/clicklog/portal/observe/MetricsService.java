package dev.clicklog.portal.observe;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import dev.clicklog.portal.adapter.AwsException;
import dev.clicklog.portal.adapter.EndpointCapabilities;
import dev.clicklog.portal.adapter.MetricsReader;
import dev.clicklog.portal.adapter.OptionalFeature;
import dev.clicklog.portal.pipeline.PipelineResources;
import dev.clicklog.portal.pipeline.PipelineStatus;
import dev.clicklog.portal.pipeline.PipelineView;

/**
 * A pipeline's metrics, as AWS publishes them for its API stage, stream and delivery stream, read
 * with one GetMetricData call (a query per series) and laid out on a fixed grid of periods so a
 * chart shows gaps as gaps.
 */
@ApplicationScoped
public class MetricsService {

    private static final String API_GATEWAY = "AWS/ApiGateway";
    private static final String KINESIS = "AWS/Kinesis";
    private static final String FIREHOSE = "AWS/Firehose";
    private static final String SUM = "Sum";
    private static final int MAX_QUERIES = MetricsReader.MAX_QUERIES;

    /** One series: which metric of which resource, and the statistic shown. */
    private record Definition(String id, String label, String namespace, String metric, String stat, String unit,
            Function<PipelineResources, Map<String, String>> dimensions) {
    }

    private static final List<Definition> DEFINITIONS = List.of(
            api("requests", "API requests", "Count", SUM, "Count"),
            api("errors4xx", "4XX errors", "4XXError", SUM, "Count"),
            api("errors5xx", "5XX errors", "5XXError", SUM, "Count"),
            api("latencyAvg", "Latency (average)", "Latency", "Average", "Milliseconds"),
            api("latencyMax", "Latency (maximum)", "Latency", "Maximum", "Milliseconds"),
            stream("incomingRecords", "Incoming records", "IncomingRecords", SUM, "Count"),
            stream("incomingBytes", "Incoming bytes", "IncomingBytes", SUM, "Bytes"),
            stream("iteratorAge", "Iterator age (maximum)", "GetRecords.IteratorAgeMilliseconds", "Maximum",
                    "Milliseconds"),
            stream("writeThrottles", "Write throttles", "WriteProvisionedThroughputExceeded", SUM, "Count"),
            delivery("deliveredRecords", "Records delivered to S3", "DeliveryToS3.Records", SUM, "Count"),
            delivery("deliveredBytes", "Bytes delivered to S3", "DeliveryToS3.Bytes", SUM, "Bytes"),
            delivery("deliverySuccess", "Delivery success (ratio)", "DeliveryToS3.Success", "Average", "None"),
            delivery("dataFreshness", "Data freshness (maximum)", "DeliveryToS3.DataFreshness", "Maximum", "Seconds"));

    private final MetricsReader cloudWatch;
    private final ReadyPipelines pipelines;
    private final EndpointCapabilities capabilities;

    MetricsService(MetricsReader cloudWatch, ReadyPipelines pipelines, EndpointCapabilities capabilities) {
        this.cloudWatch = cloudWatch;
        this.pipelines = pipelines;
        this.capabilities = capabilities;
    }

    /** The READY pipeline's series over the window, ending with the period under way now. */
    public PipelineMetrics metrics(String pipeline, MetricsWindow window) {
        PipelineView view = pipelines.get(pipeline);
        long period = window.period().toMillis();
        long end = end(window);
        long start = end - window.length().toMillis();
        List<Definition> defined = DEFINITIONS.stream()
                .filter(d -> !d.dimensions().apply(view.resources()).containsValue(null))
                .toList();
        Optional<Map<String, Double[]>> values = read(() -> query(defined, view.resources(), window, start, end));
        if (values.isEmpty()) {
            return new PipelineMetrics(view.name(), window.label(), (int) window.period().toSeconds(),
                    Instant.ofEpochMilli(start), Instant.ofEpochMilli(end), List.of(), false, unavailable());
        }
        List<MetricSeries> series = defined.stream()
                .map(d -> series(d, values.get().get(d.id()), start, period))
                .toList();
        return new PipelineMetrics(view.name(), window.label(), (int) window.period().toSeconds(),
                Instant.ofEpochMilli(start), Instant.ofEpochMilli(end), series, true, null);
    }

    /** Why the endpoint's metrics cannot be read, and what would help. */
    private String unavailable() {
        return capabilities.missing(OptionalFeature.METRICS)
                .map(m -> "this endpoint does not serve CloudWatch metrics: " + m.reason()
                        + (m.suggestion() == null ? "" : "; suggested setting: " + m.suggestion()))
                .orElse("this endpoint does not serve CloudWatch metrics");
    }

    /** Every series' value per period index; one request, paging through NextToken only if CloudWatch splits it. */
    private Map<String, Double[]> query(List<Definition> defined, PipelineResources resources, MetricsWindow window,
            long start, long end) {
        int points = window.points();
        int periodSeconds = (int) window.period().toSeconds();
        List<MetricsReader.Query> queries = defined.stream()
                .map(d -> metricQuery(d.id(), d, resources, periodSeconds))
                .toList();
        Map<String, Double[]> values = new HashMap<>();
        defined.forEach(d -> values.put(d.id(), new Double[points]));
        fetch(queries, start, end, r -> {
            Double[] series = values.get(r.id());
            for (int i = 0; series != null && i < r.timestamps().size(); i++) {
                long index = (r.timestamps().get(i).toEpochMilli() - start) / (window.period().toMillis());
                if (index >= 0 && index < points) {
                    series[(int) index] = r.values().get(i);
                }
            }
        });
        return values;
    }

    /**
     * The sum of one Sum series (e.g. {@code incomingRecords}) over the window, for each READY
     * pipeline given, by pipeline name: one GetMetricData call for up to 500 pipelines, so a list
     * of pipelines costs one call, not one per pipeline. A pipeline without any datapoint is absent.
     */
    public Map<String, Double> totals(String seriesId, List<PipelineView> views, MetricsWindow window) {
        Definition d = DEFINITIONS.stream().filter(def -> def.id().equals(seriesId) && SUM.equals(def.stat()))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no Sum series " + seriesId));
        List<PipelineView> observable = views.stream()
                .filter(v -> v.status() == PipelineStatus.READY)
                .filter(v -> !d.dimensions().apply(v.resources()).containsValue(null))
                .toList();
        long end = end(window);
        long start = end - window.length().toMillis();
        Map<String, Double> totals = new HashMap<>();
        if (!observable.isEmpty() && read(() -> sums(d, observable, window, start, end, totals)).isEmpty()) {
            throw ObserveException.unavailable(unavailable());
        }
        return totals;
    }

    /** Adds each pipeline's sum of the series to {@code totals}, up to 500 pipelines a call. */
    private Map<String, Double> sums(Definition d, List<PipelineView> observable, MetricsWindow window, long start,
            long end, Map<String, Double> totals) {
        for (int from = 0; from < observable.size(); from += MAX_QUERIES) {
            List<PipelineView> batch = observable.subList(from, Math.min(from + MAX_QUERIES, observable.size()));
            List<MetricsReader.Query> queries = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                queries.add(metricQuery("p" + i, d, batch.get(i).resources(), (int) window.period().toSeconds()));
            }
            fetch(queries, start, end, r -> {
                String name = batch.get(Integer.parseInt(r.id().substring(1))).name();
                r.values().forEach(v -> totals.merge(name, v, Double::sum));
            });
        }
        return totals;
    }

    /** The end of the window: the end of the period under way, aligned to the epoch so successive calls chart the same grid. */
    private static long end(MetricsWindow window) {
        long period = window.period().toMillis();
        return Math.floorDiv(System.currentTimeMillis(), period) * period + period;
    }

    private static MetricsReader.Query metricQuery(String id, Definition d, PipelineResources resources,
            int periodSeconds) {
        return new MetricsReader.Query(id, d.label(), d.namespace(), d.metric(), d.dimensions().apply(resources),
                d.stat(), periodSeconds);
    }

    /** Runs the queries over [start, end), handing each series to {@code results}. */
    private void fetch(List<MetricsReader.Query> queries, long start, long end, Consumer<MetricsReader.Series> results) {
        cloudWatch.read(queries, Instant.ofEpochMilli(start), Instant.ofEpochMilli(end), results);
    }

    /**
     * Reads the metrics unless the endpoint does not serve them (known, or revealed by this read):
     * then empty. Any other failure of CloudWatch is an upstream failure.
     */
    private <T> Optional<T> read(Supplier<T> read) {
        try {
            return capabilities.attempt(OptionalFeature.METRICS, read);
        } catch (AwsException e) {
            throw ObserveException.upstream("CloudWatch GetMetricData", e);
        }
    }

    private static MetricSeries series(Definition d, Double[] values, long start, long period) {
        List<MetricPoint> points = new ArrayList<>(values.length);
        for (int i = 0; i < values.length; i++) {
            points.add(new MetricPoint(Instant.ofEpochMilli(start + i * period), values[i]));
        }
        Double total = null;
        if (SUM.equals(d.stat())) {
            total = Arrays.stream(values).filter(v -> v != null).reduce(Double::sum).orElse(null);
        }
        return new MetricSeries(d.id(), d.label(), d.namespace(), d.metric(), d.stat(), d.unit(), points, total);
    }

    private static Definition api(String id, String label, String metric, String stat, String unit) {
        return new Definition(id, label, API_GATEWAY, metric, stat, unit, r -> dimensions("ApiName", r.apiName(),
                "Stage", r.stage()));
    }

    private static Definition stream(String id, String label, String metric, String stat, String unit) {
        return new Definition(id, label, KINESIS, metric, stat, unit, r -> dimensions("StreamName", r.streamName()));
    }

    private static Definition delivery(String id, String label, String metric, String stat, String unit) {
        return new Definition(id, label, FIREHOSE, metric, stat, unit,
                r -> dimensions("DeliveryStreamName", r.deliveryStreamName()));
    }

    /** Dimension names to values; a value may be null (the resource is unknown), which drops the series. */
    private static Map<String, String> dimensions(String... namesAndValues) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            out.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return out;
    }
}
