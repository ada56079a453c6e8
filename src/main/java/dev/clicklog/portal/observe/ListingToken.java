package dev.clicklog.portal.observe;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The continuation token the portal hands out: S3's own token together with the folder it
 * continues, so a token that was altered, or belongs to another folder, is refused by name
 * instead of listing something else.
 */
final class ListingToken {

    private static final String VERSION = "1";
    private static final String PARAMETER = "continuationToken";

    private ListingToken() {
    }

    static String encode(String prefix, String s3Token) {
        String plain = VERSION + "\n" + prefix + "\n" + s3Token;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** S3's token inside a portal token for the folder {@code prefix}. */
    static String decode(String token, String prefix) {
        String plain;
        try {
            plain = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw malformed();
        }
        String[] parts = plain.split("\n", 3);
        if (parts.length != 3 || !parts[0].equals(VERSION) || parts[2].isEmpty()) {
            throw malformed();
        }
        if (!parts[1].equals(prefix)) {
            throw ObserveException.invalid(PARAMETER, "continues the listing of another folder ('" + parts[1]
                    + "'); list that prefix, or start again without a token");
        }
        return parts[2];
    }

    static ObserveException malformed() {
        return ObserveException.invalid(PARAMETER, "is not a token this listing returned: pass nextContinuationToken "
                + "as it was answered");
    }
}
