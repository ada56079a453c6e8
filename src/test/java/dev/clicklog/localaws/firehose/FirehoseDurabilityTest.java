package dev.clicklog.localaws.firehose;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.clicklog.localaws.LocalAwsConfig;
import dev.clicklog.localaws.fault.FaultInjector;
import dev.clicklog.localaws.firehose.FirehoseChange.ObjectIntent;
import dev.clicklog.localaws.http.AwsRequest;
import dev.clicklog.localaws.http.AwsResponse;
import dev.clicklog.localaws.http.LocalAwsClient;
import dev.clicklog.localaws.protocol.AwsServiceException;
import dev.clicklog.localaws.spi.RoleAccess;
import dev.clicklog.localaws.storage.Durability;
import dev.clicklog.localaws.storage.Storage;
import dev.clicklog.testing.DataDirs;
import dev.clicklog.testing.TestRoles;
import dev.clicklog.testing.TestRoles.Role;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Firehose through its journal: delivery streams (source, S3 destination with every setting, tags,
 * version after an update) are described exactly as before after a restart and after a kill -9 (a
 * crash copy of the data directory), checkpoints are back so nothing is delivered twice, and a crash
 * after an object was written but before its checkpoint moved leaves every record exactly once in S3.
 *
 * <p>Firehose restarts here on its own data directory while the application's Kinesis and S3 (real
 * localaws, reached in-process over their wire as Firehose always reaches them) keep running: they
 * stand for the durable Kinesis and S3 a real restart brings back. Requests to Firehose go through
 * its handler as JSON, the wire the SDK speaks.
 */
@QuarkusTest
class FirehoseDurabilityTest {

    static final String REGION = "us-east-1";

    @TempDir
    Path dir;

    @Inject
    LocalAwsClient client;

    @Inject
    LocalAwsConfig config;

    @Inject
    FaultInjector faults;

    @Inject
    RoleAccess roles;

    @Inject
    FirehoseMetrics metrics;

    @Inject
    KinesisClient kinesis;

    @Inject
    S3Client s3;

    @Inject
    IamClient iam;

    private final List<Instance> running = new ArrayList<>();

    /** One Firehose over its own storage, as one run of the portal has it. */
    final class Instance {
        final Storage storage;
        final DeliveryEngine engine;
        final FirehoseService service;
        final FirehoseHandler handler;

        Instance(Path data, S3WireClient writer, boolean deliver) {
            storage = new Storage(Storage.Settings.of(data, Durability.FSYNC));
            engine = new DeliveryEngine(config, new KinesisWireClient(client), writer, metrics, roles);
            service = new FirehoseService(config, faults, engine, new KinesisWireClient(client), metrics, roles, storage);
            handler = new FirehoseHandler(service, config);
            storage.ready();
            if (deliver) {
                service.resume();
            }
            running.add(this);
        }

        String call(String operation, String json) {
            AwsResponse response = handler.handle(new AwsRequest("POST", "/", "", Map.of(
                    "X-Amz-Target", FirehoseHandler.TARGET_PREFIX + "." + operation,
                    "Content-Type", "application/x-amz-json-1.1"), json.getBytes(StandardCharsets.UTF_8), "127.0.0.1"));
            String body = response.bodyAsString();
            assertEquals(200, response.status(), operation + ": " + body);
            return body;
        }

        String describe(String name) {
            return call("DescribeDeliveryStream", "{\"DeliveryStreamName\":\"" + name + "\"}");
        }

        /** What a client sees of every delivery stream: the listing, and each one's description and tags. */
        List<String> view(String... names) {
            List<String> view = new ArrayList<>();
            view.add(call("ListDeliveryStreams", "{}"));
            for (String name : names) {
                view.add(describe(name));
                view.add(call("ListTagsForDeliveryStream", "{\"DeliveryStreamName\":\"" + name + "\"}"));
            }
            return view;
        }

        DeliveryStream stream(String name) {
            return service.describe(REGION, name);
        }

        /** As a SIGTERM: deliveries write what they buffer, the log is forced and closed. */
        void stop() {
            engine.onShutdown(null);
            close();
        }

        /** As a kill -9 once its crash copy is taken: nothing more is delivered. */
        void close() {
            engine.close();
            storage.close();
            running.remove(this);
        }
    }

