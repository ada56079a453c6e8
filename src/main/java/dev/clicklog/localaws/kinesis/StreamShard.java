package dev.clicklog.localaws.kinesis;

import java.math.BigInteger;

/**
 * One shard of a stream: its hash-key range, its sequence-number prefix, its records and, when
 * limits are enforced, its per-second throughput accounting.
 */
final class StreamShard {

    /** AWS's per-shard limits: writes of 1 MiB or 1,000 records per second, 5 reads per second. */
    static final int WRITE_RECORDS_PER_SECOND = 1000;
    static final long WRITE_BYTES_PER_SECOND = 1024 * 1024;
    static final int READS_PER_SECOND = 5;

    final int index;
    final String shardId;
    final HashKey startingHashKey;
    final HashKey endingHashKey;
    final byte[] sequencePrefix;
    final ShardLog log = new ShardLog();

    /** Records from this index on were written while the stream was encrypted. */
    private volatile long encryptedFrom = Long.MAX_VALUE;

    // Throughput windows of the current second; guarded by this shard's lock.
    private long writeSecond;
    private int writeRecords;
    private long writeBytes;
    private long readSecond;
    private int reads;

    StreamShard(int index, HashKey startingHashKey, HashKey endingHashKey, long streamCreatedMillis) {
        this.index = index;
        this.shardId = shardId(index);
        this.startingHashKey = startingHashKey;
        this.endingHashKey = endingHashKey;
        this.sequencePrefix = SequenceNumber.prefix(streamCreatedMillis, index);
    }

    /** AWS's shard ids: "shardId-" and the index in 12 digits. */
    static String shardId(long index) {
        String digits = Long.toString(index);
        return "shardId-" + "0".repeat(Math.max(0, 12 - digits.length())) + digits;
    }

    /** Splits the hash-key space evenly, as CreateStream does: shard i gets [i·2^128/n, (i+1)·2^128/n). */
    static StreamShard[] split(int count, long streamCreatedMillis) {
        StreamShard[] shards = new StreamShard[count];
        BigInteger n = BigInteger.valueOf(count);
        for (int i = 0; i < count; i++) {
            BigInteger start = HashKey.SPACE.multiply(BigInteger.valueOf(i)).divide(n);
            BigInteger end = HashKey.SPACE.multiply(BigInteger.valueOf(i + 1L)).divide(n).subtract(BigInteger.ONE);
            shards[i] = new StreamShard(i, HashKey.of(start), HashKey.of(end), streamCreatedMillis);
        }
        return shards;
    }

    boolean contains(HashKey key) {
        return key.compareTo(startingHashKey) >= 0 && key.compareTo(endingHashKey) <= 0;
    }

    String startingSequenceNumber() {
        return SequenceNumber.format(sequencePrefix, 0);
    }

    /** The sequence number of the record at an index. */
    String sequenceNumber(long index) {
        return SequenceNumber.format(sequencePrefix, index + 1);
    }

    /**
     * Appends the records of a batch routed to this shard, in batch order, under the shard's lock,
     * first dropping what fell out of retention. With limits on, a record over this second's write
     * allowance is left out (its index stays -1).
     */
    synchronized void append(long nowMillis, PutBatch batch, boolean limits, long retentionCutoffMillis) {
        log.trim(retentionCutoffMillis);
        for (int i = 0; i < batch.size; i++) {
            if (batch.shard[i] != index) {
                continue;
            }
            if (limits && !allowWrite(nowMillis, batch.keys[i].length + batch.data[i].length)) {
                continue;
            }
            batch.index[i] = log.add(nowMillis, batch.keys[i], batch.data[i]);
        }
        log.publish();
    }

    synchronized void trim(long cutoffMillis) {
        log.trim(cutoffMillis);
    }

    /** One GetRecords call against this second's allowance of five. */
    synchronized boolean allowRead(long nowMillis) {
        long second = nowMillis / 1000;
        if (second != readSecond) {
            readSecond = second;
            reads = 0;
        }
        return ++reads <= READS_PER_SECOND;
    }

    /** Marks records written from now on as encrypted (the stream just became ACTIVE with KMS). */
    synchronized void encryptFromNow() {
        if (encryptedFrom == Long.MAX_VALUE) {
            encryptedFrom = log.end();
        }
    }

    boolean encrypted(long recordIndex) {
        return recordIndex >= encryptedFrom;
    }

    private boolean allowWrite(long nowMillis, int bytes) {
        long second = nowMillis / 1000;
        if (second != writeSecond) {
            writeSecond = second;
            writeRecords = 0;
            writeBytes = 0;
        }
        // A single record larger than the byte allowance still passes in an otherwise idle second.
        if (writeRecords > 0 && (writeRecords + 1 > WRITE_RECORDS_PER_SECOND || writeBytes + bytes > WRITE_BYTES_PER_SECOND)) {
            return false;
        }
        writeRecords++;
        writeBytes += bytes;
        return true;
    }
}
