package dev.clicklog.localaws.logs;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.clicklog.localaws.storage.Durability;
import dev.clicklog.localaws.storage.Storage;

/**
 * Writes {@code src/test/resources/storage/v1-logs}: CloudWatch Logs' store as its first format
 * (codec version 1, storage format 1) wrote it, read back by {@link LogsDurabilityTest} so that every
 * later format keeps reading it. Run once per new format version, never over an existing fixture.
 */
final class LogsFixtures {

    private LogsFixtures() {
    }

    public static void main(String[] args) {
        Path target = Path.of(args.length > 0 ? args[0] : "src/test/resources/storage/v1-logs");
        if (Files.exists(target)) {
            throw new IllegalStateException(target + " exists: fixtures of a released format are never rewritten");
        }
        Storage storage = new Storage(Storage.Settings.of(target, Durability.FSYNC));
        LogsDurabilityTest.writeState(LogsDurabilityTest.open(storage), storage);
        storage.close();
    }
}
