package dev.clicklog.localaws.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.clicklog.localaws.http.AwsRequest;
import dev.clicklog.localaws.iam.Callers;
import dev.clicklog.localaws.spi.RequestSignatures;
import dev.clicklog.testing.AwsCli;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * What a presigned URL signed, as localaws rebuilds it for a {@link RequestSignatures} verifier:
 * signing that with the caller's secret gives the URL's own signature (SigV4 from the SDK's
 * presigner, SigV2 from the CLI), and a tampered URL no longer matches. This is what a verifier
 * will check once caller identities are enforced; the presigner and the CLI sign offline, so no
 * server is needed.
 */
class QueryAuthSignatureTest {

    private static final String SECRET = "test";
    private static final URI ENDPOINT = URI.create("http://127.0.0.1:4566");

    @TempDir
    Path dir;

    @Test
    void sigV4StringToSignReproducesThePresignersSignature() throws Exception {
        try (S3Presigner presigner = S3Presigner.builder().region(Region.EU_WEST_1).endpointOverride(ENDPOINT)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", SECRET)))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()).build()) {
            URI url = URI.create(presigner.presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(10))
                    .getObjectRequest(r -> r.bucket("clicks").key("year=2026/a b+c ü.json")
                            .responseContentDisposition("attachment; filename=\"a b.json\"")))
                    .url().toString());
            RequestSignatures.Signed signed = signed("GET", url);
            assertEquals("AWS4-HMAC-SHA256", signed.algorithm());
            assertEquals("AKIDEXAMPLE", signed.accessKeyId());
            assertEquals(new RequestSignatures.Scope(signed.scope().date(), "eu-west-1", "s3"), signed.scope());
            assertEquals(signed.signature(), sigV4(signed));

            RequestSignatures.Signed tampered = signed("GET", URI.create(url.toString().replace("a%20b", "a%20c")));
            assertNotEquals(tampered.signature(), sigV4(tampered));
            RequestSignatures.Signed otherMethod = signed("PUT", url);
            assertNotEquals(otherMethod.signature(), sigV4(otherMethod));
        }
    }

    @Test
    void sigV2StringToSignReproducesTheCliSignature() throws Exception {
        Path config = dir.resolve("config");
        Files.writeString(config, "[default]\nsignature_version = s3\n");
        AwsCli aws = new AwsCli(ENDPOINT, "us-east-1").withEnvironment("AWS_CONFIG_FILE", config.toString());
        URI url = URI.create(aws.run("s3", "presign", "s3://clicks/2026/a b.json", "--expires-in", "600")
                .assertOk().stdout().trim());
        RequestSignatures.Signed signed = signed("GET", url);
        assertEquals("HmacSHA1", signed.algorithm());
        assertEquals("test", signed.accessKeyId());
        assertEquals(signed.signature(), sigV2(signed));

        RequestSignatures.Signed tampered = signed("GET", URI.create(url.toString().replace("a%20b", "a%20c")));
        assertNotEquals(tampered.signature(), sigV2(tampered));
    }

    private static RequestSignatures.Signed signed(String method, URI url) {
        AwsRequest request = new AwsRequest(method, url.getRawPath(), url.getRawQuery(),
                Map.of("Host", url.getHost() + ":" + url.getPort()), new byte[0], null);
        S3Handler.Address address = S3Handler.address(request);
        return QueryAuth.read(request, Instant.now()).signed(request, address.bucket(), false);
    }

    private static String sigV4(RequestSignatures.Signed signed) {
        return Callers.sigV4(signed, SECRET);
    }

    private static String sigV2(RequestSignatures.Signed signed) {
        return Callers.sigV2(signed, SECRET);
    }
}
