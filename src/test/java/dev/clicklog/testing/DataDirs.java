package dev.clicklog.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** localaws data directories in tests: committed fixtures put in place, and what a crash leaves behind. */
public final class DataDirs {

    private DataDirs() {
    }

    /**
     * Copies every file of {@code from} to {@code to} but the lock, which belongs to the running
     * process: taken while the storage runs, the copy is what a kill -9 at that moment leaves on
     * disk (as long as nothing writes meanwhile). Also puts a committed fixture in place.
     */
    public static Path crashCopy(Path from, Path to) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else if (!file.getFileName().toString().equals("LOCK")) {
                    Files.copy(file, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return to;
    }
}
