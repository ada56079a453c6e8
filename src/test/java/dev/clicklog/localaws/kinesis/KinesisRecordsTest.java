package dev.clicklog.localaws.kinesis;

import static dev.clicklog.localaws.kinesis.TestStreams.active;
import static dev.clicklog.localaws.kinesis.TestStreams.iterator;
import static dev.clicklog.localaws.kinesis.TestStreams.readAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.clicklog.localaws.fault.FaultInjector;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ExpiredIteratorException;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.InvalidArgumentException;
import software.amazon.awssdk.services.kinesis.model.PutRecordResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.ValidationException;

/** Records through the real SDK (CBOR): routing, ordering, iterators, limits, retention. */
@QuarkusTest
class KinesisRecordsTest {

    private static final String SHARD_0 = "shardId-000000000000";
    private static final int MIB = 1024 * 1024;

    @Inject
    KinesisClient kinesis;

    @Inject
    FaultInjector faults;

    @Inject
    KinesisService service;

    @AfterEach
    void restoreDelays() {
        faults.clear();
    }

    @Test
    void partitionKeysLandOnTheShardWhoseRangeHoldsTheirMd5() throws Exception {
        String name = active(kinesis, "hash", 4);
        List<Shard> shards = kinesis.listShards(b -> b.streamName(name)).shards();
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        for (int i = 0; i < 40; i++) {
            String key = "user-" + i + "-ü";
            BigInteger hash = new BigInteger(1, md5.digest(key.getBytes(StandardCharsets.UTF_8)));
            String expected = shards.stream().filter(s -> contains(s, hash)).findFirst().orElseThrow().shardId();
            PutRecordResponse put = kinesis.putRecord(b -> b.streamName(name).partitionKey(key).data(SdkBytes.fromUtf8String(key)));
            assertEquals(expected, put.shardId(), "shard of " + key);
        }
        for (Shard shard : shards) {
            for (Record r : readAll(kinesis, iterator(kinesis, name, shard.shardId(), b -> b.shardIteratorType(ShardIteratorType.TRIM_HORIZON)))) {
                BigInteger hash = new BigInteger(1, md5.digest(r.partitionKey().getBytes(StandardCharsets.UTF_8)));
                assertTrue(contains(shard, hash), r.partitionKey() + " read from " + shard.shardId());
                assertEquals(r.partitionKey(), r.data().asUtf8String());
            }
        }
    }

