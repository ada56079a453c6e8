package dev.clicklog.localaws.http;

import java.nio.charset.StandardCharsets;

/**
 * Percent-encoding as S3 applies it: RFC 3986's unreserved characters ({@code A–Z a–z 0–9 - _ . ~})
 * stay, every other byte of the UTF-8 form becomes {@code %XX}. S3 encodes listed keys this way for
 * {@code encoding-type=url} (keeping {@code /}), SigV4 canonical requests use it, and IAM encodes
 * policy documents with it.
 */
public final class UriEncoding {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private UriEncoding() {
    }

    /** Encodes {@code value}, keeping {@code /} when {@code keepSlash}. */
    public static String encode(String value, boolean keepSlash) {
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '.' || c == '~' || (keepSlash && c == '/')) {
                out.append(c);
            } else {
                out.append('%').append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
            }
        }
        return out.toString();
    }
}
