package dev.clicklog.localaws.storage;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * One store's snapshot, {@code snapshots/<store>.snap}: a header (store, codec version, the LSN it
 * covers), one frame per change that rebuilds the state, and a closing frame with their count. It
 * is written to a temporary file, forced, and renamed over the previous one, so a crash leaves
 * either the old snapshot or the new one, never half of one.
 */
final class SnapshotFile {

    static final String SUFFIX = ".snap";
    private static final byte CHANGE = 1;
    private static final byte END = 0;

    /** What a snapshot's header says. */
    record Header(String store, int codecVersion, long lsn) {
    }

    @FunctionalInterface
    interface Visitor {
        void change(byte[] payload, int offset, int length) throws IOException;
    }

    private SnapshotFile() {
    }

    static Path file(Path dir, String store) {
        return dir.resolve(store + SUFFIX);
    }

    /** Writes changes into a new snapshot, as the store emits them. */
    static final class Writer implements AutoCloseable {
        private final Path dir;
        private final Path tmp;
        private final Path target;
        private final FileChannel channel;
        private final OutputStream out;
        private final boolean force;
        private long count;
        private boolean done;

        Writer(Path dir, String store, int codecVersion, long lsn, boolean force) throws IOException {
            Files.createDirectories(dir);
            this.dir = dir;
            this.target = file(dir, store);
            this.tmp = dir.resolve(store + SUFFIX + ".tmp");
            this.force = force;
            this.channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            this.out = new BufferedOutputStream(Channels.newOutputStream(channel), 256 * 1024);
            out.write(FileHeader.frame(FileHeader.SNAPSHOT_MAGIC, h -> {
                h.writeLong(lsn);
                h.writeLong(System.currentTimeMillis());
                h.writeByte(codecVersion);
                h.writeUTF(store);
            }));
        }

        void change(byte[] payload, int length) throws IOException {
            byte[] header = new byte[Frames.HEADER + 1];
            int crc = crcWithKind(CHANGE, payload, length);
            ByteBuffer.wrap(header).putInt(length + 1).putInt(crc).put(CHANGE);
            out.write(header);
            out.write(payload, 0, length);
            count++;
        }

        /** Ends the snapshot and puts it in place of the previous one. */
        void commit() throws IOException {
            byte[] body = ByteBuffer.allocate(9).put(END).putLong(count).array();
            ByteBuffer frame = ByteBuffer.allocate(Frames.HEADER + body.length);
            Frames.putHeader(frame, body, 0, body.length);
            frame.put(body);
            out.write(frame.array());
            out.flush();
            if (force) {
                channel.force(true);
            }
            channel.close();
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            if (force) {
                Storage.forceDirectory(dir);
            }
            done = true;
        }

        @Override
        public void close() throws IOException {
            if (!done) {
                channel.close();
                Files.deleteIfExists(tmp);
            }
        }

        private static int crcWithKind(byte kind, byte[] payload, int length) {
            CRC32C crc = new CRC32C();
            crc.update(kind);
            crc.update(payload, 0, length);
            return (int) crc.getValue();
        }
    }

    /** Reads only the header (to know which store and LSN a snapshot is of). */
    static Header header(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return header(new Frames.Reader(ch, 0), file);
        }
    }

    private static Header header(Frames.Reader reader, Path file) throws IOException {
        if (reader.next() != Frames.Status.FRAME) {
            throw new IOException(file.getFileName() + ": a snapshot header with " + reader.problem());
        }
        FileHeader.Opened opened = FileHeader.open(FileHeader.SNAPSHOT_MAGIC, reader.body(), reader.bodyOffset(),
                reader.bodyLength(), file.toString());
        long lsn = opened.fields().readLong();
        opened.fields().readLong();
        int codecVersion = opened.fields().readUnsignedByte();
        String store = opened.fields().readUTF();
        return new Header(store, codecVersion, lsn);
    }

    /**
     * Reads a whole snapshot, handing every change to the visitor; throws {@link IOException} if
     * any frame is torn or damaged or the closing count is missing or wrong.
     */
    static Header read(Path file, Visitor visitor) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Frames.Reader reader = new Frames.Reader(ch, 0);
            Header header = header(reader, file);
            long count = 0;
            while (true) {
                Frames.Status status = reader.next();
                if (status != Frames.Status.FRAME) {
                    throw new IOException(file.getFileName() + ": "
                            + (status == Frames.Status.END ? "no closing frame" : reader.problem()) + " after " + count
                            + " changes");
                }
                byte[] b = reader.body();
                int at = reader.bodyOffset();
                if (reader.bodyLength() < 1) {
                    throw new IOException(file.getFileName() + ": an empty frame");
                }
                if (b[at] == END) {
                    long declared = ByteBuffer.wrap(b, at + 1, 8).getLong();
                    if (declared != count) {
                        throw new IOException(file.getFileName() + ": closes with " + declared + " changes, holds " + count);
                    }
                    return header;
                }
                visitor.change(b, at + 1, reader.bodyLength() - 1);
                count++;
            }
        }
    }
}
