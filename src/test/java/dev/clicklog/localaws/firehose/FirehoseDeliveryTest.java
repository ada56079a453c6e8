package dev.clicklog.localaws.firehose;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.clicklog.localaws.fault.FaultInjector;
import dev.clicklog.testing.TestRoles;
import dev.clicklog.testing.TestRoles.Role;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Datapoint;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamDescription;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamStatus;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamType;
import software.amazon.awssdk.services.firehose.model.ExtendedS3DestinationConfiguration;
import software.amazon.awssdk.services.firehose.model.InvalidArgumentException;
import software.amazon.awssdk.services.firehose.model.ProcessorType;
import software.amazon.awssdk.services.firehose.model.Record;
import software.amazon.awssdk.services.firehose.model.ResourceNotFoundException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.ScalingType;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The delivery engine end to end through the real SDK clients: records put to Kinesis (or put
 * directly) appear in S3 under the evaluated prefix, named as Firehose names objects, exactly once,
 * whatever S3 does meanwhile — and whatever the pipeline goes through: reshards of the source (each
 * parent read to its end and written before its children, so each key stays in order), an
 * UpdateDestination (objects then carry the next version), a delete (what it holds is written first).
 */
@QuarkusTest
class FirehoseDeliveryTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    /** {@code <stream>-<version>-<yyyy-MM-dd-HH-mm-ss>-<uuid>}: the object name Firehose gives. */
    static final String OBJECT_NAME = "-1-(\\d{4})-(\\d{2})-(\\d{2})-(\\d{2})-\\d{2}-\\d{2}-"
            + "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    @Inject
    FirehoseClient firehose;

    @Inject
    KinesisClient kinesis;

    @Inject
    S3Client s3;

    @Inject
    CloudWatchClient cloudWatch;

    @Inject
    FaultInjector faults;

    @Inject
    IamClient iam;

    @AfterEach
    void clearFaults() {
        faults.clear();
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    String bucket() {
        String bucket = unique("fh-bucket");
        s3.createBucket(b -> b.bucket(bucket));
        return bucket;
    }

    String sourceStream(int shards) {
        String name = unique("fh-source");
        kinesis.createStream(b -> b.streamName(name).shardCount(shards));
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> kinesis.describeStreamSummary(
                b -> b.streamName(name)).streamDescriptionSummary().streamStatus() == StreamStatus.ACTIVE);
        return name;
    }

    static String streamArn(String stream) {
        return "arn:aws:kinesis:us-east-1:000000000000:stream/" + stream;
    }

    /** A role Firehose may assume to read the stream and write anywhere in the bucket, and nothing else. */
    Role deliveryRole(String stream, String bucket) {
        return new TestRoles(iam).create("fh-delivery", DeliveryAccess.PRINCIPAL, TestRoles.readStream(streamArn(stream)),
                TestRoles.writeObjects(bucket, ""));
    }

    /** A Kinesis-sourced delivery stream into {@code bucket}, ACTIVE when this returns. */
    String fromKinesis(String stream, String bucket, Consumer<ExtendedS3DestinationConfiguration.Builder> s3Settings) {
        return fromKinesis(stream, bucket, deliveryRole(stream, bucket), s3Settings);
    }

    String fromKinesis(String stream, String bucket, Role role,
            Consumer<ExtendedS3DestinationConfiguration.Builder> s3Settings) {
        String name = unique("fh-delivery");
        ExtendedS3DestinationConfiguration.Builder destination = ExtendedS3DestinationConfiguration.builder()
                .roleARN(role.arn()).bucketARN("arn:aws:s3:::" + bucket);
        s3Settings.accept(destination);
        firehose.createDeliveryStream(b -> b.deliveryStreamName(name)
                .deliveryStreamType(DeliveryStreamType.KINESIS_STREAM_AS_SOURCE)
                .kinesisStreamSourceConfiguration(k -> k.kinesisStreamARN(streamArn(stream)).roleARN(role.arn()))
                .extendedS3DestinationConfiguration(destination.build()));
        awaitActive(name);
        return name;
    }

    String directPut(String bucket, Consumer<ExtendedS3DestinationConfiguration.Builder> s3Settings) {
        String name = unique("fh-direct");
        String role = new TestRoles(iam).create("fh-direct", DeliveryAccess.PRINCIPAL, TestRoles.writeObjects(bucket, ""))
                .arn();
        ExtendedS3DestinationConfiguration.Builder destination = ExtendedS3DestinationConfiguration.builder()
                .roleARN(role).bucketARN("arn:aws:s3:::" + bucket);
        s3Settings.accept(destination);
        firehose.createDeliveryStream(b -> b.deliveryStreamName(name).extendedS3DestinationConfiguration(destination.build()));
        awaitActive(name);
        return name;
    }

    void awaitActive(String name) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> firehose.describeDeliveryStream(
                b -> b.deliveryStreamName(name)).deliveryStreamDescription().deliveryStreamStatus() == DeliveryStreamStatus.ACTIVE);
    }

    void putToKinesis(String stream, List<String> records) {
        putToKinesis(kinesis, stream, records);
    }

    static void putToKinesis(KinesisClient kinesis, String stream, List<String> records) {
        for (int from = 0; from < records.size(); from += 500) {
            List<PutRecordsRequestEntry> entries = records.subList(from, Math.min(records.size(), from + 500)).stream()
                    .map(r -> PutRecordsRequestEntry.builder().data(SdkBytes.fromUtf8String(r))
                            .partitionKey(UUID.randomUUID().toString()).build())
                    .toList();
            assertEquals(0, kinesis.putRecords(b -> b.streamName(stream).records(entries)).failedRecordCount());
        }
    }

    static List<String> records(String tag, int count) {
        List<String> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            records.add("{\"click\":\"" + tag + "-" + i + "\"}");
        }
        return records;
    }

    /** Every object under the prefix, key → body, in key order. */
    Map<String, byte[]> objects(String bucket, String prefix) {
        return objects(s3, bucket, prefix);
    }

    static Map<String, byte[]> objects(S3Client s3, String bucket, String prefix) {
        Map<String, byte[]> objects = new LinkedHashMap<>();
        for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
            objects.put(o.key(), s3.getObjectAsBytes(b -> b.bucket(bucket).key(o.key())).asByteArray());
        }
        return objects;
    }

    /** Waits until the newline-delimited records under the prefix number {@code expected}, and returns them. */
    List<String> awaitLines(String bucket, String prefix, int expected) {
        List<String> lines = new ArrayList<>();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            lines.clear();
            objects(bucket, prefix).values().forEach(body -> lines.addAll(lines(body)));
            return lines.size() >= expected;
        });
        return lines;
    }

    static List<String> lines(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        assertTrue(text.endsWith("\n"), "every record is followed by a newline: " + text);
        return Arrays.asList(text.substring(0, text.length() - 1).split("\n", -1));
    }

    static byte[] gunzip(byte[] body) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void assertSameRecordsOnce(List<String> sent, List<String> delivered) {
        assertEquals(sent.size(), delivered.size(), "no record lost or written twice");
        assertEquals(sent.stream().sorted().toList(), delivered.stream().sorted().toList());
    }

    double metric(String metric, String deliveryStream, Statistic statistic) {
        List<Datapoint> points = cloudWatch.getMetricStatistics(b -> b.namespace("AWS/Firehose").metricName(metric)
                .dimensions(d -> d.name("DeliveryStreamName").value(deliveryStream))
                .startTime(Instant.now().minus(Duration.ofMinutes(10))).endTime(Instant.now().plus(Duration.ofMinutes(1)))
                .period(60).statistics(statistic)).datapoints();
        return points.stream().mapToDouble(p -> switch (statistic) {
            case SUM -> p.sum();
            case SAMPLE_COUNT -> p.sampleCount();
            default -> throw new IllegalArgumentException(statistic.toString());
        }).sum();
    }

    @Test
    void kinesisRecordsLandUnderTheEvaluatedPrefixOnceEachNamedAsFirehoseNamesThem() {
        String stream = sourceStream(2);
        String bucket = bucket();
        putToKinesis(stream, List.of("{\"click\":\"before the delivery stream\"}"));
        long putBefore = System.currentTimeMillis();
        await().until(() -> System.currentTimeMillis() > putBefore + 1);
        String name = fromKinesis(stream, bucket, s3 -> s3
                .prefix("clicks/year=!{timestamp:yyyy}/!{firehose:random-string}/")
                .errorOutputPrefix("errors/!{firehose:error-output-type}/")
                .bufferingHints(b -> b.sizeInMBs(1).intervalInSeconds(1))
                .processingConfiguration(p -> p.enabled(true).processors(pr -> pr.type(ProcessorType.APPEND_DELIMITER_TO_RECORD))));
        List<String> sent = records("kinesis", 40);
        putToKinesis(stream, sent);

        assertSameRecordsOnce(sent, awaitLines(bucket, "clicks/", sent.size()));
        Pattern key = Pattern.compile("clicks/year=(\\d{4})/[A-Za-z0-9]{11}/" + Pattern.quote(name) + OBJECT_NAME);
        for (String k : objects(bucket, "").keySet()) {
            Matcher m = key.matcher(k);
            assertTrue(m.matches(), k);
            assertEquals(m.group(1), m.group(2), "prefix and name show the same (UTC) time: " + k);
        }

        DeliveryStreamDescription d = firehose.describeDeliveryStream(b -> b.deliveryStreamName(name)).deliveryStreamDescription();
        assertEquals(DeliveryStreamType.KINESIS_STREAM_AS_SOURCE, d.deliveryStreamType());
        assertEquals(streamArn(stream), d.source().kinesisStreamSourceDescription().kinesisStreamARN());
        assertEquals(d.createTimestamp(), d.source().kinesisStreamSourceDescription().deliveryStartTimestamp());

        assertEquals(sent.size(), metric("IncomingRecords", name, Statistic.SUM));
        assertEquals(sent.size(), metric("DataReadFromKinesisStream.Records", name, Statistic.SUM));
        assertEquals(sent.size(), metric("DeliveryToS3.Records", name, Statistic.SUM));
        assertEquals(sent.stream().mapToInt(r -> r.getBytes(StandardCharsets.UTF_8).length).sum(),
                metric("DeliveryToS3.Bytes", name, Statistic.SUM));
        assertTrue(metric("DeliveryToS3.DataFreshness", name, Statistic.SAMPLE_COUNT) >= 1);
    }

    @Test
    void withoutAPrefixObjectsGoUnderTheDefaultHourPrefixAndRecordsAreConcatenated() {
        String stream = sourceStream(1);
        String bucket = bucket();
        String name = fromKinesis(stream, bucket, s3 -> s3.bufferingHints(b -> b.sizeInMBs(1).intervalInSeconds(0)));
        putToKinesis(stream, List.of("ab", "cd"));

        Map<String, byte[]> objects = new LinkedHashMap<>();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            objects.clear();
            objects.putAll(objects(bucket, ""));
            return objects.values().stream().mapToInt(b -> b.length).sum() >= 4;
        });
        StringBuilder all = new StringBuilder();
        Pattern key = Pattern.compile("(\\d{4})/(\\d{2})/(\\d{2})/(\\d{2})/" + Pattern.quote(name) + OBJECT_NAME);
        objects.forEach((k, body) -> {
            Matcher m = key.matcher(k);
            assertTrue(m.matches(), k);
            for (int i = 1; i <= 4; i++) {
                assertEquals(m.group(i), m.group(i + 4), "default prefix yyyy/MM/dd/HH/ of the name's time: " + k);
            }
            all.append(new String(body, StandardCharsets.UTF_8));
        });
        assertEquals("abcd", all.toString(), "records concatenated, no delimiter");
    }

    @Test
    void aPrefixWithoutExpressionsGetsTheDefaultHourPrefixAppended() {
        String bucket = bucket();
        String name = directPut(bucket, s3 -> s3.prefix("plain/").bufferingHints(b -> b.sizeInMBs(1).intervalInSeconds(0))
                .processingConfiguration(p -> p.enabled(true).processors(pr -> pr.type(ProcessorType.APPEND_DELIMITER_TO_RECORD))));
        List<String> sent = records("direct", 5);
        firehose.putRecordBatch(b -> b.deliveryStreamName(name).records(sent.stream()
                .map(r -> Record.builder().data(SdkBytes.fromUtf8String(r)).build()).toList()));
        assertSameRecordsOnce(sent, awaitLines(bucket, "plain/", sent.size()));
        Pattern key = Pattern.compile("plain/\\d{4}/\\d{2}/\\d{2}/\\d{2}/" + Pattern.quote(name) + OBJECT_NAME);
        objects(bucket, "").keySet().forEach(k -> assertTrue(key.matcher(k).matches(), k));
    }

    @Test
    void gzipObjectsHoldTheRecordsCompressed() {
        String stream = sourceStream(1);
        String bucket = bucket();
        String name = fromKinesis(stream, bucket, s3 -> s3.prefix("gz/").compressionFormat("GZIP")
                .bufferingHints(b -> b.sizeInMBs(1).intervalInSeconds(1))
                .processingConfiguration(p -> p.enabled(true).processors(pr -> pr.type(ProcessorType.APPEND_DELIMITER_TO_RECORD))));
        List<String> sent = records("gzip", 25);
        putToKinesis(stream, sent);

        List<String> delivered = new ArrayList<>();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            delivered.clear();
            objects(bucket, "gz/").forEach((k, body) -> {
                assertTrue(k.endsWith(".gz") && k.contains(name + "-1-"), k);
                delivered.addAll(lines(gunzip(body)));
            });
            return delivered.size() >= sent.size();
        });
        assertSameRecordsOnce(sent, delivered);
    }

    @Test
    void theSizeThresholdWritesBeforeTheInterval() {
        String stream = sourceStream(1);
        String bucket = bucket();
        fromKinesis(stream, bucket, s3 -> s3.prefix("big/").bufferingHints(b -> b.sizeInMBs(1).intervalInSeconds(900)));
        String record = "x".repeat(100 * 1024);
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            sent.add(record);
        }
        putToKinesis(stream, sent);

        Map<String, byte[]> objects = new LinkedHashMap<>();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            objects.putAll(objects(bucket, "big/"));
            return !objects.isEmpty();
        });
        for (byte[] body : objects.values()) {
            assertTrue(body.length <= 1024 * 1024, "an object holds at most SizeInMBs: " + body.length);
            assertEquals(0, body.length % record.length(), "objects hold whole records");
        }
        assertTrue(objects.values().stream().mapToInt(b -> b.length).sum() < sent.size() * record.length(),
                "what is left below the threshold waits for the 900 s interval");
    }

    @Test
    void theIntervalWritesSmallData() {
        String stream = sourceStream(1);
        String bucket = bucket();
        fromKinesis(stream, bucket, s3 -> s3.prefix("small/").bufferingHints(b -> b.sizeInMBs(128).intervalInSeconds(3))
                .processingConfiguration(p -> p.enabled(true).processors(pr -> pr.type(ProcessorType.APPEND_DELIMITER_TO_RECORD))));
        List<String> sent = records("small", 3);
        putToKinesis(stream, sent);
        assertTrue(objects(bucket, "small/").isEmpty(), "nothing is written before the interval");
        assertSameRecordsOnce(sent, awaitLines(bucket, "small/", sent.size()));
        assertEquals(1, objects(bucket, "small/").size(), "one object for the interval's records");
    }

    @Test
    void failingWritesAreRetriedWithoutLossOrDuplicates() {
        String stream = sourceStream(2);
        String bucket = bucket();
        String name = fromKinesis(stream, bucket, s3 -> s3.prefix("retry/").bufferingHints(b -> b.sizeInMBs(1).intervalInSeconds(1))
                .processingConfiguration(p -> p.enabled(true).processors(pr -> pr.type(ProcessorType.APPEND_DELIMITER_TO_RECORD))));
        faults.failNext("s3", "PutObject", 2, 500, "InternalError", "We encountered an internal error. Please try again.");
        List<String> sent = records("retry", 30);
        putToKinesis(stream, sent);

        assertSameRecordsOnce(sent, awaitLines(bucket, "retry/", sent.size()));
        await().atMost(WAIT).until(() -> metric("DeliveryToS3.Success", name, Statistic.SAMPLE_COUNT)
                > metric("DeliveryToS3.Success", name, Statistic.SUM));  // a failed write is counted as 0
        assertTrue(metric("DeliveryToS3.Success", name, Statistic.SUM) >= 1, "the retried writes succeeded");
    }

    @Test
    void aBucketCreatedLateReceivesEverythingOnce() {
        String stream = sourceStream(1);
        String bucket = unique("fh-late");
        String name = fromKinesis(stream, bucket, s3 -> s3.prefix("late/").bufferingHints(b -> b.sizeInMBs(1).intervalInSeconds(0))
                .processingConfiguration(p -> p.enabled(true).processors(pr -> pr.type(ProcessorType.APPEND_DELIMITER_TO_RECORD))));
        List<String> sent = records("late", 10);
        putToKinesis(stream, sent.subList(0, 5));
        await().atMost(WAIT).until(() -> metric("DeliveryToS3.Success", name, Statistic.SAMPLE_COUNT) >= 1);
        assertEquals(0, metric("DeliveryToS3.Success", name, Statistic.SUM), "NoSuchBucket: nothing delivered yet");
        putToKinesis(stream, sent.subList(5, 10));

        s3.createBucket(b -> b.bucket(bucket));
        assertSameRecordsOnce(sent, awaitLines(bucket, "late/", sent.size()));
    }

    @Test
    void deletingTheSourceStreamDeliversWhatWasReadAndStops() {
        String stream = sourceStream(1);
        String bucket = bucket();
        String name = fromKinesis(stream, bucket, s3 -> s3.prefix("gone/").bufferingHints(b -> b.sizeInMBs(128).intervalInSeconds(900))
                .processingConfiguration(p -> p.enabled(true).processors(pr -> pr.type(ProcessorType.APPEND_DELIMITER_TO_RECORD))));
        List<String> sent = records("gone", 4);
        putToKinesis(stream, sent);
        await().atMost(WAIT).until(() -> metric("IncomingRecords", name, Statistic.SUM) == sent.size());

        kinesis.deleteStream(b -> b.streamName(stream));
        assertSameRecordsOnce(sent, awaitLines(bucket, "gone/", sent.size()));
        assertEquals(DeliveryStreamStatus.ACTIVE, firehose.describeDeliveryStream(b -> b.deliveryStreamName(name))
                .deliveryStreamDescription().deliveryStreamStatus());
    }

    @Test
    void aMissingSourceStreamIsInvalidArgument() {
        String missing = unique("fh-missing");
        String name = unique("fh-delivery");
        String role = deliveryRole(missing, "any").arn();
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> firehose.createDeliveryStream(b -> b
                .deliveryStreamName(name)
                .deliveryStreamType(DeliveryStreamType.KINESIS_STREAM_AS_SOURCE)
                .kinesisStreamSourceConfiguration(k -> k.kinesisStreamARN(streamArn(missing)).roleARN(role))
                .extendedS3DestinationConfiguration(s -> s.roleARN(role).bucketARN("arn:aws:s3:::any"))));
        assertEquals("Stream " + missing + " under account 000000000000 not found.", e.awsErrorDetails().errorMessage());
        assertThrows(ResourceNotFoundException.class, () -> firehose.describeDeliveryStream(b -> b.deliveryStreamName(name)));
    }

    @Test
    void readsTheRoleMayNotMakeDeliverNothingUntilThePolicyIsFixed() {
        String stream = sourceStream(1);
        String bucket = bucket();
        // The role may read another stream only: every read of this one is denied.
        Role role = new TestRoles(iam).create("fh-other-stream", DeliveryAccess.PRINCIPAL,
                TestRoles.readStream(streamArn("other")), TestRoles.writeObjects(bucket, ""));
        String name = fromKinesis(stream, bucket, role, s3 -> s3.prefix("denied/").bufferingHints(b -> b.sizeInMBs(1)
                .intervalInSeconds(0)).processingConfiguration(p -> p.enabled(true)
                        .processors(pr -> pr.type(ProcessorType.APPEND_DELIMITER_TO_RECORD))));
        List<String> sent = records("denied-read", 8);
        putToKinesis(stream, sent);
        await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> objects(bucket, "").isEmpty());
        assertEquals(0, metric("DataReadFromKinesisStream.Records", name, Statistic.SUM));

        new TestRoles(iam).putPolicy(role, TestRoles.readStream(streamArn(stream)), TestRoles.writeObjects(bucket, ""));
        assertSameRecordsOnce(sent, awaitLines(bucket, "denied/", sent.size()));
    }

    @Test
    void aDeniedWriteFailsTheDeliveryWhichSucceedsOnceThePolicyIsFixed() {
        String stream = sourceStream(1);
        String bucket = bucket();
        // Allowed to write the bucket, but an explicit Deny on the prefix wins.
        Role role = new TestRoles(iam).create("fh-deny", DeliveryAccess.PRINCIPAL, TestRoles.readStream(streamArn(stream)),
                TestRoles.writeObjects(bucket, ""), TestRoles.deny(List.of("s3:PutObject"), "arn:aws:s3:::" + bucket + "/clicks/*"));
        String name = fromKinesis(stream, bucket, role, s3 -> s3.prefix("clicks/").bufferingHints(b -> b.sizeInMBs(1)
                .intervalInSeconds(0)).processingConfiguration(p -> p.enabled(true)
                        .processors(pr -> pr.type(ProcessorType.APPEND_DELIMITER_TO_RECORD))));
        List<String> sent = records("denied-write", 6);
        putToKinesis(stream, sent.subList(0, 3));
        await().atMost(WAIT).until(() -> metric("DeliveryToS3.Success", name, Statistic.SAMPLE_COUNT) >= 1);
        assertEquals(0, metric("DeliveryToS3.Success", name, Statistic.SUM), "every write denied");
        assertTrue(objects(bucket, "").isEmpty());
        putToKinesis(stream, sent.subList(3, 6));

        new TestRoles(iam).putPolicy(role, TestRoles.readStream(streamArn(stream)), TestRoles.writeObjects(bucket, "clicks/"));
        assertSameRecordsOnce(sent, awaitLines(bucket, "clicks/", sent.size()));
        assertTrue(metric("DeliveryToS3.Success", name, Statistic.SUM) >= 1);
    }

    @Test
    void aKinesisSourcedStreamRefusesDirectPuts() {
        String stream = sourceStream(1);
        String name = fromKinesis(stream, bucket(), s3 -> { });
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> firehose.putRecord(b -> b
                .deliveryStreamName(name).record(r -> r.data(SdkBytes.fromUtf8String("x")))));
        assertEquals("This operation is not permitted on KinesisStreamAsSource delivery stream type.",
                e.awsErrorDetails().errorMessage());
        assertThrows(InvalidArgumentException.class, () -> firehose.putRecordBatch(b -> b.deliveryStreamName(name)
                .records(Record.builder().data(SdkBytes.fromUtf8String("x")).build())));
        assertTrue(firehose.listDeliveryStreams(b -> b.deliveryStreamType(DeliveryStreamType.KINESIS_STREAM_AS_SOURCE)
                .exclusiveStartDeliveryStreamName("fh-").limit(10000)).deliveryStreamNames().contains(name));
        assertFalse(firehose.listDeliveryStreams(b -> b.deliveryStreamType(DeliveryStreamType.DIRECT_PUT)
                .exclusiveStartDeliveryStreamName("fh-").limit(10000)).deliveryStreamNames().contains(name));
    }

    @Test
    void recordsPutThroughReshardsAreDeliveredOnceAndInOrderPerKey() throws Exception {
        String stream = sourceStream(1);
        String bucket = bucket();
        fromKinesis(stream, bucket, s3 -> s3.prefix("reshard/").bufferingHints(b -> b.sizeInMBs(1).intervalInSeconds(1))
                .processingConfiguration(p -> p.enabled(true).processors(pr -> pr.type(ProcessorType.APPEND_DELIMITER_TO_RECORD))));
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger written = new AtomicInteger();
        Thread writer = new Thread(() -> {
            for (int n = 0; writing.get(); n++) {
                for (int k = 0; k < 6; k++) {
                    String data = "key-" + k + ":" + n;
                    String key = "key-" + k;
                    kinesis.putRecord(b -> b.streamName(stream).partitionKey(key).data(SdkBytes.fromUtf8String(data)));
                    written.incrementAndGet();
                }
            }
        });
        writer.start();
        for (int target : new int[] { 2, 4, 2 }) {
            int at = written.get();
            await().atMost(WAIT).until(() -> written.get() > at + 60);
            kinesis.updateShardCount(b -> b.streamName(stream).targetShardCount(target).scalingType(ScalingType.UNIFORM_SCALING));
            await().atMost(WAIT).until(() -> kinesis.describeStreamSummary(b -> b.streamName(stream))
                    .streamDescriptionSummary().streamStatus() == StreamStatus.ACTIVE);
        }
        int at = written.get();
        await().atMost(WAIT).until(() -> written.get() > at + 60);
        writing.set(false);
        writer.join();

        List<String> lines = awaitLines(bucket, "reshard/", written.get());
        assertEquals(written.get(), lines.size(), "no record lost or written twice");
        assertEquals(lines.size(), new TreeSet<>(lines).size(), "each record once");
        // Per key: in order within each object, and every number of an earlier object before every number of a later one.
        Map<String, List<List<Integer>>> byKey = new HashMap<>();
        Map<String, List<Instant>> writtenAt = new HashMap<>();
        for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix("reshard/")).contents()) {
            Map<String, List<Integer>> inObject = new HashMap<>();
            for (String line : lines(s3.getObjectAsBytes(b -> b.bucket(bucket).key(o.key())).asByteArray())) {
                String[] parts = line.split(":");
                inObject.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(Integer.parseInt(parts[1]));
            }
            inObject.forEach((key, numbers) -> {
                assertEquals(numbers.stream().sorted().toList(), numbers, key + " in order within " + o.key());
                byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(numbers);
                writtenAt.computeIfAbsent(key, k -> new ArrayList<>()).add(o.lastModified());
            });
        }
        byKey.forEach((key, objects) -> {
            List<Instant> times = writtenAt.get(key);
            for (int a = 0; a < objects.size(); a++) {
                for (int b = 0; b < objects.size(); b++) {
                    if (times.get(a).isBefore(times.get(b))) {
                        assertTrue(objects.get(a).get(objects.get(a).size() - 1) < objects.get(b).get(0),
                                key + ": an object written earlier holds earlier records: " + objects);
                    }
                }
            }
        });
    }

    @Test
    void anUpdatedDestinationNamesItsObjectsWithTheNextVersion() {
        String stream = sourceStream(1);
        String bucket = bucket();
        String name = fromKinesis(stream, bucket, s3 -> s3.prefix("v/").bufferingHints(b -> b.sizeInMBs(1).intervalInSeconds(1))
                .processingConfiguration(p -> p.enabled(true).processors(pr -> pr.type(ProcessorType.APPEND_DELIMITER_TO_RECORD))));
        List<String> first = records("first", 3);
        putToKinesis(stream, first);
        awaitLines(bucket, "v/", first.size());

        DeliveryStreamDescription d = firehose.describeDeliveryStream(b -> b.deliveryStreamName(name)).deliveryStreamDescription();
        firehose.updateDestination(b -> b.deliveryStreamName(name).currentDeliveryStreamVersionId(d.versionId())
                .destinationId(d.destinations().get(0).destinationId())
                .extendedS3DestinationUpdate(u -> u.bufferingHints(h -> h.sizeInMBs(2).intervalInSeconds(1))));
        assertEquals("2", firehose.describeDeliveryStream(b -> b.deliveryStreamName(name)).deliveryStreamDescription().versionId());
        List<String> second = records("second", 3);
        putToKinesis(stream, second);
        awaitLines(bucket, "v/", first.size() + second.size());

        Set<String> versions = new TreeSet<>();
        Pattern version = Pattern.compile(".*/" + Pattern.quote(name) + "-(\\d+)-\\d{4}-.*");
        objects(bucket, "v/").keySet().forEach(k -> {
            var m = version.matcher(k);
            assertTrue(m.matches(), k);
            versions.add(m.group(1));
        });
        assertEquals(Set.of("1", "2"), versions);
    }

    @Test
    void aDeletedDeliveryStreamWritesWhatItHoldsBeforeItIsGone() {
        String stream = sourceStream(2);
        String bucket = bucket();
        // A long buffer: without the drain these records would wait 15 minutes, and be dropped with the stream.
        String name = fromKinesis(stream, bucket, s3 -> s3.prefix("drain/").bufferingHints(b -> b.sizeInMBs(128)
                .intervalInSeconds(900))
                .processingConfiguration(p -> p.enabled(true).processors(pr -> pr.type(ProcessorType.APPEND_DELIMITER_TO_RECORD))));
        List<String> sent = records("drain", 50);
        putToKinesis(stream, sent);

        firehose.deleteDeliveryStream(b -> b.deliveryStreamName(name));
        assertEquals(DeliveryStreamStatus.DELETING, firehose.describeDeliveryStream(b -> b.deliveryStreamName(name))
                .deliveryStreamDescription().deliveryStreamStatus());
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
            try {
                firehose.describeDeliveryStream(b -> b.deliveryStreamName(name));
                return false;
            } catch (ResourceNotFoundException gone) {
                return true;
            }
        });
        // Gone only once everything is in S3.
        assertSameRecordsOnce(sent, awaitLines(bucket, "drain/", 0));
    }

    @Test
    void aDrainThatCannotFinishEndsAtItsLimit() {
        String stream = sourceStream(1);
        String bucket = bucket();
        String name = fromKinesis(stream, bucket, s3 -> s3.prefix("stuck/").bufferingHints(b -> b.sizeInMBs(128)
                .intervalInSeconds(900)));
        putToKinesis(stream, records("stuck", 3));
        faults.failAlways("s3", "PutObject", 500, "InternalError", "We encountered an internal error. Please try again.");
        faults.overrideDelay("firehose.delivery-stream-drain", Duration.ofSeconds(2));

        firehose.deleteDeliveryStream(b -> b.deliveryStreamName(name));
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            try {
                firehose.describeDeliveryStream(b -> b.deliveryStreamName(name));
                return false;
            } catch (ResourceNotFoundException gone) {
                return true;
            }
        });
        assertThrows(ResourceNotFoundException.class, () -> firehose.deleteDeliveryStream(b -> b.deliveryStreamName(name)));
        assertTrue(objects(bucket, "stuck/").isEmpty());
    }
}
