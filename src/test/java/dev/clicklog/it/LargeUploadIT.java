package dev.clicklog.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.clicklog.it.PortalProcesses.Portal;
import dev.clicklog.testing.Host;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Large uploads cost no more heap than small ones: the packaged app with its heap capped at
 * 512 MB takes a 2 GiB object and four 500 MiB objects at once, through the AWS SDK (aws-chunked,
 * with a CRC32 trailer). Meanwhile its health stays green and other requests are answered; every
 * object reads back with the MD5 of what was sent.
 */
class LargeUploadIT {

    private static final long MIB = 1024 * 1024;

    @RegisterExtension
    final PortalProcesses portals = new PortalProcesses();

    /** Bytes generated on the fly (nothing of the object sits in this JVM either), digested as they go. */
    private static final class Generated extends InputStream {
        private final long length;
        private final MessageDigest md5;
        private long position;

        Generated(long length, MessageDigest md5) {
            this.length = length;
            this.md5 = md5;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= length) {
                return -1;
            }
            int n = (int) Math.min(len, length - position);
            for (int i = 0; i < n; i++) {
                long p = position + i;
                b[off + i] = (byte) (p * 31 + (p >>> 20));
            }
            md5.update(b, off, n);
            position += n;
            return n;
        }
    }

    @Test
    void aTwoGigabyteUploadAndFourOfFiveHundredMegabytesWithA512MbHeap() throws Exception {
        int localawsPort = Host.freePort();
        URI endpoint = URI.create("http://127.0.0.1:" + localawsPort);
        Portal portal = portals.start("uploads", Map.of(
                "clicklog.aws.mode", "local",
                "clicklog.localaws.port", String.valueOf(localawsPort)), "512m");
        ApacheHttpClient.Builder http = ApacheHttpClient.builder().socketTimeout(Duration.ofMinutes(10))
                .maxConnections(16);
        try (S3Client s3 = S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(http).build();
                KinesisClient kinesis = KinesisClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                        .httpClient(ApacheHttpClient.create()).build()) {
            s3.createBucket(b -> b.bucket("large"));
            List<long[]> uploads = List.of(new long[] { 2048 * MIB }, new long[] { 500 * MIB }, new long[] { 500 * MIB },
                    new long[] { 500 * MIB }, new long[] { 500 * MIB });
            AtomicInteger healthChecks = new AtomicInteger();
            AtomicInteger otherRequests = new AtomicInteger();
            AtomicReference<Throwable> probeFailure = new AtomicReference<>();
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            ExecutorService pool = Executors.newFixedThreadPool(uploads.size());
            // Every 250 ms while the uploads run: health stays green and nothing else is refused.
            ScheduledExecutorService probes = Executors.newSingleThreadScheduledExecutor();
            probes.scheduleWithFixedDelay(() -> {
                try {
                    HttpResponse<String> health = client.send(HttpRequest.newBuilder(portal.uri().resolve("/q/health/ready"))
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, health.statusCode(), health.body());
                    healthChecks.incrementAndGet();
                    kinesis.listStreams();
                    s3.listObjectsV2(b -> b.bucket("large"));
                    otherRequests.incrementAndGet();
                } catch (Throwable e) {
                    probeFailure.compareAndSet(null, e);
                    throw new IllegalStateException(e); // ends the probes
                }
            }, 0, 250, TimeUnit.MILLISECONDS);
            long start = System.nanoTime();
            List<Future<String>> sent = new ArrayList<>();
            for (int i = 0; i < uploads.size(); i++) {
                long length = uploads.get(i)[0];
                String key = "object-" + i;
                sent.add(pool.submit(() -> {
                    // The SDK may read the body more than once: the digest of the last reading is what was sent.
                    AtomicReference<MessageDigest> md5 = new AtomicReference<>();
                    s3.putObject(b -> b.bucket("large").key(key), RequestBody.fromContentProvider(() -> {
                        md5.set(newMd5());
                        return new Generated(length, md5.get());
                    }, length, "application/octet-stream"));
                    return "\"" + HexFormat.of().formatHex(md5.get().digest()) + "\"";
                }));
            }
            List<String> etags = new ArrayList<>();
            for (Future<String> f : sent) {
                etags.add(f.get(20, TimeUnit.MINUTES));
            }
            probes.shutdown();
            assertTrue(probes.awaitTermination(1, TimeUnit.MINUTES), "the last probe did not end");
            pool.shutdown();
            if (probeFailure.get() != null) {
                throw new AssertionError("a request made while uploading failed", probeFailure.get());
            }
            System.out.printf("5 uploads (4 GiB) in %.1f s with -Xmx512m; %d health checks and %d other requests answered meanwhile; "
                    + "peak RSS %s%n", (System.nanoTime() - start) / 1e9, healthChecks.get(), otherRequests.get(),
                    peakRss(portal));
            for (int i = 0; i < uploads.size(); i++) {
                String key = "object-" + i;
                HeadObjectResponse head = s3.headObject(b -> b.bucket("large").key(key));
                assertEquals(uploads.get(i)[0], head.contentLength(), key);
                // The object's MD5, computed by localaws as it stored it, is the sender's.
                assertEquals(etags.get(i), head.eTag(), key);
            }
            assertTrue(healthChecks.get() > 0 && otherRequests.get() > 0);
            assertTrue(portal.process().isAlive(), "the portal is still up");
        }
    }

    private static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The process's peak resident set (VmHWM), for the record. */
    private static String peakRss(Portal portal) {
        try {
            return Files.readAllLines(Path.of("/proc/" + portal.process().pid() + "/status")).stream()
                    .filter(l -> l.startsWith("VmHWM")).findFirst().map(l -> l.replaceAll("\\s+", " ")).orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }
}
