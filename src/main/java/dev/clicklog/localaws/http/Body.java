package dev.clicklog.localaws.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A request's body as the handler gets it: bytes in memory, or — for the operations that take large
 * bodies (S3 objects and parts, see {@link BodyLimit#toFile()}) — a file it was received into, so
 * a large upload never sits in the heap. A handler may move the file away (into its own storage);
 * whatever is left is deleted once the request is answered.
 */
public final class Body {

    public static final Body EMPTY = new Body(new byte[0], null, 0);

    private final byte[] bytes;
    private final Path file;
    private final long length;

    private Body(byte[] bytes, Path file, long length) {
        this.bytes = bytes;
        this.file = file;
        this.length = length;
    }

    public static Body of(byte[] bytes) {
        return bytes == null || bytes.length == 0 ? EMPTY : new Body(bytes, null, bytes.length);
    }

    /** A body received into {@code file}, {@code length} bytes long. */
    public static Body file(Path file, long length) {
        return new Body(null, file, length);
    }

    public long length() {
        return length;
    }

    public boolean inFile() {
        return file != null;
    }

    /** The file the body was received into; null for a body in memory. */
    public Path file() {
        return file;
    }

    /** The bytes of a body in memory; a body received into a file is read with {@link #open()}. */
    public byte[] bytes() {
        if (file != null) {
            throw new IllegalStateException("this body was received into a file: read it with open()");
        }
        return bytes;
    }

    public InputStream open() throws IOException {
        return file != null ? Files.newInputStream(file) : new ByteArrayInputStream(bytes);
    }
}
