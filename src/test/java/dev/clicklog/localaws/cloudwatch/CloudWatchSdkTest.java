package dev.clicklog.localaws.cloudwatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.clicklog.localaws.spi.MetricId;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.CloudWatchException;
import software.amazon.awssdk.services.cloudwatch.model.Datapoint;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.DimensionFilter;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricStatisticsResponse;
import software.amazon.awssdk.services.cloudwatch.model.InvalidNextTokenException;
import software.amazon.awssdk.services.cloudwatch.model.InvalidParameterCombinationException;
import software.amazon.awssdk.services.cloudwatch.model.InvalidParameterValueException;
import software.amazon.awssdk.services.cloudwatch.model.Metric;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.MissingRequiredParameterException;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.cloudwatch.model.StatisticSet;
import software.amazon.awssdk.services.cloudwatch.model.StatusCode;

/** CloudWatch through the Java SDK, which speaks Smithy RPC v2 CBOR to it. */
@QuarkusTest
class CloudWatchSdkTest {

    private static final List<Statistic> ALL = List.of(Statistic.SAMPLE_COUNT, Statistic.AVERAGE, Statistic.SUM,
            Statistic.MINIMUM, Statistic.MAXIMUM);

    @Inject
    CloudWatchClient cloudWatch;

    @Inject
    MetricStore store;

    private static MetricDataQuery query(KnownMetric m, String id, String stat, int period) {
        return MetricDataQuery.builder().id(id)
                .metricStat(s -> s.stat(stat).period(period).metric(metric(m)))
                .build();
    }

    private static Metric metric(KnownMetric m) {
        return Metric.builder().namespace(m.namespace).metricName(KnownMetric.METRIC)
                .dimensions(Dimension.builder().name("Stage").value(KnownMetric.STAGE).build()).build();
    }

    private GetMetricDataResponse getMetricData(KnownMetric m, ScanBy scanBy, MetricDataQuery... queries) {
        return cloudWatch.getMetricData(GetMetricDataRequest.builder().startTime(m.base).endTime(m.end())
                .scanBy(scanBy).metricDataQueries(queries).build());
    }

    private static Map<String, MetricDataResult> byId(GetMetricDataResponse response) {
        return response.metricDataResults().stream().collect(Collectors.toMap(MetricDataResult::id, r -> r));
    }

    @Test
    void everyStatisticPerMinuteWithTheMissingMinuteAbsent() {
        KnownMetric m = new KnownMetric(store);
        GetMetricDataResponse response = getMetricData(m, ScanBy.TIMESTAMP_ASCENDING,
                query(m, "sum", "Sum", 60), query(m, "avg", "Average", 60), query(m, "max", "Maximum", 60),
                query(m, "min", "Minimum", 60), query(m, "count", "SampleCount", 60));
        Map<String, MetricDataResult> results = byId(response);
        List<Instant> minutes = List.of(m.minute(0), m.minute(1), m.minute(3), m.minute(7));
        for (MetricDataResult r : results.values()) {
            assertEquals(minutes, r.timestamps(), r.id());
            assertEquals(StatusCode.COMPLETE, r.statusCode());
            assertEquals(KnownMetric.METRIC, r.label());
        }
        assertEquals(List.of(30.0, 5.0, 100.0, 6.0), results.get("sum").values());
        assertEquals(List.of(15.0, 5.0, 100.0, 2.0), results.get("avg").values());
        assertEquals(List.of(20.0, 5.0, 100.0, 3.0), results.get("max").values());
        assertEquals(List.of(10.0, 5.0, 100.0, 1.0), results.get("min").values());
        assertEquals(List.of(2.0, 1.0, 1.0, 3.0), results.get("count").values());
        assertNull(response.nextToken());
    }

