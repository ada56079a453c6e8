package dev.clicklog.localaws.storage;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Blocks of record segment files recently read, least recently used first out, within a byte
 * budget shared by every {@link RecordLog} that uses it: however many records the logs hold on
 * disk, the heap holds at most this much of them (plus each log's small sparse index).
 */
public final class BlockCache {

    /** Blocks are this large (the last one of a segment may be shorter). */
    static final int BLOCK = 64 * 1024;

    private record Key(long segment, long block) {
    }

    private final long maxBytes;
    private final LinkedHashMap<Key, byte[]> blocks = new LinkedHashMap<>(256, 0.75f, true);
    private long bytes;
    private long hits;
    private long misses;

    public BlockCache(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    synchronized byte[] get(long segment, long block) {
        byte[] b = blocks.get(new Key(segment, block));
        if (b == null) {
            misses++;
        } else {
            hits++;
        }
        return b;
    }

    synchronized void put(long segment, long block, byte[] data) {
        byte[] previous = blocks.put(new Key(segment, block), data);
        bytes += data.length - (previous == null ? 0 : previous.length);
        var it = blocks.entrySet().iterator();
        while (bytes > maxBytes && it.hasNext()) {
            Map.Entry<Key, byte[]> eldest = it.next();
            bytes -= eldest.getValue().length;
            it.remove();
        }
    }

    /** Drops a deleted segment's blocks. */
    synchronized void forget(long segment) {
        var it = blocks.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Key, byte[]> e = it.next();
            if (e.getKey().segment() == segment) {
                bytes -= e.getValue().length;
                it.remove();
            }
        }
    }

    /** Bytes held now; never more than the budget once a put returned. */
    public synchronized long bytes() {
        return bytes;
    }

    public long maxBytes() {
        return maxBytes;
    }

    public synchronized long hits() {
        return hits;
    }

    public synchronized long misses() {
        return misses;
    }
}
