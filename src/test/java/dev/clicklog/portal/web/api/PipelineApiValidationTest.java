package dev.clicklog.portal.web.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.clicklog.portal.pipeline.PipelineApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** The REST API's answers to bad input, duplicates and unknown names: always the one error body, never half a pipeline. */
@QuarkusTest
class PipelineApiValidationTest {

    private static final String LONG_41 = "a" + "b".repeat(40);

    /** Pipelines a test created; deleted after it so their provisioning never overlaps another test's. */
    private final List<String> created = new ArrayList<>();

    @AfterEach
    void deleteCreated() {
        created.forEach(PipelineApi::delete);
        created.forEach(name -> PipelineApi.awaitStatus(name, "DELETED"));
    }

    static Stream<Arguments> brokenRules() {
        return Stream.of(
                // body, field, a part of the rule
                Arguments.of("{\"team\":\"t\"}", "name", "is required"),
                Arguments.of("{\"name\":\"ab\",\"team\":\"t\"}", "name", "3 to 40 characters"),
                Arguments.of("{\"name\":\"" + LONG_41 + "\",\"team\":\"t\"}", "name", "3 to 40 characters"),
                Arguments.of("{\"name\":\"Upper-case\",\"team\":\"t\"}", "name", "lowercase letters"),
                Arguments.of("{\"name\":\"1abc\",\"team\":\"t\"}", "name", "start with a letter"),
                Arguments.of("{\"name\":\"abc-\",\"team\":\"t\"}", "name", "end with a letter or digit"),
                Arguments.of("{\"name\":\"a_b_c\",\"team\":\"t\"}", "name", "lowercase letters, digits and hyphens"),
                Arguments.of("{\"name\":\"abc.d\",\"team\":\"t\"}", "name", "lowercase letters, digits and hyphens"),
                Arguments.of("{\"name\":\"abc\"}", "team", "is required"),
                Arguments.of("{\"name\":\"abc\",\"team\":\"  \"}", "team", "is required"),
                Arguments.of("{\"name\":\"abc\",\"team\":\"" + "t".repeat(65) + "\"}", "team", "at most 64"),
                Arguments.of("{\"name\":\"abc\",\"team\":\"bad#team\"}", "team", "letters, digits"),
                Arguments.of("{\"name\":\"abc\",\"team\":\"t\",\"description\":\"" + "d".repeat(501) + "\"}",
                        "description", "at most 500"),
                Arguments.of("{\"name\":\"abc\",\"team\":\"t\",\"shards\":0}", "shards", "between 1 and 64"),
                Arguments.of("{\"name\":\"abc\",\"team\":\"t\",\"shards\":65}", "shards", "between 1 and 64"),
                Arguments.of("{\"name\":\"abc\",\"team\":\"t\",\"shards\":2,\"onDemand\":true}", "shards",
                        "must not be set when onDemand is true"),
                Arguments.of("{\"name\":\"abc\",\"team\":\"t\",\"retentionHours\":23}", "retentionHours", "between 24 and 8760"),
                Arguments.of("{\"name\":\"abc\",\"team\":\"t\",\"retentionHours\":8761}", "retentionHours", "between 24 and 8760"),
                Arguments.of("{\"name\":\"abc\",\"team\":\"t\",\"bufferSizeMb\":0}", "bufferSizeMb", "between 1 and 128"),
                Arguments.of("{\"name\":\"abc\",\"team\":\"t\",\"bufferSizeMb\":129}", "bufferSizeMb", "between 1 and 128"),
                Arguments.of("{\"name\":\"abc\",\"team\":\"t\",\"bufferIntervalSeconds\":-1}", "bufferIntervalSeconds",
                        "between 0 and 900"),
                Arguments.of("{\"name\":\"abc\",\"team\":\"t\",\"bufferIntervalSeconds\":901}", "bufferIntervalSeconds",
                        "between 0 and 900"),
                Arguments.of("{\"name\":\"abc\",\"team\":\"t\",\"compression\":\"ZIP\"}", "compression", "one of NONE, GZIP"),
                Arguments.of("{\"name\":\"abc\",\"team\":\"t\",\"compression\":\"gzip\"}", "compression", "one of NONE, GZIP"),
                Arguments.of("{\"name\":\"abc\",\"team\":\"t\",\"s3Prefix\":\"no-slash\"}", "s3Prefix", "ending with '/'"),
                Arguments.of("{\"name\":\"abc\",\"team\":\"t\",\"s3Prefix\":\"/abs/\"}", "s3Prefix", "ending with '/'"),
                Arguments.of("{\"name\":\"abc\",\"team\":\"t\",\"s3Prefix\":\"a//b/\"}", "s3Prefix", "ending with '/'"),
                Arguments.of("{\"name\":\"abc\",\"team\":\"t\",\"s3Prefix\":\"!{timestamp:yyyy}/\"}", "s3Prefix",
                        "ending with '/'"),
                Arguments.of("{\"name\":\"abc\",\"team\":\"t\",\"s3Prefix\":\"a/../b/\"}", "s3Prefix", "'..' folders"),
                Arguments.of("{\"name\":\"abc\",\"team\":\"t\",\"s3Prefix\":\"errors/x/\"}", "s3Prefix", "errors/"),
                Arguments.of("{\"name\":\"abc\",\"team\":\"t\",\"s3Prefix\":\"" + "p/".repeat(101) + "\"}", "s3Prefix",
                        "at most 200"),
                Arguments.of("{\"name\":\"abc\",\"team\":\"t\",\"allowedOrigins\":[\"ftp://x.example\"]}",
                        "allowedOrigins[0]", "an origin like"),
                Arguments.of("{\"name\":\"abc\",\"team\":\"t\",\"allowedOrigins\":[\"https://a.example/path\"]}",
                        "allowedOrigins[0]", "no path"),
                Arguments.of("{\"name\":\"abc\",\"team\":\"t\",\"allowedOrigins\":[\"https://a.example/\"]}",
                        "allowedOrigins[0]", "no path"),
                Arguments.of("{\"name\":\"abc\",\"team\":\"t\",\"allowedOrigins\":[\"https://a.example?x=1\"]}",
                        "allowedOrigins[0]", "no path, query or fragment"),
                Arguments.of("{\"name\":\"abc\",\"team\":\"t\",\"allowedOrigins\":[\"https://a.example#top\"]}",
                        "allowedOrigins[0]", "no path, query or fragment"),
                Arguments.of("{\"name\":\"abc\",\"team\":\"t\",\"allowedOrigins\":[\"https://me@a.example\"]}",
                        "allowedOrigins[0]", "no user name or password"),
                Arguments.of("{\"name\":\"abc\",\"team\":\"t\",\"allowedOrigins\":[\"http://x.example:99999\"]}",
                        "allowedOrigins[0]", "port from 1 to 65535"),
                Arguments.of("{\"name\":\"abc\",\"team\":\"t\",\"allowedOrigins\":[\"http://x.example:0\"]}",
                        "allowedOrigins[0]", "port from 1 to 65535"),
                Arguments.of("{\"name\":\"abc\",\"team\":\"t\",\"allowedOrigins\":[\"http://x.example:\"]}",
                        "allowedOrigins[0]", "port from 1 to 65535"),
                Arguments.of("{\"name\":\"abc\",\"team\":\"t\",\"allowedOrigins\":[\"https://x.example:443\"]}",
                        "allowedOrigins[0]", "leave out the default port :443"),
                Arguments.of("{\"name\":\"abc\",\"team\":\"t\",\"allowedOrigins\":[\"https://Shop.Example\"]}",
                        "allowedOrigins[0]", "lowercase, as browsers send it: https://shop.example"),
                Arguments.of("{\"name\":\"abc\",\"team\":\"t\",\"allowedOrigins\":[\"https://-a.example\"]}",
                        "allowedOrigins[0]", "host name"),
                Arguments.of("{\"name\":\"abc\",\"team\":\"t\",\"allowedOrigins\":[\"https://a..example\"]}",
                        "allowedOrigins[0]", "host name"),
                Arguments.of("{\"name\":\"abc\",\"team\":\"t\",\"allowedOrigins\":[\"https://\"]}",
                        "allowedOrigins[0]", "host name"),
                Arguments.of("{\"name\":\"abc\",\"team\":\"t\",\"allowedOrigins\":[\"https://999.1.1.1\"]}",
                        "allowedOrigins[0]", "host name"),
                Arguments.of("{\"name\":\"abc\",\"team\":\"t\",\"allowedOrigins\":[\"https://" + "a".repeat(64)
                        + ".example\"]}", "allowedOrigins[0]", "labels of at most 63"),
                Arguments.of("{\"name\":\"abc\",\"team\":\"t\",\"allowedOrigins\":[\"https://" + "a".repeat(3000)
                        + ".example\"]}", "allowedOrigins[0]", "at most 267 characters"),
                Arguments.of("{\"name\":\"abc\",\"team\":\"t\",\"allowedOrigins\":[null]}",
                        "allowedOrigins[0]", "must be a string"),
                Arguments.of("{\"name\":\"abc\",\"team\":\"t\",\"allowedOrigins\":[\"https://a.example\",\"*\"]}",
                        "allowedOrigins[1]", "cannot be combined"),
                Arguments.of("{\"name\":\"abc\",\"team\":\"t\",\"allowedOrigins\":[\"https://a.example\",\"https://a.example\"]}",
                        "allowedOrigins[1]", "listed twice"),
                Arguments.of("{\"name\":\"abc\",\"team\":\"t\",\"allowedOrigins\":[" + "\"https://a.example\",".repeat(10)
                        + "\"https://b.example\"]}", "allowedOrigins", "at most 10"),
                // the JSON itself
                Arguments.of("{\"name\":\"abc\",\"team\":\"t\",\"shard\":2}", "shard", "is not a known field"),
                Arguments.of("{\"name\":\"abc\",\"team\":\"t\",\"shards\":\"two\"}", "shards", "a whole number"),
                Arguments.of("{\"name\":\"abc\",\"team\":\"t\",\"shards\":1.5}", "shards", "a whole number"),
                Arguments.of("{\"name\":\"abc\",\"team\":\"t\",\"shards\":\"2\"}", "shards", "a whole number"),
                Arguments.of("{\"name\":\"abc\",\"team\":\"t\",\"retentionHours\":99999999999}", "retentionHours",
                        "between 24 and 8760"),
                Arguments.of("{\"name\":\"abc\",\"team\":\"t\",\"bufferSizeMb\":-99999999999999999999999}",
                        "bufferSizeMb", "between 1 and 128"),
                Arguments.of("{\"name\":\"abc\",\"team\":\"t\",\"apiKeyRequired\":\"true\"}", "apiKeyRequired",
                        "true or false"),
                Arguments.of("{\"name\":\"abc\",\"team\":\"t\",\"apiKeyRequired\":1}", "apiKeyRequired",
                        "true or false"),
                Arguments.of("{\"name\":\"abc\",\"team\":7}", "team", "must be a string"),
                Arguments.of("{\"name\":\"abc\",\"team\":\"t\",\"compression\":[\"GZIP\"]}", "compression",
                        "must be a string"),
                Arguments.of("{\"name\":\"abc\",\"team\":\"t\",\"onDemand\":\"yes\"}", "onDemand", "true or false"),
                Arguments.of("{\"name\":\"abc\",\"team\":\"t\",\"allowedOrigins\":\"https://a.example\"}",
                        "allowedOrigins", "a list"));
    }