    @Test
    void periodsOfFiveMinutesAndAnHourNewestFirstByDefault() {
        KnownMetric m = new KnownMetric(store);
        Map<String, MetricDataResult> results = byId(getMetricData(m, null,
                query(m, "sum5", "Sum", 300), query(m, "avg5", "Average", 300), query(m, "min5", "Minimum", 300),
                query(m, "sum60", "Sum", 3600), query(m, "max60", "Maximum", 3600),
                query(m, "count60", "SampleCount", 3600)));
        assertEquals(List.of(m.minute(5), m.minute(0)), results.get("sum5").timestamps());
        assertEquals(List.of(6.0, 135.0), results.get("sum5").values());
        assertEquals(List.of(2.0, 33.75), results.get("avg5").values());
        assertEquals(List.of(1.0, 5.0), results.get("min5").values());
        assertEquals(List.of(m.base), results.get("sum60").timestamps());
        assertEquals(List.of(141.0), results.get("sum60").values());
        assertEquals(List.of(100.0), results.get("max60").values());
        assertEquals(List.of(7.0), results.get("count60").values());
    }

    @Test
    void periodsAreCountedFromTheStartTimeRoundedDownToTheMinute() {
        KnownMetric m = new KnownMetric(store);
        GetMetricDataResponse response = cloudWatch.getMetricData(b -> b
                .startTime(m.minute(1).plusSeconds(25)).endTime(m.end()).scanBy(ScanBy.TIMESTAMP_ASCENDING)
                .metricDataQueries(query(m, "sum", "Sum", 300)));
        MetricDataResult r = response.metricDataResults().get(0);
        // Periods m1–m5 (m1, m3) and m6–m10 (m7); m0 is before the start.
        assertEquals(List.of(m.minute(1), m.minute(6)), r.timestamps());
        assertEquals(List.of(105.0, 6.0), r.values());
    }

    @Test
    void getMetricDataPagesByMaxDatapoints() {
        KnownMetric m = new KnownMetric(store);
        GetMetricDataRequest request = GetMetricDataRequest.builder().startTime(m.base).endTime(m.end())
                .scanBy(ScanBy.TIMESTAMP_ASCENDING).maxDatapoints(3)
                .metricDataQueries(query(m, "a", "Sum", 60), query(m, "b", "Maximum", 60),
                        MetricDataQuery.builder().id("hidden").returnData(false).metricStat(s -> s.stat("Sum").period(60).metric(metric(m))).build())
                .build();
        GetMetricDataResponse first = cloudWatch.getMetricData(request);
        assertEquals(1, first.metricDataResults().size());
        assertEquals(StatusCode.PARTIAL_DATA, first.metricDataResults().get(0).statusCode());
        assertEquals(List.of(30.0, 5.0, 100.0), first.metricDataResults().get(0).values());
        assertNotNull(first.nextToken());

        List<MetricDataResult> all = new ArrayList<>();
        cloudWatch.getMetricDataPaginator(request).forEach(page -> all.addAll(page.metricDataResults()));
        Map<String, List<Double>> values = new LinkedHashMap<>();
        all.forEach(r -> values.computeIfAbsent(r.id(), k -> new ArrayList<>()).addAll(r.values()));
        assertEquals(Map.of("a", List.of(30.0, 5.0, 100.0, 6.0), "b", List.of(20.0, 5.0, 100.0, 3.0)), values);
        assertEquals(StatusCode.COMPLETE, all.get(all.size() - 1).statusCode());
    }

    @Test
    void arithmeticExpressionsCombineQueriesAtEqualTimestamps() {
        KnownMetric m = new KnownMetric(store);
        MetricDataQuery sum = query(m, "sum", "Sum", 60).toBuilder().returnData(false).build();
        MetricDataQuery count = query(m, "count", "SampleCount", 60).toBuilder().returnData(false).build();
        MetricDataQuery max5 = query(m, "max5", "Maximum", 300).toBuilder().returnData(false).build();
        Map<String, MetricDataResult> results = byId(getMetricData(m, ScanBy.TIMESTAMP_ASCENDING, sum, count, max5,
                MetricDataQuery.builder().id("avg").expression("sum / count").build(),
                MetricDataQuery.builder().id("scaled").label("Scaled").expression("-(sum - 2) * 2 ^ 2 / (count * 0.5)").build(),
                MetricDataQuery.builder().id("both").expression("avg + max5").build()));
        assertEquals(Set.of("avg", "scaled", "both"), results.keySet());
        assertEquals(List.of(m.minute(0), m.minute(1), m.minute(3), m.minute(7)), results.get("avg").timestamps());
        assertEquals(List.of(15.0, 5.0, 100.0, 2.0), results.get("avg").values());
        assertEquals("avg", results.get("avg").label());
        assertEquals(List.of(-112.0, -24.0, -784.0, -16.0 / 1.5), results.get("scaled").values());
        assertEquals("Scaled", results.get("scaled").label());
        // Only m0 is a timestamp of both the 1-minute and the 5-minute series.
        assertEquals(List.of(m.minute(0)), results.get("both").timestamps());
        assertEquals(List.of(115.0), results.get("both").values());
    }

