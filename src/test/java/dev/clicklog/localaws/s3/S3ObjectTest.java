package dev.clicklog.localaws.s3;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.CRC32;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.clicklog.endpoint.LocalEndpoint;
import dev.clicklog.localaws.fault.FaultInjector;
import dev.clicklog.localaws.http.AwsRequest;
import dev.clicklog.localaws.http.AwsResponse;
import dev.clicklog.localaws.http.LocalAwsClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

@QuarkusTest
class S3ObjectTest {

    static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz";

    @Inject
    S3Client s3;

    @Inject
    LocalEndpoint endpoint;

    @Inject
    LocalAwsClient local;

    @Inject
    FaultInjector faults;

    @AfterEach
    void clearFaults() {
        faults.clear();
    }

    String bucket() {
        String bucket = S3Fixtures.bucketName("obj");
        s3.createBucket(r -> r.bucket(bucket));
        return bucket;
    }

    @Test
    void putGetAndHeadWithMetadata() throws Exception {
        String bucket = bucket();
        byte[] body = "{\"click\":1}".getBytes(StandardCharsets.UTF_8);
        PutObjectResponse put = s3.putObject(r -> r.bucket(bucket).key("clicks/1.json").contentType("application/json")
                .cacheControl("max-age=60").contentDisposition("attachment").metadata(Map.of("Pipeline", "clicks")),
                RequestBody.fromBytes(body));
        String md5 = "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body)) + "\"";
        assertEquals(md5, put.eTag());

        ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(r -> r.bucket(bucket).key("clicks/1.json"));
        assertArrayEquals(body, got.asByteArray());
        GetObjectResponse meta = got.response();
        assertEquals("application/json", meta.contentType());
        assertEquals("max-age=60", meta.cacheControl());
        assertEquals("attachment", meta.contentDisposition());
        // S3 keeps user metadata names lower-cased.
        assertEquals(Map.of("pipeline", "clicks"), meta.metadata());
        assertEquals(md5, meta.eTag());
        assertEquals(body.length, meta.contentLength());

        HeadObjectResponse head = s3.headObject(r -> r.bucket(bucket).key("clicks/1.json"));
        assertEquals(body.length, head.contentLength());
        assertEquals(md5, head.eTag());
        assertEquals(meta.lastModified(), head.lastModified());
        assertTrue(Duration.between(head.lastModified(), Instant.now()).abs().toMinutes() < 5);
        assertEquals("bytes", head.acceptRanges());
    }

    @Test
    void trailingChecksumsOfChunkedUploadsAreVerifiedStoredAndReturned() {
        String bucket = bucket();
        byte[] body = random(300_000);
        // The SDK's default upload: aws-chunked body with a CRC32 trailer.
        PutObjectResponse put = s3.putObject(r -> r.bucket(bucket).key("chunked"), RequestBody.fromBytes(body));
        assertEquals(crc32(body), put.checksumCRC32());

        GetObjectResponse got = s3.getObject(r -> r.bucket(bucket).key("chunked").checksumMode(ChecksumMode.ENABLED),
                (response, in) -> {
                    assertArrayEquals(body, in.readAllBytes());
                    return response;
                });
        assertEquals(crc32(body), got.checksumCRC32());

        PutObjectResponse sha = s3.putObject(r -> r.bucket(bucket).key("sha").checksumAlgorithm(ChecksumAlgorithm.SHA256),
                RequestBody.fromBytes(body));
        assertEquals(base64(digest("SHA-256", body)), sha.checksumSHA256());
        assertEquals(base64(digest("SHA-256", body)),
                s3.headObject(r -> r.bucket(bucket).key("sha").checksumMode(ChecksumMode.ENABLED)).checksumSHA256());
    }