    @ParameterizedTest(name = "{1}: {2}")
    @MethodSource("brokenRules")
    void everyBrokenRuleIs400NamingTheField(String body, String field, String rule) {
        given().contentType(ContentType.JSON).body(body)
                .when().post("/api/pipelines")
                .then().log().ifValidationFails()
                .statusCode(400)
                .contentType(ContentType.JSON)
                .body("status", equalTo(400))
                .body("error", equalTo("Bad Request"))
                .body("violations", hasSize(1))
                .body("violations[0].field", equalTo(field))
                .body("violations[0].rule", containsString(rule));
    }

    @Test
    void everyViolationIsListedAtOnce() {
        given().contentType(ContentType.JSON)
                .body("{\"name\":\"X\",\"shards\":0,\"compression\":\"LZ4\",\"bufferSizeMb\":500}")
                .when().post("/api/pipelines")
                .then().statusCode(400)
                .body("message", equalTo("5 fields are invalid"))
                .body("violations.field", equalTo(List.of("name", "team", "shards", "bufferSizeMb", "compression")));
    }

    @Test
    void typeErrorsRangeErrorsAndUnknownFieldsAreListedAtOnce() {
        given().contentType(ContentType.JSON)
                .body("{\"name\":5,\"team\":\"t\",\"shards\":\"2\",\"onDemand\":\"yes\",\"retentionHours\":99999999999,"
                        + "\"allowedOrigins\":[\"https://a.example\",3,\"http://x.example:99999\"],\"apiKeyRequired\":\"true\","
                        + "\"colour\":\"red\"}")
                .when().post("/api/pipelines")
                .then().log().ifValidationFails().statusCode(400)
                .body("message", equalTo("8 fields are invalid"))
                .body("violations.field", equalTo(List.of("name", "shards", "onDemand", "retentionHours",
                        "allowedOrigins[1]", "allowedOrigins[2]", "apiKeyRequired", "colour")))
                .body("violations.rule", equalTo(List.of("must be a string", "must be a whole number",
                        "must be true or false", "must be between 24 and 8760", "must be a string",
                        "must have a port from 1 to 65535 (without leading zeros), or none", "must be true or false",
                        "is not a known field")));
    }

