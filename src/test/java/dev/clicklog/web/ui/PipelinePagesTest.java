package dev.clicklog.web.ui;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.clicklog.localaws.fault.FaultInjector;
import dev.clicklog.observe.ObservedPipelines;
import dev.clicklog.pipeline.PipelineApi;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * The pages over plain HTTP: the form's messages are the REST API's rules, word for word, each
 * next to its input; what was typed comes back, escaped; forms from other sites are refused; a
 * failed pipeline shows AWS's words and can be retried; errors are pages, not stack traces.
 */
@QuarkusTest
class PipelinePagesTest {

    private static final Pattern FIELD_ERROR = Pattern.compile("<p class=\"field-error\" id=\"(\\w+)-error\"[^>]*>([^<]*)</p>");

    @TestHTTPResource("/")
    String root;

    @Inject
    FaultInjector faults;

    @AfterEach
    void clearFaults() {
        faults.clear();
    }

    @Test
    void theFormReportsTheApisRulesNextToEachInput() {
        String description = "d".repeat(501);
        JsonPath api = given().contentType(ContentType.JSON).body("{\"name\":\"Bad_Name\",\"team\":\"\",\"description\":\""
                + description + "\",\"shards\":0,\"retentionHours\":23,\"bufferSizeMb\":129,\"bufferIntervalSeconds\":901,"
                + "\"compression\":\"ZIP\",\"s3Prefix\":\"no-slash\",\"allowedOrigins\":[\"*\",\"ftp://x\"]}")
                .post("/api/pipelines").then().statusCode(400).extract().jsonPath();
        List<Map<String, String>> violations = api.getList("violations");
        assertEquals(11, violations.size(), violations.toString());

        String page = form(Map.ofEntries(Map.entry("name", "Bad_Name"), Map.entry("team", ""),
                Map.entry("description", description), Map.entry("capacity", "shards"), Map.entry("shards", "0"),
                Map.entry("retentionHours", "23"), Map.entry("bufferSizeMb", "129"),
                Map.entry("bufferIntervalSeconds", "901"), Map.entry("compression", "ZIP"),
                Map.entry("s3Prefix", "no-slash"), Map.entry("allowedOrigins", "*\nftp://x")))
                .then().statusCode(400).contentType(ContentType.HTML).extract().asString();

        Map<String, String> shown = fieldErrors(page);
        for (Map<String, String> v : violations) {
            String field = v.get("field").replaceAll("\\[\\d+]$", "");
            String rule = v.get("field").endsWith("]")
                    ? "line " + (Integer.parseInt(v.get("field").replaceAll(".*\\[(\\d+)]$", "$1")) + 1) + ": " + v.get("rule")
                    : v.get("rule");
            assertTrue(shown.containsKey(field), field + " has no message next to it: " + shown);
            assertTrue(shown.get(field).contains(rule), field + ": '" + shown.get(field) + "' lacks '" + rule + "'");
            assertTrue(page.contains("id=\"" + field + "\""), "an input with id " + field);
        }
        assertEquals(10, shown.size(), "one message per input: " + shown);
        assertTrue(page.contains("10 fields need attention"));
        assertTrue(page.contains("<a href=\"#retentionHours\">Retention must be between 24 and 8760</a>"));
    }

    @Test
    void theFormKeepsWhatWasTypedEscaped() {
        String page = form(Map.of("name", "\"><script>alert(1)</script>", "team", "t", "capacity", "onDemand",
                "shards", "", "description", "</textarea><script>alert(2)</script>", "compression", "GZIP",
                "allowedOrigins", "https://shop.example", "apiKeyRequired", "true"))
                .then().statusCode(400).extract().asString();

        assertTrue(page.contains("value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\""), page);
        assertTrue(page.contains("&lt;/textarea&gt;&lt;script&gt;alert(2)&lt;/script&gt;</textarea>"));
        assertTrue(!page.contains("<script>alert"), "no markup from the input survives");
        assertTrue(page.contains("value=\"onDemand\" checked"), "on demand kept");
        assertTrue(page.contains("<option value=\"GZIP\" selected>"), "compression kept");
        assertTrue(page.contains("name=\"apiKeyRequired\" value=\"true\" checked"), "API key kept");
        assertTrue(page.contains(">https://shop.example</textarea>"), "origins kept");
    }

