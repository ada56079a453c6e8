package dev.clicklog.portal.web.ui;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.clicklog.portal.observe.ObservedPipelines;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The Metrics page opens on its first window button, says each chart's period, refreshes its
 * charts by itself and lists each chart's values as text (reachable without hovering).
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsPageTest {

    private String name;

    @BeforeAll
    void pipeline() {
        ObservedPipelines.outsideTest(() -> name = ObservedPipelines.ready("metricspage", "").getString("name"));
    }

    @AfterAll
    void deletePipeline() {
        ObservedPipelines.outsideTest(() -> ObservedPipelines.delete(name));
    }

    @Test
    void opensOnTheFirstWindowAndSaysThePeriod() {
        String page = given().accept("text/html").get("/pipelines/" + name + "/metrics").then().statusCode(200)
                .extract().asString();
        assertTrue(page.contains("aria-current=\"true\">15m</a>"), "the first button is the window shown");
        assertTrue(page.contains("one value per 1 minute"), page);
        assertTrue(page.contains("<summary>Values (1 minute periods)</summary>"), page);
        assertTrue(page.contains("hx-trigger=\"every 60s\" hx-select=\"#charts\""), "the charts refresh by themselves");
        assertTrue(page.contains("data-zone-toggle>Times: UTC</button>"), "times can be shown in the browser's zone");
        assertTrue(page.matches("(?s).*data-utc=\"\\d\\d:\\d\\d\" data-t=\"\\d{4}-\\d\\d-\\d\\dT[^\"]+Z\".*"),
                "each time label carries its instant");

        String day = given().accept("text/html").get("/pipelines/" + name + "/metrics?window=24h").then()
                .statusCode(200).extract().asString();
        assertTrue(day.contains("aria-current=\"true\">24h</a>"));
        assertTrue(day.contains("one value per 15 minutes"), day);
    }
}
