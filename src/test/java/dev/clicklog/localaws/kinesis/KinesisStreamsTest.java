package dev.clicklog.localaws.kinesis;

import static dev.clicklog.localaws.kinesis.TestStreams.active;
import static dev.clicklog.localaws.kinesis.TestStreams.awaitStatus;
import static dev.clicklog.localaws.kinesis.TestStreams.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.clicklog.localaws.fault.FaultInjector;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamResponse;
import software.amazon.awssdk.services.kinesis.model.EncryptionType;
import software.amazon.awssdk.services.kinesis.model.InvalidArgumentException;
import software.amazon.awssdk.services.kinesis.model.LimitExceededException;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.ListStreamsResponse;
import software.amazon.awssdk.services.kinesis.model.ListTagsForStreamResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ResourceInUseException;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StreamDescriptionSummary;
import software.amazon.awssdk.services.kinesis.model.StreamMode;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;
import software.amazon.awssdk.services.kinesis.model.Tag;
import software.amazon.awssdk.services.kinesis.model.ValidationException;

/** Streams' control plane through the real SDK (CBOR): life cycle, listing, tags, retention, encryption. */
@QuarkusTest
class KinesisStreamsTest {

    @Inject
    KinesisClient kinesis;

    @Inject
    FaultInjector faults;

    @AfterEach
    void restoreDelays() {
        faults.clear();
    }

    @Test
    void newStreamIsCreatingUntilActiveWithShardsSplittingTheHashSpace() {
        faults.overrideDelay("kinesis.stream-activation", Duration.ofSeconds(1));
        String name = unique("life");
        Instant before = Instant.now();
        kinesis.createStream(b -> b.streamName(name).shardCount(3));
        Instant after = Instant.now();

        DescribeStreamResponse creating = kinesis.describeStream(b -> b.streamName(name));
        assertEquals(StreamStatus.CREATING, creating.streamDescription().streamStatus());
        assertTrue(creating.streamDescription().shards().isEmpty());
        ResourceNotFoundException early = assertThrows(ResourceNotFoundException.class, () -> kinesis.putRecord(
                b -> b.streamName(name).partitionKey("k").data(SdkBytes.fromUtf8String("too early"))));
        assertEquals("Stream " + name + " under account 000000000000 not found.", early.awsErrorDetails().errorMessage());
        assertThrows(ResourceInUseException.class, () -> kinesis.addTagsToStream(b -> b.streamName(name).tags(Map.of("a", "b"))));

        awaitStatus(kinesis, name, StreamStatus.ACTIVE);
        var description = kinesis.describeStream(b -> b.streamName(name)).streamDescription();
        assertEquals("arn:aws:kinesis:us-east-1:000000000000:stream/" + name, description.streamARN());
        assertEquals(StreamMode.PROVISIONED, description.streamModeDetails().streamMode());
        assertEquals(24, description.retentionPeriodHours());
        assertEquals(EncryptionType.NONE, description.encryptionType());
        assertFalse(description.hasMoreShards());
        Instant created = description.streamCreationTimestamp();
        assertFalse(created.isBefore(before.minusMillis(1)) || created.isAfter(after.plusMillis(1)),
                "creation time " + created + " outside [" + before + ", " + after + "]");

        List<Shard> shards = description.shards();
        assertEquals(List.of("shardId-000000000000", "shardId-000000000001", "shardId-000000000002"),
                shards.stream().map(Shard::shardId).toList());
        BigInteger expectedStart = BigInteger.ZERO;
        for (Shard shard : shards) {
            assertEquals(expectedStart, new BigInteger(shard.hashKeyRange().startingHashKey()));
            expectedStart = new BigInteger(shard.hashKeyRange().endingHashKey()).add(BigInteger.ONE);
            assertNotNull(shard.sequenceNumberRange().startingSequenceNumber());
            assertNull(shard.sequenceNumberRange().endingSequenceNumber());
        }
        assertEquals(BigInteger.ONE.shiftLeft(128), expectedStart, "the shards cover the whole hash-key space");
    }

