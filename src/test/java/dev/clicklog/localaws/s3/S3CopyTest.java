package dev.clicklog.localaws.s3;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.clicklog.endpoint.LocalEndpoint;
import dev.clicklog.testing.AwsCli;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.StorageClass;
import software.amazon.awssdk.services.s3.model.UploadPartCopyResponse;

/** CopyObject and UploadPartCopy through the SDK, and {@code aws s3 cp/mv/sync} between S3 locations. */
@QuarkusTest
class S3CopyTest {

    @Inject
    S3Client s3;

    @Inject
    LocalEndpoint endpoint;

    @TempDir
    Path dir;

    String bucket(String purpose) {
        String bucket = S3Fixtures.bucketName(purpose);
        s3.createBucket(r -> r.bucket(bucket));
        return bucket;
    }

    @Test
    void copyKeepsOrReplacesMetadata() throws Exception {
        String from = bucket("copy-from");
        String to = bucket("copy-to");
        byte[] bytes = random(50_000);
        String source = "dir with space/a+b ü.json";
        s3.putObject(r -> r.bucket(from).key(source).contentType("application/json").contentEncoding("gzip")
                .cacheControl("max-age=60").metadata(Map.of("team", "web")), RequestBody.fromBytes(bytes));

        CopyObjectResponse copied = s3.copyObject(r -> r.sourceBucket(from).sourceKey(source)
                .destinationBucket(to).destinationKey("copied/" + source));
        String md5 = "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes)) + "\"";
        assertEquals(md5, copied.copyObjectResult().eTag());
        assertTrue(copied.copyObjectResult().lastModified().isAfter(Instant.now().minusSeconds(60)));
        assertEquals("AES256", copied.serverSideEncryptionAsString());
        assertArrayEquals(bytes, s3.getObjectAsBytes(r -> r.bucket(to).key("copied/" + source)).asByteArray());
        HeadObjectResponse head = s3.headObject(r -> r.bucket(to).key("copied/" + source));
        assertEquals("application/json", head.contentType());
        assertEquals("gzip", head.contentEncoding());
        assertEquals("max-age=60", head.cacheControl());
        assertEquals(Map.of("team", "web"), head.metadata());

        s3.copyObject(r -> r.sourceBucket(from).sourceKey(source).destinationBucket(to).destinationKey("replaced")
                .metadataDirective(MetadataDirective.REPLACE).contentType("text/plain").metadata(Map.of("owner", "ops"))
                .storageClass(StorageClass.STANDARD_IA));
        HeadObjectResponse replaced = s3.headObject(r -> r.bucket(to).key("replaced"));
        assertEquals("text/plain", replaced.contentType());
        assertEquals(null, replaced.contentEncoding());
        assertEquals(Map.of("owner", "ops"), replaced.metadata());
        assertEquals(StorageClass.STANDARD_IA, replaced.storageClass());

        // The header as S3 receives it may also name the source with a leading slash and a null version.
        S3Fixtures.raw(endpoint).header("x-amz-copy-source", "/" + from + "/dir%20with%20space/a%2Bb%20%C3%BC.json?versionId=null")
                .put("/" + to + "/raw-copy").then().statusCode(200)
                .body("CopyObjectResult.ETag", equalTo(md5));
        S3Fixtures.raw(endpoint).header("x-amz-copy-source", from).put("/" + to + "/bad").then().statusCode(400)
                .body("Error.Code", equalTo("InvalidArgument"))
                .body("Error.ArgumentName", equalTo("x-amz-copy-source"));
        S3Fixtures.raw(endpoint).header("x-amz-copy-source", from + "/k").header("x-amz-metadata-directive", "MERGE")
                .put("/" + to + "/bad").then().statusCode(400).body("Error.Code", equalTo("InvalidArgument"))
                .body("Error.Message", equalTo("Unknown metadata directive."));
    }

