package dev.clicklog.localaws.s3;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Decodes the {@code aws-chunked} content encoding recent SDKs use for uploads:
 * {@code hex-size[;chunk-signature=…]\r\n data \r\n … 0[;…]\r\n} then trailer lines
 * ({@code x-amz-checksum-crc32:…}, {@code x-amz-trailer-signature:…}) and a blank line. Signed and
 * unsigned variants share the framing; signatures are not verified (localaws accepts any
 * credentials). Decodes as a stream, so a body of any size passes through a small buffer.
 */
final class AwsChunked {

    /** Longest chunk header or trailer line accepted (a signed chunk's header is about 90 bytes). */
    private static final int MAX_LINE = 8 * 1024;

    /** The payload and the trailers, trailer names lower-cased. */
    record Decoded(byte[] data, Map<String, String> trailers) {
    }

    private AwsChunked() {
    }

    static Decoded decode(byte[] body, int expectedLengthHint) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(expectedLengthHint, 0));
        try {
            Map<String, String> trailers = decode(new ByteArrayInputStream(body), out);
            return new Decoded(out.toByteArray(), trailers);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Decodes {@code raw} into {@code out}; returns the trailers. */
    static Map<String, String> decode(InputStream raw, OutputStream out) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        while (true) {
            String header = line(raw, StandardCharsets.US_ASCII);
            int semicolon = header.indexOf(';');
            String hex = (semicolon < 0 ? header : header.substring(0, semicolon)).trim();
            long size;
            try {
                size = Long.parseLong(hex, 16);
            } catch (NumberFormatException e) {
                throw incomplete("Invalid chunk size: " + hex);
            }
            if (size < 0) {
                throw incomplete("Invalid chunk size: " + hex);
            }
            if (size == 0) {
                return trailers(raw);
            }
            for (long left = size; left > 0;) {
                int n = raw.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw incomplete("The request body terminated unexpectedly");
                }
                out.write(buffer, 0, n);
                left -= n;
            }
            if (raw.read() != '\r' || raw.read() != '\n') {
                throw incomplete("The request body terminated unexpectedly");
            }
        }
    }

    private static Map<String, String> trailers(InputStream raw) throws IOException {
        Map<String, String> trailers = new LinkedHashMap<>();
        while (true) {
            String line = lineOrEnd(raw);
            if (line == null || line.isEmpty()) {
                return trailers;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw incomplete("Malformed trailer: " + line);
            }
            trailers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
    }

    /** The next line without its CRLF; the body must not end before it. */
    private static String line(InputStream raw, Charset charset) throws IOException {
        String line = readLine(raw, charset);
        if (line == null) {
            throw incomplete("The request body terminated unexpectedly");
        }
        return line;
    }

    /** The next trailer line, or null when the body ends (the final blank line is optional). */
    private static String lineOrEnd(InputStream raw) throws IOException {
        return readLine(raw, StandardCharsets.UTF_8);
    }

    /** Null when the stream ends before any byte of a line; a line cut short is an error. */
    private static String readLine(InputStream raw, Charset charset) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int previous = -1;
        while (true) {
            int b = raw.read();
            if (b < 0) {
                if (line.size() == 0 && previous < 0) {
                    return null;
                }
                throw incomplete("The request body terminated unexpectedly");
            }
            if (previous == '\r' && b == '\n') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, charset);
            }
            line.write(b);
            if (line.size() > MAX_LINE) {
                throw incomplete("A chunk header or trailer is too long");
            }
            previous = b;
        }
    }

    private static S3Exception incomplete(String message) {
        return new S3Exception(400, "IncompleteBody", message);
    }
}
