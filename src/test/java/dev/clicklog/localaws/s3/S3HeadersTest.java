package dev.clicklog.localaws.s3;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.clicklog.endpoint.LocalEndpoint;
import dev.clicklog.localaws.protocol.RestXmlProtocol;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/** Response headers S3 derives from what is stored: x-amz-expiration, Content-Encoding, user metadata. */
@QuarkusTest
class S3HeadersTest {

    @Inject
    S3Client s3;

    @Inject
    LocalEndpoint endpoint;

    @Test
    void objectsUnderAnExpirationRuleAnnounceTheirExpiry() {
        String bucket = bucket();
        s3.putBucketLifecycleConfiguration(r -> r.bucket(bucket).lifecycleConfiguration(c -> c.rules(
                LifecycleRule.builder().id("expire clicks").status(ExpirationStatus.ENABLED)
                        .filter(f -> f.prefix("clicks/")).expiration(e -> e.days(30)).build(),
                LifecycleRule.builder().id("sooner").status(ExpirationStatus.ENABLED)
                        .filter(f -> f.prefix("clicks/hot/")).expiration(e -> e.days(2)).build())));
        PutObjectResponse put = s3.putObject(r -> r.bucket(bucket).key("clicks/a.json"), RequestBody.fromString("{}"));
        HeadObjectResponse head = s3.headObject(r -> r.bucket(bucket).key("clicks/a.json"));
        String expected = "expiry-date=\"" + RestXmlProtocol.httpDate(midnightAfter(head.lastModified().plus(Duration.ofDays(30))))
                + "\", rule-id=\"expire%20clicks\"";
        assertEquals(expected, put.expiration());
        assertEquals(expected, head.expiration());
        assertEquals(expected, s3.getObjectAsBytes(r -> r.bucket(bucket).key("clicks/a.json")).response().expiration());

        // Of two rules, the one that expires the object first is announced.
        s3.putObject(r -> r.bucket(bucket).key("clicks/hot/b.json"), RequestBody.fromString("{}"));
        HeadObjectResponse hot = s3.headObject(r -> r.bucket(bucket).key("clicks/hot/b.json"));
        assertTrue(hot.expiration().endsWith("rule-id=\"sooner\""), hot.expiration());

        s3.putObject(r -> r.bucket(bucket).key("kept.json"), RequestBody.fromString("{}"));
        assertNull(s3.headObject(r -> r.bucket(bucket).key("kept.json")).expiration());
        s3.copyObject(r -> r.sourceBucket(bucket).sourceKey("kept.json").destinationBucket(bucket).destinationKey("clicks/c.json"));
        assertTrue(s3.headObject(r -> r.bucket(bucket).key("clicks/c.json")).expiration().contains("expire%20clicks"));
    }

    @Test
    void contentEncodingComesBackAsSent() {
        String bucket = bucket();
        S3Fixtures.raw(endpoint).header("Content-Encoding", "deflate, gzip").body("x").put("/" + bucket + "/enc")
                .then().statusCode(200);
        S3Fixtures.raw(endpoint).head("/" + bucket + "/enc").then().statusCode(200)
                .header("Content-Encoding", equalTo("deflate, gzip"));
        assertEquals("deflate, gzip", s3.headObject(r -> r.bucket(bucket).key("enc")).contentEncoding());
    }

    @Test
    void nonAsciiMetadataIsReturnedRfc2047EncodedAsS3Does() throws Exception {
        String bucket = bucket();
        String zurich = "=?UTF-8?B?" + Base64.getEncoder().encodeToString("Zürich".getBytes(StandardCharsets.UTF_8)) + "?=";
        // An encoded-word is decoded when stored and encoded again when answered: back as sent.
        S3Fixtures.raw(endpoint).header("x-amz-meta-city", zurich).header("x-amz-meta-plain", "a b=c").body("x")
                .put("/" + bucket + "/encoded").then().statusCode(200);
        S3Fixtures.raw(endpoint).head("/" + bucket + "/encoded").then().statusCode(200)
                .header("x-amz-meta-city", equalTo(zurich))
                .header("x-amz-meta-plain", equalTo("a b=c"));
        // A Q-encoded word is stored as its text, answered as S3 answers every non-ASCII value.
        S3Fixtures.raw(endpoint).header("x-amz-meta-city", "=?ISO-8859-1?Q?Z=FCrich?=").body("x")
                .put("/" + bucket + "/q").then().statusCode(200);
        assertEquals(zurich, s3.headObject(r -> r.bucket(bucket).key("q")).metadata().get("city"));

        // Raw bytes beyond ASCII are ISO-8859-1 text on the wire; S3 answers them as UTF-8 encoded-words.
        byte[] request = ("PUT /" + bucket + "/raw HTTP/1.1\r\nHost: " + endpoint.uri().getAuthority()
                + "\r\nAuthorization: AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/s3/aws4_request, "
                + "SignedHeaders=host, Signature=0\r\nContent-Length: 1\r\nConnection: close\r\nx-amz-meta-city: Zürich\r\n\r\nx")
                .getBytes(StandardCharsets.ISO_8859_1);
        try (Socket socket = new Socket(endpoint.uri().getHost(), endpoint.uri().getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            String status = new String(socket.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1);
            assertEquals("HTTP/1.1 200", status);
        }
        assertEquals(zurich, s3.headObject(r -> r.bucket(bucket).key("raw")).metadata().get("city"));
    }

    private static Instant midnightAfter(Instant t) {
        Instant day = t.atOffset(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).toInstant();
        return day.equals(t) ? t : day.plus(Duration.ofDays(1));
    }

    private String bucket() {
        String bucket = S3Fixtures.bucketName("headers");
        s3.createBucket(r -> r.bucket(bucket));
        return bucket;
    }
}
