package dev.clicklog.portal.pipeline;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.path.json.JsonPath;

/**
 * The monthly cost estimate over the REST API: a proposed pipeline (POST /api/cost-estimates) and
 * an existing one (GET /api/pipelines/{name}/cost, measured once clicks came in), each line priced
 * from the one price file, its figures worked out here again from the file.
 */
@QuarkusTest
class CostEstimateTest {

    private static final double MONTH_SECONDS = 730 * 3600;
    private static final double GB = 1024.0 * 1024 * 1024;
    /** Figures read as doubles, as sent (JsonPath reads floats by default). */
    private static final JsonPathConfig DOUBLES = new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE);

    @Test
    void aProposedProvisionedPipelineIsPricedLineByLineFromThePriceFile() throws Exception {
        JsonNode prices = prices().path("regions").path("us-east-1").path("prices");
        JsonPath estimate = given().contentType(ContentType.JSON)
                .body("{\"shards\":2,\"retentionHours\":48,\"expectedClicksPerSecond\":10,\"clickBytes\":1000}")
                .post("/api/cost-estimates").then().statusCode(200)
                .body("region", equalTo("us-east-1")).body("basis", equalTo("expected")).extract().jsonPath().using(DOUBLES);
        double clicks = 10 * MONTH_SECONDS;
        Map<String, Double> expected = Map.of(
                "REST API requests", clicks / 1e6 * price(prices, "apigateway.restRequests"),
                "2 shards", 2 * 730 * price(prices, "kinesis.shardHour"),
                "PUT payload units (25 KB each)", clicks / 1e6 * price(prices, "kinesis.putPayloadUnits"),
                "retention beyond 24 hours", 2 * 730 * price(prices, "kinesis.extendedRetentionShardHour"),
                "data ingested (records rounded up to 5 KB)", clicks * 5 * 1024 / GB * price(prices, "firehose.ingestGb"),
                "objects written", MONTH_SECONDS / 60 / 1000 * price(prices, "s3.putRequests"),
                "storage of a month's clicks (grows every month they are kept)",
                clicks * 1001 / GB * price(prices, "s3.standardGbMonth"));
        List<Map<String, Object>> lines = estimate.getList("lines");
        assertEquals(expected.size(), lines.size(), estimate.prettify());
        double total = 0;
        for (Map<String, Object> line : lines) {
            String item = (String) line.get("item");
            double cost = ((Number) line.get("monthlyUsd")).doubleValue();
            assertEquals(expected.get(item), cost, 1e-6, item);
            assertTrue(((String) line.get("source")).startsWith("https://"), item);
            assertEquals("2026-12-06", line.get("checked"));
            total += cost;
        }
        assertEquals(total, estimate.getDouble("monthlyUsd"), 1e-6);
        assertEquals(2 * 730 * 0.015, lines.stream().filter(l -> "2 shards".equals(l.get("item")))
                .mapToDouble(l -> ((Number) l.get("monthlyUsd")).doubleValue()).sum(), 1e-9,
                "us-east-1: $0.015 a shard-hour");
    }

    @Test
    void onDemandIsPricedByStreamHourAndGigabytesAndGzipStoresLess() throws Exception {
        JsonPath plain = given().contentType(ContentType.JSON).body("{\"onDemand\":true,\"expectedClicksPerSecond\":100}")
                .post("/api/cost-estimates").then().statusCode(200).extract().jsonPath().using(DOUBLES);
        List<String> items = plain.getList("lines.item");
        assertTrue(items.containsAll(List.of("on-demand stream-hours", "data written (records rounded up to 1 KB)",
                "data read by Firehose")), items.toString());
        JsonPath gzip = given().contentType(ContentType.JSON)
                .body("{\"onDemand\":true,\"expectedClicksPerSecond\":100,\"compression\":\"GZIP\"}")
                .post("/api/cost-estimates").then().statusCode(200).extract().jsonPath().using(DOUBLES);
        assertEquals(plain.getDouble("storageGrowthGb") * 0.2, gzip.getDouble("storageGrowthGb"), 1e-9);
        // Idle: only what runs by the hour.
        JsonPath idle = given().contentType(ContentType.JSON).body("{}").post("/api/cost-estimates").then().statusCode(200)
                .body("basis", equalTo("none")).extract().jsonPath().using(DOUBLES);
        assertEquals(730 * 0.015, idle.getDouble("monthlyUsd"), 1e-9);
    }

    @Test
    void aProposalBreakingARuleIs400WithTheSameShape() {
        given().contentType(ContentType.JSON).body("{\"shards\":0,\"expectedClicksPerSecond\":-1,\"clickBytes\":0}")
                .post("/api/cost-estimates").then().statusCode(400)
                .body("violations.field", equalTo(List.of("shards", "expectedClicksPerSecond", "clickBytes")));
    }

    @Test
    void theNewPipelineFormPricesTheClicksPerSecondTypedBeforeCreating() {
        double api = given().contentType(ContentType.JSON)
                .body("{\"shards\":2,\"expectedClicksPerSecond\":40}").post("/api/cost-estimates").then()
                .statusCode(200).extract().jsonPath().using(DOUBLES).getDouble("monthlyUsd");
        String total = String.format(Locale.ROOT, "$%,.2f", api);
        // What the form sends as it is filled in, as it asks for the estimate again.
        given().contentType(ContentType.URLENC).formParam("name", "Half typed").formParam("team", "")
                .formParam("capacity", "provisioned").formParam("shards", "2").formParam("retentionHours", "24")
                .formParam("bufferSizeMb", "5").formParam("bufferIntervalSeconds", "60").formParam("compression", "NONE")
                .formParam("s3Prefix", "clicks/").formParam("allowedOrigins", "*").formParam("expectedClicksPerSecond", "40")
                .post("/pipelines/new/estimate").then().statusCode(200)
                .body(containsString(total)).body(containsString("clicks per second, as expected"))
                .body(containsString("2 shards"));
        // The form itself shows the idle cost before anything is typed.
        given().get("/pipelines/new").then().statusCode(200).body(containsString("What it costs"))
                .body(containsString("what it costs idle"));
        // A rate the rules refuse is no estimate: the form says what it needs.
        given().contentType(ContentType.URLENC).formParam("shards", "2").formParam("expectedClicksPerSecond", "lots")
                .post("/pipelines/new/estimate").then().statusCode(200).body(not(containsString(total)))
                .body(containsString("The estimate follows the form"));
    }

    @Test
    void aPipelinesCostIsMeasuredOnceClicksCameIn() {
        String name = PipelineApi.uniqueName("cost");
        PipelineApi.create("{\"name\":\"" + name + "\",\"team\":\"t\",\"bufferIntervalSeconds\":1,\"expectedClicksPerSecond\":3}");
        JsonPath ready = PipelineApi.awaitStatus(name, "READY");
        given().get("/api/pipelines/" + name + "/cost").then().statusCode(200).body("basis", equalTo("expected"))
                .body("clicksPerSecond", equalTo(3.0f));
        for (int i = 0; i < 5; i++) {
            given().contentType(ContentType.JSON).body("{\"n\":" + i + "}").put(ready.getString("invokeUrl")).then()
                    .statusCode(200);
        }
        JsonPath measured = given().get("/api/pipelines/" + name + "/cost").then().statusCode(200)
                .body("basis", equalTo("measured")).extract().jsonPath().using(DOUBLES);
        assertEquals(5 / (24 * 3600.0), measured.getDouble("clicksPerSecond"), 1e-9, "five clicks over the last day");
        assertTrue(measured.getInt("clickBytes") >= "{\"n\":0}".length(), "their size as the stream counted it");
        given().get("/pipelines/" + name).then().statusCode(200).body(containsString("What it costs"))
                .body(containsString("its stream took over the last 24 hours"));
        given().get("/api/pipelines/no-such-pipeline/cost").then().statusCode(404);
        PipelineApi.deleteAndAwait(name);
    }

    private static double price(JsonNode prices, String key) {
        return prices.path(key).path("value").asDouble();
    }

    private static JsonNode prices() throws Exception {
        try (InputStream in = CostEstimateTest.class.getClassLoader().getResourceAsStream("pricing/aws-prices.json")) {
            return new ObjectMapper().readTree(in);
        }
    }
}
