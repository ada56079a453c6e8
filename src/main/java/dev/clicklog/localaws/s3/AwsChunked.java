package dev.clicklog.localaws.s3;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Decodes the {@code aws-chunked} content encoding recent SDKs use for uploads:
 * {@code hex-size[;chunk-signature=…]\r\n data \r\n … 0[;…]\r\n} then trailer lines
 * ({@code x-amz-checksum-crc32:…}, {@code x-amz-trailer-signature:…}) and a blank line. Signed and
 * unsigned variants share the framing; signatures are not verified (localaws accepts any
 * credentials).
 */
final class AwsChunked {

    /** The payload and the trailers, trailer names lower-cased. */
    record Decoded(byte[] data, Map<String, String> trailers) {
    }

    private AwsChunked() {
    }

    static Decoded decode(byte[] body, int expectedLengthHint) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(expectedLengthHint, 0));
        int pos = 0;
        while (true) {
            int eol = lineEnd(body, pos);
            String header = new String(body, pos, eol - pos, StandardCharsets.US_ASCII);
            pos = eol + 2;
            int semicolon = header.indexOf(';');
            String hex = (semicolon < 0 ? header : header.substring(0, semicolon)).trim();
            int size;
            try {
                size = Integer.parseInt(hex, 16);
            } catch (NumberFormatException e) {
                throw incomplete("Invalid chunk size: " + hex);
            }
            if (size < 0 || size > body.length - pos) {
                throw incomplete("The request body terminated unexpectedly");
            }
            if (size == 0) {
                return new Decoded(out.toByteArray(), trailers(body, pos));
            }
            out.write(body, pos, size);
            pos += size;
            if (pos + 2 > body.length || body[pos] != '\r' || body[pos + 1] != '\n') {
                throw incomplete("The request body terminated unexpectedly");
            }
            pos += 2;
        }
    }

    private static Map<String, String> trailers(byte[] body, int start) {
        Map<String, String> trailers = new LinkedHashMap<>();
        int pos = start;
        while (pos < body.length) {
            int eol = lineEnd(body, pos);
            String line = new String(body, pos, eol - pos, StandardCharsets.UTF_8);
            pos = eol + 2;
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw incomplete("Malformed trailer: " + line);
            }
            trailers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        return trailers;
    }

    private static int lineEnd(byte[] body, int from) {
        for (int i = from; i + 1 < body.length; i++) {
            if (body[i] == '\r' && body[i + 1] == '\n') {
                return i;
            }
        }
        throw incomplete("The request body terminated unexpectedly");
    }

    private static S3Exception incomplete(String message) {
        return new S3Exception(400, "IncompleteBody", message);
    }
}
