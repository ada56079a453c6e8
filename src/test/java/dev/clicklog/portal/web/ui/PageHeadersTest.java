package dev.clicklog.portal.web.ui;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.clicklog.portal.observe.ObservedPipelines;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Every HTML answer of the portal carries its defences — the Content Security Policy (with
 * {@code frame-ancestors 'none'}), {@code X-Content-Type-Options: nosniff}, a Referrer-Policy and
 * {@code X-Frame-Options: DENY} — whichever route made it: every page, every fragment a page swaps
 * in, every error page (a bad parameter, an unknown pipeline, an unknown address, a form sent back
 * with errors, a refused delete confirmation).
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PageHeadersTest {

    /** One answer to check: how to ask, and the status it must have. */
    private record Route(String method, String path, int status, String form) {

        static Route get(String path, int status) {
            return new Route("GET", path, status, null);
        }

        static Route post(String path, int status, String form) {
            return new Route("POST", path, status, form);
        }
    }

    private String name;

    @BeforeAll
    void pipeline() {
        ObservedPipelines.outsideTest(() -> name = ObservedPipelines.ready("headers", "").getString("name"));
    }

    @AfterAll
    void deletePipeline() {
        ObservedPipelines.outsideTest(() -> ObservedPipelines.delete(name));
    }

    @Test
    void everyHtmlAnswerCarriesTheHeaders() {
        String p = "/pipelines/" + name;
        List<Route> routes = List.of(
                Route.get("/", 200),
                Route.get("/?team=observers", 200),
                Route.get("/pipelines/new", 200),
                Route.post("/pipelines/new", 400, "name=x&team="),
                Route.get(p, 200),
                Route.get(p + "/status", 200),
                Route.get(p + "/metrics", 200),
                Route.get(p + "/metrics?window=7d", 400),
                Route.get(p + "/records", 200),
                Route.get(p + "/records?filter=type=click", 200),
                Route.get(p + "/records?filter=" + "x".repeat(201), 400),
                Route.get(p + "/records?before=yesterday", 400),
                Route.get(p + "/records?before=2020-01-01T00:00:00Z", 200),
                Route.get(p + "/records/activity", 200),
                Route.get(p + "/records/activity?field=type", 200),
                Route.get(p + "/refused", 200),
                Route.get(p + "/refused/rows", 200),
                Route.get(p + "/refused/rows?since=yesterday", 400),
                Route.get(p + "/objects", 200),
                Route.get(p + "/objects?limit=0", 400),
                Route.get(p + "/objects/preview?key=elsewhere/object", 403),
                Route.get(p + "/delete", 200),
                Route.post(p + "/delete", 400, "confirm=not-the-name"),
                Route.post(p + "/test-click", 200, ""),
                Route.get("/pipelines/no-such-pipeline-here", 404),
                Route.get("/pipelines/no-such-pipeline-here/records", 404),
                Route.get("/no/such/address", 404));
        List<String> missing = new ArrayList<>();
        for (Route route : routes) {
            RequestSpecification request = given().accept("text/html").redirects().follow(false);
            if (route.form() != null) {
                request = request.contentType("application/x-www-form-urlencoded").body(route.form());
            }
            Response answer = request.request(route.method(), route.path());
            String what = route.method() + " " + route.path();
            assertEquals(route.status(), answer.statusCode(), what + ": " + answer.asString());
            assertTrue(answer.contentType().startsWith("text/html"), what + " answered " + answer.contentType());
            String csp = answer.header("Content-Security-Policy");
            if (csp == null || !csp.contains("frame-ancestors 'none'") || !csp.contains("script-src 'self'")) {
                missing.add(what + ": Content-Security-Policy " + csp);
            }
            if (!"nosniff".equals(answer.header("X-Content-Type-Options"))) {
                missing.add(what + ": X-Content-Type-Options " + answer.header("X-Content-Type-Options"));
            }
            if (!"same-origin".equals(answer.header("Referrer-Policy"))) {
                missing.add(what + ": Referrer-Policy " + answer.header("Referrer-Policy"));
            }
            if (!"DENY".equals(answer.header("X-Frame-Options"))) {
                missing.add(what + ": X-Frame-Options " + answer.header("X-Frame-Options"));
            }
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void jsonAndStaticFilesAreNotSniffedEither() {
        for (String path : List.of("/api/pipelines/" + name, "/css/portal.css", "/js/portal.js")) {
            assertEquals("nosniff", given().get(path).then().statusCode(200).extract().header("X-Content-Type-Options"),
                    path);
        }
    }
}
