package dev.clicklog.localaws.s3;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.UUID;

import dev.clicklog.localaws.http.Body;

/**
 * Object bodies on disk. Every write goes to a fresh file, published by an atomic rename; files
 * are never rewritten, so whoever holds an object's metadata reads exactly its bytes or, once an
 * overwrite or delete has removed the file, learns that it is gone.
 */
final class BlobFiles {

    private BlobFiles() {
    }

    /** A new, uniquely named file in {@code dir} holding {@code data}. */
    static Path write(Path dir, String namePrefix, byte[] data) {
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".tmp-", "");
            Files.write(tmp, data);
            return publish(tmp, dir.resolve(namePrefix + "-" + UUID.randomUUID()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A new, uniquely named file in {@code dir} holding the body: a body received into a file is
     * moved there (same file system, no copy), one in memory is written.
     */
    static Path write(Path dir, String namePrefix, Body body) {
        if (!body.inFile()) {
            return write(dir, namePrefix, body.bytes());
        }
        try {
            Files.createDirectories(dir);
            return publish(body.file(), dir.resolve(namePrefix + "-" + UUID.randomUUID()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A temporary file in {@code dir}, for content assembled piece by piece before {@link #publish}. */
    static Path temp(Path dir) {
        try {
            Files.createDirectories(dir);
            return Files.createTempFile(dir, ".tmp-", "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path publish(Path tmp, Path target) {
        try {
            return Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A new, uniquely named file in {@code dir} holding {@code length} bytes of {@code source} from
     * {@code offset}, fed to each hasher on the way; null when the source is gone (overwritten or
     * deleted meanwhile). Copies file to file, so an object of any size is never held in memory.
     */
    static Path copy(Path source, long offset, long length, Path dir, String namePrefix,
            List<ChecksumAlgorithm.Hasher> hashers) {
        Path tmp = temp(dir);
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
                OutputStream out = Files.newOutputStream(tmp)) {
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            long position = offset;
            long end = offset + length;
            while (position < end) {
                buf.clear().limit((int) Math.min(buf.capacity(), end - position));
                int n = in.read(buf, position);
                if (n < 0) {
                    throw new IOException("object file shorter than its recorded size: " + source);
                }
                out.write(buf.array(), 0, n);
                for (ChecksumAlgorithm.Hasher h : hashers) {
                    h.update(buf.array(), 0, n);
                }
                position += n;
            }
        } catch (NoSuchFileException e) {
            delete(tmp);
            return null;
        } catch (IOException e) {
            delete(tmp);
            throw new UncheckedIOException(e);
        }
        return publish(tmp, dir.resolve(namePrefix + "-" + UUID.randomUUID()));
    }

    /** {@code length} bytes from {@code offset}; null when the file is gone (overwritten or deleted meanwhile). */
    static byte[] read(Path file, long offset, int length) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(length);
            while (buf.hasRemaining()) {
                if (ch.read(buf, offset + buf.position()) < 0) {
                    throw new IOException("object file shorter than its recorded size: " + file);
                }
            }
            return buf.array();
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Forces a file's bytes to disk, then every directory from its own up to {@code area}, so the
     * file is found under its name after a crash of the machine.
     */
    static void force(Path file, Path area) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path dir = file.getParent(); dir != null && dir.startsWith(area); dir = dir.getParent()) {
            try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
                ch.force(true);
            } catch (IOException e) {
                // Some platforms cannot open or force a directory; the file itself is forced.
                return;
            }
        }
    }

    static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path dir) {
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
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