    @Test
    void getMetricStatisticsGivesTheAskedStatisticsPerPeriod() {
        KnownMetric m = new KnownMetric(store);
        GetMetricStatisticsResponse response = cloudWatch.getMetricStatistics(b -> b.namespace(m.namespace)
                .metricName(KnownMetric.METRIC).dimensions(d -> d.name("Stage").value(KnownMetric.STAGE))
                .startTime(m.base).endTime(m.end()).period(300).statistics(ALL));
        assertEquals(KnownMetric.METRIC, response.label());
        List<Datapoint> points = response.datapoints().stream().sorted(Comparator.comparing(Datapoint::timestamp)).toList();
        assertEquals(2, points.size());
        Datapoint first = points.get(0);
        assertEquals(m.base, first.timestamp());
        assertEquals(135.0, first.sum());
        assertEquals(33.75, first.average());
        assertEquals(4.0, first.sampleCount());
        assertEquals(5.0, first.minimum());
        assertEquals(100.0, first.maximum());
        assertEquals(StandardUnit.MILLISECONDS, first.unit());
        assertEquals(6.0, points.get(1).sum());

        GetMetricStatisticsResponse onlySum = cloudWatch.getMetricStatistics(b -> b.namespace(m.namespace)
                .metricName(KnownMetric.METRIC).dimensions(d -> d.name("Stage").value(KnownMetric.STAGE))
                .startTime(m.base).endTime(m.end()).period(3600).statistics(Statistic.SUM));
        assertEquals(141.0, onlySum.datapoints().get(0).sum());
        assertNull(onlySum.datapoints().get(0).average());
    }

    @Test
    void listMetricsFiltersByDimensionAndPagesByFiveHundred() {
        String namespace = "Test/" + UUID.randomUUID();
        Instant now = Instant.now();
        for (int i = 0; i < 501; i++) {
            store.record(MetricId.of(namespace, "Count", Map.of("ApiName", "api" + i, "Stage", i % 2 == 0 ? "prod" : "dev")), 1,
                    "Count", now);
        }
        store.record(MetricId.of(namespace, "Latency", Map.of("ApiName", "api0")), 1, "Milliseconds", now);

        var first = cloudWatch.listMetrics(b -> b.namespace(namespace));
        assertEquals(500, first.metrics().size());
        assertNotNull(first.nextToken());
        var second = cloudWatch.listMetrics(b -> b.namespace(namespace).nextToken(first.nextToken()));
        assertEquals(2, second.metrics().size());
        assertNull(second.nextToken());
        long viaPaginator = cloudWatch.listMetricsPaginator(b -> b.namespace(namespace)).metrics().stream().count();
        assertEquals(502, viaPaginator);

        var prod = cloudWatch.listMetrics(b -> b.namespace(namespace).metricName("Count")
                .dimensions(DimensionFilter.builder().name("Stage").value("prod").build()));
        assertEquals(251, prod.metrics().size());
        assertTrue(prod.metrics().stream().allMatch(x -> x.dimensions().contains(Dimension.builder().name("Stage").value("prod").build())));
        var withStage = cloudWatch.listMetrics(b -> b.namespace(namespace).recentlyActive("PT3H")
                .dimensions(DimensionFilter.builder().name("Stage").build()));
        assertEquals(500, withStage.metrics().size());
        assertNotNull(withStage.nextToken());
        var latency = cloudWatch.listMetrics(b -> b.namespace(namespace).metricName("Latency"));
        assertEquals(List.of(Dimension.builder().name("ApiName").value("api0").build()), latency.metrics().get(0).dimensions());

        var bad = assertThrows(InvalidNextTokenException.class,
                () -> cloudWatch.listMetrics(b -> b.namespace(namespace).nextToken("not-a-token")));
        assertEquals("InvalidNextToken", bad.awsErrorDetails().errorCode());
    }

