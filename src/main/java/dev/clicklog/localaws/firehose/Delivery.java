package dev.clicklog.localaws.firehose;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.jboss.logging.Logger;

import dev.clicklog.localaws.firehose.FirehoseChange.DirectRecord;
import dev.clicklog.localaws.firehose.FirehoseChange.ObjectIntent;
import dev.clicklog.localaws.firehose.KinesisWireClient.SourceRecord;
import dev.clicklog.localaws.firehose.ObjectBuffer.PendingObject;
import dev.clicklog.localaws.protocol.AwsServiceException;

/**
 * The delivery of one delivery stream: takes records from its source (the Kinesis stream, or the
 * records put directly), buffers them, and writes one S3 object when the buffer reaches SizeInMBs
 * or IntervalInSeconds has passed since its first record. A failed write is retried, unchanged,
 * after the retry interval, and nothing more is read meanwhile; shard checkpoints move only once
 * the object is written, so while the app runs no record is lost or written twice. A write the
 * destination role may not make fails (and is retried) like any other.
 *
 * <p>Across restarts and crashes too: before an object is written, its intent (key, and which
 * records of which shards it holds) is logged and durable; once it is written, the checkpoints it
 * moves are logged. After a restart a pending intent is redone first — the same records read again
 * and written to the same key, replacing the object if it was written before the crash — and
 * reading resumes after the checkpoints. So there is at most one object per record, and the records
 * buffered when the app stopped are read again, not lost. Records put directly are read the same
 * way from the stream's {@link DirectBacklog}, logged before each put was answered.
 *
 * <p>{@link #run()} is one step, called periodically by the engine's shared worker threads; a
 * step never overlaps another step of the same delivery.
 *
 * <p>Once its delivery stream is deleted, the delivery drains: it reads its source to the end,
 * writes every buffered record at once rather than waiting for the buffer's limits, and reports
 * when nothing is left (or when its time is up).
 */
final class Delivery implements Runnable {

    private static final Logger LOG = Logger.getLogger(Delivery.class);

    /** Where a delivery's progress is made durable (the delivery stream's journal). */
    interface Ledger {
        /** Logs that this object is about to be written, and returns once that is durable. */
        void intend(DeliveryStream stream, ObjectIntent object);

        /** Logs that the object intended last is written: the shards' checkpoints move. */
        void delivered(DeliveryStream stream, Map<String, String> lastSequenceByShard);
    }

    private final DeliveryStream stream;
    private final KinesisShardReader reader;
    private final S3WireClient s3;
    private final DeliveryAccess access;
    private final FirehoseMetrics metrics;
    private final Duration retryInterval;
    private final Clock clock;
    private final Ledger ledger;
    /** Whether the object intended before a restart (if any) is written again: nothing is read before. */
    private boolean resumed;
    private final ReentrantLock stepLock = new ReentrantLock();
    /** The last record put directly that is buffered (or in S3 already). */
    private long directRead;
    private final ObjectBuffer buffer = new ObjectBuffer();
    private final ArrayDeque<PendingObject> pending = new ArrayDeque<>();
    private long retryAtNanos;
    private boolean failing;
    private boolean sourceDeletedLogged;
    /** Set when the delivery stream is deleted: until when to drain, and whom to tell when it is done. */
    private volatile Instant drainUntil;
    private volatile Runnable drained;

    Delivery(DeliveryStream stream, KinesisShardReader reader, S3WireClient s3, DeliveryAccess access,
            FirehoseMetrics metrics, Duration retryInterval, Clock clock, Ledger ledger) {
        this.stream = stream;
        this.reader = reader;
        this.s3 = s3;
        this.access = access;
        this.metrics = metrics;
        this.retryInterval = retryInterval;
        this.clock = clock;
        this.ledger = ledger;
        this.retryAtNanos = System.nanoTime();
    }

    DeliveryStream stream() {
        return stream;
    }

    /**
     * Delivers everything that is left, then runs {@code whenDone} once (also when {@code until}
     * passes first: what is left then is dropped, as a deleted delivery stream's data may be).
     */
    void drain(Instant until, Runnable whenDone) {
        drained = whenDone;
        drainUntil = until;
    }

