package dev.clicklog.localaws.firehose;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import dev.clicklog.localaws.firehose.FirehoseChange.ObjectIntent;
import dev.clicklog.localaws.firehose.FirehoseChange.ObjectIntent.Run;

/**
 * The records gathered for the next S3 object, concatenated in the order they were read, and what
 * the object will need: the oldest arrival time (for its key and DataFreshness) and the last
 * sequence number taken from each source shard (for the checkpoint once it is written), and the
 * runs of records per shard in the order read (so that the object can be made again from its source).
 */
final class ObjectBuffer {

    /** A sealed buffer: one object ready to be written (and rewritten, unchanged, until it is). */
    record PendingObject(String bucket, String key, byte[] body, int records, long recordBytes, Instant oldestArrival,
            Map<String, String> lastSequenceByShard, boolean gzip, boolean delimiter, List<Run> runs) {

        /** What the journal logs before the object is written; null for records put directly (no source to read again). */
        ObjectIntent intent() {
            return runs.isEmpty() ? null : new ObjectIntent(bucket, key, gzip, delimiter, runs, lastSequenceByShard);
        }
    }

    private ByteArrayOutputStream payload = new ByteArrayOutputStream();
    private int records;
    private long recordBytes;
    private Instant oldestArrival;
    private long openedAtNanos;
    private Map<String, String> lastSequenceByShard = new LinkedHashMap<>();
    private List<Run> runs = new ArrayList<>();
    private boolean delimiter;

    boolean isEmpty() {
        return records == 0;
    }

    int records() {
        return records;
    }

    /** Bytes the object will hold before compression: Firehose applies SizeInMBs before compressing. */
    long size() {
        return payload.size();
    }

    /** The arrival of the oldest record: the time an object's key is made from. */
    Instant oldestArrival() {
        return oldestArrival;
    }

    /** Whether a newline follows each record of this buffer (as the first record was added). */
    boolean delimiter() {
        return delimiter;
    }

    /** Appends a record; {@code shardId} and {@code sequenceNumber} are null for records put directly. */
    void add(byte[] data, boolean delimiter, Instant arrival, String shardId, String sequenceNumber, long nowNanos) {
        if (records == 0) {
            openedAtNanos = nowNanos;
            this.delimiter = delimiter;
        }
        payload.writeBytes(data);
        if (delimiter) {
            payload.write('\n');
        }
        records++;
        recordBytes += data.length;
        if (oldestArrival == null || arrival.isBefore(oldestArrival)) {
            oldestArrival = arrival;
        }
        if (shardId != null) {
            lastSequenceByShard.put(shardId, sequenceNumber);
            int last = runs.size() - 1;
            if (last >= 0 && runs.get(last).shardId().equals(shardId)) {
                runs.set(last, new Run(shardId, runs.get(last).records() + 1));
            } else {
                runs.add(new Run(shardId, 1));
            }
        }
    }

    /** IntervalInSeconds has passed since the first record came in (0: always, deliver at once). */
    boolean due(long nowNanos, int intervalSeconds) {
        return !isEmpty() && nowNanos - openedAtNanos >= intervalSeconds * 1_000_000_000L;
    }

    /** Turns the buffer into an object under {@code key} and starts an empty one. */
    PendingObject seal(String bucket, String key, boolean gzip) {
        byte[] body = gzip ? gzip(payload) : payload.toByteArray();
        PendingObject object = new PendingObject(bucket, key, body, records, recordBytes, oldestArrival,
                lastSequenceByShard, gzip, delimiter, List.copyOf(runs));
        payload = new ByteArrayOutputStream();
        records = 0;
        recordBytes = 0;
        oldestArrival = null;
        lastSequenceByShard = new LinkedHashMap<>();
        runs = new ArrayList<>();
        return object;
    }

    /** An object's body from its records' data, as {@link #seal} makes it (what a redone intent writes). */
    static byte[] body(List<byte[]> data, boolean delimiter, boolean gzip) {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        for (byte[] d : data) {
            payload.writeBytes(d);
            if (delimiter) {
                payload.write('\n');
            }
        }
        return gzip ? gzip(payload) : payload.toByteArray();
    }

    private static byte[] gzip(ByteArrayOutputStream payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, payload.size() / 4));
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            payload.writeTo(gz);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