    @Test
    void wrongDigestsAreRefusedAndStoreNothing() {
        String bucket = bucket();
        s3.putObject(r -> r.bucket(bucket).key("k"), RequestBody.fromString("original"));

        S3Exception crc = assertThrows(S3Exception.class, () -> s3.putObject(r -> r.bucket(bucket).key("k")
                .checksumCRC32(crc32("something else".getBytes(StandardCharsets.UTF_8))), RequestBody.fromString("replacement")));
        assertEquals(400, crc.statusCode());
        assertEquals("BadDigest", crc.awsErrorDetails().errorCode());

        S3Exception md5 = assertThrows(S3Exception.class, () -> s3.putObject(r -> r.bucket(bucket).key("k")
                .contentMD5(base64(digest("MD5", "other".getBytes(StandardCharsets.UTF_8)))), RequestBody.fromString("replacement")));
        assertEquals("BadDigest", md5.awsErrorDetails().errorCode());

        S3Fixtures.raw(endpoint).header("Content-MD5", "not-base64!").body("replacement").put("/" + bucket + "/k")
                .then().statusCode(400).body("Error.Code", equalTo("InvalidDigest"));
        S3Fixtures.raw(endpoint).header("x-amz-content-sha256", "0".repeat(64)).body("replacement").put("/" + bucket + "/k")
                .then().statusCode(400).body("Error.Code", equalTo("XAmzContentSHA256Mismatch"));

        assertEquals("original", s3.getObjectAsBytes(r -> r.bucket(bucket).key("k")).asUtf8String());
        assertThrows(NoSuchKeyException.class, () -> s3.headObject(r -> r.bucket(bucket).key("never")));
    }

