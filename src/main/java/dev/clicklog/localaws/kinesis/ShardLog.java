package dev.clicklog.localaws.kinesis;

import java.io.IOException;
import java.util.Arrays;

/**
 * The records of one shard, stored compactly: chunks of up to {@value #CHUNK_RECORDS} records whose
 * partition keys and data sit back to back in one byte array, with arrival times and offsets in
 * primitive arrays. No object per record; whole chunks are dropped once they fall out of the
 * retention period, so memory is bounded by retention.
 * <p>
 * One writer at a time (the caller serialises {@link #add} and {@link #publish}, the shard's lock);
 * readers never lock: they see every record below the volatile {@link #end()} they read first.
 * Records are addressed by their absolute index in the shard, which never changes.
 */
final class ShardLog {

    static final int CHUNK_RECORDS = 1024;
    private static final int FIRST_RECORDS = 64;
    private static final int FIRST_BYTES = 8 * 1024;
    /** A chunk grows its byte array up to this; a single larger record gets a chunk of its own size. */
    private static final int MAX_CHUNK_BYTES = 1024 * 1024;

    /** Receives records as they are read: the key and the data are slices of {@code bytes}. */
    @FunctionalInterface
    interface RecordVisitor {
        void record(long index, long arrivalMillis, byte[] bytes, int keyOffset, int keyLength, int dataLength)
                throws IOException;
    }

    /**
     * Column arrays of one chunk. Replaced as a whole when the chunk grows, so a reader holding an
     * older instance still finds every record it may see there.
     */
    private static final class Columns {
        final long[] arrival;
        /** Offset in {@link #bytes} just past record k; record k starts where record k-1 ends. */
        final int[] end;
        final short[] keyLength;
        final byte[] bytes;

        Columns(int records, int bytes) {
            this(new long[records], new int[records], new short[records], new byte[bytes]);
        }

        Columns(long[] arrival, int[] end, short[] keyLength, byte[] bytes) {
            this.arrival = arrival;
            this.end = end;
            this.keyLength = keyLength;
            this.bytes = bytes;
        }

        int start(int k) {
            return k == 0 ? 0 : end[k - 1];
        }
    }

    private static final class Chunk {
        final long firstIndex;
        volatile Columns columns;
        /** Writer-side state. */
        int count;
        int used;

        Chunk(long firstIndex, int bytes) {
            this.firstIndex = firstIndex;
            this.columns = new Columns(FIRST_RECORDS, bytes);
        }
    }

    private volatile Chunk[] chunks = new Chunk[0];
    private volatile long end;
    /** Writer-side: the index the next record gets, and the latest arrival time (arrivals never go back). */
    private long next;
    private long lastArrival;

    /** How many records were ever appended; the index the next record gets once published. */
    long end() {
        return end;
    }

    /** Appends one record (not yet visible to readers) and returns its index. */
    long add(long nowMillis, byte[] key, byte[] data) {
        int size = key.length + data.length;
        Chunk tail = tailWithRoom(size);
        Columns c = tail.columns;
        int k = tail.count;
        if (k == c.arrival.length || tail.used + size > c.bytes.length) {
            c = grow(tail, c, size);
        }
        System.arraycopy(key, 0, c.bytes, tail.used, key.length);
        System.arraycopy(data, 0, c.bytes, tail.used + key.length, data.length);
        tail.used += size;
        c.end[k] = tail.used;
        c.keyLength[k] = (short) key.length;
        lastArrival = Math.max(lastArrival, nowMillis);
        c.arrival[k] = lastArrival;
        tail.count = k + 1;
        return next++;
    }

    /** Makes every added record visible to readers. */
    void publish() {
        end = next;
    }

    /** Drops the chunks whose every record arrived before {@code cutoffMillis}. Writer side. */
    void trim(long cutoffMillis) {
        Chunk[] cs = chunks;
        int drop = 0;
        while (drop < cs.length) {
            Chunk c = cs[drop];
            if (c.count > 0 && c.columns.arrival[c.count - 1] >= cutoffMillis) {
                break;
            }
            drop++;
        }
        if (drop > 0) {
            chunks = Arrays.copyOfRange(cs, drop, cs.length);
        }
    }

    /** The oldest record still kept and not older than {@code cutoffMillis} (or {@link #end()}). */
    long firstRetained(long cutoffMillis) {
        return firstArrivedAtOrAfter(cutoffMillis);
    }

