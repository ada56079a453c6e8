import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongPredicate;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Fills a running localaws through the AWS SDK, for the durability benchmarks
 * (docs/benchmarks.md): RECORDS clicks of about 200 bytes into a 4-shard stream (PutRecords of
 * 500, 8 threads) and OBJECTS objects of 1 KiB into a bucket (8 threads); prints the throughput.
 * RECORDS may instead be an ISO-8601 duration ({@code PT5M}): records are written for that long,
 * and a line {@code progress <ms elapsed> <records> <bytes>} (what was acknowledged so far, partition
 * keys and data) is printed every second (src/test/bench/retention-disk.sh reads them).
 * Run with the portal's own SDK jars, as src/test/bench/startup-memory.sh does:
 * <pre>
 *   java -cp 'target/quarkus-app/lib/boot/*:target/quarkus-app/lib/main/*' src/test/bench/FillLocalAws.java http://127.0.0.1:4566 RECORDS OBJECTS
 * </pre>
 */
public class FillLocalAws {

    private static final int THREADS = 8;
    private static final int BATCH = 500;
    private static final int SHARDS = 4;

    public static void main(String[] args) throws Exception {
        URI endpoint = URI.create(args[0]);
        Duration period = args[1].startsWith("P") ? Duration.parse(args[1]) : null;
        long records = period != null ? Long.MAX_VALUE : Long.parseLong(args[1]);
        int objects = Integer.parseInt(args[2]);
        String name = args.length > 3 ? args[3] : "bench-fill";
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        var http = ApacheHttpClient.builder().maxConnections(THREADS * 2).build();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try (KinesisClient kinesis = KinesisClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(credentials).httpClient(http).build();
                S3Client s3 = S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                        .forcePathStyle(true).credentialsProvider(credentials).httpClient(http).build()) {
            if (records > 0) {
                fillStream(kinesis, name, records, period, pool);
            }
            if (objects > 0) {
                fillBucket(s3, name, objects, pool);
            }
        } finally {
            pool.shutdownNow();
            http.close();
        }
    }

    private static void fillStream(KinesisClient kinesis, String stream, long records, Duration period,
            ExecutorService pool) throws Exception {
        kinesis.createStream(b -> b.streamName(stream).shardCount(SHARDS));
        // The SDK's own waiter: DescribeStream until ACTIVE, bounded by its attempts.
        kinesis.waiter().waitUntilStreamExists(b -> b.streamName(stream)).matched().exception().ifPresent(e -> {
            throw new IllegalStateException("stream " + stream + " did not become ACTIVE", e);
        });
        AtomicLong next = new AtomicLong();
        AtomicLong retried = new AtomicLong();
        AtomicLong written = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        long started = System.nanoTime();
        // A batch is begun while the count is not reached, or the time not over.
        LongPredicate more = period == null ? first -> first < records
                : first -> System.nanoTime() - started < period.toNanos();
        ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor();
        if (period != null) {
            progress.scheduleAtFixedRate(() -> System.out.printf("progress %d %d %d%n",
                    (System.nanoTime() - started) / 1_000_000, written.get(), bytes.get()), 1, 1, TimeUnit.SECONDS);
        }
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            workers.add(pool.submit(() -> {
                for (long first = next.getAndAdd(BATCH); more.test(first); first = next.getAndAdd(BATCH)) {
                    List<PutRecordsRequestEntry> batch = new ArrayList<>(BATCH);
                    for (long i = first; i < Math.min(first + BATCH, records); i++) {
                        batch.add(PutRecordsRequestEntry.builder().partitionKey("visitor-" + (i % 10_007))
                                .data(SdkBytes.fromUtf8String(click(i))).build());
                    }
                    // A shard over its write limit refuses some entries: send those again.
                    while (!batch.isEmpty()) {
                        List<PutRecordsRequestEntry> sending = batch;
                        PutRecordsResponse answer = kinesis.putRecords(b -> b.streamName(stream).records(sending));
                        List<PutRecordsRequestEntry> failed = new ArrayList<>();
                        long taken = 0;
                        for (int i = 0; i < sending.size(); i++) {
                            if (answer.records().get(i).errorCode() != null) {
                                failed.add(sending.get(i));
                            } else {
                                taken += sending.get(i).partitionKey().length() + sending.get(i).data().asByteArray().length;
                            }
                        }
                        written.addAndGet(sending.size() - failed.size());
                        bytes.addAndGet(taken);
                        retried.addAndGet(failed.size());
                        batch = failed;
                    }
                }
                return null;
            }));
        }
        try {
            for (Future<?> w : workers) {
                w.get();
            }
        } finally {
            progress.shutdownNow();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("filled stream %s: %,d records (%,d bytes) in %.1f s (%,.0f records/s; %,d entries sent again)%n",
                stream, written.get(), bytes.get(), seconds, written.get() / seconds, retried.get());
    }

    private static String click(long i) {
        String click = "{\"seq\":" + i + ",\"page\":\"/products/" + (i % 977) + "\",\"referrer\":\"https://example.com/search?q="
                + (i % 131) + "\",\"userAgent\":\"Mozilla/5.0 (X11; Linux x86_64)\",\"at\":" + (1_700_000_000_000L + i) + "}";
        return click + " ".repeat(Math.max(0, 200 - click.length()));
    }

    private static void fillBucket(S3Client s3, String bucket, int objects, ExecutorService pool) throws Exception {
        s3.createBucket(b -> b.bucket(bucket));
        byte[] body = "x".repeat(1024).getBytes(StandardCharsets.US_ASCII);
        AtomicLong next = new AtomicLong();
        long started = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            workers.add(pool.submit(() -> {
                for (long i = next.getAndIncrement(); i < objects; i = next.getAndIncrement()) {
                    String key = String.format("clicks/%04d/%08d.json", i % 100, i);
                    s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/json"), RequestBody.fromBytes(body));
                }
                return null;
            }));
        }
        for (Future<?> w : workers) {
            w.get();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("filled bucket %s: %,d objects in %.1f s (%,.0f objects/s)%n", bucket, objects, seconds,
                objects / seconds);
    }
}