    @Test
    void unsignedChunkedUploadWithTrailer() {
        String bucket = bucket();
        byte[] data = "hello, chunked world".getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("a\r\n".getBytes(StandardCharsets.US_ASCII));
        body.write(data, 0, 10);
        body.writeBytes(("\r\n" + Integer.toHexString(data.length - 10) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        body.write(data, 10, data.length - 10);
        String trailer = "\r\n0\r\nx-amz-checksum-crc32:" + crc32(data) + "\r\n\r\n";
        body.writeBytes(trailer.getBytes(StandardCharsets.US_ASCII));
        byte[] wrong = body.toString(StandardCharsets.ISO_8859_1).replace(crc32(data), crc32(new byte[1]))
                .getBytes(StandardCharsets.ISO_8859_1);

        chunked(S3Fixtures.raw(endpoint), data.length).body(wrong).put("/" + bucket + "/chunked.txt")
                .then().statusCode(400).body("Error.Code", equalTo("BadDigest"));
        assertThrows(NoSuchKeyException.class, () -> s3.headObject(r -> r.bucket(bucket).key("chunked.txt")));

        chunked(S3Fixtures.raw(endpoint), data.length).body(body.toByteArray()).put("/" + bucket + "/chunked.txt")
                .then().statusCode(200).header("x-amz-checksum-crc32", equalTo(crc32(data)));
        GetObjectResponse got = s3.getObject(r -> r.bucket(bucket).key("chunked.txt"), (response, in) -> {
            assertArrayEquals(data, in.readAllBytes());
            return response;
        });
        // The aws-chunked framing is not part of the stored object.
        assertNull(got.contentEncoding());
        assertEquals(data.length, got.contentLength());

        chunked(S3Fixtures.raw(endpoint), data.length + 1).body(body.toByteArray()).put("/" + bucket + "/short.txt")
                .then().statusCode(400).body("Error.Code", equalTo("IncompleteBody"));
    }

    private static RequestSpecification chunked(
            RequestSpecification spec, int decodedLength) {
        return spec.header("x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER")
                .header("Content-Encoding", "aws-chunked")
                .header("x-amz-decoded-content-length", Integer.toString(decodedLength))
                .header("x-amz-trailer", "x-amz-checksum-crc32")
                .contentType("text/plain");
    }

    @Test
    void plainInProcessWritesAsFirehoseSendsThem() {
        String bucket = bucket();
        byte[] data = "123456789".getBytes(StandardCharsets.US_ASCII);
        AwsResponse put = local.call(new AwsRequest("PUT", "/" + bucket + "/firehose/2026/11/25/part-0001", "",
                Map.of("Content-Type", "application/octet-stream"), data, "127.0.0.1"));
        assertEquals(200, put.status());
        assertNotNull(put.header("ETag"));

        HeadObjectResponse head = s3.headObject(r -> r.bucket(bucket).key("firehose/2026/11/25/part-0001")
                .checksumMode(ChecksumMode.ENABLED));
        // Without a client checksum, S3 adds a CRC64NVME of its own (the check value of "123456789").
        assertEquals("rosUhgp5mIg=", head.checksumCRC64NVME());
        assertArrayEquals(data, s3.getObjectAsBytes(r -> r.bucket(bucket).key("firehose/2026/11/25/part-0001")).asByteArray());

        // Unsigned raw requests (no Authorization) are S3 requests too.
        RestAssured.given().baseUri("http://" + endpoint.uri().getHost()).port(endpoint.uri().getPort())
                .body("plain").put("/" + bucket + "/unsigned.txt").then().statusCode(200);
        assertEquals("plain", s3.getObjectAsBytes(r -> r.bucket(bucket).key("unsigned.txt")).asUtf8String());
    }

    @Test
    void armedFaultsFailWritesUntilTheyRunOut() {
        String bucket = bucket();
        faults.failNext("s3", "PutObject", 1, 500, "InternalError", "We encountered an internal error. Please try again.");
        AwsResponse failed = local.call(new AwsRequest("PUT", "/" + bucket + "/retry.json", "", Map.of(),
                "{}".getBytes(StandardCharsets.UTF_8), "127.0.0.1"));
        assertEquals(500, failed.status());
        assertTrue(failed.bodyAsString().contains("<Code>InternalError</Code>"), failed.bodyAsString());
        assertThrows(NoSuchKeyException.class, () -> s3.headObject(r -> r.bucket(bucket).key("retry.json")));

        AwsResponse retried = local.call(new AwsRequest("PUT", "/" + bucket + "/retry.json", "", Map.of(),
                "{}".getBytes(StandardCharsets.UTF_8), "127.0.0.1"));
        assertEquals(200, retried.status());
        assertEquals("{}", s3.getObjectAsBytes(r -> r.bucket(bucket).key("retry.json")).asUtf8String());
    }

    @Test
    void rangeReads() {
        String bucket = bucket();
        s3.putObject(r -> r.bucket(bucket).key("abc"), RequestBody.fromString(ALPHABET));

        ResponseBytes<GetObjectResponse> middle = s3.getObjectAsBytes(r -> r.bucket(bucket).key("abc").range("bytes=2-5"));
        assertEquals("cdef", middle.asUtf8String());
        assertEquals("bytes 2-5/26", middle.response().contentRange());
        assertEquals(4, middle.response().contentLength());
        assertEquals("xyz", s3.getObjectAsBytes(r -> r.bucket(bucket).key("abc").range("bytes=-3")).asUtf8String());
        assertEquals("uvwxyz", s3.getObjectAsBytes(r -> r.bucket(bucket).key("abc").range("bytes=20-")).asUtf8String());
        assertEquals("yz", s3.getObjectAsBytes(r -> r.bucket(bucket).key("abc").range("bytes=24-100")).asUtf8String());
        // Not a single byte range: S3 ignores the header and sends everything.
        assertEquals(ALPHABET, s3.getObjectAsBytes(r -> r.bucket(bucket).key("abc").range("bytes=0-1,5-6")).asUtf8String());
        assertEquals(ALPHABET, s3.getObjectAsBytes(r -> r.bucket(bucket).key("abc").range("lines=1-2")).asUtf8String());

        S3Exception unsatisfiable = assertThrows(S3Exception.class,
                () -> s3.getObjectAsBytes(r -> r.bucket(bucket).key("abc").range("bytes=26-30")));
        assertEquals(416, unsatisfiable.statusCode());
        assertEquals("InvalidRange", unsatisfiable.awsErrorDetails().errorCode());
        assertEquals(6, s3.headObject(r -> r.bucket(bucket).key("abc").range("bytes=0-5")).contentLength());
    }

    @Test
    void conditionalReads() {
        String bucket = bucket();
        String etag = s3.putObject(r -> r.bucket(bucket).key("c"), RequestBody.fromString("conditional")).eTag();
        Instant modified = s3.headObject(r -> r.bucket(bucket).key("c")).lastModified();

        S3Exception notModified = assertThrows(S3Exception.class, () -> s3.getObjectAsBytes(r -> r.bucket(bucket).key("c").ifNoneMatch(etag)));
        assertEquals(304, notModified.statusCode());
        assertEquals(304, assertThrows(S3Exception.class,
                () -> s3.headObject(r -> r.bucket(bucket).key("c").ifModifiedSince(modified))).statusCode());
        S3Exception failed = assertThrows(S3Exception.class, () -> s3.getObjectAsBytes(r -> r.bucket(bucket).key("c").ifMatch("\"0123\"")));
        assertEquals(412, failed.statusCode());
        assertEquals("PreconditionFailed", failed.awsErrorDetails().errorCode());
        assertEquals(412, assertThrows(S3Exception.class, () -> s3.getObjectAsBytes(r -> r.bucket(bucket).key("c")
                .ifUnmodifiedSince(modified.minusSeconds(3600)))).statusCode());

        assertEquals("conditional", s3.getObjectAsBytes(r -> r.bucket(bucket).key("c").ifMatch(etag)).asUtf8String());
        // If-Match holding wins over If-Unmodified-Since failing; If-None-Match not matching wins over If-Modified-Since.
        assertEquals("conditional", s3.getObjectAsBytes(r -> r.bucket(bucket).key("c").ifMatch(etag)
                .ifUnmodifiedSince(modified.minusSeconds(3600))).asUtf8String());
        assertEquals("conditional", s3.getObjectAsBytes(r -> r.bucket(bucket).key("c").ifNoneMatch("\"other\"")
                .ifModifiedSince(modified)).asUtf8String());
        assertEquals("conditional", s3.getObjectAsBytes(r -> r.bucket(bucket).key("c")
                .ifModifiedSince(modified.minusSeconds(60))).asUtf8String());
    }

    @Test
    void conditionalWrites() {
        String bucket = bucket();
        String etag = s3.putObject(r -> r.bucket(bucket).key("w").ifNoneMatch("*"), RequestBody.fromString("first")).eTag();
        S3Exception exists = assertThrows(S3Exception.class,
                () -> s3.putObject(r -> r.bucket(bucket).key("w").ifNoneMatch("*"), RequestBody.fromString("second")));
        assertEquals(412, exists.statusCode());
        assertThrows(S3Exception.class, () -> s3.putObject(r -> r.bucket(bucket).key("w").ifMatch("\"stale\""),
                RequestBody.fromString("second")));
        assertEquals("first", s3.getObjectAsBytes(r -> r.bucket(bucket).key("w")).asUtf8String());

        s3.putObject(r -> r.bucket(bucket).key("w").ifMatch(etag), RequestBody.fromString("second"));
        assertEquals("second", s3.getObjectAsBytes(r -> r.bucket(bucket).key("w")).asUtf8String());
        assertThrows(NoSuchKeyException.class, () -> s3.putObject(r -> r.bucket(bucket).key("absent").ifMatch(etag),
                RequestBody.fromString("x")));
    }

    @Test
    void missingKeysAndBuckets() {
        String bucket = bucket();
        NoSuchKeyException get = assertThrows(NoSuchKeyException.class, () -> s3.getObjectAsBytes(r -> r.bucket(bucket).key("nope")));
        assertEquals(404, get.statusCode());
        assertThrows(NoSuchKeyException.class, () -> s3.headObject(r -> r.bucket(bucket).key("nope")));
        String missing = S3Fixtures.bucketName("missing");
        assertThrows(NoSuchBucketException.class, () -> s3.getObjectAsBytes(r -> r.bucket(missing).key("k")));
        assertThrows(NoSuchBucketException.class, () -> s3.putObject(r -> r.bucket(missing).key("k"), RequestBody.fromString("x")));
        assertThrows(NoSuchBucketException.class, () -> s3.listObjectsV2(r -> r.bucket(missing)));
        assertThrows(NoSuchBucketException.class, () -> s3.deleteObject(r -> r.bucket(missing).key("k")));
        S3Fixtures.raw(endpoint).get("/" + bucket + "/nope").then().statusCode(404)
                .body("Error.Code", equalTo("NoSuchKey"))
                .body("Error.Key", equalTo("nope"))
                .body("Error.Resource", equalTo("/" + bucket + "/nope"));
    }

    @Test
    void deleteObjectAndDeleteObjects() {
        String bucket = bucket();
        for (String key : List.of("a", "b", "c", "keep")) {
            s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString(key));
        }
        s3.deleteObject(r -> r.bucket(bucket).key("a"));
        // Deleting a key that does not exist succeeds, as on S3.
        s3.deleteObject(r -> r.bucket(bucket).key("a"));
        assertThrows(NoSuchKeyException.class, () -> s3.headObject(r -> r.bucket(bucket).key("a")));

        DeleteObjectsResponse verbose = s3.deleteObjects(r -> r.bucket(bucket).delete(d -> d.objects(
                ObjectIdentifier.builder().key("b").build(), ObjectIdentifier.builder().key("never-existed").build(),
                ObjectIdentifier.builder().key("keep").versionId("3HL4kqtJlcpXroDTDmJ").build())));
        assertEquals(List.of("b", "never-existed"), verbose.deleted().stream().map(d -> d.key()).toList());
        assertEquals("NoSuchVersion", verbose.errors().get(0).code());
        assertEquals("keep", verbose.errors().get(0).key());

        DeleteObjectsResponse quiet = s3.deleteObjects(r -> r.bucket(bucket).delete(d -> d.quiet(true)
                .objects(ObjectIdentifier.builder().key("c").build())));
        assertTrue(quiet.deleted().isEmpty());
        assertEquals(List.of("keep"), s3.listObjectsV2(r -> r.bucket(bucket)).contents().stream().map(o -> o.key()).toList());
    }

    @Test
    void keysWithAnyCharactersRoundTrip() {
        String bucket = bucket();
        List<String> keys = List.of("with space.txt", "plus+sign", "percent%20literal", "question?mark#hash", "a//double",
                "ünïcødé/文件", "emoji 😀", "trailing/", "amp&lt;tag>", "tab\tand~tilde", "colon:semi;comma,=eq");
        for (String key : keys) {
            s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString("value of " + key));
        }
        for (String key : keys) {
            assertEquals("value of " + key, s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asUtf8String(), key);
        }
        List<String> listed = s3.listObjectsV2(r -> r.bucket(bucket)).contents().stream().map(o -> o.key()).toList();
        assertEquals(keys.stream().sorted(KeyOrder.INSTANCE).toList(), listed);
        // '+' in a path is a plus, not a space.
        assertThrows(NoSuchKeyException.class, () -> s3.headObject(r -> r.bucket(bucket).key("plus sign")));
    }