    @Test
    void copyOntoItselfMustChangeSomething() {
        String bucket = bucket("copy-self");
        s3.putObject(r -> r.bucket(bucket).key("k").metadata(Map.of("v", "1")), RequestBody.fromString("same"));
        S3Exception refused = assertThrows(S3Exception.class, () -> s3.copyObject(r -> r.sourceBucket(bucket).sourceKey("k")
                .destinationBucket(bucket).destinationKey("k")));
        assertEquals(400, refused.statusCode());
        assertEquals("InvalidRequest", refused.awsErrorDetails().errorCode());
        assertTrue(refused.awsErrorDetails().errorMessage().contains("copy an object to itself"), refused.getMessage());

        s3.copyObject(r -> r.sourceBucket(bucket).sourceKey("k").destinationBucket(bucket).destinationKey("k")
                .metadataDirective(MetadataDirective.REPLACE).metadata(Map.of("v", "2")));
        assertEquals(Map.of("v", "2"), s3.headObject(r -> r.bucket(bucket).key("k")).metadata());
        assertEquals("same", s3.getObjectAsBytes(r -> r.bucket(bucket).key("k")).asUtf8String());
    }

    @Test
    void copyOfAMissingSourceOrAFailedConditionWritesNothing() {
        String bucket = bucket("copy-miss");
        NoSuchKeyException missing = assertThrows(NoSuchKeyException.class, () -> s3.copyObject(r -> r.sourceBucket(bucket)
                .sourceKey("nothing-here").destinationBucket(bucket).destinationKey("dest")));
        assertEquals(404, missing.statusCode());
        assertThrows(NoSuchBucketException.class, () -> s3.copyObject(r -> r.sourceBucket(S3Fixtures.bucketName("none"))
                .sourceKey("k").destinationBucket(bucket).destinationKey("dest")));

        String etag = s3.putObject(r -> r.bucket(bucket).key("src"), RequestBody.fromString("v1")).eTag();
        assertPreconditionFailed(() -> s3.copyObject(r -> r.sourceBucket(bucket).sourceKey("src")
                .destinationBucket(bucket).destinationKey("dest").copySourceIfMatch("\"0000\"")));
        assertPreconditionFailed(() -> s3.copyObject(r -> r.sourceBucket(bucket)
                .sourceKey("src").destinationBucket(bucket).destinationKey("dest").copySourceIfNoneMatch(etag)));
        assertPreconditionFailed(() -> s3.copyObject(r -> r.sourceBucket(bucket)
                .sourceKey("src").destinationBucket(bucket).destinationKey("dest")
                .copySourceIfUnmodifiedSince(Instant.now().minusSeconds(3600))));
        assertPreconditionFailed(() -> s3.copyObject(r -> r.sourceBucket(bucket)
                .sourceKey("src").destinationBucket(bucket).destinationKey("dest")
                .copySourceIfModifiedSince(Instant.now())));
        // S3 names the condition that failed.
        S3Fixtures.raw(endpoint).header("x-amz-copy-source", bucket + "/src").header("x-amz-copy-source-if-none-match", etag)
                .put("/" + bucket + "/dest").then().statusCode(412)
                .body("Error.Condition", equalTo("x-amz-copy-source-If-None-Match"));
        assertEquals(List.of("src"), s3.listObjectsV2(r -> r.bucket(bucket)).contents().stream().map(o -> o.key()).toList());

        s3.copyObject(r -> r.sourceBucket(bucket).sourceKey("src").destinationBucket(bucket).destinationKey("dest")
                .copySourceIfMatch(etag).copySourceIfModifiedSince(Instant.now().minusSeconds(3600)));
        assertEquals("v1", s3.getObjectAsBytes(r -> r.bucket(bucket).key("dest")).asUtf8String());
    }

    private static void assertPreconditionFailed(Runnable copy) {
        S3Exception e = assertThrows(S3Exception.class, copy::run);
        assertEquals(412, e.statusCode());
        assertEquals("PreconditionFailed", e.awsErrorDetails().errorCode());
    }