    @AfterEach
    void stopAll() {
        new ArrayList<>(running).forEach(Instance::close);
        faults.clear();
    }

    String sourceStream(int shards) {
        String name = FirehoseDeliveryTest.unique("fh-durable");
        kinesis.createStream(b -> b.streamName(name).shardCount(shards));
        await().atMost(FirehoseDeliveryTest.WAIT).pollInterval(Duration.ofMillis(50)).until(() -> kinesis
                .describeStreamSummary(b -> b.streamName(name)).streamDescriptionSummary().streamStatusAsString()
                .equals("ACTIVE"));
        return name;
    }

    String bucket() {
        String bucket = FirehoseDeliveryTest.unique("fh-durable");
        s3.createBucket(b -> b.bucket(bucket));
        return bucket;
    }

    Role role(String stream, String bucket) {
        return new TestRoles(iam).create("fh-durable", DeliveryAccess.PRINCIPAL,
                TestRoles.readStream(FirehoseDeliveryTest.streamArn(stream)), TestRoles.writeObjects(bucket, ""));
    }

    /** CreateDeliveryStream from Kinesis with every destination setting localaws keeps. */
    static String fromKinesis(String name, String stream, String bucket, Role role, String prefix, String compression,
            int intervalSeconds) {
        return "{\"DeliveryStreamName\":\"" + name + "\",\"DeliveryStreamType\":\"KinesisStreamAsSource\","
                + "\"KinesisStreamSourceConfiguration\":{\"KinesisStreamARN\":\"" + FirehoseDeliveryTest.streamArn(stream)
                + "\",\"RoleARN\":\"" + role.arn() + "\"},"
                + "\"ExtendedS3DestinationConfiguration\":{\"RoleARN\":\"" + role.arn() + "\",\"BucketARN\":\"arn:aws:s3:::"
                + bucket + "\",\"Prefix\":\"" + prefix + "\",\"ErrorOutputPrefix\":\"errors/!{firehose:error-output-type}/\","
                + "\"BufferingHints\":{\"SizeInMBs\":1,\"IntervalInSeconds\":" + intervalSeconds + "},"
                + "\"CompressionFormat\":\"" + compression + "\","
                + "\"ProcessingConfiguration\":{\"Enabled\":true,\"Processors\":[{\"Type\":\"AppendDelimiterToRecord\"}]},"
                + "\"CloudWatchLoggingOptions\":{\"Enabled\":true,\"LogGroupName\":\"/firehose\",\"LogStreamName\":\"s3\"}},"
                + "\"Tags\":[{\"Key\":\"clicklog:pipeline\",\"Value\":\"clicks\"},{\"Key\":\"team\",\"Value\":\"web\"}]}";
    }

    void put(String stream, List<String> records) {
        FirehoseDeliveryTest.putToKinesis(kinesis, stream, records);
    }

