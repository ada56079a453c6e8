package dev.clicklog.localaws.storage;

import java.nio.file.Path;

/** Files named by the number of their first entry, zero-padded so that names sort as numbers: {@code 00000000000000000042.wal}. */
final class FileNames {

    private static final int DIGITS = 20;

    private FileNames() {
    }

    static Path numbered(Path dir, long number, String suffix) {
        return dir.resolve(String.format("%0" + DIGITS + "d", number) + suffix);
    }

    /** The number a file is named by; -1 for any other file. */
    static long number(Path file, String suffix) {
        String name = file.getFileName().toString();
        if (!name.endsWith(suffix) || name.length() != DIGITS + suffix.length()) {
            return -1;
        }
        try {
            return Long.parseLong(name.substring(0, DIGITS));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
