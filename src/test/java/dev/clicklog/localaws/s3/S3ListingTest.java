package dev.clicklog.localaws.s3;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.clicklog.endpoint.LocalEndpoint;
import dev.clicklog.localaws.http.AwsRequest;
import dev.clicklog.localaws.http.LocalAwsClient;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.ListObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

@QuarkusTest
class S3ListingTest {

    @Inject
    S3Client s3;

    @Inject
    LocalEndpoint endpoint;

    @Inject
    LocalAwsClient local;

    String bucketWith(List<String> keys) {
        String bucket = S3Fixtures.bucketName("list");
        s3.createBucket(r -> r.bucket(bucket));
        // Written in-process (the way Firehose writes) so that a thousand keys take moments.
        keys.parallelStream().forEach(key -> {
            var response = local.call(new AwsRequest("PUT", "/" + bucket + "/" + encodePath(key), "", Map.of(),
                    key.getBytes(StandardCharsets.UTF_8), "127.0.0.1"));
            assertEquals(200, response.status(), key);
        });
        return bucket;
    }

    @Test
    void thousandsOfKeysPageWithContinuationTokensEachKeyOnce() {
        List<String> keys = IntStream.range(0, 1_234).mapToObj(i -> String.format("clicks/%05d.json", i)).toList();
        String bucket = bucketWith(keys);

        ListObjectsV2Response first = s3.listObjectsV2(r -> r.bucket(bucket));
        assertEquals(1000, first.keyCount());
        assertEquals(1000, first.maxKeys());
        assertTrue(first.isTruncated());
        assertNotNull(first.nextContinuationToken());
        ListObjectsV2Response rest = s3.listObjectsV2(r -> r.bucket(bucket).continuationToken(first.nextContinuationToken()));
        assertEquals(234, rest.keyCount());
        assertFalse(rest.isTruncated());
        assertNull(rest.nextContinuationToken());
        assertEquals(first.nextContinuationToken(), rest.continuationToken());

        List<String> paged = new ArrayList<>();
        s3.listObjectsV2Paginator(r -> r.bucket(bucket).maxKeys(97)).contents().forEach(o -> paged.add(o.key()));
        assertEquals(keys, paged);

        // max-keys above 1,000 is capped at 1,000.
        assertEquals(1000, s3.listObjectsV2(r -> r.bucket(bucket).maxKeys(5000)).keyCount());

        // ListObjects (v1) without a delimiter has no NextMarker: callers continue from the last key.
        List<String> v1 = new ArrayList<>();
        ListObjectsResponse page;
        do {
            String marker = v1.isEmpty() ? null : v1.get(v1.size() - 1);
            page = s3.listObjects(r -> r.bucket(bucket).maxKeys(500).marker(marker));
            assertNull(page.nextMarker());
            v1.addAll(keys(page.contents()));
        } while (page.isTruncated());
        assertEquals(keys, v1);
    }

    @Test
    void delimiterRollsKeysUpIntoCommonPrefixes() {
        String bucket = bucketWith(List.of("2026/11/24/a.json", "2026/11/25/b.json", "2026/11/25/c.json", "2026/12/01/d.json",
                "readme.txt", "zeta/x"));
        ListObjectsV2Response top = s3.listObjectsV2(r -> r.bucket(bucket).delimiter("/"));
        assertEquals(List.of("2026/", "zeta/"), prefixes(top.commonPrefixes()));
        assertEquals(List.of("readme.txt"), keys(top.contents()));
        assertEquals(3, top.keyCount());

        ListObjectsV2Response month = s3.listObjectsV2(r -> r.bucket(bucket).prefix("2026/11/").delimiter("/"));
        assertEquals(List.of("2026/11/24/", "2026/11/25/"), prefixes(month.commonPrefixes()));
        assertTrue(month.contents().isEmpty());

        // Common prefixes count toward max-keys, and pages never repeat one.
        List<String> seen = new ArrayList<>();
        String token = null;
        do {
            String t = token;
            ListObjectsV2Response page = s3.listObjectsV2(r -> r.bucket(bucket).prefix("2026/").delimiter("/").maxKeys(1)
                    .continuationToken(t));
            assertEquals(1, page.keyCount());
            seen.addAll(prefixes(page.commonPrefixes()));
            token = page.nextContinuationToken();
        } while (token != null);
        assertEquals(List.of("2026/11/", "2026/12/"), seen);

        ListObjectsResponse v1 = s3.listObjects(r -> r.bucket(bucket).delimiter("/").maxKeys(1));
        assertEquals(List.of("2026/"), prefixes(v1.commonPrefixes()));
        assertEquals("2026/", v1.nextMarker());
        ListObjectsResponse v1next = s3.listObjects(r -> r.bucket(bucket).delimiter("/").maxKeys(2).marker(v1.nextMarker()));
        assertEquals(List.of("readme.txt"), keys(v1next.contents()));
        assertEquals(List.of("zeta/"), prefixes(v1next.commonPrefixes()));
    }

