package dev.clicklog.localaws.s3;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One satisfiable byte range of an object, from a Range header as S3 reads it: a single
 * {@code bytes=first-last}, {@code bytes=first-} or {@code bytes=-suffix}. Anything else (several
 * ranges, other units, bad syntax) is ignored and the whole object is sent, as S3 does.
 */
record ByteRange(long first, long last) {

    private static final Pattern SINGLE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    long length() {
        return last - first + 1;
    }

    String contentRange(long size) {
        return "bytes " + first + "-" + last + "/" + size;
    }

    /** The range to send, or null for the whole object; 416 InvalidRange when it cannot be satisfied. */
    static ByteRange parse(String header, long size) {
        if (header == null) {
            return null;
        }
        Matcher m = SINGLE.matcher(header.trim());
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return null;
        }
        try {
            if (m.group(1).isEmpty()) {
                long suffix = Long.parseLong(m.group(2));
                if (suffix == 0 || size == 0) {
                    throw invalid(header, size);
                }
                return new ByteRange(Math.max(0, size - suffix), size - 1);
            }
            long first = Long.parseLong(m.group(1));
            long last = m.group(2).isEmpty() ? size - 1 : Long.parseLong(m.group(2));
            if (last < first) {
                return null;
            }
            if (first >= size) {
                throw invalid(header, size);
            }
            return new ByteRange(first, Math.min(last, size - 1));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static S3Exception invalid(String header, long size) {
        return new S3Exception(416, "InvalidRange", "The requested range is not satisfiable")
                .with("RangeRequested", header).with("ActualObjectSize", size);
    }
}