    @Override
    public void run() {
        if (!stepLock.tryLock()) {
            return;
        }
        try {
            step();
        } catch (RuntimeException e) {
            LOG.warnf(e, "firehose: delivery step of %s failed", stream.name());
        } finally {
            stepLock.unlock();
        }
    }

    private void step() {
        Instant now = clock.instant();
        if (drainUntil != null) {
            drainStep(now);
            return;
        }
        if (DeliveryStream.CREATING.equals(stream.status(now))) {
            return;
        }
        long nanos = System.nanoTime();
        if (nanos - retryAtNanos < 0 || !resume() || !writePending()) {
            return;
        }
        S3Destination destination = stream.destination();
        if (reader != null) {
            readSource(destination);
        }
        readDirect(destination);
        boolean sourceDone = reader != null && reader.sourceDeleted();
        if (buffer.due(System.nanoTime(), destination.intervalInSeconds()) || (sourceDone && !buffer.isEmpty())) {
            seal(destination);
        }
        writePending();
    }

    /** One step of a deleted stream's delivery: read on, write at once, and say when nothing is left. */
    private void drainStep(Instant now) {
        Runnable done = drained;
        if (done == null) {
            return;
        }
        if (now.isAfter(drainUntil)) {
            LOG.warnf("firehose: %s was deleted before its data was delivered; %d buffered records are dropped",
                    stream.name(), buffer.records() + pending.stream().mapToInt(PendingObject::records).sum());
            finishDrain(done);
            return;
        }
        if (System.nanoTime() - retryAtNanos < 0 || !resume() || !writePending()) {
            return;
        }
        S3Destination destination = stream.destination();
        boolean caughtUp = true;
        if (reader != null) {
            readSource(destination);
            // A source it may no longer read (its role deleted with it, say) has nothing more to give.
            caughtUp = reader.sourceDeleted() || reader.caughtUp() || reader.denied();
        }
        readDirect(destination);
        if (!buffer.isEmpty()) {
            seal(destination);
        }
        if (writePending() && caughtUp && buffer.isEmpty() && stream.direct().after(directRead).isEmpty()) {
            finishDrain(done);
        }
    }

    private void finishDrain(Runnable done) {
        drained = null;
        done.run();
    }

