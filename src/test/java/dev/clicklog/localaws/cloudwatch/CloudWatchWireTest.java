package dev.clicklog.localaws.cloudwatch;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;

import dev.clicklog.endpoint.LocalEndpoint;
import dev.clicklog.localaws.spi.MetricId;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.JsonConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.parsing.Parser;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/**
 * CloudWatch's three wire protocols byte for byte, as a raw HTTP client sees them: JSON 1.0 with
 * X-Amz-Target, the query protocol's form and XML, and RPC v2 CBOR with tag 1 timestamps; each
 * with CloudWatch's error shapes.
 */
@QuarkusTest
class CloudWatchWireTest {

    private static final String TARGET = "GraniteServiceVersion20100801.";
    private static final CBORFactory CBOR = new CBORFactory();
    private static final ObjectMapper CBOR_TREE = new ObjectMapper(CBOR);

    @Inject
    LocalEndpoint endpoint;

    @Inject
    MetricStore store;

    private RequestSpecification localaws() {
        return given().baseUri("http://" + endpoint.uri().getHost()).port(endpoint.uri().getPort());
    }

    private ValidatableResponse json(String operation, String body) {
        return localaws().config(RestAssuredConfig.config().jsonConfig(JsonConfig.jsonConfig()
                        .numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL)))
                .header("X-Amz-Target", TARGET + operation).contentType("application/x-amz-json-1.0")
                .body(body.getBytes(StandardCharsets.UTF_8)).post("/")
                .then().parser("application/x-amz-json-1.0", Parser.JSON);
    }

    /** JSON 1.0 timestamps: epoch seconds, to the millisecond. */
    private static BigDecimal epochSeconds(Instant instant) {
        return BigDecimal.valueOf(instant.toEpochMilli(), 3);
    }

    private static String statisticsJson(KnownMetric m, int period, Instant start, Instant end) {
        return "{\"Namespace\":\"" + m.namespace + "\",\"MetricName\":\"Latency\",\"Dimensions\":[{\"Name\":\"Stage\",\"Value\":\"prod\"}],"
                + "\"StartTime\":" + start.getEpochSecond() + ",\"EndTime\":" + end.getEpochSecond() + ",\"Period\":" + period
                + ",\"Statistics\":[\"Sum\",\"Maximum\"]}";
    }

    @Test
    void jsonGetMetricDataAndStatistics() {
        KnownMetric m = new KnownMetric(store);
        String queries = "[{\"Id\":\"m1\",\"MetricStat\":{\"Metric\":{\"Namespace\":\"" + m.namespace
                + "\",\"MetricName\":\"Latency\",\"Dimensions\":[{\"Name\":\"Stage\",\"Value\":\"prod\"}]},\"Period\":60,\"Stat\":\"Minimum\"}}]";
        json("GetMetricData", "{\"MetricDataQueries\":" + queries + ",\"StartTime\":" + m.base.getEpochSecond()
                + ",\"EndTime\":" + m.end().getEpochSecond() + ",\"ScanBy\":\"TimestampAscending\"}")
                .statusCode(200).contentType("application/x-amz-json-1.0")
                .body("MetricDataResults[0].Id", equalTo("m1"))
                .body("MetricDataResults[0].Values", contains(new BigDecimal("10.0"), new BigDecimal("5.0"), new BigDecimal("100.0"), new BigDecimal("1.0")))
                .body("MetricDataResults[0].Timestamps", contains(epochSeconds(m.minute(0)), epochSeconds(m.minute(1)),
                        epochSeconds(m.minute(3)), epochSeconds(m.minute(7))))
                .body("NextToken", nullValue());
        json("GetMetricStatistics", statisticsJson(m, 3600, m.base, m.end()))
                .statusCode(200)
                .body("Label", equalTo("Latency"))
                .body("Datapoints[0].Timestamp", equalTo(epochSeconds(m.base)))
                .body("Datapoints[0].Sum", equalTo(new BigDecimal("141.0")))
                .body("Datapoints[0].Maximum", equalTo(new BigDecimal("100.0")))
                .body("Datapoints[0].Unit", equalTo("Milliseconds"));
    }

    @Test
    void jsonErrorsNameTheModelShapeAndCarryTheQueryCode() {
        KnownMetric m = new KnownMetric(store);
        json("GetMetricStatistics", statisticsJson(m, 61, m.base, m.end()))
                .statusCode(400)
                .header("x-amzn-query-error", "InvalidParameterValue;Sender")
                .body("__type", equalTo("com.amazonaws.cloudwatch#InvalidParameterValueException"))
                .body("message", equalTo("The parameter Period must be a multiple of 60."));
        json("GetMetricStatistics", statisticsJson(m, 60, m.end(), m.base))
                .statusCode(400)
                .header("x-amzn-query-error", "InvalidParameterValue;Sender")
                .body("message", equalTo("The parameter StartTime must be less than the parameter EndTime."));
        json("GetMetricStatistics", "{\"Namespace\":\"" + m.namespace + "\"}")
                .statusCode(400)
                .header("x-amzn-query-error", "MissingParameter;Sender")
                .body("__type", equalTo("com.amazonaws.cloudwatch#MissingRequiredParameterException"))
                .body("message", equalTo("The parameter MetricName is required.\nThe parameter StartTime is required.\n"
                        + "The parameter EndTime is required.\nThe parameter Period is required.\nThe parameter Statistics is required."));
        json("GetMetricData", "{\"MetricDataQueries\":[{\"Id\":\"m1\",\"MetricStat\":{\"Metric\":{\"Namespace\":\"x\",\"MetricName\":\"y\"},"
                + "\"Period\":60,\"Stat\":\"Mean\"}}],\"StartTime\":1,\"EndTime\":2}")
                .statusCode(400)
                .header("x-amzn-query-error", "ValidationError;Sender")
                .body("message", equalTo("The value Mean for parameter MetricDataQueries.member.1.MetricStat.Stat is not a valid statistic."));
        json("DescribeAlarms", "{}")
                .statusCode(400)
                .header("x-amzn-query-error", nullValue())
                .body("__type", equalTo("com.amazon.coral.service#UnknownOperationException"));
        json("GetMetricStatistics", "{\"Period\":\"sixty\"}")
                .statusCode(400)
                .body("__type", equalTo("com.amazon.coral.service#SerializationException"));
    }

    @Test
    void gzipCompressedPutMetricData() throws IOException {
        String namespace = "Custom/" + UUID.randomUUID();
        long minute = Instant.now().getEpochSecond() / 60 * 60 - 120;
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(("{\"Namespace\":\"" + namespace + "\",\"MetricData\":[{\"MetricName\":\"Jobs\",\"Timestamp\":" + minute
                    + ",\"Value\":3}]}").getBytes());
        }
        localaws().header("X-Amz-Target", TARGET + "PutMetricData").header("Content-Encoding", "gzip")
                .contentType("application/x-amz-json-1.0").body(gz.toByteArray()).post("/")
                .then().statusCode(200);
        json("GetMetricStatistics", "{\"Namespace\":\"" + namespace + "\",\"MetricName\":\"Jobs\",\"StartTime\":" + minute
                + ",\"EndTime\":" + (minute + 60) + ",\"Period\":60,\"Statistics\":[\"Sum\"]}")
                .statusCode(200).body("Datapoints[0].Sum", equalTo(new BigDecimal("3.0"))).body("Datapoints[0].Unit", equalTo("None"));
    }

    private Response query(String form) {
        return localaws().contentType("application/x-www-form-urlencoded").body(form).post("/");
    }

    @Test
    void queryProtocolXmlAndErrors() {
        KnownMetric m = new KnownMetric(store);
        String common = "Version=2010-08-01&Namespace=" + m.namespace + "&MetricName=Latency"
                + "&Dimensions.member.1.Name=Stage&Dimensions.member.1.Value=prod"
                + "&StartTime=" + m.base + "&EndTime=" + m.end() + "&Statistics.member.1=Average";
        query("Action=GetMetricStatistics&" + common + "&Period=300")
                .then().statusCode(200).contentType("text/xml")
                .body("GetMetricStatisticsResponse.GetMetricStatisticsResult.Label", equalTo("Latency"))
                .body("GetMetricStatisticsResponse.GetMetricStatisticsResult.Datapoints.member.find { it.Timestamp == '"
                        + m.base + "' }.Average", equalTo("33.75"));
        query("Action=GetMetricStatistics&" + common + "&Period=45")
                .then().statusCode(400)
                .body("ErrorResponse.Error.Type", equalTo("Sender"))
                .body("ErrorResponse.Error.Code", equalTo("InvalidParameterValue"))
                .body("ErrorResponse.Error.Message", equalTo("The parameter Period must be a multiple of 60."));
        query("Action=GetMetricStatistics&Version=2010-08-01&Namespace=" + m.namespace + "&MetricName=Latency&Period=60"
                + "&StartTime=" + m.base + "&EndTime=" + m.end())
                .then().statusCode(400)
                .body("ErrorResponse.Error.Code", equalTo("MissingParameter"))
                .body("ErrorResponse.Error.Message", equalTo("The parameter Statistics is required."));
        query("Action=GetMetricData&Version=2010-08-01&StartTime=" + m.base + "&EndTime=" + m.end()
                + "&MetricDataQueries.member.1.Id=m1&MetricDataQueries.member.1.MetricStat.Metric.Namespace=" + m.namespace
                + "&MetricDataQueries.member.1.MetricStat.Metric.MetricName=Latency&MetricDataQueries.member.1.MetricStat.Period=60"
                + "&MetricDataQueries.member.1.MetricStat.Stat=Sum")
                .then().statusCode(200)
                .body("GetMetricDataResponse.GetMetricDataResult.MetricDataResults.member.StatusCode", equalTo("Complete"));
        query("Action=ListMetrics&Version=2010-08-01&Namespace=" + m.namespace + "&Dimensions.member.1.Name=Stage"
                + "&Dimensions.member.1.Value=beta")
                .then().statusCode(200)
                .body("ListMetricsResponse.ListMetricsResult.Metrics.member.Dimensions.member.Value", equalTo("beta"));
        query("Action=DescribeAlarms&Version=2010-08-01")
                .then().statusCode(400)
                .body("ErrorResponse.Error.Code", equalTo("InvalidAction"));
    }

    private Response cbor(String operation, byte[] body) {
        return cbor("GraniteServiceVersion20100801", operation, body);
    }

    private Response cbor(String service, String operation, byte[] body) {
        return localaws().header("smithy-protocol", "rpc-v2-cbor").contentType("application/cbor").accept("application/cbor")
                .body(body).post("/service/" + service + "/operation/" + operation);
    }

    /** A GetMetricData input with tag 1 timestamps, as the Java SDK writes it. */
    private static byte[] getMetricDataCbor(KnownMetric m, String stat) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (CBORGenerator g = CBOR.createGenerator(bytes)) {
            g.writeStartObject();
            g.writeFieldName("MetricDataQueries");
            g.writeStartArray();
            g.writeStartObject();
            g.writeStringField("Id", "m1");
            g.writeFieldName("MetricStat");
            g.writeStartObject();
            g.writeFieldName("Metric");
            g.writeStartObject();
            g.writeStringField("Namespace", m.namespace);
            g.writeStringField("MetricName", "Latency");
            g.writeEndObject();
            g.writeNumberField("Period", 60);
            g.writeStringField("Stat", stat);
            g.writeEndObject();
            g.writeEndObject();
            g.writeEndArray();
            g.writeFieldName("StartTime");
            g.writeTag(1);
            g.writeNumber(m.base.toEpochMilli() / 1000.0);
            g.writeFieldName("EndTime");
            g.writeTag(1);
            g.writeNumber(m.end().toEpochMilli() / 1000.0);
            g.writeStringField("ScanBy", "TimestampAscending");
            g.writeEndObject();
        }
        return bytes.toByteArray();
    }

    @Test
    void cborTimestampsAreTagOneEpochSeconds() throws IOException {
        KnownMetric other = new KnownMetric(store);
        // Without dimensions: a metric of its own, with no data.
        store.record(MetricId.of(other.namespace, "Latency", Map.of()), 4, "Count", other.minute(2));
        Response response = cbor("GetMetricData", getMetricDataCbor(other, "Sum"));
        response.then().statusCode(200).header("smithy-protocol", "rpc-v2-cbor").contentType("application/cbor");
        List<Integer> tags = new ArrayList<>();
        List<Double> timestamps = new ArrayList<>();
        try (CBORParser p = CBOR.createParser(response.asByteArray())) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.FIELD_NAME && p.currentName().equals("Timestamps")) {
                    p.nextToken();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        tags.add(p.getCurrentTag());
                        timestamps.add(p.getDoubleValue());
                    }
                }
            }
        }
        assertEquals(List.of(1), tags);
        assertEquals(List.of(other.minute(2).getEpochSecond() * 1.0), timestamps);
    }

    @Test
    void cborErrorsCarryTypeAndProtocolHeader() throws IOException {
        KnownMetric m = new KnownMetric(store);
        Response invalid = cbor("GetMetricData", getMetricDataCbor(m, "Average2"));
        invalid.then().statusCode(400).header("smithy-protocol", "rpc-v2-cbor")
                .header("x-amzn-query-error", "ValidationError;Sender");
        JsonNode body = CBOR_TREE.readTree(invalid.asByteArray());
        assertEquals("com.amazonaws.cloudwatch#ValidationError", body.get("__type").asText());

        Response unknown = cbor("DescribeAlarms", new byte[] { (byte) 0xa0 });
        unknown.then().statusCode(400).header("smithy-protocol", "rpc-v2-cbor").header("x-amzn-query-error", nullValue());
        assertEquals("com.amazon.coral.service#UnknownOperationException",
                CBOR_TREE.readTree(unknown.asByteArray()).get("__type").asText());

        // The service may also be named by its absolute shape id, '#' written as '.'.
        Response absolute = cbor("com.amazonaws.cloudwatch.GraniteServiceVersion20100801", "ListMetrics",
                CBOR_TREE.writeValueAsBytes(Map.of("Namespace", m.namespace)));
        absolute.then().statusCode(200).header("smithy-protocol", "rpc-v2-cbor");
        assertEquals(2, CBOR_TREE.readTree(absolute.asByteArray()).get("Metrics").size());

        Response garbage = cbor("GetMetricData", new byte[] { (byte) 0x85, 1 });
        garbage.then().statusCode(400);
        assertEquals("com.amazon.coral.service#SerializationException",
                CBOR_TREE.readTree(garbage.asByteArray()).get("__type").asText());
    }
}
