package dev.clicklog.localaws.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.jboss.logging.Logger;

/**
 * The write-ahead log: one sequence of segment files ({@code wal/<first LSN>.wal}) shared by every
 * store, each change a checksummed frame with the next log sequence number (LSN).
 *
 * <p>Group commit: appenders copy their frame into a shared buffer and return at once with their
 * LSN; one writer thread takes everything buffered, writes it with one call and forces it with one
 * fsync, then completes the waits of every change it covered. While it forces, the next batch
 * gathers, so many concurrent writers share each fsync and throughput grows with concurrency.
 * Appenders never touch the file; only when the buffer holds more than a bound do they wait for the
 * writer to catch up.
 */
final class WriteAheadLog implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(WriteAheadLog.class);
    static final String SUFFIX = ".wal";
    private static final int MAX_KEPT_BUFFER = 4 * 1024 * 1024;

    /** An appended change and its LSN; the body is not kept. */
    private record Waiter(long lsn, CompletableFuture<Void> done) {
    }

    private final Path dir;
    private final Durability durability;
    private final long segmentBytes;
    private final long maxPendingBytes;

    private final ReentrantLock lock = new ReentrantLock();
    /** The writer waits on it for work. */
    private final Condition work = lock.newCondition();
    /** Appenders wait on it while the buffer is over its bound. */
    private final Condition room = lock.newCondition();
    // Guarded by lock.
    private Buffer pending = new Buffer(64 * 1024);
    private Buffer spare = new Buffer(64 * 1024);
    private long lastLsn;
    private boolean rollRequested;
    private final List<CompletableFuture<Long>> rolls = new ArrayList<>();
    private boolean closing;
    private volatile StorageException failure;

    private volatile long durableLsn;
    private final PriorityQueue<Waiter> waiters = new PriorityQueue<>((a, b) -> Long.compare(a.lsn, b.lsn));
    private final Object waitersLock = new Object();

    // Writer thread only.
    private FileChannel segment;
    private long segmentFirstLsn;
    private long segmentSize;
    private long lastWritten;
    /** Bytes written since the last roll requested by a checkpoint; read by the checkpointer. */
    private volatile long bytesSinceCheckpoint;
    /** Batches written (each forced once with durability fsync): group commit shows as far fewer than changes. */
    private volatile long batches;
    private final Thread writer;

    /**
     * Opens a new segment for appends starting at {@code nextLsn}, after {@link LogRecovery} has
     * read (and if need be cut) the existing ones, and starts the writer thread.
     */
    WriteAheadLog(Path dir, Durability durability, long segmentBytes, long maxPendingBytes, long nextLsn) throws IOException {
        this.dir = dir;
        this.durability = durability;
        this.segmentBytes = segmentBytes;
        this.maxPendingBytes = maxPendingBytes;
        this.lastLsn = nextLsn - 1;
        this.lastWritten = nextLsn - 1;
        this.durableLsn = nextLsn - 1;
        Files.createDirectories(dir);
        openSegment(nextLsn);
        writer = new Thread(this::writeLoop, "localaws-wal-writer");
        writer.setDaemon(true);
        writer.start();
    }

    static Path segmentFile(Path dir, long firstLsn) {
        return FileNames.numbered(dir, firstLsn, SUFFIX);
    }

    /** The first LSN of a segment file, from its name; -1 for any other file. */
    static long firstLsn(Path file) {
        return FileNames.number(file, SUFFIX);
    }

    /**
     * Appends one change of {@code store} (encoded by its codec, {@code payload[0, length)}) and
     * returns its LSN. The change is durable once {@link #durable(long)} completes for it.
     */
    long append(byte[] storeName, int codecVersion, byte[] payload, int length) {
        int body = 8 + 1 + storeName.length + 1 + length;
        lock.lock();
        try {
            while (pending.size > maxPendingBytes && failure == null && !closing) {
                room.awaitUninterruptibly();
            }
            check();
            long lsn = ++lastLsn;
            Buffer b = pending;
            int start = b.reserve(Frames.HEADER + body);
            int at = start + Frames.HEADER;
            ByteBuffer bb = ByteBuffer.wrap(b.bytes);
            bb.putLong(at, lsn);
            b.bytes[at + 8] = (byte) storeName.length;
            System.arraycopy(storeName, 0, b.bytes, at + 9, storeName.length);
            b.bytes[at + 9 + storeName.length] = (byte) codecVersion;
            System.arraycopy(payload, 0, b.bytes, at + 10 + storeName.length, length);
            bb.putInt(start, body);
            bb.putInt(start + 4, Frames.crc(b.bytes, at, body));
            work.signal();
            return lsn;
        } finally {
            lock.unlock();
        }
    }

    /** The LSN of the last change appended. */
    long lastLsn() {
        lock.lock();
        try {
            return lastLsn;
        } finally {
            lock.unlock();
        }
    }

    long durableLsn() {
        return durableLsn;
    }

    /** Completes once every change up to {@code lsn} is durable (or exceptionally if the log failed). */
    CompletableFuture<Void> durable(long lsn) {
        if (lsn <= durableLsn) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (waitersLock) {
            if (failure != null) {
                done.completeExceptionally(failure);
            } else if (lsn <= durableLsn) {
                done.complete(null);
            } else {
                waiters.add(new Waiter(lsn, done));
            }
        }
        return done;
    }

    /** Ends the current segment; the next change goes to a new one. Returns the new segment's first LSN. */
    CompletableFuture<Long> roll() {
        CompletableFuture<Long> rolled = new CompletableFuture<>();
        lock.lock();
        try {
            check();
            rollRequested = true;
            rolls.add(rolled);
            work.signal();
        } finally {
            lock.unlock();
        }
        return rolled;
    }

    long batches() {
        return batches;
    }

    long bytesSinceCheckpoint() {
        return bytesSinceCheckpoint;
    }

    /**
     * Deletes the segments every change of which is at most {@code floorLsn}; never the one being
     * written. Returns how many it deleted.
     */
    int deleteUpTo(long floorLsn) throws IOException {
        List<Long> firsts = segmentFirsts(dir);
        long current = currentSegmentFirstLsn();
        int deleted = 0;
        for (int i = 0; i + 1 < firsts.size(); i++) {
            long first = firsts.get(i);
            long lastInSegment = firsts.get(i + 1) - 1;
            if (first >= current || lastInSegment > floorLsn) {
                break;
            }
            Files.deleteIfExists(segmentFile(dir, first));
            deleted++;
        }
        return deleted;
    }

    private long currentSegmentFirstLsn() {
        lock.lock();
        try {
            return segmentFirstLsn;
        } finally {
            lock.unlock();
        }
    }

    /** The segments' first LSNs in order. */
    static List<Long> segmentFirsts(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var files = Files.list(dir)) {
            return files.map(WriteAheadLog::firstLsn).filter(l -> l >= 0).sorted().toList();
        }
    }

    StorageException failure() {
        return failure;
    }

    private void check() {
        if (failure != null) {
            throw failure;
        }
        if (closing) {
            throw new StorageException("the storage is closed");
        }
    }

    /** Writes what is buffered, forces it, and stops the writer. */
    @Override
    public void close() {
        lock.lock();
        try {
            closing = true;
            work.signal();
            room.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            writer.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (segment != null) {
                segment.close();
            }
        } catch (IOException e) {
            LOG.debugf(e, "localaws storage: closing %s", dir);
        }
    }

    private void writeLoop() {
        while (true) {
            Buffer batch;
            long batchLast;
            boolean roll;
            List<CompletableFuture<Long>> rolled;
            lock.lock();
            try {
                while (pending.size == 0 && !rollRequested && !closing) {
                    work.awaitUninterruptibly();
                }
                if (failure != null || (closing && pending.size == 0)) {
                    StorageException closed = failure != null ? failure : new StorageException("the storage is closed");
                    rolls.forEach(r -> r.completeExceptionally(closed));
                    rolls.clear();
                    return;
                }
                batch = pending;
                pending = spare;
                spare = null;
                batchLast = lastLsn;
                roll = rollRequested;
                rollRequested = false;
                rolled = List.copyOf(rolls);
                rolls.clear();
                room.signalAll();
            } finally {
                lock.unlock();
            }
            try {
                if (batch.size > 0) {
                    write(batch);
                    if (durability == Durability.FSYNC) {
                        segment.force(false);
                    }
                    lastWritten = batchLast;
                    segmentSize += batch.size;
                    bytesSinceCheckpoint += batch.size;
                    batches++;
                    durableLsn = batchLast;
                    completeWaiters(batchLast);
                }
                if (roll) {
                    bytesSinceCheckpoint = 0;
                }
                if (roll || segmentSize >= segmentBytes) {
                    openSegment(lastWritten + 1);
                }
                rolled.forEach(r -> r.complete(lastWritten + 1));
            } catch (IOException | RuntimeException e) {
                fail(e, rolled);
                return;
            } finally {
                batch.size = 0;
                lock.lock();
                try {
                    // A burst may have grown the buffer: do not keep a large one around.
                    spare = batch.bytes.length > MAX_KEPT_BUFFER ? new Buffer(64 * 1024) : batch;
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    private void write(Buffer batch) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(batch.bytes, 0, batch.size);
        while (out.hasRemaining()) {
            segment.write(out);
        }
    }

    private void completeWaiters(long upTo) {
        List<Waiter> ready = new ArrayList<>();
        synchronized (waitersLock) {
            while (!waiters.isEmpty() && waiters.peek().lsn <= upTo) {
                ready.add(waiters.poll());
            }
        }
        ready.forEach(w -> w.done.complete(null));
    }

    private void fail(Exception e, List<CompletableFuture<Long>> rolled) {
        StorageException failed = new StorageException("localaws storage: writing the log in " + dir + " failed: " + e, e);
        LOG.error(failed.getMessage(), e);
        List<Waiter> all;
        lock.lock();
        try {
            failure = failed;
            room.signalAll();
            rolls.forEach(r -> r.completeExceptionally(failed));
            rolls.clear();
        } finally {
            lock.unlock();
        }
        synchronized (waitersLock) {
            all = new ArrayList<>(waiters);
            waiters.clear();
        }
        all.forEach(w -> w.done.completeExceptionally(failed));
        rolled.forEach(r -> r.completeExceptionally(failed));
    }

    /** Closes the current segment and starts one whose first change will have {@code firstLsn}. */
    private void openSegment(long firstLsn) throws IOException {
        if (segment != null) {
            segment.close();
        }
        Path file = segmentFile(dir, firstLsn);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        byte[] header = FileHeader.frame(FileHeader.LOG_MAGIC, out -> {
            out.writeLong(firstLsn);
            out.writeLong(System.currentTimeMillis());
        });
        ch.write(ByteBuffer.wrap(header));
        if (durability == Durability.FSYNC) {
            ch.force(true);
            Storage.forceDirectory(dir);
        }
        lock.lock();
        try {
            segment = ch;
            segmentFirstLsn = firstLsn;
        } finally {
            lock.unlock();
        }
        segmentSize = header.length;
    }

    /** A growable byte array; not thread-safe (used under {@link #lock} or by the writer alone). */
    private static final class Buffer {
        byte[] bytes;
        int size;

        Buffer(int capacity) {
            bytes = new byte[capacity];
        }

        /** Makes room for {@code n} more bytes and returns where they start. */
        int reserve(int n) {
            if (size + n > bytes.length) {
                byte[] grown = new byte[Math.max(size + n, bytes.length * 2)];
                System.arraycopy(bytes, 0, grown, 0, size);
                bytes = grown;
            }
            int start = size;
            size += n;
            return start;
        }
    }
}
