package dev.clicklog.localaws.cloudwatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.clicklog.endpoint.LocalEndpoint;
import dev.clicklog.localaws.spi.MetricId;
import dev.clicklog.testing.AwsCli;
import dev.clicklog.testing.Botocore;
import io.quarkus.test.junit.QuarkusTest;

/**
 * CloudWatch through the AWS CLI: as this botocore sends it (JSON 1.0, the first protocol of the
 * model it supports) and as older releases send it (the query protocol, by giving the CLI the
 * model with only "query" listed).
 */
@QuarkusTest
class CloudWatchCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    LocalEndpoint endpoint;

    @Inject
    MetricStore store;

    @TempDir
    Path dir;

    AwsCli json;
    AwsCli query;

    @BeforeEach
    void clis() throws Exception {
        json = new AwsCli(endpoint.uri(), "us-east-1");
        query = json.withEnvironment("AWS_DATA_PATH", queryOnlyModel().toString());
    }

    /** botocore's CloudWatch model with the query protocol as its only one. */
    private Path queryOnlyModel() throws IOException {
        ObjectNode model = Botocore.model("cloudwatch");
        ObjectNode metadata = (ObjectNode) model.get("metadata");
        metadata.put("protocol", "query");
        metadata.putArray("protocols").add("query");
        Path target = dir.resolve("models/cloudwatch/2010-08-01");
        Files.createDirectories(target);
        JSON.writeValue(target.resolve("service-2.json").toFile(), model);
        return dir.resolve("models");
    }

    private static JsonNode ok(AwsCli.Result result) throws IOException {
        return JSON.readTree(result.assertOk().stdout());
    }

    private static List<Instant> timestamps(JsonNode array) {
        List<Instant> out = new ArrayList<>();
        array.forEach(t -> out.add(instant(t)));
        return out;
    }

    /** CLI v1 prints timestamps as they came: epoch seconds from JSON, ISO 8601 from XML. */
    private static Instant instant(JsonNode t) {
        return t.isNumber() ? Instant.ofEpochMilli(Math.round(t.asDouble() * 1000)) : OffsetDateTime.parse(t.asText()).toInstant();
    }

    private static List<Double> doubles(JsonNode array) {
        List<Double> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asDouble()));
        return out;
    }

    private Path queriesFile(KnownMetric m) throws IOException {
        String metric = "{\"Namespace\":\"" + m.namespace + "\",\"MetricName\":\"" + KnownMetric.METRIC
                + "\",\"Dimensions\":[{\"Name\":\"Stage\",\"Value\":\"" + KnownMetric.STAGE + "\"}]}";
        String queries = "[{\"Id\":\"sum\",\"MetricStat\":{\"Metric\":" + metric + ",\"Period\":60,\"Stat\":\"Sum\"}},"
                + "{\"Id\":\"max\",\"Label\":\"Slowest\",\"MetricStat\":{\"Metric\":" + metric + ",\"Period\":300,\"Stat\":\"Maximum\"}}]";
        Path file = dir.resolve("queries-" + UUID.randomUUID() + ".json");
        Files.writeString(file, queries);
        return file;
    }

    private void getMetricData(AwsCli cli) throws IOException {
        KnownMetric m = new KnownMetric(store);
        Path file = queriesFile(m);
        JsonNode out = ok(cli.run(dir, "cloudwatch", "get-metric-data", "--metric-data-queries", "file://" + file.getFileName(),
                "--start-time", m.base.toString(), "--end-time", m.end().toString(), "--scan-by", "TimestampAscending"));
        JsonNode sum = out.at("/MetricDataResults/0");
        assertEquals("sum", sum.get("Id").asText());
        assertEquals(KnownMetric.METRIC, sum.get("Label").asText());
        assertEquals(List.of(m.minute(0), m.minute(1), m.minute(3), m.minute(7)), timestamps(sum.get("Timestamps")));
        assertEquals(List.of(30.0, 5.0, 100.0, 6.0), doubles(sum.get("Values")));
        assertEquals("Complete", sum.get("StatusCode").asText());
        JsonNode max = out.at("/MetricDataResults/1");
        assertEquals("Slowest", max.get("Label").asText());
        assertEquals(List.of(100.0, 3.0), doubles(max.get("Values")));

        JsonNode newestFirst = ok(cli.run(dir, "cloudwatch", "get-metric-data", "--metric-data-queries",
                "file://" + file.getFileName(), "--start-time", m.base.toString(), "--end-time", m.end().toString()));
        assertEquals(List.of(m.minute(7), m.minute(3), m.minute(1), m.minute(0)),
                timestamps(newestFirst.at("/MetricDataResults/0/Timestamps")));

        // One page as asked (--max-datapoints is the paginator's limit key, so the CLI does not follow on)...
        JsonNode firstPage = ok(cli.run(dir, "cloudwatch", "get-metric-data", "--metric-data-queries",
                "file://" + file.getFileName(), "--start-time", m.base.toString(), "--end-time", m.end().toString(),
                "--scan-by", "TimestampAscending", "--max-datapoints", "3"));
        assertEquals("PartialData", firstPage.at("/MetricDataResults/0/StatusCode").asText());
        assertEquals(List.of(30.0, 5.0, 100.0), doubles(firstPage.at("/MetricDataResults/0/Values")));
        assertTrue(firstPage.hasNonNull("NextToken"));
        // ...and every page, the CLI following NextToken with three datapoints a page.
        JsonNode paged = ok(cli.run(dir, "cloudwatch", "get-metric-data", "--metric-data-queries", "file://" + file.getFileName(),
                "--start-time", m.base.toString(), "--end-time", m.end().toString(), "--scan-by", "TimestampAscending",
                "--page-size", "3"));
        List<Double> sums = new ArrayList<>();
        paged.get("MetricDataResults").forEach(r -> {
            if (r.get("Id").asText().equals("sum")) {
                sums.addAll(doubles(r.get("Values")));
            }
        });
        assertEquals(List.of(30.0, 5.0, 100.0, 6.0), sums);
        assertEquals(3, paged.get("MetricDataResults").size());
    }

    private void getMetricStatistics(AwsCli cli) throws IOException {
        KnownMetric m = new KnownMetric(store);
        JsonNode out = ok(cli.run("cloudwatch", "get-metric-statistics", "--namespace", m.namespace, "--metric-name",
                KnownMetric.METRIC, "--dimensions", "Name=Stage,Value=" + KnownMetric.STAGE, "--start-time", m.base.toString(),
                "--end-time", m.end().toString(), "--period", "300", "--statistics", "Sum", "Average", "Minimum", "Maximum",
                "SampleCount"));
        assertEquals(KnownMetric.METRIC, out.get("Label").asText());
        JsonNode first = null;
        for (JsonNode d : out.get("Datapoints")) {
            if (instant(d.get("Timestamp")).equals(m.base)) {
                first = d;
            }
        }
        assertEquals(2, out.get("Datapoints").size());
        assertEquals(135.0, first.get("Sum").asDouble());
        assertEquals(33.75, first.get("Average").asDouble());
        assertEquals(5.0, first.get("Minimum").asDouble());
        assertEquals(100.0, first.get("Maximum").asDouble());
        assertEquals(4.0, first.get("SampleCount").asDouble());
        assertEquals("Milliseconds", first.get("Unit").asText());

        AwsCli.Result badPeriod = cli.run("cloudwatch", "get-metric-statistics", "--namespace", m.namespace,
                "--metric-name", KnownMetric.METRIC, "--start-time", m.base.toString(), "--end-time", m.end().toString(),
                "--period", "90", "--statistics", "Sum");
        assertNotEquals(0, badPeriod.exitCode());
        assertTrue(badPeriod.stderr().contains("(InvalidParameterValue)") && badPeriod.stderr()
                .contains("The parameter Period must be a multiple of 60."), badPeriod.stderr());

        AwsCli.Result backwards = cli.run("cloudwatch", "get-metric-statistics", "--namespace", m.namespace,
                "--metric-name", KnownMetric.METRIC, "--start-time", m.end().toString(), "--end-time", m.base.toString(),
                "--period", "60", "--statistics", "Sum");
        assertTrue(backwards.stderr().contains("(InvalidParameterValue)"), backwards.stderr());
    }

    private void listAndPut(AwsCli cli) throws IOException {
        String namespace = "Custom/" + UUID.randomUUID();
        Instant now = Instant.now();
        for (int i = 0; i < 501; i++) {
            store.record(MetricId.of(namespace, "Count", Map.of("Stage", i == 0 ? "prod" : "dev" + i)), 1, "Count", now);
        }
        JsonNode all = ok(cli.run("cloudwatch", "list-metrics", "--namespace", namespace));
        assertEquals(501, all.get("Metrics").size());
        JsonNode prod = ok(cli.run("cloudwatch", "list-metrics", "--namespace", namespace, "--dimensions",
                "Name=Stage,Value=prod"));
        assertEquals(1, prod.get("Metrics").size());
        assertEquals("prod", prod.at("/Metrics/0/Dimensions/0/Value").asText());

        Instant minute = now.truncatedTo(ChronoUnit.MINUTES).minusSeconds(300);
        cli.run("cloudwatch", "put-metric-data", "--namespace", namespace, "--metric-name", "Jobs", "--value", "7",
                "--unit", "Count", "--timestamp", minute.toString(), "--dimensions", "Queue=q1").assertOk();
        JsonNode stats = ok(cli.run("cloudwatch", "get-metric-statistics", "--namespace", namespace, "--metric-name",
                "Jobs", "--dimensions", "Name=Queue,Value=q1", "--start-time", minute.toString(), "--end-time",
                minute.plusSeconds(60).toString(), "--period", "60", "--statistics", "Sum"));
        assertEquals(7.0, stats.at("/Datapoints/0/Sum").asDouble());
        assertEquals("Count", stats.at("/Datapoints/0/Unit").asText());
    }

    private void unknownStatistic(AwsCli cli, String code) throws IOException {
        KnownMetric m = new KnownMetric(store);
        Path file = dir.resolve("median-" + UUID.randomUUID() + ".json");
        Files.writeString(file, "[{\"Id\":\"m1\",\"MetricStat\":{\"Metric\":{\"Namespace\":\"" + m.namespace
                + "\",\"MetricName\":\"Latency\"},\"Period\":60,\"Stat\":\"Median\"}}]");
        AwsCli.Result result = cli.run(dir, "cloudwatch", "get-metric-data", "--metric-data-queries",
                "file://" + file.getFileName(), "--start-time", m.base.toString(), "--end-time", m.end().toString());
        assertTrue(result.stderr().contains("(" + code + ")") && result.stderr()
                .contains("The value Median for parameter MetricDataQueries.member.1.MetricStat.Stat is not a valid statistic."),
                result.stderr());
    }

    @Test
    void jsonProtocolGetMetricData() throws IOException {
        getMetricData(json);
    }

    @Test
    void jsonProtocolGetMetricStatisticsAndErrors() throws IOException {
        getMetricStatistics(json);
        unknownStatistic(json, "ValidationError");
        AwsCli.Result unknown = json.run("cloudwatch", "describe-alarms");
        assertTrue(unknown.stderr().contains("(UnknownOperationException)"), unknown.stderr());
    }

    @Test
    void jsonProtocolListMetricsAndPutMetricData() throws IOException {
        listAndPut(json);
    }

    @Test
    void queryProtocolGetMetricData() throws IOException {
        getMetricData(query);
    }

    @Test
    void queryProtocolGetMetricStatisticsAndErrors() throws IOException {
        getMetricStatistics(query);
        unknownStatistic(query, "ValidationError");
        AwsCli.Result unknown = query.run("cloudwatch", "describe-alarms");
        assertTrue(unknown.stderr().contains("(InvalidAction)")
                && unknown.stderr().contains("Could not find operation DescribeAlarms for version 2010-08-01"), unknown.stderr());
    }

    @Test
    void queryProtocolListMetricsAndPutMetricData() throws IOException {
        listAndPut(query);
    }
}
