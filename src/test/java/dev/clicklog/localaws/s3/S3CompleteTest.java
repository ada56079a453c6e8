package dev.clicklog.localaws.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Random;
import java.util.zip.CRC32;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.clicklog.endpoint.LocalEndpoint;
import dev.clicklog.testing.AwsCli;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/** CompleteMultipartUpload as SDKs retry it, and the checksums a completing client gives. */
@QuarkusTest
class S3CompleteTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final int PART = 5 * 1024 * 1024;

    @Inject
    S3Client s3;

    @Inject
    LocalEndpoint endpoint;

    @TempDir
    Path dir;

    String bucket() {
        String bucket = S3Fixtures.bucketName("complete");
        s3.createBucket(r -> r.bucket(bucket));
        return bucket;
    }

    @Test
    void aRetriedCompleteAnswersTheSameResult() {
        String bucket = bucket();
        String uploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key("k")).uploadId();
        CompletedPart p1 = part(bucket, "k", uploadId, 1, random(PART, 1), null);
        CompletedPart p2 = part(bucket, "k", uploadId, 2, random(99, 2), null);
        CompleteMultipartUploadResponse first = s3.completeMultipartUpload(r -> r.bucket(bucket).key("k").uploadId(uploadId)
                .multipartUpload(m -> m.parts(p1, p2)));
        CompleteMultipartUploadResponse again = s3.completeMultipartUpload(r -> r.bucket(bucket).key("k").uploadId(uploadId)
                .multipartUpload(m -> m.parts(p1, p2)));
        assertEquals(first.eTag(), again.eTag());
        assertEquals(first.checksumCRC64NVME(), again.checksumCRC64NVME());
        assertEquals(first.location(), again.location());

        // Other parts, or another key, name no upload: the upload itself is gone.
        assertThrows(NoSuchUploadException.class, () -> s3.completeMultipartUpload(r -> r.bucket(bucket).key("k")
                .uploadId(uploadId).multipartUpload(m -> m.parts(p1))));
        assertThrows(NoSuchUploadException.class, () -> s3.completeMultipartUpload(r -> r.bucket(bucket).key("other")
                .uploadId(uploadId).multipartUpload(m -> m.parts(p1, p2))));
        assertThrows(NoSuchUploadException.class, () -> s3.uploadPart(r -> r.bucket(bucket).key("k").uploadId(uploadId)
                .partNumber(3), RequestBody.fromString("late")));
    }

    @Test
    void cliCompletesTwiceWithTheSameEtag() throws Exception {
        String bucket = bucket();
        AwsCli aws = new AwsCli(endpoint.uri(), "us-east-1");
        String uploadId = JSON.readTree(aws.run("s3api", "create-multipart-upload", "--bucket", bucket, "--key", "cli.bin")
                .assertOk().stdout()).get("UploadId").asText();
        Path file = dir.resolve("part");
        Files.write(file, random(1000, 3));
        String etag = JSON.readTree(aws.run("s3api", "upload-part", "--bucket", bucket, "--key", "cli.bin", "--upload-id",
                uploadId, "--part-number", "1", "--body", file.toString()).assertOk().stdout()).get("ETag").asText();
        Path parts = dir.resolve("parts.json");
        Files.writeString(parts, "{\"Parts\": [{\"PartNumber\": 1, \"ETag\": " + JSON.writeValueAsString(etag) + "}]}");
        String[] complete = {"s3api", "complete-multipart-upload", "--bucket", bucket, "--key", "cli.bin", "--upload-id",
                uploadId, "--multipart-upload", "file://" + parts};
        JsonNode first = JSON.readTree(aws.run(complete).assertOk().stdout());
        JsonNode second = JSON.readTree(aws.run(complete).assertOk().stdout());
        assertEquals(first.get("ETag").asText(), second.get("ETag").asText());
        assertTrue(first.get("ETag").asText().endsWith("-1\""), first.toString());

        // A wrong whole-object checksum on another upload is refused, and that upload stays open.
        String other = JSON.readTree(aws.run("s3api", "create-multipart-upload", "--bucket", bucket, "--key", "sha.bin",
                "--checksum-algorithm", "SHA256").assertOk().stdout()).get("UploadId").asText();
        JsonNode part = JSON.readTree(aws.run("s3api", "upload-part", "--bucket", bucket, "--key", "sha.bin", "--upload-id",
                other, "--part-number", "1", "--body", file.toString(), "--checksum-algorithm", "SHA256").assertOk().stdout());
        Files.writeString(parts, "{\"Parts\": [{\"PartNumber\": 1, \"ETag\": " + JSON.writeValueAsString(part.get("ETag").asText())
                + ", \"ChecksumSHA256\": " + JSON.writeValueAsString(part.get("ChecksumSHA256").asText()) + "}]}");
        AwsCli.Result wrong = aws.run("s3api", "complete-multipart-upload", "--bucket", bucket, "--key", "sha.bin",
                "--upload-id", other, "--multipart-upload", "file://" + parts, "--checksum-sha256",
                Base64.getEncoder().encodeToString(new byte[32]));
        assertNotEquals(0, wrong.exitCode());
        assertTrue(wrong.stderr().contains("BadDigest"), wrong.stderr());
        aws.run("s3api", "complete-multipart-upload", "--bucket", bucket, "--key", "sha.bin", "--upload-id", other,
                "--multipart-upload", "file://" + parts).assertOk();
    }

    @Test
    void aFullObjectChecksumMustMatchTheObject() {
        String bucket = bucket();
        String uploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key("full").checksumAlgorithm(ChecksumAlgorithm.CRC32)
                .checksumType(ChecksumType.FULL_OBJECT)).uploadId();
        byte[] a = random(PART, 4);
        byte[] b = random(321, 5);
        CompletedPart p1 = part(bucket, "full", uploadId, 1, a, ChecksumAlgorithm.CRC32);
        CompletedPart p2 = part(bucket, "full", uploadId, 2, b, ChecksumAlgorithm.CRC32);
        String whole = crc32(a, b);
        S3Exception wrong = assertThrows(S3Exception.class, () -> s3.completeMultipartUpload(r -> r.bucket(bucket).key("full")
                .uploadId(uploadId).checksumCRC32(crc32(b)).multipartUpload(m -> m.parts(p1, p2))));
        assertEquals(400, wrong.statusCode());
        assertEquals("BadDigest", wrong.awsErrorDetails().errorCode());
        S3Exception size = assertThrows(S3Exception.class, () -> s3.completeMultipartUpload(r -> r.bucket(bucket).key("full")
                .uploadId(uploadId).mpuObjectSize((long) PART).multipartUpload(m -> m.parts(p1, p2))));
        assertEquals("InvalidRequest", size.awsErrorDetails().errorCode());

        CompleteMultipartUploadResponse done = s3.completeMultipartUpload(r -> r.bucket(bucket).key("full").uploadId(uploadId)
                .checksumCRC32(whole).mpuObjectSize((long) a.length + b.length).multipartUpload(m -> m.parts(p1, p2)));
        assertEquals(whole, done.checksumCRC32());
        assertEquals(ChecksumType.FULL_OBJECT, done.checksumType());
        byte[] stored = s3.getObjectAsBytes(r -> r.bucket(bucket).key("full")).asByteArray();
        assertEquals(a.length + b.length, stored.length);
    }

    @Test
    void compositeAndPartChecksumsMustMatch() throws Exception {
        String bucket = bucket();
        String uploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key("sha").checksumAlgorithm(ChecksumAlgorithm.SHA256))
                .uploadId();
        byte[] a = random(PART, 6);
        byte[] b = random(10, 7);
        CompletedPart p1 = part(bucket, "sha", uploadId, 1, a, ChecksumAlgorithm.SHA256);
        CompletedPart p2 = part(bucket, "sha", uploadId, 2, b, ChecksumAlgorithm.SHA256);

        S3Exception wrongPart = assertThrows(S3Exception.class, () -> s3.completeMultipartUpload(r -> r.bucket(bucket).key("sha")
                .uploadId(uploadId).multipartUpload(m -> m.parts(p1, p2.toBuilder().checksumSHA256(p1.checksumSHA256()).build()))));
        assertEquals("InvalidPart", wrongPart.awsErrorDetails().errorCode());
        S3Exception wrongWhole = assertThrows(S3Exception.class, () -> s3.completeMultipartUpload(r -> r.bucket(bucket)
                .key("sha").uploadId(uploadId).checksumSHA256(Base64.getEncoder().encodeToString(new byte[32]))
                .multipartUpload(m -> m.parts(p1, p2))));
        assertEquals("BadDigest", wrongWhole.awsErrorDetails().errorCode());
        S3Exception otherAlgorithm = assertThrows(S3Exception.class, () -> s3.completeMultipartUpload(r -> r.bucket(bucket)
                .key("sha").uploadId(uploadId).checksumCRC32(crc32(a, b)).multipartUpload(m -> m.parts(p1, p2))));
        assertEquals("InvalidRequest", otherAlgorithm.awsErrorDetails().errorCode());

        // The composite: SHA-256 of the parts' SHA-256 digests, "-2" for two parts.
        MessageDigest composite = MessageDigest.getInstance("SHA-256");
        composite.update(Base64.getDecoder().decode(p1.checksumSHA256()));
        composite.update(Base64.getDecoder().decode(p2.checksumSHA256()));
        String expected = Base64.getEncoder().encodeToString(composite.digest());
        CompleteMultipartUploadResponse done = s3.completeMultipartUpload(r -> r.bucket(bucket).key("sha").uploadId(uploadId)
                .checksumSHA256(expected).multipartUpload(m -> m.parts(p1, p2)));
        assertEquals(expected + "-2", done.checksumSHA256());
        assertEquals(ChecksumType.COMPOSITE, done.checksumType());
        byte[] whole = new byte[a.length + b.length];
        System.arraycopy(a, 0, whole, 0, a.length);
        System.arraycopy(b, 0, whole, a.length, b.length);
        assertArrayEquals(whole, s3.getObjectAsBytes(r -> r.bucket(bucket).key("sha")).asByteArray());
    }

    private CompletedPart part(String bucket, String key, String uploadId, int number, byte[] bytes,
            ChecksumAlgorithm algorithm) {
        UploadPartResponse r = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number)
                .checksumAlgorithm(algorithm), RequestBody.fromBytes(bytes));
        return CompletedPart.builder().partNumber(number).eTag(r.eTag()).checksumCRC32(r.checksumCRC32())
                .checksumSHA256(r.checksumSHA256()).build();
    }

    private static String crc32(byte[]... chunks) {
        CRC32 crc = new CRC32();
        for (byte[] c : chunks) {
            crc.update(c);
        }
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
