package dev.clicklog.portal.observe;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * /refused: the requests a pipeline's gateway refused — bad JSON, a wrong content type — read back
 * from its stage's access log group, newest first with status and reason; accepted clicks are not
 * among them. The page shows the same, and its rows fragment answers only those since a time.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RefusedRequestsTest {

    /** localaws delivers access logs 2 s after the request; AWS within a minute. */
    private static final Duration DELIVERY = Duration.ofSeconds(30);

    private String name;
    private String invokeUrl;
    private Instant before;

    @BeforeAll
    void refusals() {
        ObservedPipelines.outsideTest(() -> {
            JsonPath pipeline = ObservedPipelines.ready("refused", "\"allowedOrigins\":[\"https://shop.example\"]");
            name = pipeline.getString("name");
            invokeUrl = pipeline.getString("invokeUrl");
            before = Instant.now();
            ObservedPipelines.click(pipeline, "{\"type\":\"accepted\"}");
            given().contentType("text/plain;charset=UTF-8").body("not json at all").header("User-Agent", "refused-test/1")
                    .when().post(invokeUrl).then().statusCode(400);
            given().contentType("application/x-www-form-urlencoded").body("page=/a").when().put(invokeUrl)
                    .then().statusCode(415);
        });
    }

    @AfterAll
    void deletePipeline() {
        ObservedPipelines.outsideTest(() -> ObservedPipelines.delete(name));
    }

    @Test
    void refusedRequestsAreListedNewestFirstWithStatusAndReason() {
        JsonPath refused = await().atMost(DELIVERY).pollInterval(Duration.ofMillis(250))
                .until(() -> refused(""), r -> r.getList("requests").size() >= 2);

        assertEquals(name, refused.getString("pipeline"));
        assertEquals("/aws/apigateway/clicklog-" + name, refused.getString("logGroup"));
        assertEquals(50, refused.getInt("limit"));
        assertTrue(refused.getBoolean("complete"));
        assertEquals(List.of(415, 400), refused.getList("requests.status"), "newest first; the accepted click is not one");
        assertEquals(List.of("Unsupported Media Type", "Invalid request body"), refused.getList("requests.reason"));
        assertEquals(List.of("UNSUPPORTED_MEDIA_TYPE", "BAD_REQUEST_BODY"), refused.getList("requests.responseType"));
        assertEquals(List.of("PUT", "POST"), refused.getList("requests.method"));
        assertEquals(List.of("/clicks", "/clicks"), refused.getList("requests.path"));
        assertEquals("refused-test/1", refused.getString("requests[1].userAgent"));
        assertEquals("127.0.0.1", refused.getString("requests[1].sourceIp"));
        assertTrue(refused.getLong("requests[1].requestLength") >= "not json at all".length(),
                refused.getString("requests[1].requestLength"));
        for (Map<String, Object> r : refused.<Map<String, Object>>getList("requests")) {
            assertNotNull(r.get("requestId"));
            Instant at = Instant.parse((String) r.get("time"));
            assertTrue(!at.isBefore(before.minusSeconds(1)) && !at.isAfter(Instant.now()), at + " is not when it was sent");
        }
        Instant newer = Instant.parse(refused.getString("requests[0].time"));
        Instant older = Instant.parse(refused.getString("requests[1].time"));
        assertTrue(!newer.isBefore(older), newer + " before " + older);

        JsonPath newest = refused("?limit=1");
        assertEquals(List.of(415), newest.getList("requests.status"));
        JsonPath later = refused("?since=" + Instant.now().plusSeconds(60));
        assertEquals(List.of(), later.getList("requests"));
    }

    @Test
    void anUnknownPipelineIsNotFound() {
        given().get("/api/pipelines/no-such-pipeline-here/refused").then().statusCode(404);
        given().accept(ContentType.HTML).get("/pipelines/no-such-pipeline-here/refused").then().statusCode(404);
    }

    @Test
    void thePageAndItsRowsShowThem() {
        await().atMost(DELIVERY).pollInterval(Duration.ofMillis(250))
                .until(() -> refused(""), r -> r.getList("requests").size() >= 2);

        String page = given().accept(ContentType.HTML).get("/pipelines/" + name + "/refused")
                .then().statusCode(200).body(containsString("Refused requests"))
                .body(containsString("Invalid request body")).body(containsString("Unsupported Media Type"))
                .body(containsString("aria-current=\"page\">Refused</a>"))
                .extract().asString();
        assertTrue(page.indexOf("Unsupported Media Type") < page.indexOf("Invalid request body"), "newest first");

        String rows = given().accept(ContentType.HTML).queryParam("since", Instant.now().plusSeconds(60).toString())
                .get("/pipelines/" + name + "/refused/rows")
                .then().statusCode(200).extract().asString();
        assertTrue(!rows.contains("<tr"), rows);
        String all = given().accept(ContentType.HTML).get("/pipelines/" + name + "/refused/rows")
                .then().statusCode(200).extract().asString();
        assertEquals(2, all.split("<tr id=\"refused-", -1).length - 1, all);
        given().accept(ContentType.HTML).queryParam("since", "yesterday").get("/pipelines/" + name + "/refused/rows")
                .then().statusCode(400).body(containsString("data-problem")).body(containsString("since"));
    }

    private JsonPath refused(String query) {
        return given().get("/api/pipelines/" + name + "/refused" + query)
                .then().log().ifValidationFails().statusCode(200).extract().jsonPath();
    }
}
