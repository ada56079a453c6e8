package dev.clicklog.localaws.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.clicklog.endpoint.LocalEndpoint;
import dev.clicklog.testing.AwsCli;
import dev.clicklog.testing.EnforcedCallers;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Presigned URLs when callers are held to IAM: a link signed with the caller's secret works, a
 * tampered one is 403 SignatureDoesNotMatch, an unknown access key 403 InvalidAccessKeyId — with
 * S3's error elements.
 */
@QuarkusTest
@TestProfile(EnforcedCallers.class)
class S3SignatureVerificationTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Inject
    LocalEndpoint endpoint;

    @Inject
    S3Client s3;

    @TempDir
    Path dir;

    @Test
    void onlyLinksSignedWithTheCallersSecretWork() throws Exception {
        String bucket = S3Fixtures.bucketName("verified");
        s3.createBucket(r -> r.bucket(bucket));
        s3.putObject(r -> r.bucket(bucket).key("a b.json"), RequestBody.fromString("{\"n\":1}"));
        s3.putObject(r -> r.bucket(bucket).key("other.json"), RequestBody.fromString("{\"n\":2}"));

        URI good = presign("test", "test", bucket, "a b.json");
        HttpResponse<String> ok = get(good);
        assertEquals(200, ok.statusCode(), ok.body());
        assertEquals("{\"n\":1}", ok.body());

        // Another object, a longer life, another secret: the signature no longer matches.
        for (URI tampered : new URI[] { URI.create(good.toString().replace("a%20b.json", "other.json")),
                URI.create(good.toString().replace("X-Amz-Expires=600", "X-Amz-Expires=6000")),
                presign("test", "not-the-secret", bucket, "a b.json") }) {
            HttpResponse<String> refused = get(tampered);
            assertEquals(403, refused.statusCode(), refused.body());
            assertEquals("SignatureDoesNotMatch", S3PresignTest.element(refused.body(), "Code"));
            assertEquals("test", S3PresignTest.element(refused.body(), "AWSAccessKeyId"));
            assertEquals(tampered.getRawQuery().replaceAll(".*X-Amz-Signature=([0-9a-f]+).*", "$1"),
                    S3PresignTest.element(refused.body(), "SignatureProvided"));
        }
        HttpResponse<String> stranger = get(presign("AKIASTRANGER", "test", bucket, "a b.json"));
        assertEquals(403, stranger.statusCode());
        assertEquals("InvalidAccessKeyId", S3PresignTest.element(stranger.body(), "Code"));

        // SigV2 links from the CLI, signed with the same secret.
        Path config = dir.resolve("config");
        Files.writeString(config, "[default]\nsignature_version = s3\n");
        String v2 = new AwsCli(endpoint.uri(), "us-east-1").withEnvironment("AWS_CONFIG_FILE", config.toString())
                .run("s3", "presign", "s3://" + bucket + "/a b.json", "--expires-in", "600").assertOk().stdout().trim();
        HttpResponse<byte[]> v2ok = HTTP.send(HttpRequest.newBuilder(URI.create(v2)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, v2ok.statusCode());
        assertArrayEquals("{\"n\":1}".getBytes(StandardCharsets.UTF_8), v2ok.body());
        assertEquals(403, get(URI.create(v2.replace("a%20b.json", "other.json"))).statusCode());
    }

    private URI presign(String accessKey, String secret, String bucket, String key) {
        try (S3Presigner presigner = S3Presigner.builder().region(Region.US_EAST_1).endpointOverride(endpoint.uri())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secret)))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()).build()) {
            return URI.create(presigner.presignGetObject(p -> p.signatureDuration(Duration.ofSeconds(600))
                    .getObjectRequest(r -> r.bucket(bucket).key(key))).url().toString());
        }
    }

    private static HttpResponse<String> get(URI uri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }
}
