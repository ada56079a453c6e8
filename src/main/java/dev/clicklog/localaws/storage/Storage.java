package dev.clicklog.localaws.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

/**
 * localaws' one storage layer: every service's state goes through it, and no service knows of files.
 *
 * <p>A service registers a {@link Journal} per store (its state in memory, a {@link Codec} for its
 * changes, an {@code apply} that makes a change to memory, a {@link Snapshotter}); changes are
 * appended to one shared write-ahead log with group commit ({@link WriteAheadLog}); in the
 * background each store's state is written as a snapshot and the log segments every snapshot
 * covers are deleted. At start every store's snapshot is loaded and the log after it replayed
 * through the same {@code apply}, so the state is exactly what was acknowledged before the restart.
 * A torn or damaged end of the log is cut at the last whole change, with one log line.
 *
 * <p>Layout under the data directory (persistent durabilities):
 * <pre>
 *   LOCK                 held while a process uses the directory
 *   wal/&lt;LSN&gt;.wal        log segments, named by their first change's LSN
 *   snapshots/&lt;store&gt;.snap  the latest snapshot of each store
 *   tmp/                 request bodies being received (emptied at start)
 *   &lt;area&gt;/              files a service keeps itself (S3 object bodies under s3/)
 * </pre>
 * With durability {@code memory} nothing of that is written: files a service needs (object bodies)
 * go to {@code runs/<run>/<area>}, which later runs delete.
 */
public final class Storage implements AutoCloseable {

    /**
     * The {@code @Startup} priority of every service that registers a store: before the endpoint
     * (100) opens the storage, so the log is replayed once for every store.
     */
    public static final int REGISTER_PRIORITY = 50;

    private static final Logger LOG = Logger.getLogger(Storage.class);
    private static final Pattern STORE_NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");
    private static final Set<String> RESERVED = Set.of("wal", "snapshots", "tmp", "runs", "lock");
    private static final String LOCK = "LOCK";

    /** Where and how the storage keeps state, and when it takes snapshots. */
    public record Settings(Path dataDir, Durability durability, long segmentBytes, long checkpointBytes,
            Duration checkpointInterval) {

        /** Defaults for tests and tools: 64 MiB segments, a checkpoint every 64 MiB or 10 minutes. */
        public static Settings of(Path dataDir, Durability durability) {
            return new Settings(dataDir, durability, 64L << 20, 64L << 20, Duration.ofMinutes(10));
        }
    }

    /** What {@link #open()} found: for the start-up log line and for tests. */
    public record Recovery(long changes, long lastLsn, String cut, Map<String, Long> snapshots, long millis) {
    }

    private final Settings settings;
    private final Map<String, Journal<?>> journals = new LinkedHashMap<>();
    /** Snapshots found at open that no store has loaded yet: name → file. */
    private final Map<String, Path> unclaimedSnapshots = new HashMap<>();
    /** Stores with changes in the log at open that were not registered then. */
    private final Set<String> unclaimedLogStores = new TreeSet<>();
    private final Object checkpointLock = new Object();
    private final AtomicLong memoryLsn = new AtomicLong();

    private volatile boolean open;
    private volatile boolean ready;
    private volatile boolean closed;
    /** Set first while opening, so a store replaying then can already ask for its {@link #area}. */
    private volatile Path root;
    private FileChannel lockChannel;
    private FileLock lock;
    private WriteAheadLog wal;
    private Thread checkpointer;
    private Recovery recovery;
    private volatile Instant lastCheckpoint = Instant.now();
    private volatile long lastCheckpointLsn;
    private volatile boolean checkpointRequested;

    public Storage(Settings settings) {
        this.settings = settings;
    }

    /** Storage that keeps nothing (durability {@code memory}) and no files but those of {@link #area} in a temporary directory. */
    public static Storage memory(Path dataDir) {
        return new Storage(Settings.of(dataDir, Durability.MEMORY));
    }