    @Test
    void multipartUploads() {
        String bucket = bucket();
        byte[] part1 = random(5 * 1024 * 1024);
        byte[] part2 = random(1234);
        String uploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key("big.bin").contentType("application/x-clicks")
                .checksumAlgorithm(ChecksumAlgorithm.CRC32)).uploadId();
        UploadPartResponse p2 = s3.uploadPart(r -> r.bucket(bucket).key("big.bin").uploadId(uploadId).partNumber(2),
                RequestBody.fromBytes(part2));
        UploadPartResponse p1 = s3.uploadPart(r -> r.bucket(bucket).key("big.bin").uploadId(uploadId).partNumber(1),
                RequestBody.fromBytes(part1));
        assertEquals(crc32(part1), p1.checksumCRC32());
        CompletedPart c1 = CompletedPart.builder().partNumber(1).eTag(p1.eTag()).checksumCRC32(p1.checksumCRC32()).build();
        CompletedPart c2 = CompletedPart.builder().partNumber(2).eTag(p2.eTag()).checksumCRC32(p2.checksumCRC32()).build();

        S3Exception order = assertThrows(S3Exception.class, () -> s3.completeMultipartUpload(r -> r.bucket(bucket).key("big.bin")
                .uploadId(uploadId).multipartUpload(m -> m.parts(c2, c1))));
        assertEquals("InvalidPartOrder", order.awsErrorDetails().errorCode());
        S3Exception wrongEtag = assertThrows(S3Exception.class, () -> s3.completeMultipartUpload(r -> r.bucket(bucket)
                .key("big.bin").uploadId(uploadId).multipartUpload(m -> m.parts(c1.toBuilder().eTag("\"00\"").build(), c2))));
        assertEquals("InvalidPart", wrongEtag.awsErrorDetails().errorCode());
        assertThrows(NoSuchKeyException.class, () -> s3.headObject(r -> r.bucket(bucket).key("big.bin")));

