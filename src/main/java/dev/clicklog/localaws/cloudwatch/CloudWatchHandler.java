package dev.clicklog.localaws.cloudwatch;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.clicklog.localaws.cloudwatch.CloudWatchService.Dimension;
import dev.clicklog.localaws.cloudwatch.CloudWatchService.GetMetricDataRequest;
import dev.clicklog.localaws.cloudwatch.CloudWatchService.GetMetricDataResult;
import dev.clicklog.localaws.cloudwatch.CloudWatchService.GetMetricStatisticsRequest;
import dev.clicklog.localaws.cloudwatch.CloudWatchService.GetMetricStatisticsResult;
import dev.clicklog.localaws.cloudwatch.CloudWatchService.ListMetricsRequest;
import dev.clicklog.localaws.cloudwatch.CloudWatchService.ListMetricsResult;
import dev.clicklog.localaws.cloudwatch.CloudWatchService.Metric;
import dev.clicklog.localaws.cloudwatch.CloudWatchService.MetricDataQuery;
import dev.clicklog.localaws.cloudwatch.CloudWatchService.MetricDataResult;
import dev.clicklog.localaws.cloudwatch.CloudWatchService.MetricDatum;
import dev.clicklog.localaws.cloudwatch.CloudWatchService.MetricStat;
import dev.clicklog.localaws.cloudwatch.CloudWatchService.PutMetricDataRequest;
import dev.clicklog.localaws.cloudwatch.CloudWatchService.StatisticSet;
import dev.clicklog.localaws.cloudwatch.CloudWatchService.StatisticsDatapoint;
import dev.clicklog.localaws.spi.MetricId;
import dev.clicklog.localaws.http.AwsRequest;
import dev.clicklog.localaws.http.AwsResponse;
import dev.clicklog.localaws.http.BodyLimit;
import dev.clicklog.localaws.http.CallerErrors;
import dev.clicklog.localaws.http.RouteTable;
import dev.clicklog.localaws.http.ServiceHandler;
import dev.clicklog.localaws.protocol.AwsServiceException;
import dev.clicklog.localaws.protocol.JsonProtocol;
import dev.clicklog.localaws.protocol.QueryProtocol;
import dev.clicklog.localaws.protocol.RpcV2CborProtocol;

/**
 * CloudWatch (signing name {@code monitoring}) in the three protocols its model lists: Smithy RPC v2
 * CBOR (the Java SDK), JSON 1.0 with {@code X-Amz-Target: GraniteServiceVersion20100801.<Op>} (the
 * AWS CLI v1) and the query protocol, Version 2010-08-01 (older CLIs and SDKs). Every protocol is read
 * into one tree and written from one tree, so the operations are parsed and rendered once.
 * <p>
 * Serves metrics: PutMetricData, GetMetricData (metric math included), GetMetricStatistics and
 * ListMetrics. Refuses the rest — alarms, dashboards, anomaly detectors, insight rules, metric
 * streams, tags — with UnknownOperationException (InvalidAction in the query protocol), as
 * CloudWatch answers an operation it does not know.
 */
@ApplicationScoped
public class CloudWatchHandler implements ServiceHandler {

    static final String VERSION = "2010-08-01";
    static final String XMLNS = "http://monitoring.amazonaws.com/doc/2010-08-01/";
    static final String TARGET_PREFIX = "GraniteServiceVersion20100801";
    /** The Smithy namespace of the service and of its error shapes. */
    static final String SHAPE_NAMESPACE = "com.amazonaws.cloudwatch";
    /** Errors of the service framework rather than of CloudWatch's model: no query code to carry. */
    private static final Set<String> FRAMEWORK_ERRORS = Set.of("UnknownOperationException", "SerializationException",
            "InternalFailure");
    /** CloudWatch's request size limit, applied to gzip-compressed bodies once inflated. */
    private static final int MAX_BODY = 1024 * 1024;

    /** The protocol of one request, from the signals each client sends. */
    enum Wire {
        QUERY, JSON, CBOR;

        static Wire of(AwsRequest request) {
            if (RpcV2CborProtocol.matches(request)) {
                return CBOR;
            }
            return request.header("X-Amz-Target") != null ? JSON : QUERY;
        }
    }

    /** One operation: its input, read from whichever protocol, in; its output tree out (null: none). */
    private interface Action {
        JsonNode handle(CloudWatchInput in);
    }

    private final CloudWatchService service;
    private final RouteTable<Action> routes = new RouteTable<Action>()
            .serve("GetMetricData", this::getMetricData)
            .serve("GetMetricStatistics", this::getMetricStatistics)
            .serve("ListMetrics", this::listMetrics)
            .serve("PutMetricData", this::putMetricData);

    CloudWatchHandler(CloudWatchService service) {
        this.service = service;
    }

    /** CloudWatch's documented request size (PutMetricData: 1 MB per HTTP POST request). */
    static final long MAX_REQUEST_BYTES = 1024 * 1024;