    /** Every newline-delimited record in the bucket under the prefix, once the count reaches {@code expected}. */
    List<String> awaitLines(String bucket, String prefix, int expected, UnaryOperator<byte[]> decode) {
        List<String> lines = new ArrayList<>();
        await().atMost(FirehoseDeliveryTest.WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            lines.clear();
            FirehoseDeliveryTest.objects(s3, bucket, prefix).values()
                    .forEach(body -> lines.addAll(FirehoseDeliveryTest.lines(decode.apply(body))));
            return lines.size() >= expected;
        });
        return lines;
    }

    @Test
    void deliveryStreamsAndCheckpointsComeBackExactlyAfterARestartAndACrash() {
        String stream = sourceStream(2);
        String bucket = bucket();
        Role role = role(stream, bucket);
        String direct = FirehoseDeliveryTest.unique("fh-direct");
        String clicks = FirehoseDeliveryTest.unique("fh-clicks");
        Path data = dir.resolve("data");

        Instance first = new Instance(data, new S3WireClient(client), true);
        first.call("CreateDeliveryStream", fromKinesis(clicks, stream, bucket, role, "clicks/!{timestamp:yyyy}/", "UNCOMPRESSED", 0));
        first.call("CreateDeliveryStream", "{\"DeliveryStreamName\":\"" + direct + "\",\"DirectPutSourceConfiguration\":"
                + "{\"ThroughputHintInMBs\":5},\"S3DestinationConfiguration\":{\"RoleARN\":\"" + role.arn()
                + "\",\"BucketARN\":\"arn:aws:s3:::" + bucket + "\",\"Prefix\":\"direct/\",\"CompressionFormat\":\"GZIP\","
                + "\"BufferingHints\":{\"SizeInMBs\":2,\"IntervalInSeconds\":120}}}");
        first.call("TagDeliveryStream", "{\"DeliveryStreamName\":\"" + direct + "\",\"Tags\":[{\"Key\":\"a\",\"Value\":\"1\"},"
                + "{\"Key\":\"b\",\"Value\":\"2\"}]}");
        first.call("UntagDeliveryStream", "{\"DeliveryStreamName\":\"" + direct + "\",\"TagKeys\":[\"a\"]}");
        await().atMost(FirehoseDeliveryTest.WAIT).until(() -> first.describe(direct).contains("\"ACTIVE\""));
        first.call("UpdateDestination", "{\"DeliveryStreamName\":\"" + direct + "\",\"CurrentDeliveryStreamVersionId\":\"1\","
                + "\"DestinationId\":\"" + DeliveryStream.DESTINATION_ID + "\",\"S3DestinationUpdate\":{\"Prefix\":\"direct/v2/\","
                + "\"BufferingHints\":{\"SizeInMBs\":3,\"IntervalInSeconds\":60}}}");
        first.storage.checkpoint();
        // After the snapshot, in the log only: records delivered (checkpoints), a tag.
        List<String> sent = FirehoseDeliveryTest.records("before", 120);
        put(stream, sent);
        FirehoseDeliveryTest.assertSameRecordsOnce(sent, awaitLines(bucket, "clicks/", sent.size(), UnaryOperator.identity()));
        // Every record in S3 and no object being written: the last object's checkpoints are logged.
        await().atMost(FirehoseDeliveryTest.WAIT).until(() -> first.stream(clicks).checkpoints().size() == 2
                && first.stream(clicks).intent() == null);
        first.call("TagDeliveryStream", "{\"DeliveryStreamName\":\"" + clicks + "\",\"Tags\":[{\"Key\":\"owner\",\"Value\":\"ops\"}]}");
        List<String> view = first.view(clicks, direct);
        assertTrue(view.get(3).contains("\"VersionId\":\"2\"") && view.get(3).contains("direct/v2/"), view.get(3));
        Map<String, String> checkpoints = first.stream(clicks).checkpoints();
        // What a request's answer waits for: every change so far on disk (a kill -9 now loses nothing acknowledged).
        first.storage.awaitDurable();
        Path crash = DataDirs.crashCopy(data, dir.resolve("crash"));
        first.stop();

        Instance restarted = new Instance(data, new S3WireClient(client), false);
        assertEquals(view, restarted.view(clicks, direct));
        assertEquals(checkpoints, restarted.stream(clicks).checkpoints());
        restarted.close();

        Instance crashed = new Instance(crash, new S3WireClient(client), true);
        assertEquals(view, crashed.view(clicks, direct));
        assertEquals(checkpoints, crashed.stream(clicks).checkpoints());
        // Delivery resumes after the checkpoints: new records once, none of the earlier ones again.
        List<String> after = FirehoseDeliveryTest.records("after", 30);
        put(stream, after);
        List<String> all = new ArrayList<>(sent);
        all.addAll(after);
        List<String> lines = awaitLines(bucket, "clicks/", all.size(), UnaryOperator.identity());
        FirehoseDeliveryTest.assertSameRecordsOnce(all, lines);
        await().atMost(FirehoseDeliveryTest.WAIT).until(() -> !crashed.stream(clicks).checkpoints().equals(checkpoints));
    }

    /** An S3 writer that, at its {@code crashAt}th object, writes it, then takes the crash copy and writes nothing more. */
    final class CrashingWriter extends S3WireClient {
        final AtomicInteger objects = new AtomicInteger();
        final AtomicReference<String> crashedAfter = new AtomicReference<>();
        final int crashAt;
        final Path data;
        final Path copy;

        CrashingWriter(int crashAt, Path data, Path copy) {
            super(client);
            this.crashAt = crashAt;
            this.data = data;
            this.copy = copy;
        }

        @Override
        void putObject(String bucket, String key, byte[] body) {
            if (crashedAfter.get() != null) {
                throw new AwsServiceException(500, "InternalError", "the process is gone");
            }
            super.putObject(bucket, key, body);
            if (objects.incrementAndGet() == crashAt) {
                // The object is in S3, its checkpoint not logged yet: what a kill -9 right now leaves.
                DataDirs.crashCopy(data, copy);
                crashedAfter.set(key);
            }
        }
    }

    /** Starts on the crash copy, checks the object written at the crash is still intended, then delivers. */
    Instance startWithIntentPending(Path crash, String name, String key) {
        Instance again = new Instance(crash, new S3WireClient(client), false);
        ObjectIntent pending = again.stream(name).intent();
        assertNotNull(pending, "the crash left the intent of the object written last pending");
        assertEquals(key, pending.key());
        again.service.resume();
        return again;
    }

    @Test
    void aCrashAfterAnObjectIsWrittenAndBeforeItsCheckpointLeavesEveryRecordOnceInS3() {
        String stream = sourceStream(2);
        String bucket = bucket();
        Role role = role(stream, bucket);
        String name = FirehoseDeliveryTest.unique("fh-crash");
        Path data = dir.resolve("data");
        Path crash = dir.resolve("crash");
        CrashingWriter writer = new CrashingWriter(3, data, crash);

        Instance first = new Instance(data, writer, true);
        first.call("CreateDeliveryStream", fromKinesis(name, stream, bucket, role, "crash/", "GZIP", 0));
        List<String> sent = new ArrayList<>();
        for (int batch = 0; batch < 6; batch++) {
            List<String> records = FirehoseDeliveryTest.records("batch" + batch, 40);
            put(stream, records);
            sent.addAll(records);
            int objects = batch + 1;
            if (objects <= 3) {
                await().atMost(FirehoseDeliveryTest.WAIT).until(() -> writer.objects.get() >= objects);
            }
        }
        assertEquals(3, writer.objects.get(), "nothing written after the crash");
        String third = writer.crashedAfter.get();
        assertNotNull(third);
        Map<String, byte[]> beforeRestart = FirehoseDeliveryTest.objects(s3, bucket, "crash/");
        assertEquals(3, beforeRestart.size());
        first.close();

        Instance again = startWithIntentPending(crash, name, third);

        FirehoseDeliveryTest.assertSameRecordsOnce(sent,
                awaitLines(bucket, "crash/", sent.size(), FirehoseDeliveryTest::gunzip));
        Map<String, byte[]> afterRestart = FirehoseDeliveryTest.objects(s3, bucket, "crash/");
        // The third object was written again to its own key, byte for byte: no second object for its records.
        assertTrue(afterRestart.keySet().containsAll(beforeRestart.keySet()));
        beforeRestart.forEach((key, body) -> assertEquals(new String(FirehoseDeliveryTest.gunzip(body), StandardCharsets.UTF_8),
                new String(FirehoseDeliveryTest.gunzip(afterRestart.get(key)), StandardCharsets.UTF_8), key));
        assertNull(again.stream(name).intent());
        assertFalse(again.stream(name).checkpoints().isEmpty());
    }

    /** CreateDeliveryStream for records put directly, into {@code prefix} of the bucket. */
    static String directPut(String name, String bucket, Role role, String prefix, int intervalSeconds) {
        return "{\"DeliveryStreamName\":\"" + name + "\",\"DeliveryStreamType\":\"DirectPut\","
                + "\"ExtendedS3DestinationConfiguration\":{\"RoleARN\":\"" + role.arn() + "\",\"BucketARN\":\"arn:aws:s3:::"
                + bucket + "\",\"Prefix\":\"" + prefix + "\",\"ErrorOutputPrefix\":\"errors/!{firehose:error-output-type}/\","
                + "\"BufferingHints\":{\"SizeInMBs\":5,\"IntervalInSeconds\":" + intervalSeconds + "},"
                + "\"CompressionFormat\":\"UNCOMPRESSED\","
                + "\"ProcessingConfiguration\":{\"Enabled\":true,\"Processors\":[{\"Type\":\"AppendDelimiterToRecord\"}]}}}";
    }

    /** A role Firehose may take to write into the bucket (a DirectPut stream reads nothing). */
    Role writerRole(String bucket) {
        return new TestRoles(iam).create("fh-durable", DeliveryAccess.PRINCIPAL, TestRoles.writeObjects(bucket, ""));
    }

    /** A DirectPut delivery stream into a bucket of its own, ACTIVE, on the instance that made it. */
    record DirectStream(Instance instance, String bucket, String name) {
    }

    DirectStream directStream(Path data, S3WireClient writer, String prefix, int intervalSeconds) {
        String bucket = bucket();
        String name = FirehoseDeliveryTest.unique("fh-direct");
        Instance instance = new Instance(data, writer, true);
        instance.call("CreateDeliveryStream", directPut(name, bucket, writerRole(bucket), prefix, intervalSeconds));
        await().atMost(FirehoseDeliveryTest.WAIT).until(() -> instance.describe(name).contains("\"ACTIVE\""));
        return new DirectStream(instance, bucket, name);
    }

    /** PutRecordBatch, every record accepted. */
    static void putDirect(Instance instance, String name, List<String> records) {
        StringBuilder json = new StringBuilder("{\"DeliveryStreamName\":\"" + name + "\",\"Records\":[");
        for (int i = 0; i < records.size(); i++) {
            json.append(i == 0 ? "" : ",").append("{\"Data\":\"")
                    .append(Base64.getEncoder().encodeToString(records.get(i).getBytes(StandardCharsets.UTF_8))).append("\"}");
        }
        String answer = instance.call("PutRecordBatch", json.append("]}").toString());
        assertTrue(answer.contains("\"FailedPutCount\":0"), answer);
    }

    @Test
    void recordsPutDirectlyAndBufferedWhenTheProcessDiedAreDeliveredOnceAfterTheStart() {
        Path data = dir.resolve("data");
        // Buffered for up to 15 minutes: nothing reaches S3 before the crash.
        DirectStream direct = directStream(data, new S3WireClient(client), "direct/", 900);
        Instance first = direct.instance();
        String bucket = direct.bucket();
        String name = direct.name();
        List<String> sent = new ArrayList<>(FirehoseDeliveryTest.records("snapshot", 60));
        putDirect(first, name, sent);
        // These in the snapshot, the next ones in the log after it.
        first.storage.checkpoint();
        for (int batch = 0; batch < 3; batch++) {
            List<String> records = FirehoseDeliveryTest.records("log" + batch, 40);
            putDirect(first, name, records);
            sent.addAll(records);
        }
        // Each put was answered, so it was on disk: a kill -9 now.
        first.storage.awaitDurable();
        Path crash = DataDirs.crashCopy(data, dir.resolve("crash"));
        first.close();
        assertTrue(FirehoseDeliveryTest.objects(s3, bucket, "direct/").isEmpty(), "nothing was delivered before the crash");

        Instance crashed = new Instance(crash, new S3WireClient(client), true);
        List<String> after = FirehoseDeliveryTest.records("after", 25);
        putDirect(crashed, name, after);
        sent.addAll(after);
        // A clean stop writes what is buffered: the records from before the crash and after it, once each.
        crashed.stop();
        FirehoseDeliveryTest.assertSameRecordsOnce(sent, awaitLines(bucket, "direct/", sent.size(), UnaryOperator.identity()));

        // Delivered, they are dropped from the log's state: a third start has nothing left to write.
        Instance third = new Instance(crash, new S3WireClient(client), true);
        assertEquals(0, third.stream(name).direct().bytes());
        third.stop();
        FirehoseDeliveryTest.assertSameRecordsOnce(sent, awaitLines(bucket, "direct/", sent.size(), UnaryOperator.identity()));
    }

    @Test
    void aCrashAfterAnObjectOfDirectRecordsIsWrittenAndBeforeItsCheckpointLeavesEachRecordOnce() {
        Path data = dir.resolve("data");
        Path crash = dir.resolve("crash");
        CrashingWriter writer = new CrashingWriter(1, data, crash);
        DirectStream direct = directStream(data, writer, "direct-crash/", 0);
        Instance first = direct.instance();
        String bucket = direct.bucket();
        String name = direct.name();
        List<String> sent = new ArrayList<>(FirehoseDeliveryTest.records("first", 40));
        putDirect(first, name, sent);
        await().atMost(FirehoseDeliveryTest.WAIT).until(() -> writer.crashedAfter.get() != null);
        Map<String, byte[]> beforeRestart = FirehoseDeliveryTest.objects(s3, bucket, "direct-crash/");
        assertEquals(1, beforeRestart.size());
        first.close();

        Instance again = startWithIntentPending(crash, name, writer.crashedAfter.get());
        List<String> after = FirehoseDeliveryTest.records("after", 15);
        putDirect(again, name, after);
        sent.addAll(after);

        FirehoseDeliveryTest.assertSameRecordsOnce(sent,
                awaitLines(bucket, "direct-crash/", sent.size(), UnaryOperator.identity()));
        Map<String, byte[]> afterRestart = FirehoseDeliveryTest.objects(s3, bucket, "direct-crash/");
        // The object was written again to its own key, with the same bytes: no second copy of its records.
        beforeRestart.forEach((key, body) -> assertEquals(new String(body, StandardCharsets.UTF_8),
                new String(afterRestart.get(key), StandardCharsets.UTF_8), key));
        await().atMost(FirehoseDeliveryTest.WAIT).until(() -> again.stream(name).direct().bytes() == 0);
    }

    @Test
    void aDeliveryStreamDeletingWhenTheProcessDiedFinishesItsDeletionAfterTheStart() {
        faults.overrideDelay("firehose.delivery-stream-deletion", Duration.ofSeconds(3));
        String bucket = bucket();
        Role role = writerRole(bucket);
        String name = FirehoseDeliveryTest.unique("fh-deleting");
        Path data = dir.resolve("data");
        Instance first = new Instance(data, new S3WireClient(client), true);
        first.call("CreateDeliveryStream", "{\"DeliveryStreamName\":\"" + name + "\",\"ExtendedS3DestinationConfiguration\":"
                + "{\"RoleARN\":\"" + role.arn() + "\",\"BucketARN\":\"arn:aws:s3:::" + bucket + "\"}}");
        await().atMost(FirehoseDeliveryTest.WAIT).until(() -> first.describe(name).contains("\"ACTIVE\""));
        first.call("DeleteDeliveryStream", "{\"DeliveryStreamName\":\"" + name + "\"}");
        first.storage.awaitDurable();
        Path crash = DataDirs.crashCopy(data, dir.resolve("crash"));
        first.close();

        Instance again = new Instance(crash, new S3WireClient(client), true);
        assertTrue(again.describe(name).contains("\"DeliveryStreamStatus\":\"DELETING\""), again.describe(name));
        await().atMost(FirehoseDeliveryTest.WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> !again.call("ListDeliveryStreams", "{}").contains(name));
        again.stop();
        Instance later = new Instance(crash, new S3WireClient(client), false);
        assertFalse(later.call("ListDeliveryStreams", "{}").contains(name), "its removal is logged");
    }

    @Test
    void theFormatOneFixtureIsReadAsItWasWritten() {
        Path data = DataDirs.crashCopy(Path.of("src/test/resources/storage/v1-firehose"), dir.resolve("v1"));
        Instance v1 = new Instance(data, new S3WireClient(client), false);
        DeliveryStream clicks = v1.stream("clicks");
        String description = v1.describe("clicks");
        for (String expected : new String[] { "\"VersionId\":\"2\"", "\"Prefix\":\"clicks/v2/\"",
                "\"KinesisStreamARN\":\"" + FirehoseFixtures.SOURCE + "\"", "\"CompressionFormat\":\"GZIP\"",
                "\"SizeInMBs\":1", "\"IntervalInSeconds\":60", "\"ErrorOutputPrefix\":\"errors/!{firehose:error-output-type}/\"",
                "\"Enabled\":true,\"LogGroupName\":\"/firehose\"", "\"CustomTimeZone\":\"Europe/Paris\"" }) {
            assertTrue(description.contains(expected), expected + " in " + description);
        }
        assertEquals(new TreeMap<>(Map.of("owner", "ops", "team", "web")), new TreeMap<>(clicks.tags()));
        assertEquals(FirehoseFixtures.CHECKPOINTS, clicks.checkpoints());
        assertEquals(FirehoseFixtures.INTENT, clicks.intent());
        assertTrue(v1.call("ListDeliveryStreams", "{}").contains("\"DeliveryStreamNames\":[\"clicks\"]"),
                "the stream deleted before the fixture was closed is gone");
    }
}