    @Test
    void aTakenNameIsReportedOnTheNameInput() {
        String name = PipelineApi.uniqueName("taken");
        PipelineApi.create("{\"name\":\"" + name + "\",\"team\":\"t\"}");
        try {
            String page = form(Map.of("name", name, "team", "t")).then().statusCode(400).extract().asString();
            assertEquals("Name is taken: a pipeline named '" + name + "' exists already; choose another name",
                    fieldErrors(page).get("name"));
        } finally {
            ObservedPipelines.delete(name);
        }
    }

    @Test
    void aValidFormRequestsThePipelineAndShowsIt() {
        String name = PipelineApi.uniqueName("form");
        form(Map.of("name", name, "team", "form-team", "capacity", "shards", "shards", "2", "retentionHours", "48",
                "bufferIntervalSeconds", "5", "allowedOrigins", "https://a.example\nhttps://b.example"))
                .then().statusCode(303).header("Location", endsWith("/pipelines/" + name));
        try {
            JsonPath view = PipelineApi.get(name);
            assertEquals("form-team", view.getString("team"));
            assertEquals(2, view.getInt("shards"));
            assertEquals(48, view.getInt("retentionHours"));
            assertEquals(5, view.getInt("bufferIntervalSeconds"));
            assertEquals(List.of("https://a.example", "https://b.example"), view.getList("allowedOrigins"));
            given().get("/pipelines/" + name).then().statusCode(200)
                    .body(containsString("<h1>" + name + " <span id=\"status-badge\">"));
        } finally {
            ObservedPipelines.delete(name);
        }
    }

    @Test
    void formsFromAnotherSiteAreRefused() {
        String name = PipelineApi.uniqueName("csrf");
        given().header("Origin", "https://evil.example").contentType(ContentType.URLENC)
                .formParam("name", name).formParam("team", "t")
                .post("/pipelines/new").then().statusCode(403);
        given().get("/api/pipelines/" + name).then().statusCode(404);
        given().header("Origin", "https://evil.example").contentType(ContentType.URLENC).formParam("confirm", name)
                .post("/pipelines/" + name + "/delete").then().statusCode(403);
    }

    @Test
    void unknownPipelinesAre404Pages() {
        for (String page : List.of("", "/live", "/metrics", "/records", "/records/list", "/objects",
                "/objects/preview?key=k", "/delete")) {
            given().get("/pipelines/no-such-pipeline" + page).then().statusCode(404).contentType(ContentType.HTML)
                    .body(containsString("<h1>Pipeline not found</h1>"))
                    .body(containsString("There is no pipeline named &#39;no-such-pipeline&#39;."));
        }
        given().get("/api/pipelines/no-such-pipeline").then().statusCode(404).contentType(ContentType.JSON);
    }

    @Test
    void pagesRunOnlyTheirOwnScripts() {
        Response list = given().get("/");
        list.then().statusCode(200)
                .header("Content-Security-Policy", containsString("script-src 'self'"))
                .header("Content-Security-Policy", containsString("style-src 'self'"))
                .header("X-Content-Type-Options", "nosniff")
                .body(containsString("<script src=\"/webjars/htmx.org/2.0.3/dist/htmx.min.js\" defer></script>"))
                .body(not(containsString("src=\"http")))
                .body(not(containsString("href=\"http")))
                .body(not(containsString(" style=\"")));
        given().get("/webjars/htmx.org/2.0.3/dist/htmx.min.js").then().statusCode(200);
        given().get("/css/portal.css").then().statusCode(200);
        given().get("/js/portal.js").then().statusCode(200);
        given().get("/favicon.svg").then().statusCode(200);
    }

