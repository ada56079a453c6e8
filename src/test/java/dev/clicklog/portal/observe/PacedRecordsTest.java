package dev.clicklog.portal.observe;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.clicklog.portal.adapter.StreamReader;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * /records against Kinesis' read limit as AWS enforces it — 5 GetRecords per second per shard for
 * every consumer together — with each pipeline's Firehose reading every shard once a second, as
 * AWS's does. Viewers whose requests all miss the cache make the portal read the stream over and
 * over: paced, no call is throttled; the same reads unpaced are.
 */
@QuarkusTest
@TestProfile(PacedRecordsTest.ShardLimits.class)
class PacedRecordsTest {

    public static class ShardLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("clicklog.localaws.kinesis.enforce-shard-limits", "true",
                    "clicklog.localaws.firehose.poll-interval", "1s");
        }
    }

    private static final int SHARDS = 2;
    private static final int CLICKS = 12;
    private static final int VIEWERS = 4;
    private static final int REQUESTS_EACH = 2;

    @Inject
    KinesisClient kinesis;

    @Inject
    StreamReader reader;

    @Inject
    CloudWatchClient cloudWatch;

    @Test
    void viewersMissingTheCacheAreNeverThrottled() throws Exception {
        JsonPath pipeline = ObservedPipelines.ready("paced", "\"shards\":" + SHARDS);
        String name = pipeline.getString("name");
        String stream = pipeline.getString("resources.streamName");
        try {
            Instant before = Instant.now();
            putClicks(stream);
            List<Integer> newestFirst = IntStream.range(0, CLICKS).map(i -> CLICKS - 1 - i).boxed().toList();

            // Every request asks for a range (its limit and since) that no other request's read covers,
            // so each one is a read of its own: 6 probes of each shard, from the last 10 s back to an hour ago.
            AtomicInteger request = new AtomicInteger();
            Instant hourAgo = before.minus(Duration.ofHours(1));
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(VIEWERS);
            List<Future<List<JsonPath>>> viewers = new ArrayList<>();
            try {
                for (int v = 0; v < VIEWERS; v++) {
                    viewers.add(pool.submit(() -> {
                        go.await();
                        List<JsonPath> answers = new ArrayList<>();
                        for (int r = 0; r < REQUESTS_EACH; r++) {
                            int n = request.incrementAndGet();
                            answers.add(given().queryParam("limit", 50 + n)
                                    .queryParam("since", hourAgo.plusMillis(n).toString())
                                    .get("/api/pipelines/" + name + "/records")
                                    .then().log().ifValidationFails().statusCode(200).extract().jsonPath());
                        }
                        return answers;
                    }));
                }
                go.countDown();
                List<JsonPath> answers = new ArrayList<>();
                for (Future<List<JsonPath>> viewer : viewers) {
                    answers.addAll(viewer.get());
                }

                for (JsonPath answer : answers) {
                    assertTrue(answer.getBoolean("complete"), answer.prettify());
                    assertEquals(newestFirst, answer.getList("records.data.json.n"));
                }
                assertEquals(VIEWERS * REQUESTS_EACH, new HashSet<>(answers.stream().map(a -> a.getString("readAt"))
                        .toList()).size(), "one read of the stream per request");
            } finally {
                pool.shutdownNow();
            }

            assertEquals(0, kinesis(stream, "ReadProvisionedThroughputExceeded", Statistic.SUM, before),
                    "no GetRecords call was throttled, the portal's or Firehose's");
            double seconds = Duration.between(before, Instant.now()).toMillis() / 1000.0;
            double firehoseReads = firehose(pipeline.getString("resources.deliveryStreamName"),
                    "KinesisMillisBehindLatest", before);
            assertTrue(firehoseReads >= SHARDS * Math.floor(seconds / 2), "Firehose read each shard about once a second: "
                    + firehoseReads + " reads in " + seconds + " s");

            // The same reads unpaced, one after the other as the requests came: throttled.
            Instant unpaced = Instant.now();
            List<String> shards = kinesis.listShards(b -> b.streamName(stream)).shards().stream().map(Shard::shardId)
                    .toList();
            ShardReadPacer unlimited = new ShardReadPacer(Integer.MAX_VALUE);
            for (int r = 1; r <= VIEWERS * REQUESTS_EACH; r++) {
                long now = System.currentTimeMillis();
                long floor = hourAgo.plusMillis(r).toEpochMilli();
                int wanted = 50 + r;
                List<CompletableFuture<ShardTail.Result>> reads = shards.stream()
                        .map(shard -> new ShardTail(reader, unlimited, stream, shard, wanted, floor, now, 10_000, 32,
                                System.nanoTime() + Duration.ofSeconds(5).toNanos()))
                        .map(tail -> CompletableFuture.supplyAsync(tail::read))
                        .toList();
                reads.forEach(CompletableFuture::join);
            }
            assertTrue(kinesis(stream, "ReadProvisionedThroughputExceeded", Statistic.SUM, unpaced) > 0,
                    "unpaced reads are throttled");
        } finally {
            ObservedPipelines.delete(name);
        }
    }

    /** CLICKS JSON clicks {"n":0}…, a millisecond apart, round robin over the shards. */
    private void putClicks(String stream) {
        List<Shard> shards = kinesis.listShards(b -> b.streamName(stream)).shards();
        assertEquals(SHARDS, shards.size());
        for (int i = 0; i < CLICKS; i++) {
            Shard shard = shards.get(i % SHARDS);
            String data = "{\"n\":" + i + "}";
            long previous = System.currentTimeMillis();
            await().atMost(Duration.ofSeconds(1)).until(() -> System.currentTimeMillis() > previous);
            kinesis.putRecord(b -> b.streamName(stream).partitionKey("k").explicitHashKey(
                    shard.hashKeyRange().startingHashKey()).data(SdkBytes.fromUtf8String(data)));
        }
    }

    private double kinesis(String stream, String metric, Statistic statistic, Instant from) {
        return metric("AWS/Kinesis", "StreamName", stream, metric, statistic, from);
    }

    /** How many times Firehose read the source stream (a datapoint each successful GetRecords). */
    private double firehose(String deliveryStream, String metric, Instant from) {
        return metric("AWS/Firehose", "DeliveryStreamName", deliveryStream, metric, Statistic.SAMPLE_COUNT, from);
    }

    private double metric(String namespace, String dimension, String value, String metric, Statistic statistic,
            Instant from) {
        return cloudWatch.getMetricStatistics(b -> b.namespace(namespace).metricName(metric)
                .dimensions(d -> d.name(dimension).value(value)).startTime(from.minusSeconds(60))
                .endTime(Instant.now().plusSeconds(60)).period(60).statistics(statistic))
                .datapoints().stream()
                .mapToDouble(d -> statistic == Statistic.SUM ? d.sum() : d.sampleCount())
                .sum();
    }
}