    /** The first record (kept) that arrived at or after the given time, or {@link #end()} if none. */
    long firstArrivedAtOrAfter(long millis) {
        long e = end;
        Chunk[] cs = chunks;
        int lo = 0;
        int hi = cs.length - 1;
        // The last chunk whose first record arrived before the time holds the answer, or its successor.
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (visible(cs, mid, e) > 0 && cs[mid].columns.arrival[0] < millis) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (found < 0) {
            return cs.length == 0 ? e : Math.min(cs[0].firstIndex, e);
        }
        Chunk c = cs[found];
        long[] arrival = c.columns.arrival;
        int n = visible(cs, found, e);
        int a = 0;
        int b = n;
        while (a < b) {
            int mid = (a + b) >>> 1;
            if (arrival[mid] < millis) {
                a = mid + 1;
            } else {
                b = mid;
            }
        }
        return c.firstIndex + a;
    }

    /** The arrival time of a kept record, or -1 when it is not (or no longer) kept. */
    long arrival(long index) {
        long e = end;
        Chunk[] cs = chunks;
        int ci = chunkOf(cs, index);
        if (ci < 0 || index >= e || index < cs[ci].firstIndex) {
            return -1;
        }
        return cs[ci].columns.arrival[(int) (index - cs[ci].firstIndex)];
    }

    /**
     * Visits records from {@code from} on (or from the oldest kept one, if older ones were
     * dropped): at most {@code maxRecords}, and no more bytes than {@code maxBytes} except that the
     * first record is always visited. Returns the index after the last record visited.
     */
    long read(long from, int maxRecords, long maxBytes, RecordVisitor visitor) throws IOException {
        long e = end;
        Chunk[] cs = chunks;
        if (cs.length == 0 || from >= e) {
            return Math.max(from, Math.min(e, cs.length == 0 ? e : cs[0].firstIndex));
        }
        long position = Math.max(from, cs[0].firstIndex);
        int ci = chunkOf(cs, position);
        int records = 0;
        long bytes = 0;
        while (ci < cs.length && position < e && records < maxRecords) {
            Chunk chunk = cs[ci];
            Columns c = chunk.columns;
            int n = visible(cs, ci, e);
            for (int k = (int) (position - chunk.firstIndex); k < n && records < maxRecords; k++) {
                int start = c.start(k);
                int size = c.end[k] - start;
                if (records > 0 && bytes + size > maxBytes) {
                    return position;
                }
                visitor.record(position, c.arrival[k], c.bytes, start, c.keyLength[k], size - c.keyLength[k]);
                records++;
                bytes += size;
                position++;
            }
            ci++;
        }
        return position;
    }

    /** Records currently kept in memory (for tests of trimming). */
    long retainedRecords() {
        long e = end;
        Chunk[] cs = chunks;
        return cs.length == 0 ? 0 : e - cs[0].firstIndex;
    }

    private Chunk tailWithRoom(int size) {
        Chunk[] cs = chunks;
        Chunk tail = cs.length == 0 ? null : cs[cs.length - 1];
        if (tail != null && tail.count < CHUNK_RECORDS && tail.used + size <= Math.max(MAX_CHUNK_BYTES, tail.columns.bytes.length)) {
            return tail;
        }
        Chunk chunk = new Chunk(next, Math.max(FIRST_BYTES, size));
        Chunk[] grown = Arrays.copyOf(cs, cs.length + 1);
        grown[cs.length] = chunk;
        chunks = grown;
        return chunk;
    }

    private static Columns grow(Chunk chunk, Columns c, int size) {
        int records = c.arrival.length;
        if (chunk.count == records) {
            records = Math.min(CHUNK_RECORDS, records * 2);
        }
        int bytes = Math.max(chunk.used + size, Math.min(MAX_CHUNK_BYTES, c.bytes.length * 2));
        Columns grown = new Columns(Arrays.copyOf(c.arrival, records), Arrays.copyOf(c.end, records),
                Arrays.copyOf(c.keyLength, records), Arrays.copyOf(c.bytes, bytes));
        chunk.columns = grown;
        return grown;
    }

    /** Records of chunk {@code ci} below {@code e}: up to the next chunk's first index. */
    private static int visible(Chunk[] cs, int ci, long e) {
        long limit = ci + 1 < cs.length ? Math.min(cs[ci + 1].firstIndex, e) : e;
        return (int) Math.max(0, limit - cs[ci].firstIndex);
    }

    /** The chunk holding the index (the first one when the index was dropped), or -1 when empty. */
    private static int chunkOf(Chunk[] cs, long index) {
        int lo = 0;
        int hi = cs.length - 1;
        int found = cs.length == 0 ? -1 : 0;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (cs[mid].firstIndex <= index) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }
}