    public Durability durability() {
        return settings.durability();
    }

    /**
     * Registers a store and returns its journal. Its snapshot and logged changes are replayed into
     * {@code apply} now if the storage is open, otherwise when it opens; either way before the
     * service can serve. Register in the service's constructor, and make the service a
     * {@code @Startup} bean, so every store is registered when the storage opens.
     *
     * @param name    the store's name, lower-case letters, digits and dashes; its files' names
     * @param codec   how its changes are written
     * @param monitor what the service holds while it records a change (its lock or {@code this});
     *                snapshots are taken holding it, so a snapshot is exactly the state at its LSN.
     *                {@code null} for a store that guards itself in parts (per shard): then
     *                replaying a change the snapshot already holds must change nothing
     * @param apply   makes one change to memory: the only way the state changes, live and at replay
     * @param snapshotter emits changes that rebuild the whole state
     */
    public <E> Journal<E> journal(String name, Codec<E> codec, Object monitor, Consumer<E> apply,
            Snapshotter<E> snapshotter) {
        if (!STORE_NAME.matcher(name).matches() || RESERVED.contains(name)) {
            throw new IllegalArgumentException("not a store name: " + name);
        }
        // The checkpoint lock first (as checkpoints take them): a late store's replay reads log
        // segments that a checkpoint must not delete meanwhile.
        synchronized (checkpointLock) {
            synchronized (this) {
                if (journals.containsKey(name)) {
                    throw new IllegalStateException("store " + name + " is registered already");
                }
                if (closed) {
                    throw new StorageException("the storage is closed");
                }
                Journal<E> journal = new Journal<>(this, name, codec, monitor, apply, snapshotter);
                journals.put(name, journal);
                if (open && durability().persistent()) {
                    replayLate(journal);
                }
                return journal;
            }
        }
    }