    @Test
    void onDemandStreamStartsWithFourShards() {
        String name = active(kinesis, "ondemand", b -> b.streamModeDetails(m -> m.streamMode(StreamMode.ON_DEMAND)));
        StreamDescriptionSummary summary = kinesis.describeStreamSummary(b -> b.streamName(name)).streamDescriptionSummary();
        assertEquals(StreamMode.ON_DEMAND, summary.streamModeDetails().streamMode());
        assertEquals(4, summary.openShardCount());
        assertEquals(4, kinesis.listShards(b -> b.streamName(name)).shards().size());

        String withCount = unique("ondemand");
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> kinesis.createStream(
                b -> b.streamName(withCount).shardCount(2).streamModeDetails(m -> m.streamMode(StreamMode.ON_DEMAND))));
        assertEquals("ShardCount is not expected when StreamMode=ON_DEMAND", e.awsErrorDetails().errorMessage());
        assertFalse(streamNames().contains(withCount));
    }

    @Test
    void duplicateStreamIsResourceInUseAndLeavesTheFirstAlone() {
        String name = active(kinesis, "dup", 1);
        ResourceInUseException e = assertThrows(ResourceInUseException.class,
                () -> kinesis.createStream(b -> b.streamName(name).shardCount(3)));
        assertEquals("Stream " + name + " under account 000000000000 already exists.", e.awsErrorDetails().errorMessage());
        StreamDescriptionSummary summary = kinesis.describeStreamSummary(b -> b.streamName(name)).streamDescriptionSummary();
        assertEquals(1, summary.openShardCount());
        assertEquals(StreamStatus.ACTIVE, summary.streamStatus());
    }

    @Test
    void invalidNamesAndShardCountsAreValidationErrorsThatCreateNothing() {
        ValidationException badName = assertThrows(ValidationException.class,
                () -> kinesis.createStream(b -> b.streamName("bad name!").shardCount(1)));
        assertEquals("1 validation error detected: Value 'bad name!' at 'streamName' failed to satisfy constraint:"
                + " Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+", badName.awsErrorDetails().errorMessage());

        String tooLong = "a".repeat(129);
        ValidationException longName = assertThrows(ValidationException.class,
                () -> kinesis.createStream(b -> b.streamName(tooLong).shardCount(1)));
        assertEquals("1 validation error detected: Value '" + tooLong + "' at 'streamName' failed to satisfy constraint:"
                + " Member must have length less than or equal to 128", longName.awsErrorDetails().errorMessage());

        String zero = unique("zero");
        ValidationException zeroShards = assertThrows(ValidationException.class,
                () -> kinesis.createStream(b -> b.streamName(zero).shardCount(0)));
        assertEquals("1 validation error detected: Value '0' at 'shardCount' failed to satisfy constraint:"
                + " Member must have value greater than or equal to 1", zeroShards.awsErrorDetails().errorMessage());

        ValidationException both = assertThrows(ValidationException.class,
                () -> kinesis.createStream(b -> b.streamName("").shardCount(-1)));
        assertTrue(both.awsErrorDetails().errorMessage().startsWith("3 validation errors detected: "),
                both.awsErrorDetails().errorMessage());

        List<String> names = streamNames();
        assertFalse(names.contains("bad name!") || names.contains(tooLong) || names.contains(zero));
    }

    @Test
    void shardsBeyondTheAccountLimitAreLimitExceeded() {
        String name = unique("huge");
        LimitExceededException e = assertThrows(LimitExceededException.class,
                () -> kinesis.createStream(b -> b.streamName(name).shardCount(501)));
        assertTrue(e.awsErrorDetails().errorMessage().startsWith(
                "This request would exceed the shard limit for the account 000000000000 in us-east-1."),
                e.awsErrorDetails().errorMessage());
        assertFalse(streamNames().contains(name));
    }

    @Test
    void missingStreamIsResourceNotFoundEverywhere() {
        String name = unique("missing");
        String message = "Stream " + name + " under account 000000000000 not found.";
        assertEquals(message, assertThrows(ResourceNotFoundException.class,
                () -> kinesis.describeStream(b -> b.streamName(name))).awsErrorDetails().errorMessage());
        assertThrows(ResourceNotFoundException.class, () -> kinesis.describeStreamSummary(b -> b.streamName(name)));
        assertThrows(ResourceNotFoundException.class, () -> kinesis.listShards(b -> b.streamName(name)));
        assertThrows(ResourceNotFoundException.class, () -> kinesis.deleteStream(b -> b.streamName(name)));
        assertThrows(ResourceNotFoundException.class, () -> kinesis.listTagsForStream(b -> b.streamName(name)));
        assertThrows(ResourceNotFoundException.class, () -> kinesis.increaseStreamRetentionPeriod(
                b -> b.streamName(name).retentionPeriodHours(48)));
        assertThrows(ResourceNotFoundException.class, () -> kinesis.putRecord(
                b -> b.streamName(name).partitionKey("k").data(SdkBytes.fromUtf8String("x"))));
        ResourceNotFoundException shard = assertThrows(ResourceNotFoundException.class, () -> kinesis.getShardIterator(
                b -> b.streamName(name).shardId("shardId-000000000000").shardIteratorType(ShardIteratorType.LATEST)));
        assertEquals("Shard shardId-000000000000 in stream " + name + " under account 000000000000 does not exist",
                shard.awsErrorDetails().errorMessage());
    }

    @Test
    void listStreamsPagesByLimitStartNameAndNextToken() {
        String prefix = unique("page");
        List<String> created = List.of(prefix + "-a", prefix + "-b", prefix + "-c");
        created.forEach(n -> kinesis.createStream(b -> b.streamName(n).shardCount(1)));

        ListStreamsResponse first = kinesis.listStreams(b -> b.exclusiveStartStreamName(prefix).limit(2));
        assertEquals(created.subList(0, 2), first.streamNames());
        assertTrue(first.hasMoreStreams());
        assertNotNull(first.nextToken());
        assertEquals(created.subList(0, 2), first.streamSummaries().stream().map(s -> s.streamName()).toList());
        assertNotNull(first.streamSummaries().get(0).streamCreationTimestamp());

        ListStreamsResponse second = kinesis.listStreams(b -> b.nextToken(first.nextToken()).limit(1));
        assertEquals(List.of(prefix + "-c"), second.streamNames());

        List<String> all = kinesis.listStreamsPaginator(b -> b.limit(1)).streamNames().stream().toList();
        assertTrue(all.containsAll(created));
        assertEquals(all.stream().sorted().toList(), all, "streams are listed in name order");
    }

    @Test
    void describeStreamAndListShardsPageShards() {
        String name = active(kinesis, "shards", 5);
        var firstPage = kinesis.describeStream(b -> b.streamName(name).limit(2)).streamDescription();
        assertEquals(List.of("shardId-000000000000", "shardId-000000000001"), firstPage.shards().stream().map(Shard::shardId).toList());
        assertTrue(firstPage.hasMoreShards());
        var lastPage = kinesis.describeStream(b -> b.streamName(name).exclusiveStartShardId("shardId-000000000002"))
                .streamDescription();
        assertEquals(List.of("shardId-000000000003", "shardId-000000000004"), lastPage.shards().stream().map(Shard::shardId).toList());
        assertFalse(lastPage.hasMoreShards());

        ListShardsResponse page = kinesis.listShards(b -> b.streamName(name).maxResults(3));
        assertEquals(3, page.shards().size());
        assertNotNull(page.nextToken());
        ListShardsResponse rest = kinesis.listShards(b -> b.nextToken(page.nextToken()));
        assertEquals(List.of("shardId-000000000003", "shardId-000000000004"), rest.shards().stream().map(Shard::shardId).toList());
        assertNull(rest.nextToken());
        InvalidArgumentException both = assertThrows(InvalidArgumentException.class,
                () -> kinesis.listShards(b -> b.streamName(name).nextToken(page.nextToken())));
        assertEquals("NextToken and StreamName cannot be provided together.", both.awsErrorDetails().errorMessage());
    }

    @Test
    void deletedStreamIsDeletingThenGone() {
        String name = active(kinesis, "delete", 1);
        faults.overrideDelay("kinesis.stream-deletion", Duration.ofSeconds(1));
        kinesis.deleteStream(b -> b.streamName(name).enforceConsumerDeletion(true));
        assertEquals(StreamStatus.DELETING,
                kinesis.describeStreamSummary(b -> b.streamName(name)).streamDescriptionSummary().streamStatus());
        assertThrows(ResourceInUseException.class, () -> kinesis.createStream(b -> b.streamName(name).shardCount(1)));
        Awaitility.await().atMost(TestStreams.WAIT).until(() -> !streamNames().contains(name));
        assertThrows(ResourceNotFoundException.class, () -> kinesis.describeStream(b -> b.streamName(name)));

        kinesis.createStream(b -> b.streamName(name).shardCount(1));
        awaitStatus(kinesis, name, StreamStatus.ACTIVE);
    }

    @Test
    void tagsAreAddedListedInKeyOrderPagedAndRemoved() {
        String name = active(kinesis, "tags", b -> b.shardCount(1).tags(Map.of("team", "web", "clicklog:pipeline", "p1")));
        kinesis.addTagsToStream(b -> b.streamName(name).tags(Map.of("managed-by", "clicklog-portal", "team", "data")));

        ListTagsForStreamResponse all = kinesis.listTagsForStream(b -> b.streamName(name));
        assertEquals(List.of(tag("clicklog:pipeline", "p1"), tag("managed-by", "clicklog-portal"), tag("team", "data")), all.tags());
        assertFalse(all.hasMoreTags());

        ListTagsForStreamResponse page = kinesis.listTagsForStream(b -> b.streamName(name).limit(1).exclusiveStartTagKey("clicklog:pipeline"));
        assertEquals(List.of(tag("managed-by", "clicklog-portal")), page.tags());
        assertTrue(page.hasMoreTags());

        kinesis.removeTagsFromStream(b -> b.streamName(name).tagKeys("team", "absent"));
        assertEquals(List.of("clicklog:pipeline", "managed-by"),
                kinesis.listTagsForStream(b -> b.streamName(name)).tags().stream().map(Tag::key).toList());

        Map<String, String> many = new HashMap<>();
        IntStream.range(0, 49).forEach(i -> many.put("k" + i, "v"));
        InvalidArgumentException tooMany = assertThrows(InvalidArgumentException.class,
                () -> kinesis.addTagsToStream(b -> b.streamName(name).tags(many)));
        assertTrue(tooMany.awsErrorDetails().errorMessage().contains("cannot have more than 50 tags"));
        assertEquals(2, kinesis.listTagsForStream(b -> b.streamName(name)).tags().size(), "a rejected request adds nothing");
    }

    @Test
    void retentionChangesPassThroughUpdatingWithinAwsLimits() {
        String name = active(kinesis, "retention", 1);
        faults.overrideDelay("kinesis.stream-activation", Duration.ofSeconds(1));
        kinesis.increaseStreamRetentionPeriod(b -> b.streamName(name).retentionPeriodHours(48));
        StreamDescriptionSummary updating = kinesis.describeStreamSummary(b -> b.streamName(name)).streamDescriptionSummary();
        assertEquals(StreamStatus.UPDATING, updating.streamStatus());
        assertEquals(48, updating.retentionPeriodHours());
        ResourceInUseException busy = assertThrows(ResourceInUseException.class,
                () -> kinesis.increaseStreamRetentionPeriod(b -> b.streamName(name).retentionPeriodHours(72)));
        assertEquals("Stream " + name + " under account 000000000000 not ACTIVE, instead in state UPDATING",
                busy.awsErrorDetails().errorMessage());
        kinesis.putRecord(b -> b.streamName(name).partitionKey("k").data(SdkBytes.fromUtf8String("written while updating")));
        awaitStatus(kinesis, name, StreamStatus.ACTIVE);
        faults.clear();

        InvalidArgumentException shorter = assertThrows(InvalidArgumentException.class,
                () -> kinesis.increaseStreamRetentionPeriod(b -> b.streamName(name).retentionPeriodHours(24)));
        assertEquals("Requested retention period (24 hours) for stream " + name + " can not be shorter than existing"
                + " retention period (48 hours). Use DecreaseRetentionPeriod API.", shorter.awsErrorDetails().errorMessage());
        InvalidArgumentException tooLong = assertThrows(InvalidArgumentException.class,
                () -> kinesis.increaseStreamRetentionPeriod(b -> b.streamName(name).retentionPeriodHours(8761)));
        assertEquals("Maximum allowed retention period is 8760 hours. Requested retention period (8761 hours) is too long.",
                tooLong.awsErrorDetails().errorMessage());
        InvalidArgumentException tooShort = assertThrows(InvalidArgumentException.class,
                () -> kinesis.decreaseStreamRetentionPeriod(b -> b.streamName(name).retentionPeriodHours(23)));
        assertEquals("Minimum allowed retention period is 24 hours. Requested retention period (23 hours) is too short.",
                tooShort.awsErrorDetails().errorMessage());

        kinesis.decreaseStreamRetentionPeriod(b -> b.streamName(name).retentionPeriodHours(24));
        awaitStatus(kinesis, name, StreamStatus.ACTIVE);
        assertEquals(24, kinesis.describeStreamSummary(b -> b.streamName(name)).streamDescriptionSummary().retentionPeriodHours());
    }

    @Test
    void encryptionAppliesToRecordsWrittenOnceActiveAgain() {
        String name = active(kinesis, "kms", 1);
        faults.overrideDelay("kinesis.stream-activation", Duration.ofMillis(500));
        kinesis.startStreamEncryption(b -> b.streamName(name).encryptionType(EncryptionType.KMS).keyId("alias/aws/kinesis"));
        assertEquals(StreamStatus.UPDATING,
                kinesis.describeStreamSummary(b -> b.streamName(name)).streamDescriptionSummary().streamStatus());
        assertEquals(EncryptionType.NONE, kinesis.putRecord(
                b -> b.streamName(name).partitionKey("k").data(SdkBytes.fromUtf8String("before"))).encryptionType());
        awaitStatus(kinesis, name, StreamStatus.ACTIVE);

        var description = kinesis.describeStream(b -> b.streamName(name)).streamDescription();
        assertEquals(EncryptionType.KMS, description.encryptionType());
        assertEquals("alias/aws/kinesis", description.keyId());
        assertEquals(EncryptionType.KMS, kinesis.putRecord(
                b -> b.streamName(name).partitionKey("k").data(SdkBytes.fromUtf8String("after"))).encryptionType());
        assertEquals(EncryptionType.KMS, kinesis.putRecords(b -> b.streamName(name).records(
                r -> r.partitionKey("k").data(SdkBytes.fromUtf8String("batch")))).encryptionType());

        List<Record> records = TestStreams.readAll(kinesis, TestStreams.iterator(kinesis, name, "shardId-000000000000",
                b -> b.shardIteratorType(ShardIteratorType.TRIM_HORIZON)));
        assertEquals(List.of("before", "after", "batch"), records.stream().map(r -> r.data().asUtf8String()).toList());
        assertNull(records.get(0).encryptionType());
        assertEquals(EncryptionType.KMS, records.get(1).encryptionType());

        assertThrows(InvalidArgumentException.class, () -> kinesis.startStreamEncryption(
                b -> b.streamName(name).encryptionType(EncryptionType.NONE).keyId("alias/aws/kinesis")));
    }

    @Test
    void operationsAcceptTheStreamArnInsteadOfTheName() {
        String name = active(kinesis, "byarn", 2);
        String arn = kinesis.describeStreamSummary(b -> b.streamName(name)).streamDescriptionSummary().streamARN();

        assertEquals(name, kinesis.describeStream(b -> b.streamARN(arn)).streamDescription().streamName());
        assertEquals(2, kinesis.listShards(b -> b.streamARN(arn)).shards().size());
        kinesis.addTagsToStream(b -> b.streamARN(arn).tags(Map.of("via", "arn")));
        assertEquals(List.of(tag("via", "arn")), kinesis.listTagsForStream(b -> b.streamARN(arn)).tags());
        var put = kinesis.putRecord(b -> b.streamARN(arn).partitionKey("k").data(SdkBytes.fromUtf8String("by arn")));
        String iterator = kinesis.getShardIterator(b -> b.streamARN(arn).shardId(put.shardId())
                .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER).startingSequenceNumber(put.sequenceNumber())).shardIterator();
        assertEquals("by arn", kinesis.getRecords(b -> b.streamARN(arn).shardIterator(iterator)).records().get(0).data().asUtf8String());

        String otherAccount = arn.replace("000000000000", "111111111111");
        assertThrows(ResourceNotFoundException.class, () -> kinesis.describeStream(b -> b.streamARN(otherAccount)));
        ValidationException notAnArn = assertThrows(ValidationException.class,
                () -> kinesis.describeStream(b -> b.streamARN("stream/" + name)));
        assertTrue(notAnArn.awsErrorDetails().errorMessage().contains("at 'streamARN' failed to satisfy constraint"));
        kinesis.deleteStream(b -> b.streamARN(arn));
        assertEquals(StreamStatus.DELETING,
                kinesis.describeStreamSummary(b -> b.streamName(name)).streamDescriptionSummary().streamStatus());
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }

    private List<String> streamNames() {
        return kinesis.listStreamsPaginator(b -> b.limit(1000)).streamNames().stream().toList();
    }
}
