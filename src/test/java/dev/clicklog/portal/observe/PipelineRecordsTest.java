package dev.clicklog.portal.observe;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.clicklog.localaws.fault.FaultInjector;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Datapoint;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * /records on a 3-shard pipeline: shards merged newest first, one read shared by concurrent
 * viewers, and throttled reads that do not fail the request.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PipelineRecordsTest {

    private static final int SHARDS = 3;
    /** Records put, round robin over the shards, one millisecond apart. */
    private static final int RECORDS = 9;

    @Inject
    KinesisClient kinesis;

    @Inject
    CloudWatchClient cloudWatch;

    @Inject
    FaultInjector faults;

    private String name;
    private String stream;

    @BeforeAll
    void roundRobinRecords() {
        ObservedPipelines.outsideTest(() -> {
            JsonPath pipeline = ObservedPipelines.ready("shards", "\"shards\":" + SHARDS);
            name = pipeline.getString("name");
            stream = pipeline.getString("resources.streamName");
            List<Shard> shards = kinesis.listShards(b -> b.streamName(stream)).shards();
            assertEquals(SHARDS, shards.size());
            for (int i = 0; i < RECORDS; i++) {
                Shard shard = shards.get(i % SHARDS);
                String key = "r" + i;
                long previous = System.currentTimeMillis();
                await().atMost(Duration.ofSeconds(1)).until(() -> System.currentTimeMillis() > previous);
                kinesis.putRecord(b -> b.streamName(stream).partitionKey(key)
                        .explicitHashKey(shard.hashKeyRange().startingHashKey())
                        .data(SdkBytes.fromUtf8String("{\"n\":" + key.substring(1) + "}")));
            }
        });
    }

    @AfterAll
    void deletePipeline() {
        ObservedPipelines.outsideTest(() -> {
            faults.clear();
            ObservedPipelines.delete(name);
        });
    }

    @Test
    void shardsAreMergedNewestFirst() {
        JsonPath records = ObservedPipelines.records(name, "?limit=" + RECORDS);

        assertEquals(IntStream.range(0, RECORDS).mapToObj(i -> "r" + (RECORDS - 1 - i)).toList(),
                records.getList("records.partitionKey"));
        assertEquals(IntStream.range(0, RECORDS).map(i -> RECORDS - 1 - i).boxed().toList(),
                records.getList("records.data.json.n"));
        assertEquals(SHARDS, new HashSet<>(records.getList("records.shardId")).size());
        PipelineObserveTest.assertNewestFirst(records.getList("records"));

        JsonPath newest = ObservedPipelines.records(name, "?limit=4");
        assertEquals(List.of("r8", "r7", "r6", "r5"), newest.getList("records.partitionKey"));
    }

    @Test
    void oneRecordIsReadWhole() {
        JsonPath newest = ObservedPipelines.records(name, "?limit=1");
        String shard = newest.getString("records[0].shardId");
        String sequence = newest.getString("records[0].sequenceNumber");
        JsonPath one = given().get("/api/pipelines/" + name + "/records/" + shard + "/" + sequence)
                .then().log().ifValidationFails().statusCode(200).extract().jsonPath();
        assertEquals("r8", one.getString("partitionKey"));
        assertEquals(sequence, one.getString("sequenceNumber"));
        assertEquals(8, one.getInt("data.json.n"));
        assertEquals(newest.getString("records[0].arrivalTime"), one.getString("arrivalTime"));

        given().get("/api/pipelines/" + name + "/records/" + shard + "/1" + sequence).then().statusCode(404);
        given().get("/api/pipelines/" + name + "/records/shard-1/" + sequence).then().statusCode(400)
                .body("violations[0].field", equalTo("shardId"));
        given().get("/api/pipelines/" + name + "/records/" + shard + "/12ab").then().statusCode(400)
                .body("violations[0].field", equalTo("sequenceNumber"));
    }

    @Test
    void pagesGoBackInTimeWithBefore() {
        JsonPath first = ObservedPipelines.records(name, "?limit=4");
        String oldest = first.getString("records[3].arrivalTime");
        JsonPath second = ObservedPipelines.records(name, "?limit=4&before=" + oldest);
        assertEquals(oldest, second.getString("before"));
        assertEquals(List.of("r4", "r3", "r2", "r1"), second.getList("records.partitionKey"), "the page before, newest first");
        JsonPath third = ObservedPipelines.records(name, "?limit=4&before=" + second.getString("records[3].arrivalTime"));
        assertEquals(List.of("r0"), third.getList("records.partitionKey"), "the last page holds what is left");
        assertTrue(third.getBoolean("complete"));
        JsonPath none = ObservedPipelines.records(name, "?limit=4&before=" + third.getString("records[0].arrivalTime"));
        assertEquals(List.of(), none.getList("records"));
    }

    @Test
    void concurrentViewersShareOneRead() throws Exception {
        int viewers = 20;
        String query = "?limit=100";
        Instant start = Instant.now();
        double before = getRecordsCalls(start);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(viewers);
        List<Future<JsonPath>> answers = new ArrayList<>();
        long started = System.nanoTime();
        try {
            for (int i = 0; i < viewers; i++) {
                answers.add(pool.submit(() -> {
                    go.await();
                    return ObservedPipelines.records(name, query);
                }));
            }
            go.countDown();
            List<JsonPath> results = new ArrayList<>();
            for (Future<JsonPath> answer : answers) {
                results.add(answer.get());
            }
            long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
            double calls = getRecordsCalls(start) - before;

            // A read answers every viewer until it is a cache TTL (1 s) old: on a quiet machine all 20
            // share one; on a loaded one a late viewer may start one more read per second.
            long reads = results.stream().map(r -> r.getString("readAt")).distinct().count();
            long allowedReads = 1 + elapsedMillis / 1000;
            assertTrue(reads <= Math.min(allowedReads, viewers / 4),
                    reads + " reads for " + viewers + " viewers in " + elapsedMillis + " ms");
            results.forEach(r -> assertEquals(RECORDS, r.getList("records").size()));
            // One read widens each shard's window from 10 s to the 24-hour retention: 8 GetRecords per shard.
            long perRead = 8L * SHARDS;
            // The pipeline's Firehose reads each shard every 200 ms meanwhile.
            long firehose = SHARDS * (elapsedMillis / 200 + 2);
            assertTrue(calls <= reads * perRead + firehose, calls + " GetRecords calls for " + viewers
                    + " viewers (" + reads + " reads) in " + elapsedMillis + " ms");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void throttledReadsAnswerWhatTheyFound() {
        // Kinesis refusing every read (its 5 reads per second per shard used up): the answer says so, it does not fail.
        faults.failAlways("kinesis", "GetRecords", 400, "ProvisionedThroughputExceededException",
                "Rate exceeded for shard shardId-000000000000 in stream " + stream + " under account 000000000000.");
        JsonPath throttled;
        try {
            throttled = ObservedPipelines.records(name, "?limit=400");
        } finally {
            faults.clear();
        }
        assertFalse(throttled.getBoolean("complete"));
        assertEquals(List.of(), throttled.getList("records"));

        // A few refusals are waited out.
        faults.failNext("kinesis", "GetRecords", 4, 400, "ProvisionedThroughputExceededException", "Rate exceeded");
        JsonPath recovered = ObservedPipelines.records(name, "?limit=500");
        assertTrue(recovered.getBoolean("complete"));
        assertEquals(RECORDS, recovered.getList("records").size());
    }

    /** GetRecords calls on the stream since {@code start}: the SampleCount of GetRecords.Success. */
    private double getRecordsCalls(Instant start) {
        return cloudWatch.getMetricStatistics(b -> b.namespace("AWS/Kinesis").metricName("GetRecords.Success")
                .dimensions(d -> d.name("StreamName").value(stream)).startTime(start.minusSeconds(60))
                .endTime(Instant.now().plusSeconds(60)).period(60).statistics(Statistic.SAMPLE_COUNT))
                .datapoints().stream().mapToDouble(Datapoint::sampleCount).sum();
    }
}