    @Test
    void startAfterPrefixAndOwner() {
        String bucket = bucketWith(List.of("a", "b", "c", "d"));
        assertEquals(List.of("c", "d"), keys(s3.listObjectsV2(r -> r.bucket(bucket).startAfter("b")).contents()));
        assertEquals(List.of("b"), keys(s3.listObjectsV2(r -> r.bucket(bucket).prefix("b")).contents()));
        assertTrue(s3.listObjectsV2(r -> r.bucket(bucket).prefix("zz")).contents().isEmpty());

        assertNull(s3.listObjectsV2(r -> r.bucket(bucket)).contents().get(0).owner());
        assertNotNull(s3.listObjectsV2(r -> r.bucket(bucket).fetchOwner(true)).contents().get(0).owner().id());
        S3Object first = s3.listObjectsV2(r -> r.bucket(bucket)).contents().get(0);
        assertEquals(1, first.size());
        assertEquals("STANDARD", first.storageClassAsString());
    }

    @Test
    void keysAreListedInUtf8ByteOrderAndSurviveUrlEncoding() {
        // U+FFFD sorts before an emoji in UTF-8 (EF.. < F0..) although Java's UTF-16 order says otherwise.
        List<String> keys = List.of("a b", "a+b", "a%2Bb", "a/b", "ok", "z\uFFFD", "z😀");
        String bucket = bucketWith(keys);
        List<String> listed = keys(s3.listObjectsV2(r -> r.bucket(bucket).encodingType(EncodingType.URL)).contents());
        assertEquals(List.of("a b", "a%2Bb", "a+b", "a/b", "ok", "z\uFFFD", "z😀"), listed);
        assertEquals(keys(s3.listObjectsV2(r -> r.bucket(bucket)).contents()), listed);
        assertEquals(List.of("a b", "a%2Bb", "a+b"), keys(s3.listObjectsV2(r -> r.bucket(bucket)
                .encodingType(EncodingType.URL).prefix("a").delimiter("/")).contents()));
    }