    @Override
    public BodyLimit bodyLimit(AwsRequest head) {
        return BodyLimit.inMemory(MAX_REQUEST_BYTES);
    }

    @Override
    public Route route() {
        // RPC v2 clients name the service by its shape name; servers also accept the absolute shape id.
        return Route.signingName("monitoring")
                .withTargetPrefix(TARGET_PREFIX)
                .withTargetPrefix(SHAPE_NAMESPACE + "." + TARGET_PREFIX)
                .withQueryVersion(VERSION);
    }

    @Override
    public AwsResponse handle(AwsRequest received) {
        AwsRequest request = inflated(received);
        Wire wire = Wire.of(request);
        String operation;
        CloudWatchInput input;
        switch (wire) {
            case QUERY -> {
                Map<String, String> params = QueryProtocol.params(request);
                operation = params.get("Action");
                checkOperation(wire, operation);
                input = CloudWatchInput.of(QueryTree.read(params), true);
            }
            case JSON -> {
                operation = JsonProtocol.operation(request);
                checkOperation(wire, operation);
                input = CloudWatchInput.of(JsonProtocol.read(request, JsonProtocol.Encoding.JSON_1_0), false);
            }
            default -> {
                operation = RpcV2CborProtocol.operation(request);
                checkOperation(wire, operation);
                input = CloudWatchInput.of(RpcV2CborProtocol.read(request), false);
            }
        }
        return write(wire, request, operation, routes.handler(operation).handle(input));
    }

    @Override
    public List<Operation> operations() {
        return routes.operations();
    }

    /** Signed as "monitoring", named "cloudwatch" in policies. */
    @Override
    public String iamPrefix() {
        return "cloudwatch";
    }

    @Override
    public CallerErrors callerErrors() {
        return CallerErrors.QUERY;
    }

    @Override
    public AwsResponse error(AwsRequest request, AwsServiceException e) {
        Wire wire = Wire.of(request);
        if (wire == Wire.QUERY) {
            return QueryProtocol.error(request, XMLNS, e);
        }
        boolean framework = FRAMEWORK_ERRORS.contains(e.code());
        String shapeId = framework ? "com.amazon.coral.service#" + e.code()
                : SHAPE_NAMESPACE + "#" + CloudWatchErrors.shapeName(e.code());
        AwsResponse response = wire == Wire.JSON
                ? JsonProtocol.error(request, JsonProtocol.Encoding.JSON_1_0, new AwsServiceException(e.status(), shapeId, e.getMessage()))
                : RpcV2CborProtocol.error(request, shapeId, e);
        // awsQueryCompatible: clients take the error code of the query protocol from this header.
        return framework ? response : response.header("x-amzn-query-error", e.code() + ";" + e.faultType());
    }

    private void checkOperation(Wire wire, String operation) {
        if (routes.handler(operation) != null) {
            return;
        }
        throw wire == Wire.QUERY ? QueryProtocol.invalidAction(operation, VERSION) : JsonProtocol.unknownOperation(operation);
    }

    private static AwsResponse write(Wire wire, AwsRequest request, String operation, JsonNode output) {
        return switch (wire) {
            case QUERY -> QueryProtocol.result(request, operation, XMLNS,
                    output == null ? null : xml -> QueryTree.write(xml, output));
            case JSON -> JsonProtocol.write(request, JsonProtocol.Encoding.JSON_1_0, output);
            case CBOR -> RpcV2CborProtocol.write(request, output);
        };
    }

