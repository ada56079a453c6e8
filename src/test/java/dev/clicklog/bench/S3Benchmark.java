package dev.clicklog.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.clicklog.localaws.http.AwsRequest;
import dev.clicklog.localaws.http.LocalAwsClient;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;

/**
 * S3 throughput of localaws: small-object PUT and GET through the SDK (what the portal's object
 * browser does), in-process PUTs (what Firehose does), and listing latency in a large bucket.
 * Run with {@code ./mvnw verify -Pbenchmark -Dtest=S3Benchmark}.
 */
@QuarkusTest
@Tag("benchmark")
class S3Benchmark {

    static final int OBJECTS = 2_000;
    static final int LARGE_BUCKET = 50_000;

    @Inject
    S3Client s3;

    @Inject
    LocalAwsClient local;

    @Test
    void smallObjects() {
        String bucket = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(r -> r.bucket(bucket));
        byte[] body = new byte[4 * 1024];
        Arrays.fill(body, (byte) 'x');

        warmUp(bucket, body);
        long t0 = System.nanoTime();
        for (int i = 0; i < OBJECTS; i++) {
            String key = "sdk/" + i;
            s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(body));
        }
        report("SDK PutObject, 4 KiB, 1 thread", OBJECTS, t0);

        t0 = System.nanoTime();
        for (int i = 0; i < OBJECTS; i++) {
            String key = "sdk/" + i;
            assertEquals(body.length, s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray().length);
        }
        report("SDK GetObject, 4 KiB, 1 thread", OBJECTS, t0);

        t0 = System.nanoTime();
        for (int i = 0; i < OBJECTS; i++) {
            assertEquals(200, local.call(new AwsRequest("PUT", "/" + bucket + "/inproc/" + i, "", Map.of(), body, "127.0.0.1")).status());
        }
        report("in-process PutObject (Firehose path), 4 KiB", OBJECTS, t0);
    }

    @Test
    void listingALargeBucket() {
        String bucket = "bench-list-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(r -> r.bucket(bucket));
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        long t0 = System.nanoTime();
        IntStream.range(0, LARGE_BUCKET).parallel().forEach(i -> local.call(new AwsRequest("PUT",
                "/" + bucket + String.format("/day-%02d/part-%06d.json", i % 30, i), "", Map.of(), body, "127.0.0.1")));
        report("in-process PutObject while filling a " + LARGE_BUCKET + "-key bucket, 2 threads", LARGE_BUCKET, t0);

        ListObjectsV2Response first = s3.listObjectsV2(r -> r.bucket(bucket));
        int pages = 0;
        t0 = System.nanoTime();
        String token = null;
        do {
            String t = token;
            ListObjectsV2Response page = s3.listObjectsV2(r -> r.bucket(bucket).continuationToken(t));
            token = page.nextContinuationToken();
            pages++;
        } while (token != null);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("BENCH ListObjectsV2 of %d keys: %d pages of 1000 in %d ms (%.1f ms/page)%n", LARGE_BUCKET, pages, ms,
                (double) ms / pages);
        assertEquals(1000, first.keyCount());

        t0 = System.nanoTime();
        for (int i = 0; i < 100; i++) {
            assertEquals(30, s3.listObjectsV2(r -> r.bucket(bucket).delimiter("/")).commonPrefixes().size());
        }
        System.out.printf("BENCH ListObjectsV2 with delimiter over %d keys (30 prefixes): %.1f ms/call%n", LARGE_BUCKET,
                (System.nanoTime() - t0) / 1e6 / 100);
        t0 = System.nanoTime();
        for (int i = 0; i < 100; i++) {
            s3.listObjectsV2(r -> r.bucket(bucket).prefix("day-17/").maxKeys(100));
        }
        System.out.printf("BENCH ListObjectsV2 of one prefix (100 keys) in a %d-key bucket: %.1f ms/call%n", LARGE_BUCKET,
                (System.nanoTime() - t0) / 1e6 / 100);
    }

    private void warmUp(String bucket, byte[] body) {
        for (int i = 0; i < 200; i++) {
            String key = "warm/" + i;
            s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(body));
            s3.getObjectAsBytes(r -> r.bucket(bucket).key(key));
        }
    }

    private static void report(String what, int count, long startNanos) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        System.out.printf("BENCH %s: %d in %.2f s = %.0f/s (%.2f ms each)%n", what, count, seconds, count / seconds,
                seconds * 1000 / count);
    }
}
