package dev.clicklog.localaws.storage;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The first frame of every file the storage layer writes: an 8-byte magic saying what the file
 * is, the format version it was written in, then fields of that kind of file. A reader checks the
 * magic and the version before anything else, so a newer layout is refused clearly rather than
 * misread.
 */
final class FileHeader {

    /** The format this code writes; it reads this one and every earlier one. */
    static final int FORMAT_VERSION = 1;

    static final byte[] LOG_MAGIC = "CLKLGWAL".getBytes(StandardCharsets.US_ASCII);
    static final byte[] SNAPSHOT_MAGIC = "CLKLGSNP".getBytes(StandardCharsets.US_ASCII);
    static final byte[] RECORDS_MAGIC = "CLKLGREC".getBytes(StandardCharsets.US_ASCII);

    private FileHeader() {
    }

    /** Writes a header frame: magic, {@link #FORMAT_VERSION}, then whatever {@code fields} writes. */
    static byte[] frame(byte[] magic, Fields fields) {
        try {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(body);
            out.write(magic);
            out.writeInt(FORMAT_VERSION);
            fields.write(out);
            out.flush();
            byte[] b = body.toByteArray();
            ByteBuffer frame = ByteBuffer.allocate(Frames.HEADER + b.length);
            Frames.putHeader(frame, b, 0, b.length);
            frame.put(b);
            return frame.array();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The fields after magic and version. */
    @FunctionalInterface
    interface Fields {
        void write(DataOutputStream out) throws IOException;
    }

    /**
     * Opens a header frame's body: checks the magic, reads the version and returns a stream
     * positioned at the fields, or throws {@link NewerFormatException} for a version this code does
     * not know and {@link IOException} for another kind of file.
     */
    static Opened open(byte[] magic, byte[] body, int offset, int length, String file) throws IOException {
        if (length < magic.length + 4 || !Arrays.equals(body, offset, offset + magic.length, magic, 0, magic.length)) {
            throw new IOException(file + " is not a " + new String(magic, StandardCharsets.US_ASCII) + " file");
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(body, offset + magic.length,
                length - magic.length));
        int version = in.readInt();
        if (version < 1 || version > FORMAT_VERSION) {
            throw new NewerFormatException(file, version);
        }
        return new Opened(version, in);
    }

    record Opened(int version, DataInputStream fields) {
    }

    /** A file written in a format this code does not know (by a newer portal). */
    static final class NewerFormatException extends StorageException {
        NewerFormatException(String file, int version) {
            super(file + " is in storage format " + version + ", newer than this portal reads (" + FORMAT_VERSION
                    + "): start the portal version that wrote it, or move the data directory aside");
        }
    }
}
