package dev.clicklog.localaws.kinesis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import dev.clicklog.localaws.storage.Durability;
import dev.clicklog.localaws.storage.Storage;
import io.vertx.core.Vertx;

/**
 * Writes {@code src/test/resources/storage/v1-kinesis}: Kinesis' stores as their first format
 * (codec version 1 of {@code kinesis} and {@code kinesis-records}, storage format 1, record files
 * of format 1) wrote them, read back by {@link KinesisDurabilityTest} so that every later format
 * keeps reading them. Run once per new format version, never over an existing fixture.
 */
final class KinesisFixtures {

    /** When stream "clicks" of the committed fixture was created: its sequence numbers carry it. */
    static final long CLICKS_CREATED = 1_796_595_030_058L;

    private KinesisFixtures() {
    }

    public static void main(String[] args) {
        Path target = Path.of(args.length > 0 ? args[0] : "src/test/resources/storage/v1-kinesis");
        if (Files.exists(target)) {
            throw new IllegalStateException(target + " exists: fixtures of a released format are never rewritten");
        }
        Vertx vertx = Vertx.vertx();
        Storage storage = new Storage(Storage.Settings.of(target, Durability.FSYNC));
        KinesisService kinesis = KinesisDurabilityTest.service(Duration.ZERO, 64L << 20, vertx, storage);
        storage.ready();
        kinesis.resume();
        writeFixtureState(kinesis, storage);
        System.out.println("CLICKS_CREATED = " + kinesis.stream(new KinesisService.StreamRef("clicks", null)).createdMillis);
        kinesis.stop();
        storage.close();
        vertx.close();
    }

    /**
     * Stream "clicks": 2 shards and 100 records in the snapshot; then, in the log only, a reshard to
     * 3 shards, 50 more records, retention 48 hours and a tag; stream "gone" created and deleted.
     */
    static void writeFixtureState(KinesisService kinesis, Storage storage) {
        kinesis.createStream("clicks", 2, null, Map.of("team", "web"), null, null, "us-east-1");
        KinesisDurabilityTest.put(kinesis, "clicks", 0, 100);
        storage.checkpoint();
        kinesis.updateShardCount(new KinesisService.StreamRef("clicks", null), 3, "us-east-1");
        KinesisDurabilityTest.put(kinesis, "clicks", 100, 150);
        kinesis.increaseRetention(new KinesisService.StreamRef("clicks", null), 48);
        kinesis.addTags(new KinesisService.StreamRef("clicks", null), Map.of("owner", "ops"));
        kinesis.createStream("gone", 1, null, Map.of(), null, null, "us-east-1");
        kinesis.deleteStream(new KinesisService.StreamRef("gone", null));
    }
}
