package dev.clicklog.localaws.firehose;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * The records gathered for the next S3 object, concatenated in the order they were read, and what
 * the object will need: the oldest arrival time (for its key and DataFreshness) and the last
 * sequence number taken from each source shard (for the checkpoint once it is written).
 */
final class ObjectBuffer {

    /** A sealed buffer: one object ready to be written (and rewritten, unchanged, until it is). */
    record PendingObject(String bucket, String key, byte[] body, int records, long recordBytes, Instant oldestArrival,
            Map<String, String> lastSequenceByShard) {
    }

    private ByteArrayOutputStream payload = new ByteArrayOutputStream();
    private int records;
    private long recordBytes;
    private Instant oldestArrival;
    private long openedAtNanos;
    private Map<String, String> lastSequenceByShard = new LinkedHashMap<>();

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

    /** Appends a record; {@code shardId} and {@code sequenceNumber} are null for records put directly. */
    void add(byte[] data, boolean delimiter, Instant arrival, String shardId, String sequenceNumber, long nowNanos) {
        if (records == 0) {
            openedAtNanos = nowNanos;
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
                lastSequenceByShard);
        payload = new ByteArrayOutputStream();
        records = 0;
        recordBytes = 0;
        oldestArrival = null;
        lastSequenceByShard = new LinkedHashMap<>();
        return object;
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