    /**
     * Writes everything buffered or put directly, once the running step (if any) has finished,
     * waiting at most {@code timeout} for it; used when the app shuts down, after stepping stopped.
     * A write that fails is not retried.
     */
    void flush(Duration timeout) {
        try {
            if (!stepLock.tryLock(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            // A stop before the first step: the object left pending by the last run goes first.
            if (!resume() || !writePending()) {
                return;
            }
            S3Destination destination = stream.destination();
            readDirect(destination);
            if (!buffer.isEmpty()) {
                seal(destination);
            }
            writePending();
        } finally {
            stepLock.unlock();
        }
    }

    private void readSource(S3Destination destination) {
        Instant now = clock.instant();
        reader.poll(new KinesisShardReader.Sink() {
            @Override
            public void record(String shardId, SourceRecord record) {
                add(destination, record.data(), record.arrival(), shardId, record.sequenceNumber());
            }

            @Override
            public void read(long records, long bytes, long millisBehindLatest) {
                metrics.readFromKinesis(stream.name(), records, bytes, millisBehindLatest, now);
            }
        });
        if (reader.sourceDeleted() && !sourceDeletedLogged) {
            sourceDeletedLogged = true;
            LOG.infof("firehose: source stream of %s was deleted; delivery stops after what is buffered",
                    stream.name());
        }
    }

    /** Buffers the records put directly since the last step. */
    private void readDirect(S3Destination destination) {
        for (Map.Entry<Long, DirectRecord> e : stream.direct().after(directRead).entrySet()) {
            add(destination, e.getValue().data(), e.getValue().arrival(), DirectBacklog.SOURCE, Long.toString(e.getKey()));
            directRead = e.getKey();
        }
    }

    /** Buffers one record, first sealing the buffer if the record would take it past SizeInMBs. */
    private void add(S3Destination destination, byte[] data, Instant arrival, String shardId, String sequenceNumber) {
        boolean delimiter = destination.appendDelimiter();
        long recordSize = data.length + (delimiter ? 1 : 0);
        if (!buffer.isEmpty() && (buffer.size() + recordSize > destination.sizeThresholdBytes()
                || buffer.delimiter() != delimiter)) {
            seal(destination);
        }
        buffer.add(data, delimiter, arrival, shardId, sequenceNumber, System.nanoTime());
        if (buffer.size() >= destination.sizeThresholdBytes()) {
            seal(destination);
        }
    }

    private void seal(S3Destination destination) {
        int version = stream.version();
        String key = destination.objectKey(stream.name(), version, buffer.oldestArrival());
        pending.add(buffer.seal(destination.bucket(), key, destination.gzip()));
    }

    /**
     * Once, before anything is read: the object intended before the restart is written again, to
     * its key, from the same records of the source; false (and a retry scheduled) when that fails.
     */
    private boolean resume() {
        if (resumed) {
            return true;
        }
        directRead = DirectBacklog.sequence(stream.checkpoints().get(DirectBacklog.SOURCE));
        ObjectIntent intent = stream.intent();
        if (intent == null) {
            resumed = true;
            return true;
        }
        List<byte[]> data;
        String directLast = intent.lastSequenceByShard().get(DirectBacklog.SOURCE);
        if (directLast != null) {
            // Records put directly: the backlog holds them until this object is in S3.
            data = stream.direct().between(directRead, DirectBacklog.sequence(directLast));
        } else if (reader == null) {
            resumed = true;
            return true;
        } else {
            try {
                data = reader.reread(intent);
            } catch (AwsServiceException e) {
                return failed("reading again the records of s3://" + intent.bucket() + "/" + intent.key(), e);
            }
        }
        if (data == null) {
            LOG.warnf("firehose: the records of s3://%s/%s (%s), being written when the portal stopped, are no longer "
                    + "in the source stream; that object is left as it is", intent.bucket(), intent.key(), stream.name());
        } else {
            try {
                access.checkWrite(intent.bucket(), intent.key());
                s3.putObject(intent.bucket(), intent.key(), ObjectBuffer.body(data, intent.delimiter(), intent.gzip()));
            } catch (AwsServiceException e) {
                return failed("writing s3://" + intent.bucket() + "/" + intent.key(), e);
            }
            failing = false;
            LOG.infof("firehose: s3://%s/%s (%s) written again after the restart: %d records", intent.bucket(),
                    intent.key(), stream.name(), data.size());
        }
        ledger.delivered(stream, intent.lastSequenceByShard());
        if (directLast != null) {
            directRead = DirectBacklog.sequence(directLast);
        }
        resumed = true;
        return true;
    }

    /** Writes the sealed objects in order; false (and a retry scheduled) when one fails. */
    private boolean writePending() {
        PendingObject object;
        while ((object = pending.peek()) != null) {
            Instant now = clock.instant();
            ObjectIntent intent = object.intent();
            try {
                access.checkWrite(object.bucket(), object.key());
                if (intent != null && !intent.equals(stream.intent())) {
                    ledger.intend(stream, intent);
                }
                s3.putObject(object.bucket(), object.key(), object.body());
            } catch (AwsServiceException e) {
                metrics.deliveryFailed(stream.name(), now);
                return failed("writing s3://" + object.bucket() + "/" + object.key(), e);
            }
            failing = false;
            pending.poll();
            metrics.delivered(stream.name(), object.records(), object.recordBytes(), object.oldestArrival(), now);
            if (intent != null) {
                ledger.delivered(stream, object.lastSequenceByShard());
                if (reader != null) {
                    reader.checkpoint(object.lastSequenceByShard());
                }
            }
        }
        return true;
    }

    /** A write (or read) failed: it is retried after the retry interval. */
    private boolean failed(String what, AwsServiceException e) {
        retryAtNanos = System.nanoTime() + retryInterval.toNanos();
        // Once per failure streak at WARN: a missing bucket should be visible, not flood the log.
        LOG.logf(failing ? Logger.Level.DEBUG : Logger.Level.WARN, "firehose: %s for %s failed (%s %s); retrying every %s",
                what, stream.name(), e.code(), e.getMessage(), retryInterval);
        failing = true;
        return false;
    }
}