    /** Replays a store registered after the storage opened: its snapshot, then its changes in the log. */
    private void replayLate(Journal<?> journal) {
        long started = System.nanoTime();
        String name = journal.name();
        Map<String, Journal<?>> only = Map.of(name, journal);
        loadSnapshot(journal);
        try {
            Errors errors = new Errors();
            LogRecovery.scan(walDir(), (lsn, store, version, payload, offset, length) -> {
                if (store.equals(name)) {
                    replay(only, errors, lsn, store, version, payload, offset, length);
                }
            }, false, false);
            errors.log();
        } catch (IOException e) {
            throw new StorageException("localaws storage: replaying store " + name + " failed: " + e.getMessage(), e);
        }
        unclaimedLogStores.remove(name);
        LOG.debugf("localaws storage: store %s registered after start-up, replayed in %d ms", name,
                (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * Opens the data directory and replays every registered store (idempotent). With durability
     * {@code memory} it only prepares the run's directory for {@link #area}.
     */
    public synchronized void open() {
        if (open) {
            return;
        }
        if (closed) {
            throw new StorageException("the storage is closed");
        }
        try {
            if (durability().persistent()) {
                openPersistent();
            } else {
                openRun();
            }
        } catch (IOException e) {
            throw new StorageException("localaws storage: cannot use " + settings.dataDir().toAbsolutePath() + ": " + e, e);
        }
        open = true;
    }

    /**
     * Says that every store that will register has: stores found on disk that none claimed are
     * dropped at the next checkpoint, and checkpoints may run from now on.
     */
    public void ready() {
        open();
        ready = true;
    }

    private void openPersistent() throws IOException {
        long started = System.nanoTime();
        root = settings.dataDir().toAbsolutePath();
        Files.createDirectories(root);
        lockDirectory(root);
        deleteTree(tempDir(), false);
        Files.createDirectories(tempDir());
        Files.createDirectories(snapshotDir());
        long maxSnapshotLsn = 0;
        Map<String, Long> snapshotLsns = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(snapshotDir())) {
            for (Path file : files.toList()) {
                String fileName = file.getFileName().toString();
                if (fileName.endsWith(SnapshotFile.SUFFIX + ".tmp")) {
                    Files.deleteIfExists(file);
                    continue;
                }
                if (!fileName.endsWith(SnapshotFile.SUFFIX)) {
                    continue;
                }
                try {
                    SnapshotFile.Header header = SnapshotFile.header(file);
                    unclaimedSnapshots.put(header.store(), file);
                    snapshotLsns.put(header.store(), header.lsn());
                    maxSnapshotLsn = Math.max(maxSnapshotLsn, header.lsn());
                } catch (FileHeader.NewerFormatException e) {
                    throw e;
                } catch (IOException e) {
                    LOG.errorf("localaws storage: snapshot %s is damaged (%s) and is ignored", file, e.getMessage());
                }
            }
        }
        for (Journal<?> journal : journals.values()) {
            loadSnapshot(journal);
        }
        Errors errors = new Errors();
        Map<String, Journal<?>> registered = Map.copyOf(journals);
        LogRecovery.Result result = LogRecovery.scan(walDir(), (lsn, store, version, payload, offset, length) -> {
            if (registered.containsKey(store)) {
                replay(registered, errors, lsn, store, version, payload, offset, length);
            } else {
                unclaimedLogStores.add(store);
            }
        }, true, durability() == Durability.FSYNC);
        errors.log();
        if (result.cut() != null) {
            LOG.warn("localaws storage: " + result.cut().describe());
        }
        long next = Math.max(result.lastLsn(), maxSnapshotLsn) + 1;
        wal = new WriteAheadLog(walDir(), durability(), settings.segmentBytes(), Math.max(settings.segmentBytes(), 16L << 20),
                next);
        lastCheckpointLsn = next - 1;
        long millis = (System.nanoTime() - started) / 1_000_000;
        recovery = new Recovery(result.entries(), result.lastLsn(), result.cut() == null ? null : result.cut().describe(),
                snapshotLsns, millis);
        LOG.infof("localaws storage: %s, durability %s: %d snapshot(s) and %d logged change(s) replayed in %d ms",
                root, durability().name().toLowerCase(Locale.ROOT), snapshotLsns.size(), result.entries(), millis);
        checkpointer = new Thread(this::checkpointLoop, "localaws-checkpoint");
        checkpointer.setDaemon(true);
        checkpointer.start();
    }

    /** A directory of this run's own, locked while it runs; earlier runs' directories are deleted in the background. */
    private void openRun() throws IOException {
        Path runs = settings.dataDir().toAbsolutePath().resolve("runs");
        root = runs.resolve(Instant.now().toEpochMilli() + "-" + UUID.randomUUID().toString().substring(0, 8));
        Files.createDirectories(root);
        lockDirectory(root);
        Files.createDirectories(tempDir());
        List<Path> stale = new ArrayList<>();
        try (Stream<Path> list = Files.list(runs)) {
            for (Path run : list.filter(p -> !p.equals(root)).toList()) {
                if (finished(run)) {
                    stale.add(run);
                }
            }
        }
        if (!stale.isEmpty()) {
            Thread cleaner = new Thread(() -> stale.forEach(run -> deleteTree(run, true)), "localaws-runs-cleanup");
            cleaner.setDaemon(true);
            cleaner.start();
        }
        recovery = new Recovery(0, 0, null, Map.of(), 0);
    }

    private void lockDirectory(Path dir) throws IOException {
        lockChannel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            lockChannel.close();
            throw new StorageException("localaws storage: " + dir + " is in use by another running portal; "
                    + "give each one a data directory of its own (clicklog.localaws.data-dir)");
        }
    }

    /** Whether a run directory's process is over (its lock is free). */
    private static boolean finished(Path run) {
        Path lockFile = run.resolve(LOCK);
        if (!Files.isRegularFile(lockFile)) {
            return true;
        }
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock l = ch.tryLock();
            if (l == null) {
                return false;
            }
            l.release();
            return true;
        } catch (OverlappingFileLockException e) {
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    public Recovery recovery() {
        return recovery;
    }

    /**
     * A directory for files a service keeps itself (S3's object bodies), on the same file system as
     * {@link #tempDir()} so a received body can be moved into it. Survives restarts unless the
     * durability is {@code memory}. A store may ask for it while it is replayed (its files are
     * part of its state).
     */
    public Path area(String name) {
        if (!STORE_NAME.matcher(name).matches() || RESERVED.contains(name)) {
            throw new IllegalArgumentException("not an area name: " + name);
        }
        Path base = root;
        if (base == null) {
            open();
            base = root;
        }
        Path dir = base.resolve(name);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /** Where request bodies are received; emptied at every start. */
    public Path tempDir() {
        return root.resolve("tmp");
    }

    private Path walDir() {
        return root.resolve("wal");
    }

    private Path snapshotDir() {
        return root.resolve("snapshots");
    }

    <E> void append(Journal<E> journal, E change) {
        if (!durability().persistent()) {
            if (closed) {
                throw new StorageException("the storage is closed");
            }
            memoryLsn.incrementAndGet();
            return;
        }
        if (!open) {
            open();
        }
        Journal.Encoder encoded = journal.encode(change);
        wal.append(journal.nameBytes, journal.codecVersion(), encoded.bytes(), encoded.length());
    }

    /**
     * Completes when every change logged so far is durable: at once when nothing is pending (and
     * always with durability {@code memory}), exceptionally when the log can no longer be written.
     * The HTTP server sends no answer before this completes, so a change that was answered was on
     * disk first — and so was every change the answer could have seen.
     */
    public CompletionStage<Void> durable() {
        WriteAheadLog w = wal;
        if (w == null) {
            return CompletableFuture.completedFuture(null);
        }
        StorageException failed = w.failure();
        if (failed != null) {
            return CompletableFuture.failedFuture(failed);
        }
        return w.durable(w.lastLsn());
    }

    /** As {@link #durable()}, blocking: for callers outside a request (background work). */
    public void awaitDurable() {
        try {
            durable().toCompletableFuture().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof StorageException s ? s : new StorageException(e.getMessage(), e.getCause());
        }
    }

    /** Null while the log is writable; the failure that stopped it otherwise. */
    public StorageException failure() {
        WriteAheadLog w = wal;
        return w == null ? null : w.failure();
    }

    /** The LSN of the last change logged (0 when none; counts changes with durability {@code memory}). */
    public long lastLsn() {
        WriteAheadLog w = wal;
        return w == null ? memoryLsn.get() : w.lastLsn();
    }

    /** Changes logged, changes durable, and the batches (fsyncs) that made them durable. */
    public record Stats(long lastLsn, long durableLsn, long batches) {
    }

    public Stats stats() {
        WriteAheadLog w = wal;
        return w == null ? new Stats(memoryLsn.get(), memoryLsn.get(), 0) : new Stats(w.lastLsn(), w.durableLsn(), w.batches());
    }

    /** Takes a snapshot of every store now and deletes the log they cover (tests, tools). */
    public void checkpoint() {
        if (!durability().persistent()) {
            return;
        }
        open();
        synchronized (checkpointLock) {
            try {
                doCheckpoint();
            } catch (IOException e) {
                throw new StorageException("localaws storage: checkpoint failed: " + e.getMessage(), e);
            }
        }
    }

    private void checkpointLoop() {
        long intervalMillis = Math.max(1, settings.checkpointInterval().toMillis());
        while (!closed) {
            try {
                Thread.sleep(Math.min(1000, intervalMillis));
            } catch (InterruptedException e) {
                return;
            }
            if (!ready || closed || wal.failure() != null) {
                continue;
            }
            boolean bySize = wal.bytesSinceCheckpoint() >= settings.checkpointBytes();
            boolean byTime = Duration.between(lastCheckpoint, Instant.now()).toMillis() >= intervalMillis
                    && wal.lastLsn() > lastCheckpointLsn;
            if (bySize || byTime || checkpointRequested) {
                checkpointRequested = false;
                synchronized (checkpointLock) {
                    if (closed) {
                        return;
                    }
                    try {
                        doCheckpoint();
                    } catch (IOException | RuntimeException e) {
                        LOG.errorf(e, "localaws storage: checkpoint failed; the log is kept and the next one will try again");
                    }
                }
            }
        }
    }

    /** Rolls the log, snapshots every store, deletes what the snapshots cover. Under {@link #checkpointLock}. */
    private void doCheckpoint() throws IOException {
        long started = System.nanoTime();
        wal.roll().join();
        List<Journal<?>> stores;
        synchronized (this) {
            stores = List.copyOf(journals.values());
        }
        long floor = Long.MAX_VALUE;
        for (Journal<?> journal : stores) {
            writeSnapshot(journal);
            floor = Math.min(floor, journal.snapshotLsn);
        }
        if (floor == Long.MAX_VALUE) {
            floor = wal.lastLsn();
        }
        if (ready) {
            dropUnclaimed();
        } else {
            // Stores not registered yet still have their changes in the log: keep it whole.
            floor = unclaimedLogStores.isEmpty() ? floor : 0;
        }
        int deleted = wal.deleteUpTo(floor);
        lastCheckpoint = Instant.now();
        lastCheckpointLsn = wal.lastLsn();
        LOG.debugf("localaws storage: checkpoint of %d store(s) in %d ms, %d log segment(s) deleted", stores.size(),
                (System.nanoTime() - started) / 1_000_000, deleted);
    }

    private synchronized void dropUnclaimed() throws IOException {
        Set<String> orphans = new TreeSet<>(unclaimedLogStores);
        orphans.addAll(unclaimedSnapshots.keySet());
        orphans.removeAll(journals.keySet());
        if (orphans.isEmpty()) {
            return;
        }
        for (String store : orphans) {
            Path snapshot = unclaimedSnapshots.remove(store);
            if (snapshot != null) {
                Files.deleteIfExists(snapshot);
            }
        }
        unclaimedLogStores.clear();
        LOG.warnf("localaws storage: no service of this portal keeps store(s) %s; their state was dropped", orphans);
    }

    private <E> void writeSnapshot(Journal<E> journal) throws IOException {
        Object monitor = journal.monitor();
        SnapshotFile.Writer writer;
        long lsn;
        boolean force = durability() == Durability.FSYNC;
        if (monitor == null) {
            // Parts guard themselves: every change up to this LSN is applied by the time the snapshotter
            // reads its part, and later ones it may also see are replayed harmlessly.
            lsn = wal.lastLsn();
            writer = new SnapshotFile.Writer(snapshotDir(), journal.name(), journal.codecVersion(), lsn, force);
            emit(journal, writer);
        } else if (monitor instanceof ReentrantLock lock) {
            lock.lock();
            try {
                lsn = wal.lastLsn();
                writer = new SnapshotFile.Writer(snapshotDir(), journal.name(), journal.codecVersion(), lsn, force);
                emit(journal, writer);
            } finally {
                lock.unlock();
            }
        } else {
            synchronized (monitor) {
                lsn = wal.lastLsn();
                writer = new SnapshotFile.Writer(snapshotDir(), journal.name(), journal.codecVersion(), lsn, force);
                emit(journal, writer);
            }
        }
        try (writer) {
            // A snapshot never holds a change the log could still lose.
            wal.durable(lsn).join();
            writer.commit();
        }
        journal.snapshotLsn = lsn;
    }

    private static <E> void emit(Journal<E> journal, SnapshotFile.Writer writer) {
        journal.snapshot(change -> {
            Journal.Encoder encoded = journal.encode(change);
            try {
                writer.change(encoded.bytes(), encoded.length());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private void loadSnapshot(Journal<?> journal) {
        Path file = unclaimedSnapshots.remove(journal.name());
        if (file == null) {
            return;
        }
        Errors errors = new Errors();
        try {
            int codecVersion = SnapshotFile.header(file).codecVersion();
            SnapshotFile.Header header = SnapshotFile.read(file, (payload, offset, length) -> {
                try {
                    journal.replay(codecVersion, payload, offset, length);
                } catch (IOException | RuntimeException e) {
                    errors.add(journal.name(), -1, e);
                }
            });
            journal.snapshotLsn = header.lsn();
        } catch (IOException e) {
            // The snapshot cannot be trusted: start from what was read of it and the log after its LSN.
            LOG.errorf("localaws storage: the snapshot of store %s is damaged (%s); its state may be incomplete",
                    journal.name(), e.getMessage());
            try {
                journal.snapshotLsn = SnapshotFile.header(file).lsn();
            } catch (IOException unreadable) {
                journal.snapshotLsn = 0;
            }
        }
        errors.log();
    }

    private static void replay(Map<String, Journal<?>> stores, Errors errors, long lsn, String store, int version,
            byte[] payload, int offset, int length) {
        Journal<?> journal = stores.get(store);
        if (lsn <= journal.snapshotLsn) {
            return;
        }
        try {
            journal.replay(version, payload, offset, length);
        } catch (IOException | RuntimeException e) {
            errors.add(store, lsn, e);
        }
    }

    /** Changes that could not be read back: counted per store, one log line each. */
    private static final class Errors {
        private final Map<String, Long> counts = new LinkedHashMap<>();
        private final Map<String, String> first = new HashMap<>();

        void add(String store, long lsn, Exception e) {
            counts.merge(store, 1L, Long::sum);
            first.putIfAbsent(store, (lsn < 0 ? "in its snapshot" : "at LSN " + lsn) + ": " + e);
        }

        void log() {
            counts.forEach((store, n) -> LOG.errorf("localaws storage: %d change(s) of store %s could not be read back "
                    + "and were skipped (the first %s)", n, store, first.get(store)));
        }
    }

    /**
     * Writes what is still buffered, forces it and releases the directory. Stores' {@code beforeClose}
     * hooks run first. Idempotent.
     */
    @Override
    public void close() {
        List<Journal<?>> stores;
        synchronized (this) {
            if (closed) {
                return;
            }
            stores = List.copyOf(journals.values());
        }
        if (open) {
            for (Journal<?> journal : stores) {
                Runnable hook = journal.beforeCloseHook();
                if (hook != null) {
                    try {
                        hook.run();
                    } catch (RuntimeException e) {
                        LOG.warnf(e, "localaws storage: store %s could not flush before closing", journal.name());
                    }
                }
            }
        }
        synchronized (checkpointLock) {
            synchronized (this) {
                closed = true;
            }
        }
        if (checkpointer != null) {
            checkpointer.interrupt();
        }
        if (wal != null) {
            wal.close();
        }
        try {
            if (lock != null) {
                lock.release();
            }
            if (lockChannel != null) {
                lockChannel.close();
            }
        } catch (IOException e) {
            LOG.debugf(e, "localaws storage: releasing %s", root);
        }
    }

    /** Forces a directory's entries (new, renamed files) to disk; a no-op where the platform cannot. */
    static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some platforms cannot open or force a directory; the files themselves are forced.
        }
    }

    /** Deletes a tree (its root too when {@code self}); failures are logged, not thrown. */
    public static void deleteTree(Path dir, boolean self) {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    if (self || !d.equals(dir)) {
                        Files.deleteIfExists(d);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.debugf(e, "localaws storage: could not delete %s", dir);
        }
    }
}
