package dev.clicklog.localaws.storage;

import java.util.function.Consumer;

/**
 * Emits changes that rebuild a store's whole state from nothing (one "put" per role, per metric
 * minute, …): a snapshot is just those changes, replayed through the same {@code apply} as the log.
 * Called in the background; for a store with a monitor, while holding it.
 */
@FunctionalInterface
public interface Snapshotter<E> {

    void snapshot(Consumer<E> out);
}
