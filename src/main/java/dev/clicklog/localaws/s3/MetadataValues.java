package dev.clicklog.localaws.s3;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * User metadata values as S3 keeps them. HTTP carries header values as ISO-8859-1 text; S3 takes
 * that text as the value, decoding RFC 2047 encoded-words ({@code =?UTF-8?B?…?=}) first, and
 * answers a value with characters beyond US-ASCII as one RFC 2047 encoded-word of its UTF-8 bytes
 * ({@code =?UTF-8?B?…?=}); an all-ASCII value comes back as it was stored.
 */
final class MetadataValues {

    private static final Pattern ENCODED_WORD = Pattern.compile("=\\?([^?\\s]+)\\?([BbQq])\\?([^?\\s]*)\\?=");
    /** Whitespace between two adjacent encoded-words is not part of the text (RFC 2047 section 6.2). */
    private static final Pattern BETWEEN_WORDS = Pattern.compile("(\\?=)\\s+(=\\?)");

    private MetadataValues() {
    }

    /** The value to store for a header value as received. */
    static String stored(String headerValue) {
        if (!headerValue.contains("=?")) {
            return headerValue;
        }
        String joined = BETWEEN_WORDS.matcher(headerValue).replaceAll("$1$2");
        Matcher m = ENCODED_WORD.matcher(joined);
        StringBuilder out = new StringBuilder();
        int last = 0;
        while (m.find()) {
            String decoded = decode(m.group(1), m.group(2), m.group(3));
            if (decoded == null) {
                continue;
            }
            out.append(joined, last, m.start()).append(decoded);
            last = m.end();
        }
        return last == 0 ? headerValue : out.append(joined.substring(last)).toString();
    }

    /** The header value S3 answers for a stored value. */
    static String shown(String stored) {
        for (int i = 0; i < stored.length(); i++) {
            if (stored.charAt(i) > 0x7f) {
                return "=?UTF-8?B?" + Base64.getEncoder().encodeToString(stored.getBytes(StandardCharsets.UTF_8)) + "?=";
            }
        }
        return stored;
    }

    /** One encoded-word's text; null when its charset or encoding is unknown or malformed (it stays as sent). */
    private static String decode(String charsetName, String encoding, String text) {
        try {
            Charset charset = Charset.forName(charsetName.contains("*") ? charsetName.substring(0, charsetName.indexOf('*'))
                    : charsetName);
            byte[] bytes = encoding.equalsIgnoreCase("B") ? Base64.getDecoder().decode(text) : quoted(text);
            return bytes == null ? null : new String(bytes, charset);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** RFC 2047's "Q" encoding: {@code _} is a space, {@code =XX} a byte. */
    private static byte[] quoted(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '_') {
                out.write(' ');
            } else if (c == '=') {
                if (i + 2 >= text.length()) {
                    return null;
                }
                int hi = Character.digit(text.charAt(i + 1), 16);
                int lo = Character.digit(text.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                out.write(hi << 4 | lo);
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }
}
