package dev.clicklog.localaws.kinesis;

import java.math.BigInteger;
import java.util.concurrent.locks.ReentrantLock;

import org.jboss.logging.Logger;

import dev.clicklog.localaws.kinesis.KinesisChange.ShardState;
import dev.clicklog.localaws.kinesis.RecordChange.RecordsAdded;
import dev.clicklog.localaws.storage.Journal;
import dev.clicklog.localaws.storage.RecordLog;

/**
 * One shard of a stream: its hash-key range, its parents (when a reshard created it), its
 * sequence-number prefix, its records and, when limits are enforced, its per-second throughput
 * accounting. A reshard closes a shard: from then on nothing is written to it, and reading it to its
 * end leads to its children. Its records are in a {@link RecordLog} of its own, attached before the
 * shard is published; every append is recorded in the {@code kinesis-records} journal first.
 */
final class StreamShard {

    private static final Logger LOG = Logger.getLogger(StreamShard.class);

    /** AWS's per-shard limits: writes of 1 MiB or 1,000 records per second, 5 reads per second. */
    static final int WRITE_RECORDS_PER_SECOND = 1000;
    static final long WRITE_BYTES_PER_SECOND = 1024 * 1024;
    static final int READS_PER_SECOND = 5;

    final int index;
    final String shardId;
    final HashKey startingHashKey;
    final HashKey endingHashKey;
    /** The shard's sequence numbers all start from this one (counter 0). */
    final byte[] sequenceTemplate;
    /** Attached before the shard is published (see {@link #attach}); readers never lock. */
    RecordLog log;
    /** The shard this one was split from or merged from (null for a stream's first shards). */
    final String parentShardId;
    /** The other shard of a merge (null unless merged). */
    final String adjacentParentShardId;
    final long openedMillis;

    /** When a reshard closed the shard (-1 while open); its records then end at {@link #log}'s end. */
    private volatile long closedMillis = -1;

    /** Set once the shard's files are closed: its stream is gone (or the endpoint stops). */
    private volatile boolean gone;

    /** Records from this index on were written while the stream was encrypted. */
    private volatile long encryptedFrom = Long.MAX_VALUE;

    /**
     * Serialises writers. A lock that parks its waiters rather than a monitor that spins: on a
     * busy machine the holder can be descheduled, and spinning waiters then only burn its CPU.
     */
    private final ReentrantLock writeLock = new ReentrantLock();

    // Throughput windows of the current second; writes guarded by writeLock, reads by this object.
    private long writeSecond;
    private int writeRecords;
    private long writeBytes;
    private long readSecond;
    private int reads;

    StreamShard(int index, HashKey startingHashKey, HashKey endingHashKey, long streamCreatedMillis) {
        this(index, startingHashKey, endingHashKey, streamCreatedMillis, null, null, streamCreatedMillis);
    }

    StreamShard(int index, HashKey startingHashKey, HashKey endingHashKey, long streamCreatedMillis,
            String parentShardId, String adjacentParentShardId, long openedMillis) {
        this.index = index;
        this.shardId = shardId(index);
        this.startingHashKey = startingHashKey;
        this.endingHashKey = endingHashKey;
        this.sequenceTemplate = SequenceNumber.template(streamCreatedMillis, index);
        this.parentShardId = parentShardId;
        this.adjacentParentShardId = adjacentParentShardId;
        this.openedMillis = openedMillis;
    }

    /** Gives the shard its records; before anyone else sees the shard. */
    void attach(RecordLog records) {
        this.log = records;
    }

    /** The shard as its stream's journal records it. */
    ShardState state() {
        return new ShardState(index, startingHashKey.toBigInteger().toString(), endingHashKey.toBigInteger().toString(),
                parentShardId, adjacentParentShardId, openedMillis, closedMillis, encryptedFrom);
    }

    /** A shard as a journal recorded it (without its records yet: {@link #attach}). */
    static StreamShard of(ShardState s, long streamCreatedMillis) {
        StreamShard shard = new StreamShard(s.index(), HashKey.of(new BigInteger(s.startingHashKey())),
                HashKey.of(new BigInteger(s.endingHashKey())), streamCreatedMillis, s.parentShardId(),
                s.adjacentParentShardId(), s.openedMillis());
        shard.restore(s);
        return shard;
    }