    @Test
    void aFailedPipelineShowsAwsWordsAndCanBeRetried() {
        String message = "Bucket arn:aws:s3:::elsewhere is in another region";
        faults.failAlways("firehose", "CreateDeliveryStream", 400, "InvalidArgumentException", message);
        String name = PipelineApi.uniqueName("failed");
        PipelineApi.create("{\"name\":\"" + name + "\",\"team\":\"t\"}");
        try {
            given().get("/pipelines/" + name + "/live").then().statusCode(200)
                    .body(containsString("hx-trigger=\"every 1s\""));
            PipelineApi.awaitStatus(name, "FAILED");

            String overview = given().get("/pipelines/" + name).then().statusCode(200).extract().asString();
            assertTrue(!overview.contains("hx-trigger"), "a FAILED pipeline changes no more by itself: no polling");
            assertTrue(overview.contains("<span class=\"badge badge-failed\">FAILED</span>"));
            assertTrue(overview.contains("<div class=\"step-error\"><span class=\"visually-hidden\">Last error: </span>"
                    + "InvalidArgumentException: " + message + "</div>"), overview);
            assertTrue(overview.contains("2 failed attempts"));
            assertTrue(overview.contains("<form method=\"post\" action=\"/pipelines/" + name + "/retry\">"));
            for (String page : List.of("/metrics", "/records", "/objects")) {
                given().get("/pipelines/" + name + page).then().statusCode(200)
                        .body(containsString("<h2>Provisioning failed</h2>"));
            }

            given().header("Origin", root.replaceAll("/$", "")).contentType(ContentType.URLENC).redirects().follow(false)
                    .post("/pipelines/" + name + "/retry")
                    .then().statusCode(303).header("Location", endsWith("/pipelines/" + name));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> PipelineApi.get(name).getList("events.type").contains("RETRY_REQUESTED"));
        } finally {
            faults.clear();
            ObservedPipelines.delete(name);
        }
    }

    @Test
    void deletingNeedsTheNameTyped() {
        String name = PipelineApi.uniqueName("confirm");
        PipelineApi.create("{\"name\":\"" + name + "\",\"team\":\"t\"}");
        try {
            given().get("/pipelines/" + name + "/delete").then().statusCode(200)
                    .body(containsString("Type <strong>" + name + "</strong> to confirm"));
            given().contentType(ContentType.URLENC).formParam("confirm", name.toUpperCase())
                    .post("/pipelines/" + name + "/delete").then().statusCode(400)
                    .body(containsString("Type the pipeline&#39;s name, " + name + ", to confirm."));
            String status = PipelineApi.get(name).getString("status");
            assertTrue(!status.equals("DELETING") && !status.equals("DELETED"), status);

            given().contentType(ContentType.URLENC).formParam("confirm", name).redirects().follow(false)
                    .post("/pipelines/" + name + "/delete").then().statusCode(303);
            assertTrue(List.of("DELETING", "DELETED").contains(PipelineApi.get(name).getString("status")));
            given().redirects().follow(false).get("/pipelines/" + name + "/delete").then().statusCode(303);
        } finally {
            ObservedPipelines.delete(name);
        }
    }

    private static Response form(Map<String, String> fields) {
        return given().contentType(ContentType.URLENC).formParams(fields).redirects().follow(false)
                .post("/pipelines/new");
    }

    /** Each input's message as the page shows it, as text. */
    private static Map<String, String> fieldErrors(String page) {
        Map<String, String> errors = new LinkedHashMap<>();
        Matcher m = FIELD_ERROR.matcher(page);
        while (m.find()) {
            errors.put(m.group(1), m.group(2).replace("&#39;", "'").replace("&quot;", "\"").replace("&lt;", "<")
                    .replace("&gt;", ">").replace("&amp;", "&"));
        }
        return errors;
    }
}