    /** PutMetricData may arrive gzip-compressed (the model's requestCompression); the rest reads it inflated. */
    private static AwsRequest inflated(AwsRequest request) {
        String encoding = request.header("Content-Encoding");
        if (encoding == null || !encoding.toLowerCase(Locale.ROOT).contains("gzip")) {
            return request;
        }
        byte[] body;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(request.body()))) {
            body = in.readNBytes(MAX_BODY + 1);
        } catch (IOException e) {
            throw AwsServiceException.badRequest(CloudWatchErrors.INVALID_PARAMETER_VALUE,
                    "The request body is not valid gzip.");
        }
        if (body.length > MAX_BODY) {
            throw new AwsServiceException(413, "RequestEntityTooLarge",
                    "Request size exceeded " + MAX_BODY + " bytes once decompressed.");
        }
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(request.headers());
        headers.remove("Content-Encoding");
        return new AwsRequest(request.method(), request.rawPath(), request.rawQuery(), headers, body,
                request.remoteAddress());
    }

    // ---- GetMetricData ----

    private JsonNode getMetricData(CloudWatchInput in) {
        List<MetricDataQuery> queries = null;
        if (in.has("MetricDataQueries")) {
            queries = new ArrayList<>();
            for (CloudWatchInput q : in.objects("MetricDataQueries")) {
                queries.add(new MetricDataQuery(q.path(), q.string("Id"), metricStat(q.object("MetricStat")),
                        q.string("Expression"), q.string("Label"), q.bool("ReturnData")));
            }
        }
        GetMetricDataResult result = service.getMetricData(new GetMetricDataRequest(queries, in.timestamp("StartTime"),
                in.timestamp("EndTime"), in.string("NextToken"), in.string("ScanBy"), in.integer("MaxDatapoints")));
        ObjectNode out = JsonProtocol.NODES.objectNode();
        ArrayNode results = out.putArray("MetricDataResults");
        for (MetricDataResult r : result.results()) {
            ObjectNode o = results.addObject().put("Id", r.id()).put("Label", r.label());
            ArrayNode timestamps = o.putArray("Timestamps");
            r.timestamps().forEach(t -> timestamps.add(RpcV2CborProtocol.timestamp(t)));
            ArrayNode values = o.putArray("Values");
            r.values().forEach(values::add);
            o.put("StatusCode", r.statusCode());
            o.putArray("Messages");
        }
        if (result.nextToken() != null) {
            out.put("NextToken", result.nextToken());
        }
        out.putArray("Messages");
        return out;
    }

    private static MetricStat metricStat(CloudWatchInput s) {
        if (s == null) {
            return null;
        }
        CloudWatchInput m = s.object("Metric");
        Metric metric = m == null ? null
                : new Metric(m.path(), m.string("Namespace"), m.string("MetricName"), dimensions(m));
        return new MetricStat(s.path(), metric, s.integer("Period"), s.string("Stat"), s.string("Unit"));
    }

    private static List<Dimension> dimensions(CloudWatchInput in) {
        List<Dimension> dimensions = new ArrayList<>();
        for (CloudWatchInput d : in.objects("Dimensions")) {
            dimensions.add(new Dimension(d.path(), d.string("Name"), d.string("Value")));
        }
        return dimensions;
    }

    // ---- GetMetricStatistics ----

    private JsonNode getMetricStatistics(CloudWatchInput in) {
        GetMetricStatisticsResult result = service.getMetricStatistics(new GetMetricStatisticsRequest(
                in.string("Namespace"), in.string("MetricName"), dimensions(in), in.timestamp("StartTime"),
                in.timestamp("EndTime"), in.integer("Period"), in.strings("Statistics"),
                in.strings("ExtendedStatistics"), in.string("Unit")));
        ObjectNode out = JsonProtocol.NODES.objectNode().put("Label", result.label());
        ArrayNode datapoints = out.putArray("Datapoints");
        for (StatisticsDatapoint d : result.datapoints()) {
            ObjectNode o = datapoints.addObject();
            o.set("Timestamp", RpcV2CborProtocol.timestamp(d.timestamp()));
            d.values().forEach((statistic, value) -> o.put(statistic.name(), value));
            o.put("Unit", d.unit());
        }
        return out;
    }

    // ---- ListMetrics ----

    private JsonNode listMetrics(CloudWatchInput in) {
        ListMetricsResult result = service.listMetrics(new ListMetricsRequest(in.string("Namespace"),
                in.string("MetricName"), dimensions(in), in.string("NextToken"), in.string("RecentlyActive")));
        ObjectNode out = JsonProtocol.NODES.objectNode();
        ArrayNode metrics = out.putArray("Metrics");
        for (MetricId id : result.metrics()) {
            ObjectNode m = metrics.addObject().put("Namespace", id.namespace()).put("MetricName", id.metricName());
            ArrayNode dims = m.putArray("Dimensions");
            id.dimensions().forEach((name, value) -> dims.addObject().put("Name", name).put("Value", value));
        }
        if (result.nextToken() != null) {
            out.put("NextToken", result.nextToken());
        }
        return out;
    }

    // ---- PutMetricData ----

    /** No output: PutMetricData answers an empty result. */
    private JsonNode putMetricData(CloudWatchInput in) {
        List<MetricDatum> data = null;
        if (in.has("MetricData") || in.has("EntityMetricData")) {
            data = new ArrayList<>();
            for (CloudWatchInput d : in.objects("MetricData")) {
                data.add(datum(d));
            }
            // Entity data only associates metrics with an entity; the metrics themselves are recorded alike.
            for (CloudWatchInput entity : in.objects("EntityMetricData")) {
                for (CloudWatchInput d : entity.objects("MetricData")) {
                    data.add(datum(d));
                }
            }
        }
        service.putMetricData(new PutMetricDataRequest(in.string("Namespace"), data));
        return null;
    }

    private static MetricDatum datum(CloudWatchInput d) {
        CloudWatchInput s = d.object("StatisticValues");
        StatisticSet set = s == null ? null
                : new StatisticSet(s.path(), s.number("SampleCount"), s.number("Sum"), s.number("Minimum"), s.number("Maximum"));
        return new MetricDatum(d.path(), d.string("MetricName"), dimensions(d), d.timestamp("Timestamp"),
                d.number("Value"), set, d.numbers("Values"), d.numbers("Counts"), d.string("Unit"),
                d.integer("StorageResolution"));
    }
}
