package dev.clicklog.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.clicklog.it.PortalProcesses.Portal;
import dev.clicklog.portal.adapter.ResourceNames;
import dev.clicklog.portal.pipeline.PipelineApi;
import dev.clicklog.testing.Host;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * No acknowledged click is lost, with a real process of the packaged app in local mode and the
 * default durability (fsync): 16 clients send 20,000 uniquely numbered clicks to a pipeline's
 * invoke URL and the portal is killed with SIGKILL in the middle. After the restart the invoke URL
 * is the same and works, every click answered 2xx before the kill is in the stream, and once
 * Firehose has caught up every click in the stream is in S3 exactly once. The start-up check of the
 * READY pipeline finds its resources in place: nothing is repaired.
 */
class AcknowledgedClicksIT {

    private static final int CLIENTS = 16;
    private static final int CLICKS = 20_000;
    /** The kill comes once this many clicks were acknowledged: well into the run, well before its end. */
    private static final int KILL_AFTER = 6_000;
    private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");

    @RegisterExtension
    final PortalProcesses portals = new PortalProcesses();

    @Test
    void everyClickAnswered2xxBeforeAKillIsInTheStreamAndOnceInS3() throws Exception {
        int localawsPort = Host.freePort();
        URI endpoint = URI.create("http://127.0.0.1:" + localawsPort);
        Map<String, String> settings = Map.of(
                "clicklog.aws.mode", "local",
                "clicklog.localaws.port", String.valueOf(localawsPort));
        Portal portal = portals.start("first", settings);
        String pipeline = PipelineApi.uniqueName("acked");
        portal.api().contentType(ContentType.JSON)
                .body("{\"name\":\"" + pipeline + "\",\"team\":\"crash\",\"shards\":2,\"bufferIntervalSeconds\":5,"
                        + "\"stageRateLimit\":10000,\"stageBurstLimit\":5000}")
                .post("/api/pipelines").then().log().ifValidationFails().statusCode(201);
        awaitReady(portal, pipeline);
        JsonPath before = view(portal, pipeline);
        String invokeUrl = before.getString("invokeUrl");

        Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicBoolean killed = new AtomicBoolean();
        CountDownLatch enough = new CountDownLatch(1);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        for (int c = 0; c < CLIENTS; c++) {
            clients.execute(() -> {
                for (int seq = next.getAndIncrement(); seq < CLICKS && !killed.get(); seq = next.getAndIncrement()) {
                    HttpRequest request = HttpRequest.newBuilder(URI.create(invokeUrl)).timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "application/json")
                            .PUT(HttpRequest.BodyPublishers.ofString("{\"seq\":" + seq + ",\"page\":\"/crash\"}"))
                            .build();
                    try {
                        int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                        if (status / 100 == 2) {
                            acknowledged.add(seq);
                            if (acknowledged.size() >= KILL_AFTER) {
                                enough.countDown();
                            }
                        } else {
                            refused.incrementAndGet();
                        }
                    } catch (IOException e) {
                        // the kill cut the connection: this click was not acknowledged
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            });
        }
        assertTrue(enough.await(300, TimeUnit.SECONDS),
                "the clients got " + acknowledged.size() + " acknowledgements (" + refused.get() + " refused)");
        portals.kill(portal);
        killed.set(true);
        clients.shutdown();
        assertTrue(clients.awaitTermination(60, TimeUnit.SECONDS), "the clients stopped");
        Set<Integer> acked = Set.copyOf(acknowledged);
        System.out.printf("%d clicks acknowledged before the kill, %d refused, %d sent%n", acked.size(), refused.get(),
                Math.min(next.get(), CLICKS));
        assertTrue(acked.size() < CLICKS, "the kill came in the middle of the run");

        Portal second = portals.start("after-sigkill", settings);
        JsonPath after = view(second, pipeline);
        assertEquals(invokeUrl, after.getString("invokeUrl"), "the invoke URL is the one before the kill");
        assertEquals(before.getString("resources.restApiId"), after.getString("resources.restApiId"));
        int last = CLICKS;
        assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(invokeUrl)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"seq\":" + last + ",\"page\":\"/after\"}")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode(), "the invoke URL works after the restart");

