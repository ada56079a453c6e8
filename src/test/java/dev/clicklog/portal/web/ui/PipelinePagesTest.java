package dev.clicklog.portal.web.ui;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import dev.clicklog.portal.observe.ObservedPipelines;
import dev.clicklog.portal.pipeline.PipelineApi;
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
    void changesFromAnotherSiteAreRefusedByTheApiToo() {
        String name = PipelineApi.uniqueName("csrf-api");
        String request = "{\"name\":\"" + name + "\",\"team\":\"t\",\"bufferIntervalSeconds\":1}";
        given().header("Origin", "http://evil.example").contentType(ContentType.JSON).body(request)
                .post("/api/pipelines").then().statusCode(403).contentType(ContentType.JSON)
                .body("status", equalTo(403)).body("error", equalTo("Forbidden"))
                .body("message", containsString("from origin http://evil.example refused"));
        given().get("/api/pipelines/" + name).then().statusCode(404);
        // A browser that leaves Origin out still says where the request comes from.
        given().header("Sec-Fetch-Site", "cross-site").delete("/api/pipelines/" + name)
                .then().statusCode(403).contentType(ContentType.JSON).body("message", containsString("cross-site"));
        given().header("Origin", "null").contentType(ContentType.JSON).body(request).post("/api/pipelines")
                .then().statusCode(403);

        // Tools send no Origin, the portal's pages their own: both pass.
        PipelineApi.create(request);
        try {
            PipelineApi.awaitStatus(name, "READY", ObservedPipelines.WAIT);
            given().header("Origin", "http://evil.example").contentType(ContentType.URLENC)
                    .post("/api/pipelines/" + name + "/test-click")
                    .then().statusCode(403).contentType(ContentType.JSON).body("status", equalTo(403));
            given().header("Origin", root.replaceAll("/$", "")).header("Sec-Fetch-Site", "same-origin")
                    .contentType(ContentType.URLENC).post("/api/pipelines/" + name + "/test-click")
                    .then().statusCode(200).body("status", equalTo(200));
            // The refused click would have arrived first: only the one sent from the portal did.
            await().atMost(ObservedPipelines.WAIT).until(() -> !ObservedPipelines.records(name, "").getList("records")
                    .isEmpty());
            assertEquals(List.of("test-click"), ObservedPipelines.records(name, "").getList("records.data.json.type"));
        } finally {
            ObservedPipelines.delete(name);
        }
    }

    @Test
    void unknownPipelinesAre404Pages() {
        for (String page : List.of("", "/status", "/metrics", "/records", "/records/stream", "/objects",
                "/objects/preview?key=k", "/delete")) {
            given().get("/pipelines/no-such-pipeline" + page).then().statusCode(404).contentType(ContentType.HTML)
                    .body(containsString("<h1>Pipeline not found</h1>"))
                    .body(containsString("There is no pipeline named &#39;no-such-pipeline&#39;."));
        }
        given().get("/api/pipelines/no-such-pipeline").then().statusCode(404).contentType(ContentType.JSON);
    }

    @Test
    void unknownAddressesAreTheNotFoundPage() {
        for (String path : List.of("/nothing-here", "/pipelines/some-pipeline/xyz", "/pipelines/new/xyz")) {
            given().accept("text/html,application/xhtml+xml,*/*;q=0.8").get(path).then().statusCode(404)
                    .contentType(ContentType.HTML)
                    .header("Content-Security-Policy", containsString("script-src 'self'"))
                    .body(containsString("<h1>Page not found</h1>"))
                    .body(containsString("There is no page at <code>" + path + "</code>."));
        }
        given().get("/nothing-here?x=%3Cscript%3E").then().statusCode(404).body(not(containsString("<script>")));
        for (String path : List.of("/api/nothing-here", "/api/pipelines/some-pipeline/xyz")) {
            given().accept("text/html").get(path).then().statusCode(404).contentType(ContentType.JSON)
                    .body("status", equalTo(404)).body("message", equalTo("no such resource: " + path));
        }
    }

    @Test
    void pageErrorsAnswerTheirStatusWithTheNotice() {
        JsonPath pipeline = ObservedPipelines.ready("page-errors", "");
        String name = pipeline.getString("name");
        String prefix = pipeline.getString("resources.prefix");
        String page = "/pipelines/" + name;
        try {
            assertNotice(page + "/objects/preview?key=" + prefix + "../x", 403, "must not contain &#39;.&#39; or "
                    + "&#39;..&#39; segments");
            assertNotice(page + "/objects/preview?key=elsewhere/x", 403, "is outside the pipeline&#39;s prefix");
            assertNotice(page + "/objects/preview?key=" + prefix + "missing.json", 404, "missing.json");
            assertNotice(page + "/objects?limit=99999", 400, "limit must be between 1 and 1000");
            // The page's parameter is the one the message names.
            String refused = assertNotice(page + "/objects?continuationToken=zzz", 400,
                    "continuationToken is not a token this listing returned");
            assertTrue(refused.contains("href=\"" + page + "/objects?prefix=\">Start again from the folder"), refused);
            assertNotice(page + "/metrics?window=2d", 400, "window must be one of 15m, 1h, 3h, 24h");
            given().get(page + "/objects?limit=1000").then().statusCode(200);
        } finally {
            ObservedPipelines.delete(name);
        }
    }

    @Test
    void recordsPageShowsAFailedReadAndTheNextOneWorks() {
        JsonPath pipeline = ObservedPipelines.ready("refresh", "");
        String name = pipeline.getString("name");
        String records = "/pipelines/" + name + "/records";
        try {
            faults.failAlways("kinesis", "GetRecords", 500, "InternalFailure", "the shard is unwell");
            String failed = given().get(records).then().statusCode(502).contentType(ContentType.HTML).extract().asString();
            assertTrue(failed.contains("InternalFailure: the shard is unwell"), failed);
            assertTrue(failed.contains("id=\"clicks-filter\""), "the filter stays usable: " + failed);

            faults.clear();
            given().get(records).then().statusCode(200).body(containsString("No clicks yet"))
                    .body(containsString("data-stream=\"" + records + "/stream?since="));
        } finally {
            faults.clear();
            ObservedPipelines.delete(name);
        }
    }

    /** The page answers this status and shows the problem in its notice; answers the page. */
    private static String assertNotice(String path, int status, String notice) {
        String page = given().get(path).then().statusCode(status).contentType(ContentType.HTML).extract().asString();
        Matcher m = Pattern.compile("<p class=\"notice error\" role=\"alert\">([^<]*)</p>").matcher(page);
        assertTrue(m.find(), path + " shows no notice: " + page);
        assertTrue(m.group(1).contains(notice), path + ": '" + m.group(1) + "' lacks '" + notice + "'");
        return page;
    }

    @Test
    void theOverviewNamesEachResourceByItsArn() {
        JsonPath pipeline = ObservedPipelines.ready("arns", "\"apiKeyRequired\":true");
        String name = pipeline.getString("name");
        try {
            JsonPath r = PipelineApi.get(name).setRootPath("resources");
            String[] stream = r.getString("streamArn").split(":");
            String apiGateway = "arn:" + stream[1] + ":apigateway:" + stream[3] + "::/";
            String overview = given().get("/pipelines/" + name).then().statusCode(200).extract().asString();
            List<String> arns = List.of(apiGateway + "restapis/" + r.getString("restApiId"),
                    "arn:" + stream[1] + ":s3:::" + r.getString("bucket"), r.getString("streamArn"),
                    r.getString("deliveryStreamArn"), r.getString("apiRoleArn"), r.getString("deliveryRoleArn"),
                    apiGateway + "apikeys/" + r.getString("apiKeyId"), apiGateway + "usageplans/" + r.getString("usagePlanId"));
            for (String arn : arns) {
                assertTrue(overview.contains("<code>" + arn + "</code>"), arn + " is not shown");
            }
            assertTrue(!overview.contains("s3://"), "the bucket by its ARN");
            // Each event with its day and time, in UTC.
            Matcher time = Pattern.compile("<time datetime=\"([^\"]+)\">(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3}) UTC</time>")
                    .matcher(overview);
            assertTrue(time.find(), "history times: " + overview);
            assertEquals(time.group(1).replace('T', ' ').substring(0, 19), time.group(2).substring(0, 19));
            // A beacon cannot carry the key this pipeline requires.
            assertTrue(overview.contains("id=\"snippet-unload\"") && !overview.contains("sendBeacon("), overview);
        } finally {
            ObservedPipelines.delete(name);
        }
    }

    @Test
    void theApiDocumentationHoldsTheApiAlone() {
        Map<String, Object> paths = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .extract().jsonPath().getMap("paths");
        assertTrue(paths.containsKey("/api/pipelines/{name}/records"), paths.keySet().toString());
        assertEquals(List.of(), paths.keySet().stream().filter(p -> !p.startsWith("/api/")).toList(),
                "only the REST API is documented");
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
    void aRetryingStepSaysWhichAttemptComesAndWhen() {
        String name = retrying("retrying");
        try {
            String live = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                    .until(() -> given().get("/pipelines/" + name + "/status").then().statusCode(200).extract().asString(),
                            page -> page.contains("step-retrying"));
            Matcher attempt = Pattern.compile("attempt (\\d+) of (\\d+)").matcher(live);
            assertTrue(attempt.find(), live);
            assertTrue(Integer.parseInt(attempt.group(1)) >= 2, attempt.group());
            assertEquals("8", attempt.group(2), "a retryable error's budget, clicklog.pipelines.backoff.attempts");
            assertTrue(live.contains(">RETRYING</span>"), live);
            assertTrue(live.contains("ServiceUnavailableException: try again later"), live);
            assertTrue(live.contains("Next attempt at <time datetime=\""), live);
            assertTrue(Pattern.compile("class=\"muted small step-elapsed\"><span class=\"visually-hidden\">Took </span>"
                    + "\\d+(\\.\\d)? s</span>").matcher(live).find(), "each started step says how long it took: " + live);
        } finally {
            faults.clear();
        }
        PipelineApi.awaitStatus(name, "READY");
        String ready = given().get("/pipelines/" + name).then().statusCode(200).extract().asString();
        assertTrue(!ready.contains("step-retrying"), "a step that succeeded retries no more");
        ObservedPipelines.delete(name);
    }

    /**
     * What the overview polls: the status card alone while the pipeline changes (no header, no tabs),
     * polling itself; once it has settled, a card that polls no more, with what settling changed
     * elsewhere (badge, actions, the rest of the overview) swapped in out of band.
     */
    @Test
    void theStatusRouteIsTheCardAloneUntilThePipelineSettles() {
        String name = retrying("card");
        try {
            String card = given().get("/pipelines/" + name + "/status").then().statusCode(200)
                    .contentType(containsString("text/html")).extract().asString();
            assertTrue(card.strip().startsWith("<section id=\"status-card\" class=\"card status-card status-provisioning\""),
                    card);
            assertTrue(card.contains("hx-get=\"/pipelines/" + name + "/status\" hx-trigger=\"every 1s\" "
                    + "hx-swap=\"outerHTML\""), card);
            for (String outside : List.of("pipeline-head", "<nav class=\"tabs\"", "hx-swap-oob", "<html", "id=\"overview-details\"")) {
                assertFalse(card.contains(outside), outside + " in the card:\n" + card);
            }
        } finally {
            faults.clear();
        }
        PipelineApi.awaitStatus(name, "READY");
        String settled = given().get("/pipelines/" + name + "/status").then().statusCode(200).extract().asString();
        assertTrue(settled.strip().startsWith("<section id=\"status-card\" class=\"card status-card status-ready\""), settled);
        assertFalse(settled.contains("hx-trigger"), "a settled pipeline's card polls no more: " + settled);
        assertTrue(settled.contains("<span id=\"status-badge\" hx-swap-oob=\"true\"><span class=\"badge badge-ready\">READY</span>"),
                settled);
        assertTrue(settled.contains("<div id=\"pipeline-actions\" class=\"actions\" hx-swap-oob=\"true\">"), settled);
        assertTrue(settled.contains("<div id=\"overview-details\" class=\"overview-details\" hx-swap-oob=\"true\">"), settled);
        assertTrue(settled.contains("<aside id=\"overview-side\" class=\"overview-side\" hx-swap-oob=\"true\""), settled);
        assertTrue(settled.contains("id=\"invoke-url\""), "how to send clicks, now that it takes them: " + settled);
        assertFalse(settled.contains("pipeline-head") || settled.contains("<nav class=\"tabs\""), settled);

        String page = given().get("/pipelines/" + name).then().statusCode(200).extract().asString();
        assertFalse(page.contains("hx-swap-oob"), "the page itself swaps nothing out of band");
        assertTrue(page.contains("<div id=\"overview-details\" class=\"overview-details\">"), page);
        given().get("/pipelines/no-such-pipeline/status").then().statusCode(404);
        ObservedPipelines.delete(name);
    }

    /** Requests a pipeline whose delivery stream step keeps failing with a retryable error until the faults are cleared. */
    private String retrying(String prefix) {
        faults.failAlways("firehose", "CreateDeliveryStream", 500, "ServiceUnavailableException", "try again later");
        String name = PipelineApi.uniqueName(prefix);
        PipelineApi.create("{\"name\":\"" + name + "\",\"team\":\"t\"}");
        return name;
    }

    @Test
    void aFailedPipelineShowsAwsWordsAndCanBeRetried() {
        String message = "Bucket arn:aws:s3:::elsewhere is in another region";
        faults.failAlways("firehose", "CreateDeliveryStream", 400, "InvalidArgumentException", message);
        String name = PipelineApi.uniqueName("failed");
        PipelineApi.create("{\"name\":\"" + name + "\",\"team\":\"t\"}");
        try {
            given().get("/pipelines/" + name + "/status").then().statusCode(200)
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
