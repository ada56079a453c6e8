package dev.clicklog.localaws.kinesis;

import java.nio.charset.StandardCharsets;

/**
 * Sequence numbers as 56 decimal digits, like AWS's: "49", the stream's creation time in epoch
 * milliseconds (13 digits), the shard's index (6 digits), then a per-shard counter (35 digits).
 * They therefore increase within a shard, compare numerically as AWS's do, and tell which stream
 * and shard they came from. Record {@code i} of a shard carries counter {@code i + 1}; counter 0 is
 * the shard's StartingSequenceNumber.
 */
final class SequenceNumber {

    static final int LENGTH = 56;
    private static final int PREFIX = 21;
    /** A long has at most 19 digits; the counter's leading digits stay zero. */
    private static final int LONG_DIGITS = 19;

    /** Where a well-formed sequence number of this endpoint came from. */
    record Parsed(long streamCreatedMillis, int shardIndex, long counter) {
    }

    private SequenceNumber() {
    }

    /** The 21 leading digits shared by every sequence number of one shard. */
    static byte[] prefix(long streamCreatedMillis, int shardIndex) {
        String s = "49" + pad(streamCreatedMillis, 13) + pad(shardIndex, 6);
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Writes the 56 ASCII digits into {@code out} (which holds at least {@link #LENGTH} bytes). */
    static void write(byte[] prefix, long counter, byte[] out) {
        System.arraycopy(prefix, 0, out, 0, PREFIX);
        int i = LENGTH - 1;
        long v = counter;
        while (i >= PREFIX) {
            out[i--] = (byte) ('0' + (v % 10));
            v /= 10;
        }
    }

    static String format(byte[] prefix, long counter) {
        byte[] out = new byte[LENGTH];
        write(prefix, counter, out);
        return new String(out, StandardCharsets.US_ASCII);
    }

    /** The parts of a sequence number in this endpoint's format, or null for any other number. */
    static Parsed parse(String s) {
        if (s.length() != LENGTH || !s.startsWith("49")) {
            return null;
        }
        for (int i = 0; i < LENGTH; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        for (int i = PREFIX; i < LENGTH - LONG_DIGITS; i++) {
            if (s.charAt(i) != '0') {
                return null;
            }
        }
        try {
            long created = Long.parseLong(s, 2, 15, 10);
            int shard = Integer.parseInt(s, 15, PREFIX, 10);
            long counter = Long.parseLong(s, LENGTH - LONG_DIGITS, LENGTH, 10);
            return new Parsed(created, shard, counter);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String pad(long value, int digits) {
        String s = Long.toString(value);
        return "0".repeat(Math.max(0, digits - s.length())) + s;
    }
}