    @Test
    void uploadPartCopyAssemblesAnObjectFromRanges() {
        String bucket = bucket("part-copy");
        byte[] bytes = random(6 * 1024 * 1024 + 777);
        s3.putObject(r -> r.bucket(bucket).key("big.bin"), RequestBody.fromBytes(bytes));
        String uploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key("assembled.bin")).uploadId();
        int split = 5 * 1024 * 1024;
        UploadPartCopyResponse first = s3.uploadPartCopy(r -> r.sourceBucket(bucket).sourceKey("big.bin")
                .destinationBucket(bucket).destinationKey("assembled.bin").uploadId(uploadId).partNumber(1)
                .copySourceRange("bytes=0-" + (split - 1)));
        UploadPartCopyResponse second = s3.uploadPartCopy(r -> r.sourceBucket(bucket).sourceKey("big.bin")
                .destinationBucket(bucket).destinationKey("assembled.bin").uploadId(uploadId).partNumber(2)
                .copySourceRange("bytes=" + split + "-" + (bytes.length - 1)));
        S3Exception badRange = assertThrows(S3Exception.class, () -> s3.uploadPartCopy(r -> r.sourceBucket(bucket)
                .sourceKey("big.bin").destinationBucket(bucket).destinationKey("assembled.bin").uploadId(uploadId)
                .partNumber(3).copySourceRange("bytes=0-" + bytes.length)));
        assertEquals("InvalidArgument", badRange.awsErrorDetails().errorCode());
        assertEquals("Range specified is not valid for source object of size: " + bytes.length,
                badRange.awsErrorDetails().errorMessage());
        s3.completeMultipartUpload(r -> r.bucket(bucket).key("assembled.bin").uploadId(uploadId)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(first.copyPartResult().eTag()).build(),
                        CompletedPart.builder().partNumber(2).eTag(second.copyPartResult().eTag()).build())));
        assertArrayEquals(bytes, s3.getObjectAsBytes(r -> r.bucket(bucket).key("assembled.bin")).asByteArray());
        assertTrue(s3.headObject(r -> r.bucket(bucket).key("assembled.bin")).eTag().endsWith("-2\""));
    }

    @Test
    void cliCopiesMovesAndSyncsBetweenBuckets() throws Exception {
        AwsCli aws = new AwsCli(endpoint.uri(), "us-east-1");
        String a = bucket("cli-a");
        String b = bucket("cli-b");
        Path small = write("small.json", 40_000);
        // Above the CLI's 8 MiB threshold, so the copy is a multipart upload of UploadPartCopy ranges.
        Path big = write("big.bin", 9 * 1024 * 1024 + 4321);
        aws.run("s3", "cp", small.toString(), "s3://" + a + "/in/small.json").assertOk();
        aws.run("s3", "cp", big.toString(), "s3://" + a + "/in/big.bin").assertOk();

        aws.run("s3", "cp", "s3://" + a + "/in/small.json", "s3://" + b + "/copy/small.json").assertOk();
        aws.run("s3", "cp", "s3://" + a + "/in/big.bin", "s3://" + b + "/copy/big.bin").assertOk();
        assertArrayEquals(Files.readAllBytes(small), s3.getObjectAsBytes(r -> r.bucket(b).key("copy/small.json")).asByteArray());
        assertArrayEquals(Files.readAllBytes(big), s3.getObjectAsBytes(r -> r.bucket(b).key("copy/big.bin")).asByteArray());
        assertTrue(s3.headObject(r -> r.bucket(b).key("copy/big.bin")).eTag().matches("\"[0-9a-f]{32}-2\""));

        aws.run("s3", "mv", "s3://" + b + "/copy/small.json", "s3://" + b + "/moved/small.json").assertOk();
        assertEquals(List.of("copy/big.bin", "moved/small.json"), keys(b));

        aws.run("s3", "sync", "s3://" + a + "/in/", "s3://" + b + "/synced/").assertOk();
        assertEquals(List.of("copy/big.bin", "moved/small.json", "synced/big.bin", "synced/small.json"), keys(b));
        // A second sync finds nothing to do.
        String again = aws.run("s3", "sync", "s3://" + a + "/in/", "s3://" + b + "/synced/").assertOk().stdout();
        assertFalse(again.contains("copy:"), again);

        AwsCli.Result missing = aws.run("s3", "cp", "s3://" + a + "/in/none.json", "s3://" + b + "/x.json");
        assertNotEquals(0, missing.exitCode());
        assertTrue(missing.stderr().contains("404") || missing.stderr().contains("Not Found"), missing.stderr());
    }

    private List<String> keys(String bucket) {
        List<String> keys = new ArrayList<>();
        s3.listObjectsV2Paginator(r -> r.bucket(bucket)).contents().forEach(o -> keys.add(o.key()));
        return keys;
    }

    private Path write(String name, int size) throws Exception {
        Path file = dir.resolve(name);
        Files.write(file, random(size));
        return file;
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }
}