    @Test
    void putMetricDataIsRecordedAndQueryable() {
        String namespace = "Custom/" + UUID.randomUUID();
        Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES).minusSeconds(600);
        cloudWatch.putMetricData(b -> b.namespace(namespace).metricData(
                d -> d.metricName("Jobs").timestamp(minute).value(4.0).unit(StandardUnit.COUNT),
                d -> d.metricName("Jobs").timestamp(minute.plusSeconds(5)).statisticValues(
                        StatisticSet.builder().sampleCount(3.0).sum(30.0).minimum(2.0).maximum(20.0).build()).unit(StandardUnit.COUNT),
                d -> d.metricName("Jobs").timestamp(minute.plusSeconds(10)).values(7.0, 1.0).counts(2.0, 1.0).unit(StandardUnit.COUNT)));
        Datapoint p = cloudWatch.getMetricStatistics(b -> b.namespace(namespace).metricName("Jobs")
                .startTime(minute).endTime(minute.plusSeconds(60)).period(60).statistics(ALL))
                .datapoints().get(0);
        assertEquals(4 + 30 + 15.0, p.sum());
        assertEquals(1 + 3 + 3.0, p.sampleCount());
        assertEquals(1.0, p.minimum());
        assertEquals(20.0, p.maximum());
        assertEquals(StandardUnit.COUNT, p.unit());
        assertEquals(List.of("Jobs"), cloudWatch.listMetrics(b -> b.namespace(namespace)).metrics().stream()
                .map(Metric::metricName).toList());