        String etag = s3.completeMultipartUpload(r -> r.bucket(bucket).key("big.bin").uploadId(uploadId)
                .multipartUpload(m -> m.parts(c1, c2))).eTag();
        assertTrue(etag.matches("\"[0-9a-f]{32}-2\""), etag);
        byte[] whole = concat(part1, part2);
        ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(r -> r.bucket(bucket).key("big.bin"));
        assertArrayEquals(whole, got.asByteArray());
        assertEquals("application/x-clicks", got.response().contentType());

        ResponseBytes<GetObjectResponse> second = s3.getObjectAsBytes(r -> r.bucket(bucket).key("big.bin").partNumber(2));
        assertArrayEquals(part2, second.asByteArray());
        assertEquals(2, second.response().partsCount());
        // The upload is gone once completed.
        assertThrows(NoSuchUploadException.class, () -> s3.uploadPart(r -> r.bucket(bucket).key("big.bin").uploadId(uploadId)
                .partNumber(3), RequestBody.fromString("late")));
    }

    @Test
    void multipartRulesAndAbort() {
        String bucket = bucket();
        String uploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key("small-parts")).uploadId();
        String e1 = s3.uploadPart(r -> r.bucket(bucket).key("small-parts").uploadId(uploadId).partNumber(1),
                RequestBody.fromString("too small")).eTag();
        String e2 = s3.uploadPart(r -> r.bucket(bucket).key("small-parts").uploadId(uploadId).partNumber(2),
                RequestBody.fromString("last")).eTag();
        S3Exception small = assertThrows(S3Exception.class, () -> s3.completeMultipartUpload(r -> r.bucket(bucket)
                .key("small-parts").uploadId(uploadId).multipartUpload(m -> m.parts(
                        CompletedPart.builder().partNumber(1).eTag(e1).build(), CompletedPart.builder().partNumber(2).eTag(e2).build()))));
        assertEquals("EntityTooSmall", small.awsErrorDetails().errorCode());

        // A single small part is a valid object.
        s3.completeMultipartUpload(r -> r.bucket(bucket).key("small-parts").uploadId(uploadId)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(2).eTag(e2).build())));
        assertEquals("last", s3.getObjectAsBytes(r -> r.bucket(bucket).key("small-parts")).asUtf8String());

        String aborted = s3.createMultipartUpload(r -> r.bucket(bucket).key("aborted")).uploadId();
        s3.abortMultipartUpload(r -> r.bucket(bucket).key("aborted").uploadId(aborted));
        assertThrows(NoSuchUploadException.class, () -> s3.abortMultipartUpload(r -> r.bucket(bucket).key("aborted").uploadId(aborted)));
        assertThrows(NoSuchUploadException.class, () -> s3.uploadPart(r -> r.bucket(bucket).key("aborted").uploadId(aborted)
                .partNumber(1), RequestBody.fromString("x")));
        S3Exception badPart = assertThrows(S3Exception.class, () -> s3.uploadPart(r -> r.bucket(bucket).key("small-parts")
                .uploadId(uploadId).partNumber(10_001), RequestBody.fromString("x")));
        assertEquals(400, badPart.statusCode());
    }

    @Test
    void badObjectInputIsRefused() {
        String bucket = bucket();
        String longKey = "k".repeat(1025);
        S3Exception tooLong = assertThrows(S3Exception.class, () -> s3.putObject(r -> r.bucket(bucket).key(longKey),
                RequestBody.fromString("x")));
        assertEquals("KeyTooLongError", tooLong.awsErrorDetails().errorCode());
        S3Exception metadata = assertThrows(S3Exception.class, () -> s3.putObject(r -> r.bucket(bucket).key("meta")
                .metadata(Map.of("big", "v".repeat(2100))), RequestBody.fromString("x")));
        assertEquals("MetadataTooLarge", metadata.awsErrorDetails().errorCode());
        S3Fixtures.raw(endpoint).header("x-amz-acl", "public-read").body("x").put("/" + bucket + "/acl")
                .then().statusCode(400).body("Error.Code", equalTo("AccessControlListNotSupported"));
        S3Fixtures.raw(endpoint).header("x-amz-storage-class", "FLOPPY").body("x").put("/" + bucket + "/class")
                .then().statusCode(400).body("Error.Code", equalTo("InvalidStorageClass"));
        S3Exception tagging = assertThrows(S3Exception.class, () -> s3.putObject(r -> r.bucket(bucket).key("tagged").tagging("a=b"),
                RequestBody.fromString("x")));
        assertEquals(501, tagging.statusCode());
        S3Exception objectTags = assertThrows(S3Exception.class, () -> s3.getObjectTagging(r -> r.bucket(bucket).key("meta")));
        assertEquals("NotImplemented", objectTags.awsErrorDetails().errorCode());
        // Copying from a key that does not exist: S3's NoSuchKey, and nothing is written.
        S3Exception copy = assertThrows(S3Exception.class, () -> s3.copyObject(r -> r.sourceBucket(bucket).sourceKey("a")
                .destinationBucket(bucket).destinationKey("b")));
        assertEquals(404, copy.statusCode());
        assertEquals("NoSuchKey", copy.awsErrorDetails().errorCode());
        assertTrue(s3.listObjectsV2(r -> r.bucket(bucket)).contents().isEmpty());
    }

    @Test
    void readersNeverSeeAHalfWrittenObject() throws Exception {
        String bucket = bucket();
        byte[] a = new byte[512 * 1024];
        byte[] b = new byte[512 * 1024];
        Arrays.fill(a, (byte) 'a');
        Arrays.fill(b, (byte) 'b');
        s3.putObject(r -> r.bucket(bucket).key("hot"), RequestBody.fromBytes(a));
        AtomicBoolean stop = new AtomicBoolean();
        List<Throwable> writerErrors = new ArrayList<>();
        Thread writer = new Thread(() -> {
            try {
                for (int i = 0; !stop.get() && i < 200; i++) {
                    byte[] next = i % 2 == 0 ? b : a;
                    s3.putObject(r -> r.bucket(bucket).key("hot"), RequestBody.fromBytes(next));
                }
            } catch (Throwable t) {
                writerErrors.add(t);
            }
        });
        writer.start();
        try {
            for (int i = 0; i < 40; i++) {
                ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(r -> r.bucket(bucket).key("hot"));
                byte[] bytes = got.asByteArray();
                assertEquals(a.length, bytes.length);
                byte first = bytes[0];
                for (byte x : bytes) {
                    assertEquals(first, x);
                }
                String expected = "\"" + HexFormat.of().formatHex(digest("MD5", first == 'a' ? a : b)) + "\"";
                assertEquals(expected, got.response().eTag());
            }
        } finally {
            stop.set(true);
            writer.join(Duration.ofMinutes(2).toMillis());
        }
        assertTrue(writerErrors.isEmpty(), writerErrors.toString());
    }

    static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    static byte[] concat(byte[] x, byte[] y) {
        byte[] out = new byte[x.length + y.length];
        System.arraycopy(x, 0, out, 0, x.length);
        System.arraycopy(y, 0, out, x.length, y.length);
        return out;
    }

    static String crc32(byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(data);
        return base64(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
