package dev.clicklog.observe;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** /objects over more objects than one S3 page holds: every key exactly once, folders once. */
@QuarkusTest
class ObjectPagingTest {

    private static final int OBJECTS = 1_050;

    @Inject
    S3Client s3;

    @Test
    void pagesReturnEveryKeyExactlyOnce() throws Exception {
        JsonPath pipeline = ObservedPipelines.ready("paging", "");
        String name = pipeline.getString("name");
        String bucket = pipeline.getString("resources.bucket");
        String root = pipeline.getString("resources.prefix");
        try {
            Set<String> expected = IntStream.range(0, OBJECTS).mapToObj(i -> String.format("%spaging/obj-%04d", root, i))
                    .collect(Collectors.toCollection(HashSet::new));
            expected.add(root + "paging/top");
            List<String> nested = List.of(root + "paging/sub/a", root + "paging/sub/b");
            put(bucket, expected);
            put(bucket, nested);

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
        } finally {
            ObservedPipelines.delete(name);
        }
    }

    /** Puts objects whose body is their key, eight at a time. */
    private void put(String bucket, Collection<String> keys) throws Exception {
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
}
