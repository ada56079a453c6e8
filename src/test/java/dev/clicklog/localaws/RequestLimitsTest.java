package dev.clicklog.localaws;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.clicklog.endpoint.LocalEndpoint;
import dev.clicklog.localaws.storage.Storage;
import dev.clicklog.testing.RawHttp;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.IntegrationType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Bodies are bounded as each AWS service documents it, and refused in the service's own error
 * shape before they are read — the requests below announce bodies they never send, and are
 * answered all the same. Object bodies go through files, whatever their size.
 */
@QuarkusTest
class RequestLimitsTest {

    private static final long MIB = 1024 * 1024;

    @Inject
    LocalEndpoint endpoint;

    @Inject
    Storage storage;

    @Inject
    S3Client s3;

    @Inject
    ApiGatewayClient apiGateway;

    private RawHttp connect() {
        return new RawHttp(endpoint.uri());
    }

    @Test
    void kinesisRefusesABodyNoValidRequestCanHaveUnread() {
        try (RawHttp http = connect()) {
            // Expect: 100-continue: the refusal comes instead of the go-ahead, so the body is never sent.
            RawHttp.Response r = http.head("POST / HTTP/1.1", Map.of(
                    "X-Amz-Target", "Kinesis_20131202.PutRecords",
                    "Content-Type", "application/x-amz-json-1.1",
                    "Content-Length", String.valueOf(16 * MIB + 1),
                    "Expect", "100-continue")).response();
            assertEquals(413, r.status(), r.body());
            assertTrue(r.body().contains("\"__type\":\"RequestEntityTooLarge\""), r.body());
            assertTrue(r.body().contains("Request size 16777217 exceeded 16777216 bytes"), r.body());
            assertTrue(http.closedByServer(5000), "the unread body's connection is closed");
        }
    }

    @Test
    void aChunkedBodyIsCountedAsItArrives() throws Exception {
        try (RawHttp http = connect()) {
            http.head("POST / HTTP/1.1", Map.of(
                    "X-Amz-Target", "Firehose_20150804.PutRecordBatch",
                    "Content-Type", "application/x-amz-json-1.1",
                    "Transfer-Encoding", "chunked"));
            byte[] chunk = ("100000\r\n" + "x".repeat(1 << 20) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            Thread sender = new Thread(() -> {
                try {
                    for (int i = 0; i < 17; i++) {
                        http.send(chunk);
                    }
                } catch (RuntimeException refusedMidway) {
                    // the server answered and closed while this was still sending
                }
            });
            sender.start();
            RawHttp.Response r = http.response();
            sender.join(30_000);
            assertEquals(413, r.status(), r.body());
            assertTrue(r.body().contains("RequestEntityTooLarge") && r.body().contains("exceeded 16777216 bytes"), r.body());
        }
    }

    @Test
    void apiGatewayAnswersItsRequestTooLargeResponse() {
        String apiId = apiGateway.createRestApi(b -> b.name("limits-" + UUID.randomUUID())).id();
        String root = apiGateway.getResources(b -> b.restApiId(apiId)).items().get(0).id();
        apiGateway.putMethod(b -> b.restApiId(apiId).resourceId(root).httpMethod("POST").authorizationType("NONE"));
        apiGateway.putIntegration(b -> b.restApiId(apiId).resourceId(root).httpMethod("POST").type(IntegrationType.MOCK)
                .requestTemplates(Map.of("application/json", "{\"statusCode\": 200}")));
        apiGateway.createDeployment(b -> b.restApiId(apiId).stageName("v1"));
        try (RawHttp http = connect()) {
            RawHttp.Response r = http.head("POST /restapis/" + apiId + "/v1/_user_request_/ HTTP/1.1", Map.of(
                    "Content-Type", "application/json",
                    "Content-Length", String.valueOf(10 * MIB + 1))).response();
            assertEquals(413, r.status(), r.body());
            assertEquals("{\"message\":\"Request Too Long\"}", r.body());
        }
    }

    @Test
    void s3RefusesAnObjectOverFiveGiBUnread() {
        String bucket = "limits-" + UUID.randomUUID();
        s3.createBucket(b -> b.bucket(bucket));
        try (RawHttp http = connect()) {
            RawHttp.Response r = http.head("PUT /" + bucket + "/big HTTP/1.1", Map.of(
                    "Content-Length", String.valueOf(5L * 1024 * MIB + 1))).response();
            assertEquals(400, r.status(), r.body());
            assertTrue(r.body().contains("<Code>EntityTooLarge</Code>") && r.body().contains("<ProposedSize>5368709121</ProposedSize>"),
                    r.body());
        }
        try (RawHttp http = connect()) {
            // aws-chunked: the object's size is the decoded length, refused before any chunk is read.
            RawHttp.Response r = http.head("PUT /" + bucket + "/big HTTP/1.1", Map.of(
                    "Content-Encoding", "aws-chunked",
                    "x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
                    "x-amz-decoded-content-length", String.valueOf(5L * 1024 * MIB + 1),
                    "Content-Length", String.valueOf(5L * 1024 * MIB + 4096))).response();
            assertEquals(400, r.status(), r.body());
            assertTrue(r.body().contains("<Code>EntityTooLarge</Code>"), r.body());
        }
    }

    @Test
    void objectBodiesGoThroughFilesAndLeaveNoneBehind() throws Exception {
        String bucket = "files-" + UUID.randomUUID();
        s3.createBucket(b -> b.bucket(bucket));
        Path source = Files.createTempFile("object", ".bin");
        try {
            byte[] block = new byte[1 << 20];
            for (int i = 0; i < block.length; i++) {
                block[i] = (byte) (i * 31);
            }
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            try (var out = Files.newOutputStream(source)) {
                for (int i = 0; i < 24; i++) {
                    block[0] = (byte) i;
                    out.write(block);
                    md5.update(block);
                }
            }
            String etag = "\"" + HexFormat.of().formatHex(md5.digest()) + "\"";
            // The SDK sends it aws-chunked with a CRC32 trailer: decoded and checked on the way to disk.
            s3.putObject(b -> b.bucket(bucket).key("object"), RequestBody.fromFile(source));
            HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key("object"));
            assertEquals(24 * MIB, head.contentLength());
            assertEquals(etag, head.eTag());
            MessageDigest back = MessageDigest.getInstance("MD5");
            try (InputStream in = s3.getObject(b -> b.bucket(bucket).key("object"))) {
                byte[] buffer = new byte[1 << 16];
                for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                    back.update(buffer, 0, n);
                }
            }
            assertEquals(etag, "\"" + HexFormat.of().formatHex(back.digest()) + "\"");
        } finally {
            Files.deleteIfExists(source);
        }
        await("received bodies cleaned up").atMost(Duration.ofSeconds(10)).until(() -> {
            try (Stream<Path> files = Files.list(storage.tempDir())) {
                return files.findAny().isEmpty();
            } catch (IOException e) {
                return false;
            }
        });
    }
}
