package dev.clicklog.localaws.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Reads the log's segments in order and hands every whole change to a visitor. The first frame
 * that is torn (a crash mid-write) or damaged (a checksum that does not match, a change out of
 * sequence) ends the log: with {@code repair} the segment is cut just before it and later segments
 * are deleted, so appends continue from the last whole change. What was cut is reported, never
 * refused; only a segment in a newer format than this code reads stops the scan.
 */
final class LogRecovery {

    /** Where the log was cut and what was dropped. */
    record Cut(Path file, long offset, String problem, long droppedBytes, int droppedSegments, long lastGoodLsn) {

        String describe() {
            return "the write-ahead log ended in " + problem + " at " + file.getFileName() + " offset " + offset
                    + ": dropped " + droppedBytes + " bytes after the last whole change (LSN " + lastGoodLsn + ")"
                    + (droppedSegments > 0 ? " and " + droppedSegments + " later segment file(s)" : "");
        }
    }

    /** The last whole change's LSN (0 when none), how many changes were read, and the cut if any. */
    record Result(long lastLsn, long entries, Cut cut) {
    }

    @FunctionalInterface
    interface Visitor {
        /** One change; {@code payload} is valid only during the call. */
        void change(long lsn, String store, int codecVersion, byte[] payload, int offset, int length) throws IOException;
    }

    private LogRecovery() {
    }

    static Result scan(Path dir, Visitor visitor, boolean repair, boolean force) throws IOException {
        List<Long> firsts = WriteAheadLog.segmentFirsts(dir);
        long last = 0;
        long entries = 0;
        for (int i = 0; i < firsts.size(); i++) {
            Path file = WriteAheadLog.segmentFile(dir, firsts.get(i));
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                Frames.Reader reader = new Frames.Reader(ch, 0);
                Frames.Status status = reader.next();
                String problem = null;
                long expected = -1;
                if (status != Frames.Status.FRAME) {
                    problem = status == Frames.Status.END ? "an empty segment" : "a segment header with " + reader.problem();
                } else {
                    FileHeader.Opened header = FileHeader.open(FileHeader.LOG_MAGIC, reader.body(), reader.bodyOffset(),
                            reader.bodyLength(), file.toString());
                    expected = header.fields().readLong();
                    if (expected != firsts.get(i) || expected <= last) {
                        problem = "a segment whose first LSN " + expected + " does not follow LSN " + last;
                    }
                }
                while (problem == null) {
                    status = reader.next();
                    if (status == Frames.Status.END) {
                        break;
                    }
                    if (status != Frames.Status.FRAME) {
                        problem = reader.problem();
                        break;
                    }
                    byte[] b = reader.body();
                    int at = reader.bodyOffset();
                    int length = reader.bodyLength();
                    int nameLength = length >= 10 ? b[at + 8] & 0xff : -1;
                    if (nameLength < 0 || 10 + nameLength > length) {
                        problem = "a change too short for its header";
                        break;
                    }
                    long lsn = ByteBuffer.wrap(b, at, 8).getLong();
                    if (lsn != expected) {
                        problem = "a change with LSN " + lsn + " where " + expected + " was due";
                        break;
                    }
                    String store = new String(b, at + 9, nameLength, StandardCharsets.UTF_8);
                    int codecVersion = b[at + 9 + nameLength] & 0xff;
                    int payload = at + 10 + nameLength;
                    visitor.change(lsn, store, codecVersion, b, payload, length - (payload - at));
                    last = lsn;
                    expected++;
                    entries++;
                }
                if (problem != null) {
                    long cutAt = reader.frameStart();
                    long dropped = ch.size() - cutAt;
                    int later = firsts.size() - i - 1;
                    for (int j = i + 1; j < firsts.size(); j++) {
                        dropped += Files.size(WriteAheadLog.segmentFile(dir, firsts.get(j)));
                    }
                    Cut cut = new Cut(file, cutAt, problem, dropped, later, last);
                    if (repair) {
                        cut(dir, firsts, i, cutAt, force);
                    }
                    return new Result(last, entries, cut);
                }
            }
        }
        return new Result(last, entries, null);
    }

    /** Truncates segment {@code i} at {@code offset} (deleting it when nothing whole is left) and deletes the later ones. */
    private static void cut(Path dir, List<Long> firsts, int i, long offset, boolean force) throws IOException {
        for (int j = i + 1; j < firsts.size(); j++) {
            Files.deleteIfExists(WriteAheadLog.segmentFile(dir, firsts.get(j)));
        }
        Path file = WriteAheadLog.segmentFile(dir, firsts.get(i));
        if (offset == 0) {
            Files.delete(file);
        } else {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.truncate(offset);
                if (force) {
                    ch.force(true);
                }
            }
        }
        if (force) {
            Storage.forceDirectory(dir);
        }
    }
}