    /** encoding-type=url as S3 encodes: RFC 3986's unreserved characters and "/" stay, a space is %20. */
    @Test
    void urlEncodingIsS3s() {
        String key = "dir with space/a+b=c,d*ü~.json";
        String encoded = "dir%20with%20space/a%2Bb%3Dc%2Cd%2A%C3%BC~.json";
        String bucket = bucketWith(List.of(key, "dir with space/sub/x", "other"));
        String query = "&encoding-type=url&prefix=dir%20with%20space%2F&delimiter=%2F";
        S3Fixtures.raw(endpoint).get("/" + bucket + "?list-type=2" + query + "&start-after=dir%20with%20space%2F%20a")
                .then().statusCode(200)
                .body("ListBucketResult.Prefix", equalTo("dir%20with%20space/"))
                .body("ListBucketResult.Delimiter", equalTo("/"))
                .body("ListBucketResult.StartAfter", equalTo("dir%20with%20space/%20a"))
                .body("ListBucketResult.Contents.Key", equalTo(encoded))
                .body("ListBucketResult.CommonPrefixes.Prefix", equalTo("dir%20with%20space/sub/"));
        // ListObjects (v1) encodes keys, markers and the delimiter, but gives Prefix back as sent.
        S3Fixtures.raw(endpoint).get("/" + bucket + "?max-keys=1" + query + "&marker=dir%20with%20space%2F%20a")
                .then().statusCode(200)
                .body("ListBucketResult.Prefix", equalTo("dir with space/"))
                .body("ListBucketResult.Marker", equalTo("dir%20with%20space/%20a"))
                .body("ListBucketResult.NextMarker", equalTo(encoded))
                .body("ListBucketResult.Contents.Key", equalTo(encoded));
        S3Fixtures.raw(endpoint).get("/" + bucket + "?versions" + query + "&key-marker=dir%20with%20space%2F%20a")
                .then().statusCode(200)
                .body("ListVersionsResult.Prefix", equalTo("dir%20with%20space/"))
                .body("ListVersionsResult.KeyMarker", equalTo("dir%20with%20space/%20a"))
                .body("ListVersionsResult.Version.Key", equalTo(encoded));
        // The SDK and the CLI decode what S3 encodes.
        assertEquals(List.of(key), keys(s3.listObjectsV2(r -> r.bucket(bucket).encodingType(EncodingType.URL)
                .prefix("dir with space/").delimiter("/")).contents()));
        assertEquals(List.of(key), keys(s3.listObjects(r -> r.bucket(bucket).encodingType(EncodingType.URL)
                .prefix("dir with space/").delimiter("/")).contents()));
    }

    @Test
    void anEmptyContinuationTokenIsNoToken() {
        String bucket = bucketWith(List.of("a", "b"));
        S3Fixtures.raw(endpoint).get("/" + bucket + "?list-type=2&continuation-token=").then().statusCode(200)
                .body("ListBucketResult.KeyCount", equalTo("2"))
                .body("ListBucketResult.Contents[0].Key", equalTo("a"))
                .body("ListBucketResult.Contents[1].Key", equalTo("b"));
        assertEquals(List.of("b"), keys(s3.listObjectsV2(r -> r.bucket(bucket).continuationToken("").startAfter("a"))
                .contents()));
    }

    @Test
    void badListingArguments() {
        String bucket = bucketWith(List.of("k"));
        S3Exception token = assertThrows(S3Exception.class,
                () -> s3.listObjectsV2(r -> r.bucket(bucket).continuationToken("not a token")));
        assertEquals("InvalidArgument", token.awsErrorDetails().errorCode());
        S3Fixtures.raw(endpoint).get("/" + bucket + "?list-type=2&max-keys=-1").then().statusCode(400)
                .body("Error.Code", equalTo("InvalidArgument"));
        S3Fixtures.raw(endpoint).get("/" + bucket + "?list-type=2&encoding-type=base64").then().statusCode(400)
                .body("Error.Code", equalTo("InvalidArgument"));
        S3Fixtures.raw(endpoint).get("/" + bucket + "?list-type=2&max-keys=0").then().statusCode(200)
                .body("ListBucketResult.KeyCount", equalTo("0"))
                .body("ListBucketResult.IsTruncated", equalTo("false"));
    }

    private static List<String> keys(List<S3Object> objects) {
        return objects.stream().map(S3Object::key).toList();
    }

    private static List<String> prefixes(List<CommonPrefix> prefixes) {
        return prefixes.stream().map(CommonPrefix::prefix).toList();
    }

    /** Percent-encodes a key for a request path, keeping "/" (as SDKs do). */
    private static String encodePath(String key) {
        StringBuilder out = new StringBuilder();
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (Character.isLetterOrDigit(c) && c < 128 || "-_.~/".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append(String.format("%%%02X", b & 0xff));
            }
        }
        return out.toString();
    }
}
