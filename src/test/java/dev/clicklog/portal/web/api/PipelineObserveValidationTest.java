package dev.clicklog.portal.web.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Duration;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.clicklog.localaws.fault.FaultInjector;
import dev.clicklog.portal.observe.ObservedPipelines;
import dev.clicklog.portal.pipeline.PipelineApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** The observe API's answers to bad parameters, keys outside the pipeline, unknown and unready pipelines. */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PipelineObserveValidationTest {

    @Inject
    FaultInjector faults;

    private String name;
    private String root;

    @BeforeAll
    void readyPipeline() {
        ObservedPipelines.outsideTest(() -> {
            JsonPath pipeline = ObservedPipelines.ready("checks", "\"s3Prefix\":\"team/clicks/\"");
            name = pipeline.getString("name");
            root = pipeline.getString("resources.prefix");
        });
    }

    @AfterAll
    void deletePipeline() {
        ObservedPipelines.outsideTest(() -> {
            ObservedPipelines.delete(name);
        });
    }

    static Stream<Arguments> badParameters() {
        return Stream.of(
                // path and query, parameter, a part of the rule
                Arguments.of("/metrics?window=7d", "window", "must be one of 15m, 1h, 3h, 24h"),
                Arguments.of("/metrics?window=1H", "window", "must be one of"),
                Arguments.of("/records?limit=0", "limit", "between 1 and 500"),
                Arguments.of("/records?limit=501", "limit", "between 1 and 500"),
                Arguments.of("/records?limit=ten", "limit", "whole number"),
                Arguments.of("/records?limit=2.5", "limit", "whole number"),
                Arguments.of("/records?since=yesterday", "since", "ISO-8601"),
                Arguments.of("/records?since=2025-13-01T00:00:00Z", "since", "ISO-8601"),
                Arguments.of("/records?before=last-week", "before", "ISO-8601"),
                Arguments.of("/refused?limit=0", "limit", "between 1 and 500"),
                Arguments.of("/refused?limit=501", "limit", "between 1 and 500"),
                Arguments.of("/refused?since=yesterday", "since", "ISO-8601"),
                Arguments.of("/objects?limit=0", "limit", "between 1 and 1000"),
                Arguments.of("/objects?limit=1001", "limit", "between 1 and 1000"),
                Arguments.of("/objects?prefix=/abs/", "prefix", "must not start with /"),
                Arguments.of("/objects?prefix=../other/", "prefix", "'..'"),
                Arguments.of("/objects?continuationToken=not-a-token", "continuationToken", "not a token"),
                Arguments.of("/objects?continuationToken=%25%25", "continuationToken", "not a token"),
                Arguments.of("/objects/preview", "key", "is required"));
    }

    @ParameterizedTest
    @MethodSource("badParameters")
    void aBadParameterIsNamed(String pathAndQuery, String parameter, String rule) {
        given().get("/api/pipelines/" + name + pathAndQuery)
                .then().log().ifValidationFails()
                .statusCode(400)
                .body("status", equalTo(400))
                .body("violations", hasSize(1))
                .body("violations[0].field", equalTo(parameter))
                .body("violations[0].rule", containsString(rule))
                .body("message", containsString(parameter));
    }

    static Stream<Arguments> keysOutside() {
        return Stream.of(
                Arguments.of("other/object"),
                Arguments.of("team/clickstream/object"),
                Arguments.of("{root}../escape"),
                Arguments.of("{root}year=2025/../../other"),
                Arguments.of("{root}./object"),
                Arguments.of("errors/object"));
    }

    @ParameterizedTest
    @MethodSource("keysOutside")
    void aKeyOutsideThePipelineIsForbidden(String key) {
        given().queryParam("key", key.replace("{root}", root)).get("/api/pipelines/" + name + "/objects/preview")
                .then().log().ifValidationFails()
                .statusCode(403)
                .body("status", equalTo(403))
                .body("message", containsString("key"));
    }

    @Test
    void aMissingObjectIsNotFound() {
        given().queryParam("key", root + "year=2025/none").get("/api/pipelines/" + name + "/objects/preview")
                .then().statusCode(404).body("message", containsString("no object"));
    }

    @Test
    void anUnknownPipelineIsNotFound() {
        for (String path : new String[] { "/metrics", "/records", "/objects", "/objects/preview?key=x" }) {
            given().get("/api/pipelines/no-such-pipeline" + path)
                    .then().statusCode(404).body("message", containsString("no-such-pipeline"));
        }
        given().post("/api/pipelines/no-such-pipeline/test-click").then().statusCode(404);
    }

    @Test
    void aPipelineThatIsNotReadyCannotBeObserved() {
        // The stream stays CREATING for a while, so the pipeline stays PROVISIONING.
        faults.overrideDelay("kinesis.stream-activation", Duration.ofSeconds(8));
        String waiting = PipelineApi.uniqueName("waiting");
        try {
            PipelineApi.create("{\"name\":\"" + waiting + "\",\"team\":\"observers\"}");
            for (String path : new String[] { "/metrics", "/records", "/objects", "/objects/preview?key=x" }) {
                given().get("/api/pipelines/" + waiting + path)
                        .then().log().ifValidationFails()
                        .statusCode(409)
                        .body("message", containsString("is PROVISIONING"));
            }
            given().post("/api/pipelines/" + waiting + "/test-click").then().statusCode(409);
        } finally {
            faults.clear();
            PipelineApi.delete(waiting);
            PipelineApi.awaitStatus(waiting, "DELETED", PipelineApi.TEARDOWN);
        }
        given().get("/api/pipelines/" + waiting + "/records")
                .then().statusCode(409).body("message", containsString("is DELETED"));
    }

    @Test
    void theObserveApiIsDocumented() {
        JsonPath api = given().accept("application/json").get("/q/openapi?format=json")
                .then().statusCode(200).extract().jsonPath();
        for (String path : new String[] { "metrics", "records", "objects", "objects/preview" }) {
            String p = "paths.'/api/pipelines/{name}/" + path + "'.get";
            assertNotNull(api.get(p + ".summary"), p);
            assertNotNull(api.get(p + ".responses.'200'"), p);
            assertNotNull(api.get(p + ".responses.'409'"), p);
        }
        assertNotNull(api.get("paths.'/api/pipelines/{name}/test-click'.post.summary"));
        assertNotNull(api.get("components.schemas.PipelineMetrics.properties.series"));
        assertNotNull(api.get("components.schemas.RecentRecords.properties.records"));
    }
}