    @Test
    void explicitHashKeyOverridesThePartitionKey() {
        String name = active(kinesis, "explicit", 4);
        Shard last = kinesis.listShards(b -> b.streamName(name)).shards().get(3);
        PutRecordResponse put = kinesis.putRecord(b -> b.streamName(name).partitionKey("any")
                .explicitHashKey(last.hashKeyRange().startingHashKey()).data(SdkBytes.fromUtf8String("x")));
        assertEquals(last.shardId(), put.shardId());
        PutRecordsResponse batch = kinesis.putRecords(b -> b.streamName(name).records(
                PutRecordsRequestEntry.builder().partitionKey("any").explicitHashKey("0").data(SdkBytes.fromUtf8String("y")).build()));
        assertEquals(SHARD_0, batch.records().get(0).shardId());

        String tooBig = BigInteger.ONE.shiftLeft(128).toString();
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> kinesis.putRecord(
                b -> b.streamName(name).partitionKey("any").explicitHashKey(tooBig).data(SdkBytes.fromUtf8String("z"))));
        assertEquals("Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was " + tooBig,
                e.awsErrorDetails().errorMessage());
    }

    @Test
    void sequenceNumbersIncreasePerShardAndReadsKeepWriteOrder() {
        String name = active(kinesis, "order", 1);
        List<String> sequenceNumbers = new ArrayList<>();
        String previous = null;
        for (int i = 0; i < 30; i++) {
            String payload = "click-" + i;
            String ordering = previous;
            PutRecordResponse put = kinesis.putRecord(b -> b.streamName(name).partitionKey("p" + payload.hashCode())
                    .sequenceNumberForOrdering(ordering).data(SdkBytes.fromUtf8String(payload)));
            assertTrue(previous == null || new BigInteger(put.sequenceNumber()).compareTo(new BigInteger(previous)) > 0);
            previous = put.sequenceNumber();
            sequenceNumbers.add(previous);
        }
        List<Record> records = readAll(kinesis, iterator(kinesis, name, SHARD_0, b -> b.shardIteratorType(ShardIteratorType.TRIM_HORIZON)));
        assertEquals(IntStream.range(0, 30).mapToObj(i -> "click-" + i).toList(), records.stream().map(r -> r.data().asUtf8String()).toList());
        assertEquals(sequenceNumbers, records.stream().map(Record::sequenceNumber).toList());

        InvalidArgumentException bad = assertThrows(InvalidArgumentException.class, () -> kinesis.putRecord(
                b -> b.streamName(name).partitionKey("k").sequenceNumberForOrdering("12345").data(SdkBytes.fromUtf8String("x"))));
        assertEquals("ExclusiveMinimumSequenceNumber 12345 used in PutRecord on stream " + name
                + " under account 000000000000 is invalid.", bad.awsErrorDetails().errorMessage());
    }

    @Test
    void putRecordsAnswersPerRecordResultsInRequestOrder() {
        String name = active(kinesis, "batch", 2);
        List<PutRecordsRequestEntry> entries = IntStream.range(0, 100)
                .mapToObj(i -> PutRecordsRequestEntry.builder().partitionKey("key-" + i)
                        .data(SdkBytes.fromUtf8String("{\"click\":" + i + "}")).build())
                .toList();
        PutRecordsResponse response = kinesis.putRecords(b -> b.streamName(name).records(entries));
        assertEquals(0, response.failedRecordCount());
        assertEquals(100, response.records().size());
        for (PutRecordsResultEntry r : response.records()) {
            assertNotNull(r.sequenceNumber());
            assertTrue(r.shardId().startsWith("shardId-00000000000"));
        }

        List<String> read = new ArrayList<>();
        for (String shard : List.of(SHARD_0, "shardId-000000000001")) {
            List<Record> records = readAll(kinesis, iterator(kinesis, name, shard, b -> b.shardIteratorType(ShardIteratorType.TRIM_HORIZON)));
            for (Record r : records) {
                int i = Integer.parseInt(r.partitionKey().substring(4));
                assertEquals(shard, response.records().get(i).shardId());
                assertEquals(response.records().get(i).sequenceNumber(), r.sequenceNumber());
                read.add(r.data().asUtf8String());
            }
        }
        assertEquals(100, read.size());

        List<PutRecordsRequestEntry> tooMany = IntStream.range(0, 501).mapToObj(i -> entries.get(0)).toList();
        ValidationException over = assertThrows(ValidationException.class, () -> kinesis.putRecords(b -> b.streamName(name).records(tooMany)));
        assertTrue(over.awsErrorDetails().errorMessage().contains("at 'records' failed to satisfy constraint: Member must have length"
                + " less than or equal to 500"), over.awsErrorDetails().errorMessage());
        ValidationException emptyKey = assertThrows(ValidationException.class, () -> kinesis.putRecords(b -> b.streamName(name).records(
                PutRecordsRequestEntry.builder().partitionKey("").data(SdkBytes.fromUtf8String("x")).build())));
        assertEquals("1 validation error detected: Value '' at 'records.1.member.partitionKey' failed to satisfy constraint:"
                + " Member must have length greater than or equal to 1", emptyKey.awsErrorDetails().errorMessage());
    }

    @Test
    void iteratorTypesStartWhereAwsStartsThem() {
        String name = active(kinesis, "types", 1);
        List<String> sequence = new ArrayList<>();
        for (String payload : List.of("a", "b", "c")) {
            sequence.add(kinesis.putRecord(b -> b.streamName(name).partitionKey("k").data(SdkBytes.fromUtf8String(payload))).sequenceNumber());
        }
        String latest = iterator(kinesis, name, SHARD_0, b -> b.shardIteratorType(ShardIteratorType.LATEST));
        assertTrue(kinesis.getRecords(b -> b.shardIterator(latest)).records().isEmpty());
        kinesis.putRecord(b -> b.streamName(name).partitionKey("k").data(SdkBytes.fromUtf8String("d")));

        assertEquals(List.of("d"), payloads(readAll(kinesis, latest)));
        assertEquals(List.of("a", "b", "c", "d"), payloads(readAll(kinesis,
                iterator(kinesis, name, SHARD_0, b -> b.shardIteratorType(ShardIteratorType.TRIM_HORIZON)))));
        assertEquals(List.of("b", "c", "d"), payloads(readAll(kinesis, iterator(kinesis, name, SHARD_0,
                b -> b.shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER).startingSequenceNumber(sequence.get(1))))));
        assertEquals(List.of("c", "d"), payloads(readAll(kinesis, iterator(kinesis, name, "1-0",
                b -> b.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).startingSequenceNumber(sequence.get(1))))));

        InvalidArgumentException noNumber = assertThrows(InvalidArgumentException.class, () -> iterator(kinesis, name, SHARD_0,
                b -> b.shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER)));
        assertTrue(noNumber.awsErrorDetails().errorMessage().endsWith("Request specified AT_SEQUENCE_NUMBER and no StartingSequenceNumber."));
        InvalidArgumentException noTimestamp = assertThrows(InvalidArgumentException.class, () -> iterator(kinesis, name, SHARD_0,
                b -> b.shardIteratorType(ShardIteratorType.AT_TIMESTAMP)));
        assertEquals("Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. Current request has no timestamp parameter.",
                noTimestamp.awsErrorDetails().errorMessage());
        InvalidArgumentException future = assertThrows(InvalidArgumentException.class, () -> iterator(kinesis, name, SHARD_0,
                b -> b.shardIteratorType(ShardIteratorType.AT_TIMESTAMP).timestamp(Instant.now().plusSeconds(60))));
        assertTrue(future.awsErrorDetails().errorMessage().startsWith("The timestampInMillis parameter cannot be greater than the currentTimestampInMillis."));

        String other = active(kinesis, "types", 2);
        String otherShard = kinesis.putRecord(b -> b.streamName(other).partitionKey("k").explicitHashKey(BigInteger.ONE.shiftLeft(127).toString())
                .data(SdkBytes.fromUtf8String("x"))).sequenceNumber();
        InvalidArgumentException wrongShard = assertThrows(InvalidArgumentException.class, () -> iterator(kinesis, other, SHARD_0,
                b -> b.shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER).startingSequenceNumber(otherShard)));
        assertEquals("Invalid StartingSequenceNumber. It encodes shardId-000000000001, while it was used in a call to a shard with"
                + " shardId-000000000000", wrongShard.awsErrorDetails().errorMessage());
        InvalidArgumentException wrongStream = assertThrows(InvalidArgumentException.class, () -> iterator(kinesis, other, SHARD_0,
                b -> b.shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER).startingSequenceNumber(sequence.get(0))));
        assertTrue(wrongStream.awsErrorDetails().errorMessage().endsWith("is invalid because it did not come from this stream."));
        ResourceNotFoundException noShard = assertThrows(ResourceNotFoundException.class, () -> iterator(kinesis, other, "shardId-000000000002",
                b -> b.shardIteratorType(ShardIteratorType.LATEST)));
        assertEquals("Shard shardId-000000000002 in stream " + other + " under account 000000000000 does not exist",
                noShard.awsErrorDetails().errorMessage());
    }

    @Test
    void arrivalTimestampsRoundTripAndAtTimestampFindsThem() {
        String name = active(kinesis, "time", 1);
        kinesis.putRecord(b -> b.streamName(name).partitionKey("k").data(SdkBytes.fromUtf8String("old")));
        Instant old = readAll(kinesis, iterator(kinesis, name, SHARD_0, b -> b.shardIteratorType(ShardIteratorType.TRIM_HORIZON)))
                .get(0).approximateArrivalTimestamp();
        Awaitility.await().pollInterval(Duration.ofMillis(1)).until(() -> Instant.now().toEpochMilli() > old.toEpochMilli());
        Instant before = Instant.now();
        kinesis.putRecord(b -> b.streamName(name).partitionKey("k").data(SdkBytes.fromUtf8String("new")));
        Instant after = Instant.now();

        List<Record> records = readAll(kinesis, iterator(kinesis, name, SHARD_0,
                b -> b.shardIteratorType(ShardIteratorType.AT_TIMESTAMP).timestamp(before)));
        assertEquals(List.of("new"), payloads(records));
        Instant arrival = records.get(0).approximateArrivalTimestamp();
        assertFalse(arrival.isBefore(before.truncatedTo(ChronoUnit.MILLIS)) || arrival.isAfter(after),
                arrival + " outside [" + before + ", " + after + "]");
    }

    @Test
    void getRecordsHonoursLimitAndHandsOnTheNextIterator() {
        String name = active(kinesis, "limit", 1);
        List<PutRecordsRequestEntry> entries = IntStream.range(0, 25)
                .mapToObj(i -> PutRecordsRequestEntry.builder().partitionKey("k").data(SdkBytes.fromUtf8String("r" + i)).build())
                .toList();
        kinesis.putRecords(b -> b.streamName(name).records(entries));
        String it = iterator(kinesis, name, SHARD_0, b -> b.shardIteratorType(ShardIteratorType.TRIM_HORIZON));
        List<Integer> sizes = new ArrayList<>();
        for (int call = 0; call < 4; call++) {
            String current = it;
            GetRecordsResponse page = kinesis.getRecords(b -> b.shardIterator(current).limit(10));
            sizes.add(page.records().size());
            assertNotNull(page.nextShardIterator());
            it = page.nextShardIterator();
            if (call == 0) {
                assertTrue(page.millisBehindLatest() >= 0);
            }
            if (call == 3) {
                assertEquals(0L, page.millisBehindLatest());
            }
        }
        assertEquals(List.of(10, 10, 5, 0), sizes);
        ValidationException tooMany = assertThrows(ValidationException.class, () -> kinesis.getRecords(
                b -> b.shardIterator(iterator(kinesis, name, SHARD_0, i -> i.shardIteratorType(ShardIteratorType.LATEST))).limit(10001)));
        assertEquals("1 validation error detected: Value '10001' at 'limit' failed to satisfy constraint: Member must have value"
                + " less than or equal to 10000", tooMany.awsErrorDetails().errorMessage());
    }

    @Test
    void malformedIteratorsAreInvalidArguments() {
        String name = active(kinesis, "badit", 1);
        String good = iterator(kinesis, name, SHARD_0, b -> b.shardIteratorType(ShardIteratorType.TRIM_HORIZON));
        byte[] bytes = Base64.getDecoder().decode(good);
        bytes[10] ^= 1; // another position, same length: the seal no longer matches
        String tampered = Base64.getEncoder().encodeToString(bytes);
        for (String iterator : List.of("not-an-iterator", Base64.getEncoder().encodeToString(new byte[64]), tampered)) {
            InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> kinesis.getRecords(b -> b.shardIterator(iterator)));
            assertEquals("Invalid ShardIterator.", e.awsErrorDetails().errorMessage());
        }
    }

    @Test
    void iteratorsExpireAfterTheToleratedDelay() {
        String name = active(kinesis, "expiry", 1);
        faults.overrideDelay("kinesis.shard-iterator-expiry", Duration.ofMillis(200));
        String it = iterator(kinesis, name, SHARD_0, b -> b.shardIteratorType(ShardIteratorType.TRIM_HORIZON));
        ExpiredIteratorException e = Awaitility.await().atMost(TestStreams.WAIT)
                .until(() -> expiryOf(it), ex -> ex != null);
        assertTrue(e.awsErrorDetails().errorMessage().startsWith("Iterator expired. The iterator was created at time "), e.getMessage());
        assertTrue(e.awsErrorDetails().errorMessage().endsWith("which is further in the future than the tolerated delay of 200 milliseconds."));
    }

    @Test
    void iteratorOfAnotherStreamIsInvalidArgument() {
        String one = active(kinesis, "mine", 1);
        String two = active(kinesis, "yours", 1);
        String twoArn = kinesis.describeStreamSummary(b -> b.streamName(two)).streamDescriptionSummary().streamARN();
        String it = iterator(kinesis, one, SHARD_0, b -> b.shardIteratorType(ShardIteratorType.TRIM_HORIZON));
        assertThrows(InvalidArgumentException.class, () -> kinesis.getRecords(b -> b.shardIterator(it).streamARN(twoArn)));

        kinesis.deleteStream(b -> b.streamName(one));
        ResourceNotFoundException gone = assertThrows(ResourceNotFoundException.class, () -> kinesis.getRecords(b -> b.shardIterator(it)));
        assertEquals("Shard shardId-000000000000 in stream " + one + " under account 000000000000 does not exist",
                gone.awsErrorDetails().errorMessage());
    }

    @Test
    void oversizedRecordsAreRejectedAndNothingIsStored() {
        String name = active(kinesis, "big", 1);
        byte[] exactlyOneMiB = new byte[MIB - 1]; // with the one-byte partition key: the whole 1 MiB record limit
        kinesis.putRecord(b -> b.streamName(name).partitionKey("k").data(SdkBytes.fromByteArray(exactlyOneMiB)));

        InvalidArgumentException overStream = assertThrows(InvalidArgumentException.class, () -> kinesis.putRecord(
                b -> b.streamName(name).partitionKey("k").data(SdkBytes.fromByteArray(new byte[MIB]))));
        assertTrue(overStream.awsErrorDetails().errorMessage().contains("exceeds the maximum record size of 1024 KiB"));
        ValidationException overModel = assertThrows(ValidationException.class, () -> kinesis.putRecord(
                b -> b.streamName(name).partitionKey("k").data(SdkBytes.fromByteArray(new byte[10 * MIB + 1]))));
        assertEquals("1 validation error detected: Value 'java.nio.HeapByteBuffer[pos=0 lim=10485761 cap=10485761]' at 'data'"
                + " failed to satisfy constraint: Member must have length less than or equal to 10485760",
                overModel.awsErrorDetails().errorMessage());
        assertThrows(InvalidArgumentException.class, () -> kinesis.putRecords(b -> b.streamName(name).records(
                PutRecordsRequestEntry.builder().partitionKey("k").data(SdkBytes.fromUtf8String("small")).build(),
                PutRecordsRequestEntry.builder().partitionKey("k").data(SdkBytes.fromByteArray(new byte[MIB])).build())));
        ValidationException longKey = assertThrows(ValidationException.class, () -> kinesis.putRecord(
                b -> b.streamName(name).partitionKey("k".repeat(257)).data(SdkBytes.fromUtf8String("x"))));
        assertTrue(longKey.awsErrorDetails().errorMessage().endsWith("at 'partitionKey' failed to satisfy constraint: Member must have"
                + " length less than or equal to 256"));

        List<Record> stored = readAll(kinesis, iterator(kinesis, name, SHARD_0, b -> b.shardIteratorType(ShardIteratorType.TRIM_HORIZON)));
        assertEquals(1, stored.size(), "only the record within the limit was stored");
        assertArrayEquals(exactlyOneMiB, stored.get(0).data().asByteArray());
    }

    @Test
    void requestsAndAnswersStayWithinTenMiB() {
        String name = active(kinesis, "tenmib", 1);
        PutRecordsRequestEntry oneMiB = PutRecordsRequestEntry.builder().partitionKey("k")
                .data(SdkBytes.fromByteArray(new byte[MIB - 1])).build();
        List<PutRecordsRequestEntry> eleven = IntStream.range(0, 11).mapToObj(i -> oneMiB).toList();
        InvalidArgumentException tooBig = assertThrows(InvalidArgumentException.class,
                () -> kinesis.putRecords(b -> b.streamName(name).records(eleven)));
        assertEquals("Records size exceeds 10 MB limit", tooBig.awsErrorDetails().errorMessage());

        List<PutRecordsRequestEntry> six = IntStream.range(0, 6).mapToObj(i -> oneMiB).toList();
        kinesis.putRecords(b -> b.streamName(name).records(six));
        kinesis.putRecords(b -> b.streamName(name).records(six));
        String it = iterator(kinesis, name, SHARD_0, b -> b.shardIteratorType(ShardIteratorType.TRIM_HORIZON));
        GetRecordsResponse first = kinesis.getRecords(b -> b.shardIterator(it));
        assertEquals(10, first.records().size(), "ten records of 1 MiB fill the 10 MiB an answer may carry");
        assertTrue(first.millisBehindLatest() >= 0);
        assertEquals(2, kinesis.getRecords(b -> b.shardIterator(first.nextShardIterator())).records().size());
    }

    @Test
    void recordsPastTheRetentionPeriodAreTrimmed() {
        String name = active(kinesis, "trim", 2);
        String horizonBefore = iterator(kinesis, name, SHARD_0, b -> b.shardIteratorType(ShardIteratorType.TRIM_HORIZON));
        faults.overrideDelay("kinesis.retention-period", Duration.ofMillis(300));
        for (int i = 0; i < 20; i++) {
            String payload = "old-" + i;
            kinesis.putRecord(b -> b.streamName(name).partitionKey(payload).data(SdkBytes.fromUtf8String(payload)));
        }
        assertEquals(20, service.retainedRecords(name));
        Awaitility.await().atMost(TestStreams.WAIT).until(() -> {
            service.trimAll();
            return service.retainedRecords(name) == 0;
        });
        assertTrue(kinesis.getRecords(b -> b.shardIterator(horizonBefore)).records().isEmpty(), "trimmed records are gone");

        faults.clear();
        kinesis.putRecord(b -> b.streamName(name).partitionKey("k").explicitHashKey("0").data(SdkBytes.fromUtf8String("fresh")));
        assertEquals(List.of("fresh"), payloads(readAll(kinesis,
                iterator(kinesis, name, SHARD_0, b -> b.shardIteratorType(ShardIteratorType.TRIM_HORIZON)))));
        assertEquals(List.of("fresh"), payloads(readAll(kinesis, horizonBefore)), "an older iterator resumes at the trim horizon");
        assertEquals(1, service.retainedRecords(name));
    }

    @Test
    void dataRoundTripsByteForByte() {
        String name = active(kinesis, "bytes", 1);
        byte[] data = new byte[256];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        kinesis.putRecords(b -> b.streamName(name).records(
                PutRecordsRequestEntry.builder().partitionKey("ключ \"quoted\"").data(SdkBytes.fromByteArray(data)).build(),
                PutRecordsRequestEntry.builder().partitionKey("empty").data(SdkBytes.fromByteArray(new byte[0])).build()));
        List<Record> records = readAll(kinesis, iterator(kinesis, name, SHARD_0, b -> b.shardIteratorType(ShardIteratorType.TRIM_HORIZON)));
        assertArrayEquals(data, records.get(0).data().asByteArray());
        assertEquals("ключ \"quoted\"", records.get(0).partitionKey());
        assertEquals(0, records.get(1).data().asByteArray().length);
    }

    private ExpiredIteratorException expiryOf(String iterator) {
        try {
            kinesis.getRecords(b -> b.shardIterator(iterator));
            return null;
        } catch (ExpiredIteratorException e) {
            return e;
        }
    }

    private static boolean contains(Shard shard, BigInteger hash) {
        return hash.compareTo(new BigInteger(shard.hashKeyRange().startingHashKey())) >= 0
                && hash.compareTo(new BigInteger(shard.hashKeyRange().endingHashKey())) <= 0;
    }

    private static List<String> payloads(List<Record> records) {
        return records.stream().map(r -> r.data().asUtf8String()).toList();
    }
}
