package dev.clicklog.localaws.kinesis;

import static dev.clicklog.localaws.kinesis.TestStreams.active;
import static dev.clicklog.localaws.kinesis.TestStreams.awaitStatus;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.clicklog.localaws.fault.FaultInjector;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ChildShard;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.LimitExceededException;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ResourceInUseException;
import software.amazon.awssdk.services.kinesis.model.ScalingType;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardFilterType;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StreamDescriptionSummary;
import software.amazon.awssdk.services.kinesis.model.StreamMode;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;
import software.amazon.awssdk.services.kinesis.model.UpdateShardCountResponse;
import software.amazon.awssdk.services.kinesis.model.ValidationException;

/**
 * UpdateShardCount and UpdateStreamMode through the real SDK: parents close, children open with
 * their hash-key ranges and parents, sequence numbers go on, the limits AWS applies, and a reader
 * that follows parents to children sees every record once, in order per key.
 */
@QuarkusTest
class KinesisReshardTest {

    private static final BigInteger SPACE = BigInteger.ONE.shiftLeft(128);

    @Inject
    KinesisClient kinesis;
    @Inject
    FaultInjector faults;

    @AfterEach
    void clear() {
        faults.clear();
    }

    @Test
    void doublingSplitsEveryShardIntoTwoChildrenAndClosesTheParent() {
        String name = active(kinesis, "double", 1);
        String before = put(name, "k", "before");

        UpdateShardCountResponse answer = kinesis.updateShardCount(b -> b.streamName(name).targetShardCount(2)
                .scalingType(ScalingType.UNIFORM_SCALING));
        assertEquals(1, answer.currentShardCount());
        assertEquals(2, answer.targetShardCount());
        assertEquals(name, answer.streamName());
        assertTrue(answer.streamARN().endsWith(":stream/" + name));
        assertEquals(StreamStatus.UPDATING, summary(name).streamStatus());
        awaitStatus(kinesis, name, StreamStatus.ACTIVE);
        assertEquals(2, summary(name).openShardCount());

        List<Shard> shards = kinesis.listShards(b -> b.streamName(name)).shards();
        assertEquals(List.of("shardId-000000000000", "shardId-000000000001", "shardId-000000000002"),
                shards.stream().map(Shard::shardId).toList());
        Shard parent = shards.get(0);
        assertNotNull(parent.sequenceNumberRange().endingSequenceNumber(), "the parent is closed");
        assertEquals(before, parent.sequenceNumberRange().endingSequenceNumber(), "it ends at its last record");
        for (Shard child : shards.subList(1, 3)) {
            assertEquals(parent.shardId(), child.parentShardId());
            assertNull(child.adjacentParentShardId());
            assertNull(child.sequenceNumberRange().endingSequenceNumber());
            assertTrue(new BigInteger(child.sequenceNumberRange().startingSequenceNumber()).compareTo(new BigInteger(before)) > 0,
                    "sequence numbers go on in the children");
        }
        assertEquals(List.of(range(0, 2), range(1, 2)), shards.subList(1, 3).stream().map(KinesisReshardTest::range).toList());
        assertEquals(List.of("shardId-000000000001", "shardId-000000000002"),
                kinesis.listShards(b -> b.streamName(name).shardFilter(f -> f.type(ShardFilterType.AT_LATEST))).shards()
                        .stream().map(Shard::shardId).toList());
        assertEquals(3, kinesis.describeStream(b -> b.streamName(name)).streamDescription().shards().size(),
                "DescribeStream shows the closed parent too");

        // The parent read to its end: no next iterator, and its children.
        String iterator = kinesis.getShardIterator(b -> b.streamName(name).shardId(parent.shardId())
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        GetRecordsResponse end = kinesis.getRecords(b -> b.shardIterator(iterator));
        assertEquals(List.of("before"), end.records().stream().map(r -> r.data().asUtf8String()).toList());
        assertNull(end.nextShardIterator());
        assertEquals(List.of("shardId-000000000001", "shardId-000000000002"),
                end.childShards().stream().map(ChildShard::shardId).toList());
        assertEquals(List.of(parent.shardId()), end.childShards().get(0).parentShards());

        // New records go to the children only.
        String after = kinesis.putRecord(b -> b.streamName(name).partitionKey("k").data(SdkBytes.fromUtf8String("after")))
                .shardId();
        assertTrue(after.equals("shardId-000000000001") || after.equals("shardId-000000000002"), after);
    }

    @Test
    void halvingMergesAdjacentPairsAndOtherTargetsUseShortLivedShards() {
        String name = active(kinesis, "halve", 4);
        reshard(name, 2);
        List<Shard> merged = kinesis.listShards(b -> b.streamName(name).shardFilter(f -> f.type(ShardFilterType.AT_LATEST)))
                .shards();
        assertEquals(2, merged.size());
        assertEquals("shardId-000000000000", merged.get(0).parentShardId());
        assertEquals("shardId-000000000001", merged.get(0).adjacentParentShardId());
        assertEquals("shardId-000000000002", merged.get(1).parentShardId());
        assertEquals("shardId-000000000003", merged.get(1).adjacentParentShardId());
        assertEquals(List.of(range(0, 2), range(1, 2)), merged.stream().map(KinesisReshardTest::range).toList());

        reshard(name, 3);
        List<Shard> open = new ArrayList<>(kinesis.listShards(b -> b.streamName(name)
                .shardFilter(f -> f.type(ShardFilterType.AT_LATEST))).shards());
        open.sort(Comparator.comparing(s -> new BigInteger(s.hashKeyRange().startingHashKey())));
        assertEquals(List.of(range(0, 3), range(1, 3), range(2, 3)), open.stream().map(KinesisReshardTest::range).toList());
        List<Shard> all = kinesis.listShards(b -> b.streamName(name)).shards();
        Map<String, Shard> byId = new HashMap<>();
        all.forEach(s -> byId.put(s.shardId(), s));
        for (Shard s : all) {
            // Every parent is listed, and every child's range lies within its parents' ranges.
            for (String p : new String[] { s.parentShardId(), s.adjacentParentShardId() }) {
                if (p != null) {
                    assertNotNull(byId.get(p), p);
                }
            }
        }
        // The middle range of three spans both halves: a merge of a piece of each.
        Shard middle = open.get(1);
        assertNotNull(middle.adjacentParentShardId(), middle.toString());
        assertEquals(3, summary(name).openShardCount());
    }

    @Test
    void awsLimitsAreEnforced() {
        String name = active(kinesis, "limits", 2);
        LimitExceededException tooMany = assertThrows(LimitExceededException.class, () -> kinesis.updateShardCount(
                b -> b.streamName(name).targetShardCount(5).scalingType(ScalingType.UNIFORM_SCALING)));
        assertTrue(tooMany.awsErrorDetails().errorMessage().contains("more than double"), tooMany.getMessage());
        String four = active(kinesis, "limits", 4);
        LimitExceededException tooFew = assertThrows(LimitExceededException.class, () -> kinesis.updateShardCount(
                b -> b.streamName(four).targetShardCount(1).scalingType(ScalingType.UNIFORM_SCALING)));
        assertTrue(tooFew.awsErrorDetails().errorMessage().contains("less than half"), tooFew.getMessage());

        faults.overrideDelay("kinesis.stream-activation", Duration.ofSeconds(2));
        kinesis.updateShardCount(b -> b.streamName(name).targetShardCount(3).scalingType(ScalingType.UNIFORM_SCALING));
        assertThrows(ResourceInUseException.class, () -> kinesis.updateShardCount(
                b -> b.streamName(name).targetShardCount(4).scalingType(ScalingType.UNIFORM_SCALING)),
                "one change at a time: the stream is UPDATING");
        faults.clear();
        awaitStatus(kinesis, name, StreamStatus.ACTIVE);

        ValidationException badType = assertThrows(ValidationException.class, () -> kinesis.updateShardCount(
                b -> b.streamName(name).targetShardCount(2).scalingType("SPLIT_ALL")));
        assertTrue(badType.awsErrorDetails().errorMessage().contains("scalingType"), badType.getMessage());

        String onDemand = active(kinesis, "limits", b -> b.streamModeDetails(m -> m.streamMode(StreamMode.ON_DEMAND)));
        assertThrows(ValidationException.class, () -> kinesis.updateShardCount(
                b -> b.streamName(onDemand).targetShardCount(2).scalingType(ScalingType.UNIFORM_SCALING)));

        String daily = active(kinesis, "daily", 1);
        for (int target : new int[] { 2, 1, 2, 1, 2, 1, 2, 1, 2, 1 }) {
            reshard(daily, target);
        }
        LimitExceededException eleventh = assertThrows(LimitExceededException.class, () -> kinesis.updateShardCount(
                b -> b.streamName(daily).targetShardCount(2).scalingType(ScalingType.UNIFORM_SCALING)));
        assertTrue(eleventh.awsErrorDetails().errorMessage().contains("10 times in the last 24 hours"), eleventh.getMessage());
    }

    @Test
    void streamModeSwitchesKeepTheShardsAndAreLimitedToTwoADay() {
        String name = active(kinesis, "mode", 2);
        String arn = summary(name).streamARN();
        kinesis.updateStreamMode(b -> b.streamARN(arn).streamModeDetails(m -> m.streamMode(StreamMode.ON_DEMAND)));
        assertEquals(StreamStatus.UPDATING, summary(name).streamStatus());
        awaitStatus(kinesis, name, StreamStatus.ACTIVE);
        assertEquals(StreamMode.ON_DEMAND, summary(name).streamModeDetails().streamMode());
        assertEquals(2, summary(name).openShardCount());

        kinesis.updateStreamMode(b -> b.streamARN(arn).streamModeDetails(m -> m.streamMode(StreamMode.PROVISIONED)));
        awaitStatus(kinesis, name, StreamStatus.ACTIVE);
        assertEquals(StreamMode.PROVISIONED, summary(name).streamModeDetails().streamMode());
        assertThrows(LimitExceededException.class, () -> kinesis.updateStreamMode(
                b -> b.streamARN(arn).streamModeDetails(m -> m.streamMode(StreamMode.ON_DEMAND))));
    }

    @Test
    void decreasingRetentionIsAnUpdateLikeIncreasing() {
        String name = active(kinesis, "retention", 1);
        kinesis.increaseStreamRetentionPeriod(b -> b.streamName(name).retentionPeriodHours(72));
        awaitStatus(kinesis, name, StreamStatus.ACTIVE);
        kinesis.decreaseStreamRetentionPeriod(b -> b.streamName(name).retentionPeriodHours(48));
        assertEquals(StreamStatus.UPDATING, summary(name).streamStatus());
        awaitStatus(kinesis, name, StreamStatus.ACTIVE);
        assertEquals(48, summary(name).retentionPeriodHours());
    }

    /**
     * Writers keep putting numbered records per key while the stream goes 1 → 2 → 4 → 2; a reader
     * that reads each parent to its end before its children gets every record exactly once, and
     * each key's records in the order they were put.
     */
    @Test
    void noRecordIsLostOrReorderedAcrossReshards() throws Exception {
        String name = active(kinesis, "flow", 1);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger written = new AtomicInteger();
        List<Thread> writers = new ArrayList<>();
        int keys = 8;
        for (int w = 0; w < 2; w++) {
            int first = w * keys / 2;
            Thread t = new Thread(() -> {
                int n = 0;
                while (writing.get()) {
                    for (int k = first; k < first + keys / 2; k++) {
                        String key = "key-" + k;
                        int seq = n;
                        kinesis.putRecord(b -> b.streamName(name).partitionKey(key).data(SdkBytes.fromUtf8String(key + ":" + seq)));
                        written.incrementAndGet();
                    }
                    n++;
                }
            });
            t.start();
            writers.add(t);
        }
        for (int target : new int[] { 2, 4, 2 }) {
            int at = written.get();
            await().atMost(Duration.ofSeconds(10)).until(() -> written.get() > at + 50);
            reshard(name, target);
        }
        int at = written.get();
        await().atMost(Duration.ofSeconds(10)).until(() -> written.get() > at + 50);
        writing.set(false);
        for (Thread t : writers) {
            t.join();
        }

        Map<String, List<Integer>> byKey = readFollowingChildren(name);
        int total = byKey.values().stream().mapToInt(List::size).sum();
        assertEquals(written.get(), total, "every record once");
        byKey.forEach((key, numbers) -> {
            for (int i = 0; i < numbers.size(); i++) {
                assertEquals(i, numbers.get(i), key + " in order, none missing: " + numbers);
            }
        });
    }

    /** Reads every shard from the trim horizon, a parent to its end before its children; key → numbers read. */
    private Map<String, List<Integer>> readFollowingChildren(String name) {
        List<Shard> shards = new ArrayList<>(kinesis.listShards(b -> b.streamName(name)).shards());
        shards.sort(Comparator.comparing(Shard::shardId));
        Set<String> done = new TreeSet<>();
        Map<String, List<Integer>> byKey = new HashMap<>();
        while (done.size() < shards.size()) {
            for (Shard s : shards) {
                boolean ready = !done.contains(s.shardId()) && (s.parentShardId() == null || done.contains(s.parentShardId()))
                        && (s.adjacentParentShardId() == null || done.contains(s.adjacentParentShardId()));
                if (!ready) {
                    continue;
                }
                String iterator = kinesis.getShardIterator(b -> b.streamName(name).shardId(s.shardId())
                        .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
                while (iterator != null) {
                    String current = iterator;
                    GetRecordsResponse page = kinesis.getRecords(b -> b.shardIterator(current));
                    for (Record r : page.records()) {
                        String[] parts = r.data().asUtf8String().split(":");
                        byKey.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(Integer.parseInt(parts[1]));
                    }
                    // An open shard read to its tip: done for this test's purpose.
                    iterator = page.records().isEmpty() && page.millisBehindLatest() == 0 && s.sequenceNumberRange()
                            .endingSequenceNumber() == null ? null : page.nextShardIterator();
                }
                done.add(s.shardId());
            }
        }
        return byKey;
    }

    private String put(String stream, String key, String data) {
        return kinesis.putRecord(b -> b.streamName(stream).partitionKey(key).data(SdkBytes.fromUtf8String(data)))
                .sequenceNumber();
    }

    private void reshard(String name, int target) {
        kinesis.updateShardCount(b -> b.streamName(name).targetShardCount(target).scalingType(ScalingType.UNIFORM_SCALING));
        awaitStatus(kinesis, name, StreamStatus.ACTIVE);
        assertEquals(target, summary(name).openShardCount());
    }

    private StreamDescriptionSummary summary(String name) {
        return kinesis.describeStreamSummary(b -> b.streamName(name)).streamDescriptionSummary();
    }

    /** "start-end" of range i of n, as CreateStream and uniform scaling split the hash-key space. */
    private static String range(int i, int n) {
        BigInteger start = SPACE.multiply(BigInteger.valueOf(i)).divide(BigInteger.valueOf(n));
        BigInteger end = SPACE.multiply(BigInteger.valueOf(i + 1L)).divide(BigInteger.valueOf(n)).subtract(BigInteger.ONE);
        return start + "-" + end;
    }

    private static String range(Shard s) {
        return s.hashKeyRange().startingHashKey() + "-" + s.hashKeyRange().endingHashKey();
    }
}
