package dev.clicklog.localaws.s3;

import java.util.Comparator;

/**
 * S3 lists keys in the binary order of their UTF-8 bytes, which is code point order. Java's
 * String order (UTF-16 units) differs for characters above U+FFFF, so keys are kept in this order.
 */
final class KeyOrder implements Comparator<String> {

    static final KeyOrder INSTANCE = new KeyOrder();

    private KeyOrder() {
    }

    @Override
    public int compare(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                // A surrogate stands for a code point above every BMP character; between two
                // surrogates (or two BMP characters) UTF-16 order already is code point order.
                boolean sx = Character.isSurrogate(x);
                boolean sy = Character.isSurrogate(y);
                if (sx != sy) {
                    return sx ? 1 : -1;
                }
                return x - y;
            }
        }
        return a.length() - b.length();
    }

    /**
     * The least string greater than every string starting with {@code prefix}, or null when there
     * is none; listing jumps there to skip the keys rolled up into a common prefix.
     */
    static String successor(String prefix) {
        int end = prefix.length();
        while (end > 0) {
            int cp = prefix.codePointBefore(end);
            int start = end - Character.charCount(cp);
            if (cp < Character.MAX_CODE_POINT) {
                return prefix.substring(0, start) + new String(Character.toChars(cp + 1));
            }
            end = start;
        }
        return null;
    }
}