        var reserved = assertThrows(InvalidParameterValueException.class, () -> cloudWatch.putMetricData(b -> b
                .namespace("AWS/Kinesis").metricData(d -> d.metricName("IncomingRecords").value(1.0))));
        assertEquals("InvalidParameterValue", reserved.awsErrorDetails().errorCode());
        var both = assertThrows(InvalidParameterCombinationException.class, () -> cloudWatch.putMetricData(b -> b
                .namespace(namespace).metricData(d -> d.metricName("Other").value(1.0)
                        .statisticValues(StatisticSet.builder().sampleCount(1.0).sum(1.0).minimum(1.0).maximum(1.0).build()))));
        assertEquals("InvalidParameterCombination", both.awsErrorDetails().errorCode());
        var noValue = assertThrows(MissingRequiredParameterException.class, () -> cloudWatch.putMetricData(b -> b
                .namespace(namespace).metricData(d -> d.metricName("Other"))));
        assertEquals("The parameter MetricData.member.1.Value is required.", noValue.awsErrorDetails().errorMessage());
        // Nothing of the rejected requests was recorded.
        assertEquals(1, cloudWatch.listMetrics(b -> b.namespace(namespace)).metrics().size());
    }

    @Test
    void errorsCarryCloudWatchCodes() {
        KnownMetric m = new KnownMetric(store);
        var period = assertThrows(InvalidParameterValueException.class, () -> cloudWatch.getMetricStatistics(b -> b
                .namespace(m.namespace).metricName(KnownMetric.METRIC).startTime(m.base).endTime(m.end())
                .period(90).statistics(Statistic.SUM)));
        assertEquals("InvalidParameterValue", period.awsErrorDetails().errorCode());
        assertEquals("The parameter Period must be a multiple of 60.", period.awsErrorDetails().errorMessage());
        assertEquals(400, period.statusCode());

        var order = assertThrows(InvalidParameterValueException.class, () -> cloudWatch.getMetricStatistics(b -> b
                .namespace(m.namespace).metricName(KnownMetric.METRIC).startTime(m.end()).endTime(m.base)
                .period(60).statistics(Statistic.SUM)));
        assertEquals("The parameter StartTime must be less than the parameter EndTime.", order.awsErrorDetails().errorMessage());

        var missing = assertThrows(MissingRequiredParameterException.class, () -> cloudWatch.getMetricStatistics(b -> b
                .namespace(m.namespace).startTime(m.base).endTime(m.end()).statistics(Statistic.SUM)));
        assertEquals("MissingParameter", missing.awsErrorDetails().errorCode());
        assertEquals("The parameter MetricName is required.\nThe parameter Period is required.",
                missing.awsErrorDetails().errorMessage());

        var tooMany = assertThrows(InvalidParameterCombinationException.class, () -> cloudWatch.getMetricStatistics(b -> b
                .namespace(m.namespace).metricName(KnownMetric.METRIC).startTime(m.base).endTime(m.base.plusSeconds(86400 + 60))
                .period(60).statistics(Statistic.SUM)));
        assertTrue(tooMany.awsErrorDetails().errorMessage().startsWith("You have requested up to 1441 datapoints, which exceeds the limit of 1440."), tooMany.getMessage());

        var percentile = assertThrows(InvalidParameterValueException.class, () -> cloudWatch.getMetricStatistics(b -> b
                .namespace(m.namespace).metricName(KnownMetric.METRIC).startTime(m.base).endTime(m.end())
                .period(60).extendedStatistics("p99")));
        assertTrue(percentile.awsErrorDetails().errorMessage().contains("per-minute sums, counts, minimums and maximums"));

        var stat = assertThrows(CloudWatchException.class, () -> getMetricData(m, null, query(m, "m1", "Median", 60)));
        assertEquals("ValidationError", stat.awsErrorDetails().errorCode());
        assertEquals("The value Median for parameter MetricDataQueries.member.1.MetricStat.Stat is not a valid statistic.",
                stat.awsErrorDetails().errorMessage());

        var p99 = assertThrows(CloudWatchException.class, () -> getMetricData(m, null, query(m, "m1", "p99", 60)));
        assertTrue(p99.awsErrorDetails().errorMessage().contains("percentiles"), p99.getMessage());

        var gmdPeriod = assertThrows(CloudWatchException.class, () -> getMetricData(m, null, query(m, "m1", "Sum", 30)));
        assertEquals("ValidationError", gmdPeriod.awsErrorDetails().errorCode());

        var function = assertThrows(CloudWatchException.class, () -> getMetricData(m, null,
                query(m, "m1", "Sum", 60), MetricDataQuery.builder().id("e1").expression("FILL(m1, 0)").build()));
        assertEquals("ValidationError", function.awsErrorDetails().errorCode());
        assertEquals("The value for parameter MetricDataQueries.member.2.Expression is not valid: Unsupported function FILL: "
                + "this endpoint evaluates arithmetic between queries (+ - * / ^) only.", function.awsErrorDetails().errorMessage());
        var unknownId = assertThrows(CloudWatchException.class, () -> getMetricData(m, null,
                MetricDataQuery.builder().id("e1").expression("m9 + 1").build()));
        assertTrue(unknownId.awsErrorDetails().errorMessage().endsWith("is not valid: unknown Id m9."), unknownId.getMessage());
        var circular = assertThrows(CloudWatchException.class, () -> getMetricData(m, null,
                MetricDataQuery.builder().id("e1").expression("e2 * 2").build(),
                MetricDataQuery.builder().id("e2").expression("e1 + 1").build()));
        assertTrue(circular.awsErrorDetails().errorMessage().contains("refers to itself"), circular.getMessage());

        var same = assertThrows(CloudWatchException.class, () -> cloudWatch.getMetricData(b -> b.startTime(m.base)
                .endTime(m.base).metricDataQueries(query(m, "m1", "Sum", 60))));
        assertEquals("The parameter StartTime must not equal parameter EndTime.", same.awsErrorDetails().errorMessage());

        List<MetricDataQuery> tooManyQueries = new ArrayList<>();
        for (int i = 0; i < 501; i++) {
            tooManyQueries.add(query(m, "q" + i, "Sum", 60));
        }
        var limit = assertThrows(CloudWatchException.class, () -> cloudWatch.getMetricData(b -> b.startTime(m.base)
                .endTime(m.end()).metricDataQueries(tooManyQueries)));
        assertEquals("LimitExceeded", limit.awsErrorDetails().errorCode());

        var token = assertThrows(InvalidNextTokenException.class, () -> cloudWatch.getMetricData(b -> b.startTime(m.base)
                .endTime(m.end()).nextToken("bogus").metricDataQueries(query(m, "m1", "Sum", 60))));
        assertEquals("InvalidNextToken", token.awsErrorDetails().errorCode());

        var unknown = assertThrows(CloudWatchException.class, () -> cloudWatch.describeAlarms());
        assertEquals("UnknownOperationException", unknown.awsErrorDetails().errorCode());
        assertEquals(400, unknown.statusCode());
    }
}