    /** What of a recorded shard can change: when it closed, where encryption began. */
    void restore(ShardState s) {
        closedMillis = s.closedMillis();
        encryptedFrom = s.encryptedFrom();
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

    String startingSequenceNumber() {
        return SequenceNumber.format(sequenceTemplate, 0);
    }

    /** The sequence number of the shard's last record once it is closed (its start when it has none); null while open. */
    String endingSequenceNumber() {
        return closed() ? SequenceNumber.format(sequenceTemplate, log.end()) : null;
    }

    boolean closed() {
        return closedMillis >= 0;
    }

    long closedMillis() {
        return closedMillis;
    }

    /** Whether the shard still counts in listings: open, or closed within the retention period. */
    boolean listed(long retentionCutoffMillis) {
        long closed = closedMillis;
        return closed < 0 || closed >= retentionCutoffMillis;
    }

    /** Whether the shard was open at that instant. */
    boolean openAt(long millis) {
        long closed = closedMillis;
        return openedMillis <= millis && (closed < 0 || closed >= millis);
    }

    /**
     * Closes the shard: writes waiting for its lock find it closed and go to its children. Called by
     * a reshard with every parent's lock held (see {@link #lockForReshard}).
     */
    void close(long nowMillis) {
        closedMillis = nowMillis;
    }

    /** Holds off writers while a reshard closes this shard and publishes its children. */
    void lockForReshard() {
        writeLock.lock();
    }

    void unlockAfterReshard() {
        writeLock.unlock();
    }

    /** The sequence number of the record at an index. */
    String sequenceNumber(long index) {
        return SequenceNumber.format(sequenceTemplate, index + 1);
    }

    /**
     * Appends the records of a batch routed to this shard, in batch order, under the shard's lock,
     * first dropping what fell out of retention. With limits on, a record over this second's write
     * allowance is left out (its index stays -1). The records are recorded in the journal, whose
     * {@code apply} adds them ({@link #add}). False, with nothing written, when a reshard closed
     * the shard meanwhile: the caller routes the records again, to its children.
     */
    boolean append(KinesisStream stream, Journal<RecordChange> journal, long nowMillis, PutBatch batch, boolean limits,
            long retentionCutoffMillis) {
        writeLock.lock();
        try {
            if (closed() || gone) {
                return false;
            }
            log.trim(retentionCutoffMillis);
            int[] taken = new int[batch.size];
            int n = 0;
            for (int i = 0; i < batch.size; i++) {
                if (batch.shard[i] != index || !batch.pending[i]) {
                    continue;
                }
                batch.pending[i] = false;
                if (limits && !allowWrite(nowMillis, batch.keys[i].length + batch.data[i].length)) {
                    continue;
                }
                taken[n++] = i;
            }
            if (n == 0) {
                return true;
            }
            byte[][] keys = new byte[n][];
            byte[][] data = new byte[n][];
            long first = log.end();
            for (int k = 0; k < n; k++) {
                keys[k] = batch.keys[taken[k]];
                data[k] = batch.data[taken[k]];
            }
            journal.record(new RecordsAdded(stream.name, stream.createdMillis, index, first, nowMillis, keys, data));
            for (int k = 0; k < n; k++) {
                batch.index[taken[k]] = first + k;
            }
            return true;
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Adds recorded records to the log: live, right after they were recorded; at replay, those the
     * log does not hold yet (its files hold every record up to its end).
     */
    void add(RecordsAdded records) {
        writeLock.lock();
        try {
            long first = records.firstIndex();
            if (!continuesAt(first, records.stream())) {
                return;
            }
            long end = log.end();
            for (int k = (int) (end - first); k < records.keys().length; k++) {
                log.add(records.arrivalMillis(), records.keys()[k], records.data()[k]);
            }
            log.publish();
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Whether the log reaches {@code index}, the count the journal knows of: a log whose files lost
     * their count (none kept, e.g. deleted) is moved on to it, so no sequence number is given out
     * twice; one that lost records it still should keep cannot be mended (false).
     */
    boolean continuesAt(long index, String stream) {
        writeLock.lock();
        try {
            long end = log.end();
            if (index <= end) {
                return true;
            }
            if (log.retainedRecords() == 0) {
                LOG.warnf("localaws kinesis: %s of stream %s had no record files past record %d; it goes on at %d",
                        shardId, stream, end, index);
                log.skipTo(index);
                return true;
            }
            LOG.errorf("localaws kinesis: %s of stream %s has %d records on disk where %d were kept; the log's records"
                    + " after them cannot be placed and are dropped", shardId, stream, end, index);
            return false;
        } finally {
            writeLock.unlock();
        }
    }

    /** Forces the records to disk and says how many there are (the snapshot of the records journal). */
    long force() {
        writeLock.lock();
        try {
            if (!gone) {
                log.force();
            }
            return log.end();
        } finally {
            writeLock.unlock();
        }
    }

    /** Closes the shard's files (the stream is gone, or the endpoint stops). */
    void closeLog() {
        writeLock.lock();
        try {
            gone = true;
            log.close();
        } finally {
            writeLock.unlock();
        }
    }

    void trim(long cutoffMillis) {
        writeLock.lock();
        try {
            if (!gone) {
                log.trim(cutoffMillis);
            }
        } finally {
            writeLock.unlock();
        }
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
    void encryptFromNow() {
        writeLock.lock();
        try {
            if (encryptedFrom == Long.MAX_VALUE) {
                encryptedFrom = log.end();
            }
        } finally {
            writeLock.unlock();
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
