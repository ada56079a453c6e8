package dev.clicklog.localaws.s3;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.clicklog.localaws.storage.Durability;
import dev.clicklog.localaws.storage.Storage;

/**
 * Writes {@code src/test/resources/storage/v1-s3}: S3's store as its first format (codec version 1
 * of {@code s3}, storage format 1) wrote it, with the object bodies it names, read back by
 * {@link S3DurabilityTest} so that every later format keeps reading it. Run once per new format
 * version, never over an existing fixture.
 */
final class S3StoreFixtures {

    /** When bucket "archive" of the committed fixture was created. */
    static final String ARCHIVE_CREATED = "2026-12-07T00:00:46.294Z";

    /** The size of the fixture's parts (small: the completed upload has one part). */
    static final int PART = 1000;

    private S3StoreFixtures() {
    }

    public static void main(String[] args) {
        Path target = Path.of(args.length > 0 ? args[0] : "src/test/resources/storage/v1-s3");
        if (Files.exists(target)) {
            throw new IllegalStateException(target + " exists: fixtures of a released format are never rewritten");
        }
        Storage storage = new Storage(Storage.Settings.of(target, Durability.FSYNC));
        S3Service s3 = new S3Service(S3DurabilityTest.config(), storage);
        storage.ready();
        S3DurabilityTest.writeState(new S3DurabilityTest.Open(storage, s3, new MultipartUploads(s3), new LifecycleSweeper(s3)), PART);
        System.out.println("ARCHIVE_CREATED = " + s3.bucket("archive").created);
        storage.close();
    }
}
