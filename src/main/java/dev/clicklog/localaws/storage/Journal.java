package dev.clicklog.localaws.storage;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One store's changes: what a service uses to make its state durable without knowing of files.
 * The service keeps its state in memory as before and changes it only through {@link #record}
 * (validate, then record: the change goes to the log and is applied); at start the storage layer
 * replays the store's snapshot and later changes through the same {@code apply}, so the state
 * after a restart is exactly the state before. See {@link Storage#journal} for registering one.
 *
 * <p>The request that made a change is answered only once the change is durable: the HTTP server
 * waits for {@link Storage#durable()} before it sends any answer, so services need not wait
 * themselves.
 */
public final class Journal<E> {

    /** Encodes changes; one per thread, so encoding needs no lock. */
    private static final ThreadLocal<Encoder> ENCODER = ThreadLocal.withInitial(Encoder::new);
    private static final int MAX_KEPT_ENCODER = 1024 * 1024;

    private final Storage storage;
    private final String name;
    final byte[] nameBytes;
    private final Codec<E> codec;
    private final Object monitor;
    private final Consumer<E> apply;
    private final Snapshotter<E> snapshotter;
    /** Changes of this store up to this LSN are in its snapshot; replay skips them. */
    volatile long snapshotLsn;
    private volatile Runnable beforeClose;

    Journal(Storage storage, String name, Codec<E> codec, Object monitor, Consumer<E> apply, Snapshotter<E> snapshotter) {
        this.storage = storage;
        this.name = name;
        this.nameBytes = name.getBytes(StandardCharsets.UTF_8);
        this.codec = codec;
        this.monitor = monitor;
        this.apply = apply;
        this.snapshotter = snapshotter;
    }

    public String name() {
        return name;
    }

    /**
     * Whether changes go to disk. False with durability {@code memory}: a store may then skip work
     * that only feeds the log (a write-behind flush).
     */
    public boolean persistent() {
        return storage.durability().persistent();
    }

    /**
     * Logs the change and applies it to memory. Call it holding the store's monitor (given at
     * registration), after every check that can refuse the request: a change that is recorded
     * happened. Throws {@link StorageException} when the log can no longer be written; then nothing
     * was applied.
     */
    public void record(E change) {
        checkMonitor();
        storage.append(this, change);
        apply.accept(change);
    }

    /**
     * Logs a change that memory already holds (a write-behind store logging absolute values it
     * keeps anyway); replay applies it. Same rules as {@link #record}.
     */
    public void append(E change) {
        checkMonitor();
        storage.append(this, change);
    }

    /**
     * Runs {@code flush} when the storage closes, before the log's last write: for a write-behind
     * store to log what it still holds only in memory.
     */
    public void beforeClose(Runnable flush) {
        this.beforeClose = flush;
    }

    Runnable beforeCloseHook() {
        return beforeClose;
    }

    Object monitor() {
        return monitor;
    }

    int codecVersion() {
        return codec.version();
    }

    private void checkMonitor() {
        if (monitor == null) {
            return;
        }
        boolean held = monitor instanceof ReentrantLock lock ? lock.isHeldByCurrentThread() : Thread.holdsLock(monitor);
        if (!held) {
            throw new IllegalStateException("a change of store " + name + " recorded without holding its monitor");
        }
    }

    /** Encodes a change into the calling thread's buffer; valid until the thread encodes another. */
    Encoder encode(E change) {
        Encoder e = ENCODER.get();
        if (e.capacity() > MAX_KEPT_ENCODER) {
            e = new Encoder();
            ENCODER.set(e);
        }
        e.reset();
        try {
            codec.write(change, e.data);
            e.data.flush();
        } catch (IOException ex) {
            throw new UncheckedIOException("encoding a change of store " + name, ex);
        }
        return e;
    }

    /** Decodes and applies one logged change (replay). */
    void replay(int version, byte[] payload, int offset, int length) throws IOException {
        if (version > codec.version()) {
            throw new IOException("written with codec version " + version + ", newer than this portal's " + codec.version());
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload, offset, length));
        apply.accept(codec.read(version, in));
    }

    void snapshot(Consumer<E> out) {
        snapshotter.snapshot(out);
    }

    /** A reusable buffer and the stream writing into it. */
    static final class Encoder extends ByteArrayOutputStream {
        final DataOutputStream data = new DataOutputStream(this);

        Encoder() {
            super(256);
        }

        byte[] bytes() {
            return buf;
        }

        int length() {
            return count;
        }

        int capacity() {
            return buf.length;
        }
    }
}
