package dev.clicklog.localaws.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes the committed format fixtures under {@code src/test/resources/storage/}: data directories
 * as this code wrote them in format version 1, read back by {@link StorageTest} so that every later
 * format keeps reading them. Run once per new format version, never to overwrite an old one:
 * {@code java -cp target/test-classes:target/classes:… dev.clicklog.localaws.storage.StorageFixtures}.
 */
final class StorageFixtures {

    /** What the v1 key-value fixture holds: a snapshot with earlier changes, the log with later ones. */
    static final Map<String, String> KEY_VALUE_EXPECTED = new TreeMap<>(Map.of(
            "alpha", "1",
            "beta", "changed after the snapshot",
            "delta", "only in the log",
            "unicode", "caf\u00e9 \u6f22\u5b57"));

    private StorageFixtures() {
    }

    public static void main(String[] args) throws IOException {
        Path target = Path.of(args.length > 0 ? args[0] : "src/test/resources/storage/v1-keyvalue");
        if (Files.exists(target)) {
            throw new IllegalStateException(target + " exists: fixtures of a released format are never rewritten");
        }
        Storage storage = new Storage(Storage.Settings.of(target, Durability.FSYNC));
        KeyValueStore store = new KeyValueStore(storage);
        storage.ready();
        store.put("alpha", "1");
        store.put("beta", "2");
        store.put("gamma", "removed after the snapshot");
        store.put("unicode", "caf\u00e9 \u6f22\u5b57");
        storage.checkpoint();
        store.put("beta", "changed after the snapshot");
        store.remove("gamma");
        store.put("delta", "only in the log");
        storage.close();
        Files.deleteIfExists(target.resolve("LOCK"));
        Storage.deleteTree(target.resolve("tmp"), true);
    }
}
