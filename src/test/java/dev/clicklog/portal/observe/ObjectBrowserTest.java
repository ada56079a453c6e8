package dev.clicklog.portal.observe;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.clicklog.endpoint.LocalEndpoint;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * /objects and /objects/preview on a pipeline that compresses with GZIP and requires an API key:
 * paging over more objects than one S3 page holds, previews of compressed, large and empty
 * objects, a test click that Firehose stores gzipped, and download links: the API's download-url
 * and the page's Download, which redirects to a fresh presigned GET on the local endpoint; the
 * same keys as a preview are refused.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ObjectBrowserTest {

    private static final int OBJECTS = 1_050;
    /** What a preview fetches of an object. */
    private static final int PREVIEW_BYTES = 256 * 1024;
    /** Bytes per line of the large object, its newline included. */
    private static final int LINE = 200;

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Inject
    S3Client s3;

    @Inject
    LocalEndpoint endpoint;

    private String name;
    private String bucket;
    private String root;

    @BeforeAll
    void gzipPipeline() {
        ObservedPipelines.outsideTest(() -> {
            JsonPath pipeline = ObservedPipelines.ready("objects", "\"compression\":\"GZIP\",\"apiKeyRequired\":true");
            name = pipeline.getString("name");
            bucket = pipeline.getString("resources.bucket");
            root = pipeline.getString("resources.prefix");
        });
    }

    @AfterAll
    void deletePipeline() {
        ObservedPipelines.outsideTest(() -> ObservedPipelines.delete(name));
    }

    @Test
    void pagesReturnEveryKeyExactlyOnce() throws Exception {
        Set<String> expected = IntStream.range(0, OBJECTS).mapToObj(i -> String.format("%spaging/obj-%04d", root, i))
                .collect(Collectors.toCollection(HashSet::new));
        expected.add(root + "paging/top");
        List<String> nested = List.of(root + "paging/sub/a", root + "paging/sub/b");
        put(expected);
        put(nested);

        for (int limit : new int[] { 1000, 333 }) {
            List<String> keys = new ArrayList<>();
            List<String> folders = new ArrayList<>();
            int pages = 0;
            String token = null;
            do {
                JsonPath page = ObservedPipelines.objects(name, "?prefix=paging/&limit=" + limit
                        + (token == null ? "" : "&continuationToken=" + token));
                assertEquals(bucket, page.getString("bucket"));
                assertEquals(root, page.getString("root"));
                assertEquals("paging/", page.getString("prefix"));
                int entries = page.getList("objects").size() + page.getList("folders").size();
                assertTrue(entries <= limit, entries + " entries on a page of " + limit);
                keys.addAll(page.getList("objects.key"));
                folders.addAll(page.getList("folders.prefix"));
                page.<Map<String, Object>>getList("objects").forEach(o -> {
                    assertEquals(((String) o.get("key")).substring((root + "paging/").length()), o.get("name"));
                    assertEquals(((String) o.get("key")).length(), ((Number) o.get("size")).intValue());
                });
                token = page.getString("nextContinuationToken");
                pages++;
            } while (token != null);

            assertEquals(expected.size(), keys.size(), "no key twice, with pages of " + limit);
            assertEquals(expected, new HashSet<>(keys));
            assertEquals(List.of("paging/sub/"), folders);
            assertEquals((expected.size() + 1 + limit - 1) / limit, pages);
        }

        JsonPath sub = ObservedPipelines.objects(name, "?prefix=paging/sub/");
        assertEquals(nested, sub.getList("objects.key"));
        assertEquals(List.of("a", "b"), sub.getList("objects.name"));
        assertNull(sub.getString("nextContinuationToken"));

        JsonPath top = ObservedPipelines.objects(name, "");
        assertTrue(top.<String>getList("folders.prefix").contains("paging/"), top.prettify());
        assertEquals("paging", top.getString("folders.find { it.prefix == 'paging/' }.name"));

        // A token continues the folder it was given for, and only that one.
        String token = ObservedPipelines.objects(name, "?prefix=paging/&limit=10").getString("nextContinuationToken");
        given().queryParam("prefix", "paging/sub/").queryParam("continuationToken", token)
                .get("/api/pipelines/" + name + "/objects")
                .then().statusCode(400).body("violations[0].field", equalTo("continuationToken"));
    }

    @Test
    void aGzipObjectIsPreviewedGunzipped() throws IOException {
        String key = root + "preview/clicks.gz";
        String lines = "{\"n\":1}\nplain words\n{\"n\":3}\n";
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(gzip(lines)));

        JsonPath preview = ObservedPipelines.preview(name, key);

        assertTrue(preview.getBoolean("compressed"));
        assertFalse(preview.getBoolean("truncated"));
        assertEquals(3, preview.getList("records").size());
        assertEquals(1, preview.getInt("records[0].data.json.n"));
        assertEquals("plain words", preview.getString("records[1].data.text"));
        assertEquals(List.of(1, 2, 3), preview.getList("records.line"));
        assertEquals(List.of(false, false, false), preview.getList("records.truncated"));
    }

    @Test
    void aLargeObjectIsPreviewedFromItsFirstBytes() {
        String key = root + "preview/large";
        // 1,500 lines of 200 bytes (199 and a newline): 300,000 bytes, more than a preview fetches.
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 1_500; i++) {
            String json = "{\"line\":" + i + ",\"pad\":\"";
            body.append(json).append("x".repeat(LINE - 1 - json.length() - 2)).append("\"}\n");
        }
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(body.toString()));

        JsonPath preview = ObservedPipelines.preview(name, key);

        assertEquals(300_000, preview.getLong("size"));
        assertEquals(PREVIEW_BYTES, preview.getLong("bytesRead"));
        assertTrue(preview.getBoolean("truncated"));
        assertFalse(preview.getBoolean("compressed"));
        List<Map<String, Object>> records = preview.getList("records");
        // 1,310 whole lines fit in 262,144 bytes, then 144 bytes of the next one.
        int whole = PREVIEW_BYTES / LINE;
        assertEquals(whole + 1, records.size());
        assertEquals(whole - 1, preview.getInt("records[" + (whole - 1) + "].data.json.line"));
        assertEquals(false, records.get(whole - 1).get("truncated"));
        Map<String, Object> last = records.get(records.size() - 1);
        assertEquals(true, last.get("truncated"));
        assertEquals(PREVIEW_BYTES % LINE, last.get("size"));
        assertEquals("text", preview.getString("records[-1].data.encoding"));
    }

    @Test
    void anEmptyObjectHasNoRecords() {
        String key = root + "preview/empty";
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.empty());

        JsonPath preview = ObservedPipelines.preview(name, key);

        assertEquals(0, preview.getLong("size"));
        assertEquals(List.of(), preview.getList("records"));
        assertFalse(preview.getBoolean("truncated"));
    }

    @Test
    void aTestClickWithTheApiKeyIsStoredGzipped() {
        JsonPath sent = given().post("/api/pipelines/" + name + "/test-click")
                .then().log().ifValidationFails().statusCode(200).extract().jsonPath();
        assertEquals(200, sent.getInt("status"), sent.prettify());
        assertTrue(sent.getString("origin").startsWith("http://"), "the portal's own origin: " + sent.getString("origin"));
        assertEquals("*", sent.getString("headers.access-control-allow-origin"));

        String id = sent.getString("click.id");
        List<Map<String, Object>> stored = new ArrayList<>();
        await().atMost(ObservedPipelines.WAIT).pollInterval(Duration.ofMillis(250)).until(() -> {
            stored.clear();
            for (String key : ObservedPipelines.allKeys(name)) {
                if (!key.startsWith(root + "year=")) {
                    continue;
                }
                JsonPath preview = ObservedPipelines.preview(name, key);
                assertTrue(key.endsWith(".gz"), key);
                assertTrue(preview.getBoolean("compressed"));
                stored.addAll(preview.getList("records"));
            }
            return !stored.isEmpty();
        });
        assertEquals(1, stored.size());
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) stored.get(0).get("data");
        assertEquals("json", data.get("encoding"));
        assertEquals(Map.of("type", TestClick.TYPE, "id", id, "timestamp", sent.getString("click.timestamp"),
                "source", "clicklog-portal"), data.get("json"));
    }

    /** Puts objects whose body is their key, eight at a time. */
    private void put(Collection<String> keys) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> puts = new ArrayList<>();
            for (String key : keys) {
                puts.add(pool.submit(() -> s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(key))));
            }
            for (Future<?> put : puts) {
                put.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    // Download links: the API's download-url and the page's Download, which redirects to a fresh presigned GET.

    @Test
    void theApiGivesALinkThatDownloadsTheObjectByteForByte() throws Exception {
        String key = root + "download/clicks ü+1.gz";
        byte[] bytes = new byte[40_000];
        new Random(7).nextBytes(bytes);
        s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(bytes));

        Instant before = Instant.now();
        JsonPath link = given().queryParam("key", key).get("/api/pipelines/" + name + "/objects/download-url")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(bucket, link.getString("bucket"));
        assertEquals(key, link.getString("key"));
        assertEquals("s3://" + bucket + "/" + key, link.getString("s3Uri"));
        URI url = URI.create(link.getString("url"));
        assertEquals(endpoint.uri().getAuthority(), url.getAuthority(), "a link to the local endpoint: " + url);
        assertTrue(url.getRawQuery().contains("X-Amz-Signature="), url.toString());
        Instant expires = Instant.parse(link.getString("expiresAt"));
        assertTrue(!expires.isBefore(before.plus(Duration.ofMinutes(5)).minusSeconds(2))
                && !expires.isAfter(Instant.now().plus(Duration.ofMinutes(5))), "expires " + expires);

        HttpResponse<byte[]> got = HTTP.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, got.statusCode());
        assertArrayEquals(bytes, got.body());
        assertEquals("attachment; filename=\"clicks _+1.gz\"; filename*=UTF-8''clicks%20%C3%BC+1.gz",
                got.headers().firstValue("Content-Disposition").orElseThrow());
    }

    @Test
    void thePagesDownloadRedirectsToAFreshLink() throws Exception {
        String key = root + "page/clicks.json";
        s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString("{\"n\":1}\n"));
        Response redirect = given().redirects().follow(false).queryParam("key", key)
                .get("/pipelines/" + name + "/objects/download");
        assertEquals(303, redirect.statusCode());
        URI location = URI.create(redirect.header("Location"));
        assertEquals(endpoint.uri().getAuthority(), location.getAuthority());
        HttpResponse<String> got = HTTP.send(HttpRequest.newBuilder(location).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("{\"n\":1}\n", got.body());

        // A refused key shows on the preview page, with the status of the problem.
        given().redirects().follow(false).queryParam("key", "elsewhere/x").get("/pipelines/" + name + "/objects/download")
                .then().statusCode(403).contentType(containsString("text/html")).body(containsString("outside the pipeline"));
        given().redirects().follow(false).queryParam("key", root + "page/none.json")
                .get("/pipelines/" + name + "/objects/download")
                .then().statusCode(404).body(containsString("no object"));
    }

    @Test
    void keysOutsideThePipelineOrMissingGetNoLink() {
        String path = "/api/pipelines/" + name + "/objects/download-url";
        given().get(path).then().statusCode(400).body("message", containsString("key"));
        for (String key : new String[] { "elsewhere/x", root + "../other/x", "../" + root + "x" }) {
            given().queryParam("key", key).get(path).then().statusCode(403).body("status", equalTo(403))
                    .body("message", containsString("key"));
        }
        given().queryParam("key", root + "none").get(path).then().statusCode(404).body("message", containsString("no object"));
        given().queryParam("key", "x").get("/api/pipelines/no-such-pipeline/objects/download-url").then().statusCode(404);
    }
}
