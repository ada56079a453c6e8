package dev.clicklog.portal.pipeline;

/**
 * If-Match as RFC 9110 reads it: "*", or a list of entity tags compared strongly — a weak tag
 * (W/"…") never matches, since a change must be based on exactly the current version.
 */
final class EntityTags {

    private EntityTags() {
    }

    static boolean matches(String ifMatch, String etag) {
        String header = ifMatch.strip();
        if (header.equals("*")) {
            return true;
        }
        for (String candidate : header.split(",")) {
            String tag = candidate.strip();
            if (!tag.startsWith("W/") && tag.equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
