package dev.clicklog.portal.adapter;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;

import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;

/** Reading CloudWatch metrics: many series in one GetMetricData call, paging only if CloudWatch splits the answer. */
@ApplicationScoped
public class MetricsReader {

    /** GetMetricData's limit of queries per call. */
    public static final int MAX_QUERIES = 500;

    /** One series to read: a statistic of one metric over periods of {@code periodSeconds}. */
    public record Query(String id, String label, String namespace, String metric, Map<String, String> dimensions,
            String stat, int periodSeconds) {
    }

    /** The datapoints CloudWatch has for one query, oldest first; periods without data are absent. */
    public record Series(String id, List<Instant> timestamps, List<Double> values) {
    }

    private final CloudWatchClient cloudWatch;

    MetricsReader(CloudWatchClient cloudWatch) {
        this.cloudWatch = cloudWatch;
    }

    /** Runs the queries (at most {@link #MAX_QUERIES}) over [start, end), handing each series to {@code results}. */
    public void read(List<Query> queries, Instant start, Instant end, Consumer<Series> results) {
        List<MetricDataQuery> sdkQueries = queries.stream().map(MetricsReader::query).toList();
        String token = null;
        do {
            GetMetricDataRequest request = GetMetricDataRequest.builder()
                    .metricDataQueries(sdkQueries)
                    .startTime(start)
                    .endTime(end)
                    .scanBy(ScanBy.TIMESTAMP_ASCENDING)
                    .nextToken(token)
                    .build();
            GetMetricDataResponse response = AwsErrors.call(() -> cloudWatch.getMetricData(request));
            response.metricDataResults().forEach(r -> results.accept(new Series(r.id(), r.timestamps(), r.values())));
            token = response.nextToken();
        } while (token != null && !token.isEmpty());
    }

    private static MetricDataQuery query(Query q) {
        return MetricDataQuery.builder()
                .id(q.id())
                .label(q.label())
                .returnData(true)
                .metricStat(s -> s.period(q.periodSeconds()).stat(q.stat()).metric(m -> m.namespace(q.namespace())
                        .metricName(q.metric())
                        .dimensions(q.dimensions().entrySet().stream()
                                .map(e -> Dimension.builder().name(e.getKey()).value(e.getValue()).build())
                                .toList())))
                .build();
    }
}