        ResourceNames names = ResourceNames.of(pipeline, "000000000000", Optional.empty());
        try (KinesisClient kinesis = KinesisClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(credentials()).build();
                S3Client s3 = S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                        .forcePathStyle(true).credentialsProvider(credentials()).build()) {
            Map<Integer, Integer> inStream = count(streamRecords(kinesis, names.stream()));
            List<Integer> lost = acked.stream().filter(seq -> !inStream.containsKey(seq)).sorted().toList();
            assertEquals(List.of(), lost, "acknowledged clicks missing from the stream after the restart");
            assertEquals(List.of(), duplicates(inStream), "clicks twice in the stream");
            assertTrue(inStream.containsKey(last), "the click sent after the restart is in the stream");

            AtomicReference<Map<Integer, Integer>> inS3 = new AtomicReference<>();
            await("every click of the stream in S3").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        inS3.set(count(objectLines(s3, names.bucket())));
                        return inS3.get().keySet().containsAll(inStream.keySet());
                    });
            assertEquals(List.of(), duplicates(inS3.get()), "clicks delivered to S3 more than once");
            assertEquals(inStream.keySet(), inS3.get().keySet(), "S3 holds exactly the stream's clicks");
            System.out.printf("%d clicks in the stream and once each in S3%n", inStream.size());
        }

        awaitCheckedAgain(second, pipeline, before.getString("lastCheckedAt"));
        JsonPath checked = view(second, pipeline);
        for (String step : List.of("ROLES", "STREAM", "BUCKET", "DELIVERY_STREAM", "INGEST_API")) {
            assertEquals(List.of(), PipelineApi.messages(checked, step, "REPAIRED"),
                    "the start-up check found " + step + " in place");
        }
    }

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
    }

    /** Every record of every shard, from the trim horizon to the tip. */
    private static List<String> streamRecords(KinesisClient kinesis, String stream) {
        List<String> out = new ArrayList<>();
        for (Shard shard : kinesis.listShards(b -> b.streamName(stream)).shards()) {
            String iterator = kinesis.getShardIterator(b -> b.streamName(stream).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            while (iterator != null) {
                String current = iterator;
                GetRecordsResponse page = kinesis.getRecords(b -> b.shardIterator(current).limit(10_000));
                page.records().stream().map(Record::data).map(SdkBytes::asUtf8String).forEach(out::add);
                iterator = page.millisBehindLatest() == 0 && page.records().isEmpty() ? null : page.nextShardIterator();
            }
        }
        return out;
    }

    /** Every line of every object Firehose wrote. */
    private static List<String> objectLines(S3Client s3, String bucket) {
        List<String> out = new ArrayList<>();
        for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()) {
            String body = s3.getObjectAsBytes(b -> b.bucket(bucket).key(o.key())).asString(StandardCharsets.UTF_8);
            out.addAll(List.of(body.split("\n")));
        }
        return out;
    }

    /** How often each click's number appears. */
    private static Map<Integer, Integer> count(List<String> texts) {
        Map<Integer, Integer> counts = new TreeMap<>();
        for (String text : texts) {
            Matcher m = SEQ.matcher(text);
            while (m.find()) {
                counts.merge(Integer.parseInt(m.group(1)), 1, Integer::sum);
            }
        }
        return counts;
    }

    private static List<Integer> duplicates(Map<Integer, Integer> counts) {
        return counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
    }

    private static JsonPath view(Portal portal, String name) {
        return portal.api().get("/api/pipelines/" + name).then().statusCode(200).extract().jsonPath();
    }

    private static void awaitReady(Portal portal, String name) {
        await("pipeline " + name + " READY").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250))
                .until(() -> "READY".equals(view(portal, name).getString("status")));
    }

    /** The start-up check of the READY pipeline ran to its end. */
    private static void awaitCheckedAgain(Portal portal, String name, String previousCheck) {
        await("pipeline " + name + " checked again").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    JsonPath v = view(portal, name);
                    String checked = v.getString("lastCheckedAt");
                    return "READY".equals(v.getString("status")) && v.getString("checkingSince") == null && checked != null
                            && !checked.equals(previousCheck);
                });
    }
}
