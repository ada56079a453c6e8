package dev.clicklog.localaws.firehose;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

import dev.clicklog.localaws.firehose.FirehoseChange.DirectRecord;

/**
 * The records put directly into a delivery stream (PutRecord/PutRecordBatch) and not yet in S3, by
 * sequence number: the source a DirectPut delivery reads, as a Kinesis one reads its shards. Every
 * put is logged before it is answered and the records leave only once the object holding them is
 * written, so what was buffered when the process died is delivered after the start, once.
 */
final class DirectBacklog {

    /** The key of this source in a delivery stream's checkpoints and in an object's runs. */
    static final String SOURCE = "DirectPut";
    /** At most this much of the backlog in one logged change of a snapshot. */
    private static final long SNAPSHOT_CHUNK_BYTES = 4L * 1024 * 1024;

    private final ConcurrentSkipListMap<Long, DirectRecord> records = new ConcurrentSkipListMap<>();
    private final AtomicLong bytes = new AtomicLong();
    /** The last sequence number given; also past records already delivered. */
    private volatile long last;

    /** The sequence number the next put's first record gets. */
    long next() {
        return last + 1;
    }

    /** Adds the records of one put, numbered from {@code first}. */
    synchronized void add(long first, List<DirectRecord> put) {
        long seq = first;
        for (DirectRecord r : put) {
            if (records.putIfAbsent(seq, r) == null) {
                bytes.addAndGet(r.data().length);
            }
            seq++;
        }
        last = Math.max(last, seq - 1);
    }

    /** The records after {@code sequence}, in order. */
    NavigableMap<Long, DirectRecord> after(long sequence) {
        return records.tailMap(sequence, false);
    }

    /** The records after {@code from} up to {@code to}, in order; null when some of them are not held. */
    List<byte[]> between(long from, long to) {
        NavigableMap<Long, DirectRecord> run = after(from).headMap(to, true);
        return run.size() == to - from ? run.values().stream().map(DirectRecord::data).toList() : null;
    }

    /** Drops the records up to {@code sequence}: they are in S3. */
    synchronized void delivered(long sequence) {
        NavigableMap<Long, DirectRecord> done = records.headMap(sequence, true);
        for (DirectRecord r : done.values()) {
            bytes.addAndGet(-r.data().length);
        }
        done.clear();
        last = Math.max(last, sequence);
    }

    /** Bytes held: puts are refused past a bound, so memory stays bounded. */
    long bytes() {
        return bytes.get();
    }

    /** Hands the records held to {@code out} as puts of at most a few MiB each (for a snapshot). */
    synchronized void forEachPut(BiConsumer<Long, List<DirectRecord>> out) {
        long first = -1;
        long size = 0;
        List<DirectRecord> put = new ArrayList<>();
        for (Map.Entry<Long, DirectRecord> e : records.entrySet()) {
            if (!put.isEmpty() && (e.getKey() != first + put.size() || size >= SNAPSHOT_CHUNK_BYTES)) {
                out.accept(first, put);
                put = new ArrayList<>();
                size = 0;
            }
            if (put.isEmpty()) {
                first = e.getKey();
            }
            put.add(e.getValue());
            size += e.getValue().data().length;
        }
        if (!put.isEmpty()) {
            out.accept(first, put);
        }
    }

    /** The sequence number a checkpoint value stands for (0 when none). */
    static long sequence(String checkpoint) {
        return checkpoint == null ? 0 : Long.parseLong(checkpoint);
    }
}