    @Test
    void aFieldGivenTwiceIsNotValidJson() {
        given().contentType(ContentType.JSON).body("{\"name\":\"abc\",\"team\":\"t\",\"name\":\"abd\"}")
                .when().post("/api/pipelines")
                .then().statusCode(400)
                .body("message", containsString("not valid JSON"))
                .body("message", containsString("name"));
    }

    /** Ten origins of the longest allowed form fit where the pipeline is stored, and come back as they were. */
    @Test
    void theLongestOriginListIsStored() {
        List<String> origins = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            // 63 + 1 + 63 + 1 + 63 + 1 + 61 = 253 characters, the longest host name
            String host = (char) ('a' + i) + "a".repeat(62) + "." + "b".repeat(63) + "." + "c".repeat(63) + "."
                    + "d".repeat(61);
            origins.add("https://" + host + ":" + (65535 - i));
        }
        Assertions.assertEquals(267, origins.get(0).length());
        String name = createWithOrigins(origins);
        given().get("/api/pipelines/" + name).then().statusCode(200).body("allowedOrigins", equalTo(origins));
    }

    @Test
    void originsAsBrowsersSendThemAreAccepted() {
        List<String> origins = List.of("http://localhost:3000", "https://shop.example",
                "http://127.0.0.1:8080", "https://x-1.example:8443");
        String name = createWithOrigins(origins);
        given().get("/api/pipelines/" + name).then().statusCode(200).body("allowedOrigins", equalTo(origins));
    }

    /** Requests a pipeline allowing these origins; expects 201. */
    private String createWithOrigins(List<String> origins) {
        String name = unique();
        String list = origins.stream().map(o -> "\"" + o + "\"").collect(Collectors.joining(","));
        given().contentType(ContentType.JSON)
                .body("{\"name\":\"" + name + "\",\"team\":\"t\",\"allowedOrigins\":[" + list + "]}")
                .when().post("/api/pipelines")
                .then().log().ifValidationFails().statusCode(201);
        return name;
    }

    @Test
    void nothingIsCreatedForABadRequest() {
        String name = PipelineApi.uniqueName("api");
        given().contentType(ContentType.JSON).body("{\"name\":\"" + name + "\",\"team\":\"t\",\"shards\":99}")
                .when().post("/api/pipelines").then().statusCode(400);
        given().get("/api/pipelines/" + name).then().statusCode(404);
        given().get("/api/pipelines").then().statusCode(200).body("name", not(hasItem(name)));
    }

    @Test
    void malformedJsonIs400() {
        given().contentType(ContentType.JSON).body("{\"name\": \"abc\", ")
                .when().post("/api/pipelines")
                .then().statusCode(400)
                .body("error", equalTo("Bad Request"))
                .body("message", containsString("not valid JSON"));
    }

    @Test
    void aBodyThatIsNotAnObjectIs400() {
        given().contentType(ContentType.JSON).body("[1, 2]")
                .when().post("/api/pipelines")
                .then().statusCode(400)
                .body("violations[0].field", equalTo("(body)"))
                .body("violations[0].rule", containsString("JSON object"));
    }

    @Test
    void aMissingBodyIs400() {
        given().contentType(ContentType.JSON)
                .when().post("/api/pipelines")
                .then().statusCode(400)
                .body("violations[0].field", equalTo("(body)"));
    }

    @Test
    void anotherMediaTypeIs415WithTheErrorBody() {
        given().contentType(ContentType.TEXT).body("name=abc")
                .when().post("/api/pipelines")
                .then().statusCode(415)
                .body("status", equalTo(415));
    }

    @Test
    void aDuplicateNameIs409() {
        String name = unique();
        String body = "{\"name\":\"" + name + "\",\"team\":\"checkout\"}";
        given().contentType(ContentType.JSON).body(body).when().post("/api/pipelines")
                .then().statusCode(201)
                .header("Location", endsWith("/api/pipelines/" + name));
        given().contentType(ContentType.JSON).body(body).when().post("/api/pipelines")
                .then().statusCode(409)
                .body("status", equalTo(409))
                .body("error", equalTo("Conflict"))
                .body("message", containsString(name));
    }

    @Test
    void anUnknownNameIs404Everywhere() {
        String name = PipelineApi.uniqueName("api");
        given().get("/api/pipelines/" + name).then().statusCode(404)
                .body("status", equalTo(404)).body("message", containsString(name));
        given().delete("/api/pipelines/" + name).then().statusCode(404).body("status", equalTo(404));
        given().post("/api/pipelines/" + name + "/retry").then().statusCode(404).body("status", equalTo(404));
        given().get("/api/no-such-thing").then().statusCode(404).body("status", equalTo(404));
    }

    @Test
    void defaultsAreFilledIn() {
        String name = unique();
        given().contentType(ContentType.JSON).body("{\"name\":\"" + name + "\",\"team\":\"web shop\"}")
                .when().post("/api/pipelines")
                .then().statusCode(201)
                .body("name", equalTo(name))
                .body("team", equalTo("web shop"))
                .body("shards", equalTo(1))
                .body("onDemand", equalTo(false))
                .body("retentionHours", equalTo(24))
                .body("bufferSizeMb", equalTo(5))
                .body("bufferIntervalSeconds", equalTo(60))
                .body("compression", equalTo("NONE"))
                .body("s3Prefix", equalTo("clicks/"))
                .body("allowedOrigins", equalTo(List.of("*")))
                .body("apiKeyRequired", equalTo(false))
                .body("steps.name", equalTo(List.of("ROLES", "STREAM", "BUCKET", "DELIVERY_STREAM", "INGEST_API", "ACCESS_LOGS")))
                .body("events[0].type", equalTo("CREATED"));
        given().get("/api/pipelines?team=web shop").then().statusCode(200).body("name", hasItem(name));
        given().get("/api/pipelines?team=other").then().statusCode(200).body("name", not(hasItem(name)));
    }

    @Test
    void onDemandHasNoShards() {
        String name = unique();
        given().contentType(ContentType.JSON).body("{\"name\":\"" + name + "\",\"team\":\"t\",\"onDemand\":true}")
                .when().post("/api/pipelines")
                .then().statusCode(201)
                .body("onDemand", equalTo(true))
                .body("shards", equalTo(null));
    }

    @Test
    void openApiDocumentsThePipelinesApi() {
        given().accept("application/json").get("/q/openapi")
                .then().statusCode(200)
                .body("paths.'/api/pipelines'.post.responses.'400'.description", containsString("Invalid input"))
                .body("paths.'/api/pipelines'.post.requestBody.content.'application/json'.schema.'$ref'",
                        endsWith("/PipelineRequest"))
                .body("paths.'/api/pipelines/{name}/retry'.post.responses.'409'", not(equalTo(null)))
                .body("components.schemas.Error.properties.violations", not(equalTo(null)));
        given().get("/q/swagger-ui/").then().statusCode(200);
    }

    /** A fresh name for a pipeline the test creates. */
    private String unique() {
        String name = PipelineApi.uniqueName("api");
        created.add(name);
        return name;
    }
}
