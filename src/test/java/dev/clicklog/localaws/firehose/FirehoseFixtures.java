package dev.clicklog.localaws.firehose;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.clicklog.localaws.firehose.FirehoseChange.ObjectDelivered;
import dev.clicklog.localaws.firehose.FirehoseChange.ObjectIntended;
import dev.clicklog.localaws.firehose.FirehoseChange.ObjectIntent;
import dev.clicklog.localaws.firehose.FirehoseChange.ObjectIntent.Run;
import dev.clicklog.localaws.firehose.FirehoseChange.StreamPut;
import dev.clicklog.localaws.firehose.FirehoseChange.StreamRemoved;
import dev.clicklog.localaws.firehose.FirehoseChange.StreamState;
import dev.clicklog.localaws.storage.Durability;
import dev.clicklog.localaws.storage.Journal;
import dev.clicklog.localaws.storage.JsonCodec;
import dev.clicklog.localaws.storage.Storage;

/**
 * Writes {@code src/test/resources/storage/v1-firehose}: Firehose's store as its first format
 * (codec version 1 of {@code firehose}, storage format 1) wrote it, read back by
 * {@link FirehoseDurabilityTest} so that every later format keeps reading it. Run once per new
 * format version, never over an existing fixture.
 */
final class FirehoseFixtures {

    static final String SOURCE = "arn:aws:kinesis:us-east-1:000000000000:stream/clicks";
    static final String ROLE = "arn:aws:iam::000000000000:role/clicks-delivery";
    static final Instant CREATED = Instant.parse("2026-12-06T23:00:00.123Z");
    /** Where the fixture's delivery stream "clicks" has delivered to. */
    static final Map<String, String> CHECKPOINTS = new TreeMap<>(Map.of(
            "shardId-000000000000", "49658436402811110000000000000000000000000000000000000002",
            "shardId-000000000001", "49658436402811110000000000000000000000000000000000000107"));
    /** The object "clicks" was writing when the fixture was closed. */
    static final ObjectIntent INTENT = new ObjectIntent("clicks-bucket",
            "clicks/v2/clicks-2-2026-12-07-00-00-01-0d9c6c4e-8d4e-4b0e-9a53-0f7e3c1f8f11.gz", true, true,
            List.of(new Run("shardId-000000000000", 3), new Run("shardId-000000000001", 2),
                    new Run("shardId-000000000000", 1)),
            Map.of("shardId-000000000000", "49658436402811110000000000000000000000000000000000000006",
                    "shardId-000000000001", "49658436402811110000000000000000000000000000000000000109"));

    private FirehoseFixtures() {
    }

    public static void main(String[] args) {
        Path target = Path.of(args.length > 0 ? args[0] : "src/test/resources/storage/v1-firehose");
        if (Files.exists(target)) {
            throw new IllegalStateException(target + " exists: fixtures of a released format are never rewritten");
        }
        Storage storage = new Storage(Storage.Settings.of(target, Durability.FSYNC));
        Map<String, StreamState> streams = new TreeMap<>();
        Object lock = new Object();
        Journal<FirehoseChange> journal = storage.journal(FirehoseChange.STORE,
                JsonCodec.of(FirehoseChange.class, FirehoseChange.VERSION), lock, change -> {
                    if (change instanceof StreamPut put) {
                        streams.put(put.stream().name(), put.stream());
                    } else if (change instanceof StreamRemoved removed) {
                        streams.remove(removed.name());
                    }
                }, out -> streams.values().forEach(s -> out.accept(new StreamPut(s))));
        storage.ready();
        S3Destination v1 = new S3Destination(ROLE, "arn:aws:s3:::clicks-bucket", "clicks/",
                "errors/!{firehose:error-output-type}/", 1, 60, "GZIP",
                new S3Destination.Processing(true, List.of(new S3Destination.Processor("AppendDelimiterToRecord", null))),
                new S3Destination.Logging(true, "/firehose", "s3"), null, "Europe/Paris");
        StreamState clicks = new StreamState("clicks", "us-east-1", "arn:aws:firehose:us-east-1:000000000000:deliverystream/clicks",
                DeliveryStream.KINESIS_SOURCE, new KinesisSource(SOURCE, ROLE), null, v1, Map.of("team", "web"), CREATED,
                CREATED.plusMillis(200), 1, null, null, Map.of(), null);
        StreamState gone = new StreamState("gone", "us-east-1", "arn:aws:firehose:us-east-1:000000000000:deliverystream/gone",
                DeliveryStream.DIRECT_PUT, null, 5, v1, Map.of(), CREATED, CREATED, 1, null, null, Map.of(), null);
        synchronized (lock) {
            journal.record(new StreamPut(clicks));
            journal.record(new StreamPut(gone));
        }
        storage.checkpoint();
        synchronized (lock) {
            S3Destination v2 = new S3Destination(ROLE, "arn:aws:s3:::clicks-bucket", "clicks/v2/",
                    v1.errorOutputPrefix(), 1, 60, "GZIP", v1.processing(), v1.logging(), null, "Europe/Paris");
            journal.record(new StreamPut(clicks.withDestination(v2, CREATED.plusSeconds(60))
                    .withTags(Map.of("team", "web", "owner", "ops"))));
            ObjectIntent first = new ObjectIntent("clicks-bucket",
                    "clicks/v2/clicks-2-2026-12-07-00-00-00-6f1d2c3b-1f0e-4d2a-8b7c-2e5d4c3b2a19.gz", true, true,
                    List.of(new Run("shardId-000000000000", 3), new Run("shardId-000000000001", 108)), CHECKPOINTS);
            journal.record(new ObjectIntended("us-east-1", "clicks", CREATED, first));
            journal.record(new ObjectDelivered("us-east-1", "clicks", CREATED, CHECKPOINTS));
            journal.record(new ObjectIntended("us-east-1", "clicks", CREATED, INTENT));
            journal.record(new StreamRemoved("us-east-1", "gone", CREATED));
        }
        storage.close();
        try {
            Files.deleteIfExists(target.resolve("LOCK"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Storage.deleteTree(target.resolve("tmp"), true);
    }
}
