package dev.clicklog.localaws.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

/**
 * An append-only sequence of records on disk — the records of one Kinesis shard — addressed by
 * their index, which never changes: segment files of about {@code segmentBytes} each
 * ({@code <first index>.rec}), each record a checksummed frame (arrival time, key, data). Memory
 * holds only a sparse index (the file offset and arrival time of every {@code indexEvery}-th
 * record) and, shared by all logs, a bounded cache of blocks read; so memory does not follow how
 * many records the log holds. Retention deletes whole segments.
 *
 * <p>One writer at a time ({@link #add}, {@link #publish}, {@link #trim}, {@link #force} are
 * serialised by the caller, e.g. the shard's lock); readers never lock and see every record below
 * the {@link #end()} they read first. Records are written to the file at {@link #publish()} (to the
 * operating system; {@link #force()} puts them on disk, at a checkpoint): the write-ahead log is
 * what makes a record durable, and after a crash the service re-adds the records the log has past
 * {@link #end()} (which a torn tail was cut back to).
 */
public final class RecordLog implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RecordLog.class);
    static final String SUFFIX = ".rec";
    /** Arrival (8) and key length (2) before the key. */
    private static final int RECORD_HEADER = 10;
    private static final AtomicLong SEGMENT_IDS = new AtomicLong();

    /** Receives records as they are read: the key and the data are slices of {@code bytes}. */
    @FunctionalInterface
    public interface RecordVisitor {
        void record(long index, long arrivalMillis, byte[] bytes, int keyOffset, int keyLength, int dataLength)
                throws IOException;
    }

    /** How large segments grow, and how sparse the in-memory index is. */
    public record Settings(long segmentBytes, int indexEvery) {

        public static final Settings DEFAULT = new Settings(64L << 20, 64);
    }

    /** One segment file: its records' indexes and arrivals, and the sparse index into it. */
    private static final class Segment {
        final long uid = SEGMENT_IDS.incrementAndGet();
        final long firstIndex;
        final Path file;
        private volatile FileChannel channel;
        /** Closed on purpose (retention, close): then a closed channel is not opened again. */
        private volatile boolean closed;
        /** Records readers may see; written by the writer only after their bytes are in the file. */
        volatile int count;
        /** Bytes of whole records in the file; readers read below it only. */
        volatile long size;
        volatile long lastArrival = Long.MIN_VALUE;
        long firstArrival = Long.MIN_VALUE;
        /** Every indexEvery-th record: its offset and arrival. Replaced whole when grown. */
        volatile long[] sampleOffsets = new long[16];
        volatile long[] sampleArrivals = new long[16];
        boolean dirty;

        Segment(long firstIndex, Path file, FileChannel channel) {
            this.firstIndex = firstIndex;
            this.file = file;
            this.channel = channel;
        }

        /**
         * Runs {@code call} on the segment's channel. A thread interrupted during I/O closes a
         * FileChannel for every thread that shares it: the channel is then opened again, so one
         * interrupted reader (a delivery stopped at shutdown, say) does not leave the shard
         * unreadable and unwritable; the interrupted thread itself still gets its exception.
         */
        <T> T io(Io<T> call) throws IOException {
            while (true) {
                FileChannel ch = channel;
                try {
                    return call.on(ch);
                } catch (ClosedChannelException e) {
                    if (closed) {
                        throw e;
                    }
                    boolean interrupted = Thread.interrupted();
                    try {
                        reopen(ch);
                    } finally {
                        if (interrupted) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    if (e instanceof ClosedByInterruptException) {
                        throw e;
                    }
                }
            }
        }

        private synchronized void reopen(FileChannel was) throws IOException {
            if (channel == was && !closed) {
                channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
                LOG.debugf("localaws storage: %s opened again after an interrupted thread closed it", file);
            }
        }

        synchronized void close() throws IOException {
            closed = true;
            channel.close();
        }
    }

    @FunctionalInterface
    private interface Io<T> {
        T on(FileChannel channel) throws IOException;
    }

    private final Path dir;
    private final Settings settings;
    private final BlockCache cache;
    private volatile Segment[] segments = new Segment[0];
    private volatile long end;

    // Writer side.
    private record Retired(Segment segment, long retiredAt) {
    }

    static final long RETIRED_NANOS = 60_000_000_000L;
    private final List<Retired> retired = new ArrayList<>();
    private long next;
    private long lastArrival;
    /** A segment file was created or deleted since the last force: the directories are forced too. */
    private boolean directoryChanged = true;
    private final Writer writer = new Writer();

    private RecordLog(Path dir, Settings settings, BlockCache cache) {
        this.dir = dir;
        this.settings = settings;
        this.cache = cache;
    }

    /**
     * Opens the log in {@code dir} (creating it), reading back every segment: the sparse index is
     * rebuilt, and a torn or damaged tail is cut at the last whole record, with one log line.
     * {@code firstIndex} is where an empty log starts.
     */
    public static RecordLog open(Path dir, long firstIndex, Settings settings, BlockCache cache) {
        RecordLog log = new RecordLog(dir, settings, cache);
        try {
            Files.createDirectories(dir);
            log.recover(firstIndex);
        } catch (IOException e) {
            throw new StorageException("cannot open the records in " + dir + ": " + e, e);
        }
        return log;
    }

    private void recover(long firstIndex) throws IOException {
        List<Long> firsts;
        try (Stream<Path> files = Files.list(dir)) {
            firsts = files.map(RecordLog::firstIndex).filter(i -> i >= 0).sorted().toList();
        }
        List<Segment> found = new ArrayList<>();
        long expected = firsts.isEmpty() ? firstIndex : firsts.get(0);
        for (int i = 0; i < firsts.size(); i++) {
            Path file = segmentFile(dir, firsts.get(i));
            if (firsts.get(i) != expected) {
                cutFrom(firsts, i, 0, "a segment starting at record " + firsts.get(i) + " where " + expected + " was due");
                break;
            }
            FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            Segment s = new Segment(firsts.get(i), file, ch);
            String problem = scan(s);
            if (s.size == 0) {
                // Not even its header is whole: the segment goes, with those after it.
                ch.close();
                cutFrom(firsts, i, 0, problem + " in " + file.getFileName());
                break;
            }
            found.add(s);
            expected = s.firstIndex + s.count;
            if (problem != null) {
                long dropped = ch.size() - s.size;
                ch.truncate(s.size);
                cutFrom(firsts, i + 1, dropped, problem + " in " + file.getFileName() + " at offset " + s.size);
                break;
            }
        }
        segments = found.toArray(new Segment[0]);
        next = expected;
        end = expected;
        lastArrival = found.isEmpty() ? Long.MIN_VALUE : found.get(found.size() - 1).lastArrival;
    }

    /** Reads a segment's frames, rebuilding its index; returns what ended it early, or null. */
    private String scan(Segment s) throws IOException {
        Frames.Reader reader = new Frames.Reader(s.channel, 0);
        if (reader.next() != Frames.Status.FRAME) {
            s.size = 0;
            return "a segment header with " + (reader.problem() == null ? "nothing" : reader.problem());
        }
        FileHeader.Opened header = FileHeader.open(FileHeader.RECORDS_MAGIC, reader.body(), reader.bodyOffset(),
                reader.bodyLength(), s.file.toString());
        if (header.fields().readLong() != s.firstIndex) {
            s.size = 0;
            return "a segment header naming another first record";
        }
        s.size = reader.position();
        while (true) {
            long offset = reader.position();
            Frames.Status status = reader.next();
            if (status == Frames.Status.END) {
                return null;
            }
            if (status != Frames.Status.FRAME || reader.bodyLength() < RECORD_HEADER) {
                return status == Frames.Status.FRAME ? "a record too short" : reader.problem();
            }
            long arrival = ByteBuffer.wrap(reader.body(), reader.bodyOffset(), 8).getLong();
            indexRecord(s, s.count, offset, arrival);
            s.count++;
            s.size = reader.position();
        }
    }

    private void cutFrom(List<Long> firsts, int from, long droppedBytes, String problem) throws IOException {
        long dropped = droppedBytes;
        for (int j = from; j < firsts.size(); j++) {
            Path later = segmentFile(dir, firsts.get(j));
            dropped += Files.size(later);
            Files.delete(later);
        }
        LOG.warnf("localaws storage: the records in %s ended in %s: dropped %d bytes after the last whole record",
                dir, problem, dropped);
    }

    static Path segmentFile(Path dir, long firstIndex) {
        return FileNames.numbered(dir, firstIndex, SUFFIX);
    }

    private static long firstIndex(Path file) {
        return FileNames.number(file, SUFFIX);
    }

    /** How many records were ever appended; the index the next record gets once published. */
    public long end() {
        return end;
    }

    /** Appends one record (visible to readers after {@link #publish()}) and returns its index. */
    public long add(long arrivalMillis, byte[] key, byte[] data) {
        Segment tail = tailWithRoom(RECORD_HEADER + key.length + data.length);
        lastArrival = Math.max(lastArrival, arrivalMillis);
        long offset = tail.size + writer.size;
        writer.add(lastArrival, key, data);
        indexRecord(tail, (int) (next - tail.firstIndex), offset, lastArrival);
        return next++;
    }

    /** Writes what was added to the segment file and makes it visible to readers. */
    public void publish() {
        Segment tail = segments.length == 0 ? null : segments[segments.length - 1];
        if (tail == null || writer.size == 0) {
            end = next;
            return;
        }
        try {
            Segment t = tail;
            t.io(ch -> {
                writer.writeTo(ch, t.size);
                return null;
            });
        } catch (IOException e) {
            throw new StorageException("writing records to " + tail.file + " failed: " + e, e);
        }
        tail.size += writer.size;
        tail.dirty = true;
        tail.count = (int) (next - tail.firstIndex);
        writer.clear();
        end = next;
    }

    /** Forces every segment written since the last force to disk (a checkpoint, before the log drops what covers them). */
    public void force() {
        if (directoryChanged) {
            // A new file's name must be on disk with its records: the log's directory and those above it
            // (a Kinesis shard's: shard, stream, area, data directory).
            Path d = dir;
            for (int up = 0; up < 4 && d != null; up++, d = d.getParent()) {
                Storage.forceDirectory(d);
            }
            directoryChanged = false;
        }
        for (Segment s : segments) {
            if (s.dirty) {
                try {
                    s.io(ch -> {
                        ch.force(false);
                        return null;
                    });
                } catch (IOException e) {
                    throw new StorageException("forcing " + s.file + " failed: " + e, e);
                }
                s.dirty = false;
            }
        }
    }

    /**
     * Deletes the segments whose every record arrived before {@code cutoffMillis}; the segment
     * being written stays (readers skip its expired records by arrival) unless all its records
     * expired too: then an empty one at {@link #end()} takes its place. Deleted files are closed a
     * while later, at a trim that may delete nothing (an idle shard's), so their space comes back.
     */
    public void trim(long cutoffMillis) {
        trim(cutoffMillis, System.nanoTime());
    }

    void trim(long cutoffMillis, long nowNanos) {
        // A reader may still be in a segment it found before: its file is closed a while later.
        retired.removeIf(r -> {
            if (nowNanos - r.retiredAt < RETIRED_NANOS) {
                return false;
            }
            close(r.segment);
            return true;
        });
        Segment[] cs = segments;
        int drop = 0;
        while (drop < cs.length - 1 && cs[drop].lastArrival < cutoffMillis) {
            drop++;
        }
        Segment tail = cs.length == 0 ? null : cs[cs.length - 1];
        if (drop == cs.length - 1 && tail.count > 0 && tail.lastArrival < cutoffMillis && writer.size == 0) {
            // Every record expired: an empty segment at the next index carries the count on, so the
            // last one can go too.
            startSegment();
            drop = cs.length;
            cs = segments;
        }
        if (drop == 0) {
            return;
        }
        segments = Arrays.copyOfRange(cs, drop, cs.length);
        for (int i = 0; i < drop; i++) {
            retired.add(new Retired(cs[i], nowNanos));
            cache.forget(cs[i].uid);
            try {
                Files.deleteIfExists(cs[i].file);
            } catch (IOException e) {
                LOG.warnf(e, "localaws storage: could not delete %s", cs[i].file);
            }
        }
    }

    /**
     * Moves a log that keeps no record on to {@code index}, where the next record goes: a shard
     * whose files lost their count (deleted, or a crash right after retention emptied them) goes on
     * from the count its journal knows, so no index is given out twice. Writer side.
     */
    public void skipTo(long index) {
        if (next != end || retainedRecords() != 0 || index < end) {
            throw new IllegalStateException("only an empty log moves on, and only forward: at " + end + ", asked " + index);
        }
        if (index == end) {
            return;
        }
        Segment[] old = segments;
        next = index;
        end = index;
        startSegment();
        Segment[] cs = segments;
        segments = Arrays.copyOfRange(cs, old.length, cs.length);
        for (Segment s : old) {
            close(s);
            cache.forget(s.uid);
            try {
                Files.deleteIfExists(s.file);
            } catch (IOException e) {
                LOG.warnf(e, "localaws storage: could not delete %s", s.file);
            }
        }
    }

    /** The oldest record kept; {@link #end()} when none is. */
    public long firstIndex() {
        Segment[] cs = segments;
        return cs.length == 0 ? end : Math.min(cs[0].firstIndex, end);
    }

    /** The first record (kept) that arrived at or after the time, or {@link #end()} if none did. */
    public long firstArrivedAtOrAfter(long millis) {
        long e = end;
        Segment[] cs = segments;
        for (Segment s : cs) {
            int n = visible(s, e);
            if (n == 0 || s.lastArrival < millis) {
                continue;
            }
            // The last sampled record that arrived before the time, then scan from it.
            long[] arrivals = s.sampleArrivals;
            int samples = (n + settings.indexEvery() - 1) / settings.indexEvery();
            int lo = 0;
            int hi = samples - 1;
            int from = 0;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (arrivals[mid] < millis) {
                    from = mid;
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            long[] found = { -1 };
            try {
                scanFrom(s, from, n, (index, arrival, bytes, keyOffset, keyLength, dataLength) -> {
                    if (found[0] < 0 && arrival >= millis) {
                        found[0] = index;
                        throw StopScan.INSTANCE;
                    }
                });
            } catch (StopScan stop) {
                return found[0];
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        return e;
    }

    /** The arrival time of a kept record, or -1 when it is not (or no longer) kept. */
    public long arrival(long index) {
        long[] arrival = { -1 };
        try {
            read(index, 1, Long.MAX_VALUE, (i, a, bytes, ko, kl, dl) -> {
                if (i == index) {
                    arrival[0] = a;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return arrival[0];
    }

    /**
     * Visits records from {@code from} on (or from the oldest kept one, if older ones were
     * deleted): at most {@code maxRecords}, and no more bytes than {@code maxBytes} except that the
     * first record is always visited. Returns the index after the last record visited.
     */
    public long read(long from, int maxRecords, long maxBytes, RecordVisitor visitor) throws IOException {
        long e = end;
        Segment[] cs = segments;
        if (cs.length == 0 || from >= e) {
            return Math.max(from, Math.min(e, cs.length == 0 ? e : cs[0].firstIndex));
        }
        long position = Math.max(from, cs[0].firstIndex);
        int si = segmentOf(cs, position);
        int[] records = { 0 };
        long[] bytes = { 0 };
        long[] at = { position };
        while (si < cs.length && at[0] < e && records[0] < maxRecords) {
            Segment s = cs[si];
            int n = visible(s, e);
            int k = (int) (at[0] - s.firstIndex);
            try {
                scanFrom(s, k / settings.indexEvery(), n, (index, arrival, b, keyOffset, keyLength, dataLength) -> {
                    if (index < at[0]) {
                        return;
                    }
                    int size = keyLength + dataLength;
                    if (records[0] == maxRecords || (records[0] > 0 && bytes[0] + size > maxBytes)) {
                        throw StopScan.INSTANCE;
                    }
                    visitor.record(index, arrival, b, keyOffset, keyLength, dataLength);
                    records[0]++;
                    bytes[0] += size;
                    at[0] = index + 1;
                });
            } catch (StopScan stop) {
                return at[0];
            }
            si++;
            if (si < cs.length) {
                at[0] = Math.max(at[0], cs[si].firstIndex);
            }
        }
        return at[0];
    }

    /** Records kept (for tests of trimming). */
    public long retainedRecords() {
        return end - firstIndex();
    }

    /** Bytes the segment files hold. */
    public long diskBytes() {
        long total = 0;
        for (Segment s : segments) {
            total += s.size;
        }
        return total;
    }

    /** Heap the log itself holds: its sparse index and its write buffer (the block cache is counted apart). */
    public long heapBytes() {
        long total = writer.capacity();
        for (Segment s : segments) {
            total += 16L * s.sampleOffsets.length + 128;
        }
        return total;
    }

    @Override
    public void close() {
        for (Segment s : segments) {
            close(s);
        }
        retired.forEach(r -> close(r.segment));
        retired.clear();
    }

    private static void close(Segment s) {
        try {
            s.close();
        } catch (IOException e) {
            LOG.debugf(e, "localaws storage: closing %s", s.file);
        }
    }

    /** Visits the records of a segment from sample {@code sample} up to record {@code n} (exclusive). */
    private void scanFrom(Segment s, int sample, int n, RecordVisitor visitor) throws IOException {
        long offset = s.sampleOffsets[sample];
        long index = s.firstIndex + (long) sample * settings.indexEvery();
        long last = s.firstIndex + n;
        Reader reader = new Reader(s);
        while (index < last) {
            ByteBuffer head = reader.head(offset);
            int length = head.getInt(0);
            int crc = head.getInt(4);
            byte[] body = reader.read(offset + Frames.HEADER, length);
            if (Frames.crc(body, 0, length) != crc) {
                throw new StorageException("record " + index + " in " + s.file + " is damaged (checksum mismatch)");
            }
            long arrival = ByteBuffer.wrap(body, 0, 8).getLong();
            int keyLength = ((body[8] & 0xff) << 8) | (body[9] & 0xff);
            visitor.record(index, arrival, body, RECORD_HEADER, keyLength, length - RECORD_HEADER - keyLength);
            offset += Frames.HEADER + length;
            index++;
        }
    }

    /** Reads a segment's bytes through the block cache: full blocks are cached, the growing last one never. */
    private final class Reader {
        private final Segment s;
        private final long size;
        private final byte[] head = new byte[Frames.HEADER];
        private final ByteBuffer headBuffer = ByteBuffer.wrap(head);
        private byte[] scratch = new byte[256];

        Reader(Segment s) {
            this.s = s;
            this.size = s.size;
        }

        /** A frame's header (length, checksum). */
        ByteBuffer head(long offset) throws IOException {
            copy(offset, head, Frames.HEADER);
            return headBuffer;
        }

        /** {@code length} bytes from {@code offset}, in a buffer valid until the next read. */
        byte[] read(long offset, int length) throws IOException {
            if (scratch.length < length) {
                scratch = new byte[Math.max(length, scratch.length * 2)];
            }
            copy(offset, scratch, length);
            return scratch;
        }

        private void copy(long offset, byte[] out, int length) throws IOException {
            int done = 0;
            while (done < length) {
                long at = offset + done;
                long block = at / BlockCache.BLOCK;
                int within = (int) (at % BlockCache.BLOCK);
                byte[] b = block(block);
                int n = Math.min(length - done, b.length - within);
                if (n <= 0) {
                    throw new IOException(s.file + " is shorter than its index says");
                }
                System.arraycopy(b, within, out, done, n);
                done += n;
            }
        }

        private byte[] block(long block) throws IOException {
            long start = block * BlockCache.BLOCK;
            boolean full = start + BlockCache.BLOCK <= size;
            byte[] b = full ? cache.get(s.uid, block) : null;
            if (b != null) {
                return b;
            }
            int length = (int) Math.min(BlockCache.BLOCK, size - start);
            b = new byte[Math.max(0, length)];
            ByteBuffer buf = ByteBuffer.wrap(b);
            while (buf.hasRemaining()) {
                if (s.io(ch -> ch.read(buf, start + buf.position())) < 0) {
                    throw new IOException(s.file + " ended early");
                }
            }
            if (full) {
                cache.put(s.uid, block, b);
            }
            return b;
        }
    }

    /** Ends a scan early without the cost of a stack trace. */
    private static final class StopScan extends RuntimeException {
        static final StopScan INSTANCE = new StopScan();

        private StopScan() {
            super(null, null, false, false);
        }
    }

    /** Notes record {@code k} of the segment (at {@code offset}) in its sparse index. */
    private void indexRecord(Segment s, int k, long offset, long arrival) {
        if (k % settings.indexEvery() == 0) {
            int sample = k / settings.indexEvery();
            if (sample == s.sampleOffsets.length) {
                // Grown arrays replace the old ones whole: a reader holding the old ones still finds its samples.
                long[] offsets = Arrays.copyOf(s.sampleOffsets, sample * 2);
                long[] arrivals = Arrays.copyOf(s.sampleArrivals, sample * 2);
                offsets[sample] = offset;
                arrivals[sample] = arrival;
                s.sampleArrivals = arrivals;
                s.sampleOffsets = offsets;
            } else {
                s.sampleOffsets[sample] = offset;
                s.sampleArrivals[sample] = arrival;
            }
        }
        if (s.firstArrival == Long.MIN_VALUE) {
            s.firstArrival = arrival;
        }
        s.lastArrival = arrival;
    }

    /** The segment the next record goes to: the last, or a new one once the last is full. */
    private Segment tailWithRoom(int recordBytes) {
        Segment[] cs = segments;
        Segment tail = cs.length == 0 ? null : cs[cs.length - 1];
        // A record larger than a segment gets one of its own.
        if (tail != null && (next == tail.firstIndex || tail.size + writer.size + recordBytes <= settings.segmentBytes())) {
            return tail;
        }
        publish();
        return startSegment();
    }

    /** Starts a segment at the next index, after the others. */
    private Segment startSegment() {
        Segment[] cs = segments;
        try {
            Path file = segmentFile(dir, next);
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            long first = next;
            byte[] header = FileHeader.frame(FileHeader.RECORDS_MAGIC, out -> {
                out.writeLong(first);
                out.writeLong(System.currentTimeMillis());
            });
            ch.write(ByteBuffer.wrap(header), 0);
            Segment s = new Segment(next, file, ch);
            s.size = header.length;
            s.dirty = true;
            directoryChanged = true;
            Segment[] grown = Arrays.copyOf(cs, cs.length + 1);
            grown[cs.length] = s;
            segments = grown;
            return s;
        } catch (IOException e) {
            throw new StorageException("cannot start a records segment in " + dir + ": " + e, e);
        }
    }

    /** Records of segment {@code s} below {@code e}. */
    private static int visible(Segment s, long e) {
        return (int) Math.max(0, Math.min(s.count, e - s.firstIndex));
    }

    /** The segment holding the index (the first one when the index was deleted). */
    private static int segmentOf(Segment[] cs, long index) {
        int lo = 0;
        int hi = cs.length - 1;
        int found = 0;
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

    /** Records added but not yet published, framed as in the file. */
    private static final class Writer {
        /** Small at first: a shard that is rarely written costs little. */
        private static final int INITIAL = 4 * 1024;
        private byte[] bytes = new byte[INITIAL];
        int size;

        void add(long arrival, byte[] key, byte[] data) {
            int body = RECORD_HEADER + key.length + data.length;
            ensure(Frames.HEADER + body);
            int bodyAt = size + Frames.HEADER;
            ByteBuffer b = ByteBuffer.wrap(bytes);
            b.position(bodyAt);
            b.putLong(arrival).putShort((short) key.length).put(key).put(data);
            ByteBuffer.wrap(bytes).putInt(size, body).putInt(size + 4, Frames.crc(bytes, bodyAt, body));
            size += Frames.HEADER + body;
        }

        void writeTo(FileChannel channel, long position) throws IOException {
            ByteBuffer out = ByteBuffer.wrap(bytes, 0, size);
            while (out.hasRemaining()) {
                channel.write(out, position + out.position());
            }
        }

        void clear() {
            size = 0;
            if (bytes.length > 4 * 1024 * 1024) {
                bytes = new byte[INITIAL];
            }
        }

        int capacity() {
            return bytes.length;
        }

        private void ensure(int n) {
            if (size + n > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(size + n, bytes.length * 2));
            }
        }
    }
}
