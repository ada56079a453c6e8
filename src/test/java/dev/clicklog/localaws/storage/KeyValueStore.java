package dev.clicklog.localaws.storage;

import java.util.Map;
import java.util.TreeMap;

/**
 * The simplest store a service could keep: keys and values, changed by puts and removals,
 * recorded through a journal exactly as the services do it.
 */
final class KeyValueStore {

    sealed interface Change permits Put, Removed {
    }

    record Put(String key, String value) implements Change {
    }

    record Removed(String key) implements Change {
    }

    static final String NAME = "keyvalue";

    private final TreeMap<String, String> values = new TreeMap<>();
    private final Journal<Change> journal;

    KeyValueStore(Storage storage) {
        this(storage, NAME);
    }

    KeyValueStore(Storage storage, String name) {
        journal = storage.journal(name, JsonCodec.of(Change.class, 1), this, this::apply,
                out -> values.forEach((k, v) -> out.accept(new Put(k, v))));
    }

    synchronized void put(String key, String value) {
        journal.record(new Put(key, value));
    }

    synchronized void remove(String key) {
        if (values.containsKey(key)) {
            journal.record(new Removed(key));
        }
    }

    synchronized Map<String, String> snapshot() {
        return new TreeMap<>(values);
    }

    private void apply(Change change) {
        if (change instanceof Put p) {
            values.put(p.key(), p.value());
        } else if (change instanceof Removed r) {
            values.remove(r.key());
        }
    }
}
