package dev.clicklog.localaws.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.clicklog.endpoint.LocalEndpoint;
import dev.clicklog.testing.AwsCli;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.xml.XmlPath;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** Presigned URLs (query-string authentication) made by the SDK's presigner and by {@code aws s3 presign}, used over plain HTTP. */
@QuarkusTest
class S3PresignTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Inject
    LocalEndpoint endpoint;

    @Inject
    S3Client s3;

    @TempDir
    Path dir;

    S3Presigner presigner;
    String bucket;

    @BeforeEach
    void setUp() {
        presigner = S3Presigner.builder().region(Region.US_EAST_1).endpointOverride(endpoint.uri())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .build();
        bucket = S3Fixtures.bucketName("presign");
        s3.createBucket(r -> r.bucket(bucket));
    }

    @AfterEach
    void tearDown() {
        presigner.close();
    }

    @Test
    void sdkPresignedGetHeadAndPutWorkOverPlainHttp() throws Exception {
        byte[] bytes = random(70_000);
        URI put = URI.create(presigner.presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                .putObjectRequest(r -> r.bucket(bucket).key("shared/clicks 1.json").contentType("application/json")))
                .url().toString());
        HttpResponse<String> uploaded = HTTP.send(HttpRequest.newBuilder(put).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, uploaded.statusCode(), uploaded.body());
        assertArrayEquals(bytes, s3.getObjectAsBytes(r -> r.bucket(bucket).key("shared/clicks 1.json")).asByteArray());

        URI get = URI.create(presigner.presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                .getObjectRequest(r -> r.bucket(bucket).key("shared/clicks 1.json")
                        .responseContentDisposition("attachment; filename=\"clicks 1.json\"")))
                .url().toString());
        assertTrue(get.getRawQuery().contains("X-Amz-Signature="), get.toString());
        HttpResponse<byte[]> got = HTTP.send(HttpRequest.newBuilder(get).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, got.statusCode());
        assertArrayEquals(bytes, got.body());
        assertEquals("application/json", got.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("attachment; filename=\"clicks 1.json\"", got.headers().firstValue("Content-Disposition").orElseThrow());

        URI head = URI.create(presigner.presignHeadObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                .headObjectRequest(r -> r.bucket(bucket).key("shared/clicks 1.json"))).url().toString());
        HttpResponse<Void> headed = HTTP.send(HttpRequest.newBuilder(head).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.discarding());
        assertEquals(200, headed.statusCode());
        assertEquals(String.valueOf(bytes.length), headed.headers().firstValue("Content-Length").orElseThrow());
    }

    @Test
    void cliPresignedLinksDownloadByteForByteWithSigV4AndSigV2() throws Exception {
        byte[] bytes = random(12_345);
        s3.putObject(r -> r.bucket(bucket).key("2026/12/clicks+1.gz"), RequestBody.fromBytes(bytes));
        String v4 = cli("s3v4").run("s3", "presign", "s3://" + bucket + "/2026/12/clicks+1.gz", "--expires-in", "300")
                .assertOk().stdout().trim();
        assertTrue(v4.contains("X-Amz-Algorithm=AWS4-HMAC-SHA256") && v4.contains("X-Amz-Expires=300"), v4);
        HttpResponse<byte[]> got = HTTP.send(HttpRequest.newBuilder(URI.create(v4)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, got.statusCode(), new String(got.body(), StandardCharsets.UTF_8));
        assertArrayEquals(bytes, got.body());

        String v2 = cli("s3").run("s3", "presign", "s3://" + bucket + "/2026/12/clicks+1.gz", "--expires-in", "300")
                .assertOk().stdout().trim();
        assertTrue(v2.contains("AWSAccessKeyId=") && v2.contains("Signature=") && v2.contains("Expires="), v2);
        HttpResponse<byte[]> gotV2 = HTTP.send(HttpRequest.newBuilder(URI.create(v2)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, gotV2.statusCode(), new String(gotV2.body(), StandardCharsets.UTF_8));
        assertArrayEquals(bytes, gotV2.body());
    }

    @Test
    void anExpiredLinkIsAccessDeniedWithS3sTimes() throws Exception {
        s3.putObject(r -> r.bucket(bucket).key("soon-gone"), RequestBody.fromString("x"));
        String link = cli("s3v4").run("s3", "presign", "s3://" + bucket + "/soon-gone", "--expires-in", "1").assertOk().stdout().trim();
        HttpResponse<String>[] last = new HttpResponse[1];
        Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250)).until(() -> {
            last[0] = HTTP.send(HttpRequest.newBuilder(URI.create(link)).build(), HttpResponse.BodyHandlers.ofString());
            return last[0].statusCode() != 200;
        });
        String body = last[0].body();
        assertEquals(403, last[0].statusCode(), body);
        assertEquals("AccessDenied", element(body, "Code"));
        assertEquals("Request has expired", element(body, "Message"));
        assertEquals("1", element(body, "X-Amz-Expires"));
        Instant expires = Instant.parse(element(body, "Expires"));
        Instant serverTime = Instant.parse(element(body, "ServerTime"));
        assertTrue(serverTime.isAfter(expires), body);

        // SigV2: Expires is the expiry itself, in seconds since the epoch.
        long past = Instant.now().minusSeconds(60).getEpochSecond();
        HttpResponse<String> v2 = get("/" + bucket + "/soon-gone?AWSAccessKeyId=test&Expires=" + past + "&Signature=abc%3D");
        assertEquals(403, v2.statusCode());
        assertEquals("Request has expired", element(v2.body(), "Message"));
        assertEquals(Instant.ofEpochSecond(past).toString(), element(v2.body(), "Expires"));
    }

    @Test
    void queryParametersAreCheckedAsS3ChecksThem() throws Exception {
        s3.putObject(r -> r.bucket(bucket).key("k"), RequestBody.fromString("x"));
        String date = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(Instant.now());
        String base = "/" + bucket + "/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=test%2F" + date.substring(0, 8)
                + "%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=" + date + "&X-Amz-SignedHeaders=host&X-Amz-Signature=00";
        assertEquals(200, get(base + "&X-Amz-Expires=604800").statusCode());
        assertParametersError(get(base + "&X-Amz-Expires=604801"), "X-Amz-Expires must be less than a week (in seconds); "
                + "that is, the given X-Amz-Expires must be less than 604800 seconds");
        assertParametersError(get(base + "&X-Amz-Expires=-1"), "X-Amz-Expires must be non-negative");
        assertParametersError(get(base + "&X-Amz-Expires=soon"), "X-Amz-Expires should be a number");
        assertParametersError(get(base.replace("&X-Amz-Signature=00", "") + "&X-Amz-Expires=60"),
                "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, "
                        + "X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.");
        assertParametersError(get(base.replace("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA1") + "&X-Amz-Expires=60"),
                "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
        HttpResponse<String> v2 = get("/" + bucket + "/k?AWSAccessKeyId=test&Signature=abc");
        assertEquals(403, v2.statusCode());
        assertEquals("AccessDenied", element(v2.body(), "Code"));
    }

    private static void assertParametersError(HttpResponse<String> response, String message) {
        assertEquals(400, response.statusCode(), response.body());
        assertEquals("AuthorizationQueryParametersError", element(response.body(), "Code"));
        assertEquals(message, element(response.body(), "Message"));
    }

    /**
     * The CLI presigning with SigV4 ("s3v4", set for S3 alone: the CLI's own default here is SigV2)
     * or with S3's SigV2 ("s3"), as older tools still sign.
     */
    private AwsCli cli(String signatureVersion) throws IOException {
        Path config = dir.resolve("config-" + signatureVersion);
        Files.writeString(config, signatureVersion.equals("s3v4") ? "[default]\ns3 =\n    signature_version = s3v4\n"
                : "[default]\nsignature_version = " + signatureVersion + "\n");
        return new AwsCli(endpoint.uri(), "us-east-1").withEnvironment("AWS_CONFIG_FILE", config.toString());
    }

    private HttpResponse<String> get(String pathAndQuery) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(endpoint.uri() + pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The text of an element of an S3 error document, or null. */
    static String element(String xml, String name) {
        String value = XmlPath.from(xml).getString("Error." + name);
        return value == null || value.isEmpty() ? null : value;
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }
}
