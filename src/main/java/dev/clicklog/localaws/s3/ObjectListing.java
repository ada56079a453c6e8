package dev.clicklog.localaws.s3;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * S3's listing over a bucket's sorted keys: keys under a prefix, rolled up into common prefixes
 * at the delimiter, one page at a time. Each step is one lookup in the sorted map, and a common
 * prefix is skipped in one jump, so a page costs O(page size × log n) however large the bucket.
 */
final class ObjectListing {

    /** Where a page resumes: after a key, or after every key under a common prefix already returned. */
    record Cursor(String after, boolean wholePrefix) {
    }

    /** One page; {@code next} is where the following page starts, null on the last page. */
    record Page(List<S3Object> contents, List<String> commonPrefixes, boolean truncated, Cursor next) {
        int keyCount() {
            return contents.size() + commonPrefixes.size();
        }
    }

    private ObjectListing() {
    }

    /**
     * The cursor of a user-given marker or start-after key: a marker that is itself a common
     * prefix (as NextMarker is after a page ending in one) resumes after everything under it.
     */
    static Cursor after(String marker, String prefix, String delimiter) {
        String p = prefix == null ? "" : prefix;
        boolean isCommonPrefix = delimiter != null && marker.startsWith(p)
                && marker.indexOf(delimiter, p.length()) == marker.length() - delimiter.length();
        return new Cursor(marker, isCommonPrefix);
    }

    static Page list(NavigableMap<String, S3Object> objects, String prefix, String delimiter, Cursor start, int maxKeys) {
        String p = prefix == null ? "" : prefix;
        List<S3Object> contents = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        Map.Entry<String, S3Object> e = first(objects, p, start);
        Cursor last = null;
        while (e != null && e.getKey().startsWith(p)) {
            String key = e.getKey();
            int at = delimiter == null ? -1 : key.indexOf(delimiter, p.length());
            if (contents.size() + prefixes.size() == maxKeys) {
                return new Page(contents, prefixes, maxKeys > 0, maxKeys > 0 ? last : null);
            }
            if (at >= 0) {
                String common = key.substring(0, at + delimiter.length());
                prefixes.add(common);
                last = new Cursor(common, true);
                e = ceiling(objects, KeyOrder.successor(common));
            } else {
                contents.add(e.getValue());
                last = new Cursor(key, false);
                e = objects.higherEntry(key);
            }
        }
        return new Page(contents, prefixes, false, null);
    }

    private static Map.Entry<String, S3Object> first(NavigableMap<String, S3Object> objects, String prefix, Cursor start) {
        Map.Entry<String, S3Object> e;
        if (start == null) {
            e = objects.ceilingEntry(prefix);
        } else if (start.wholePrefix()) {
            e = ceiling(objects, KeyOrder.successor(start.after()));
        } else {
            e = objects.higherEntry(start.after());
        }
        // A start before the prefix begins at the prefix.
        if (e != null && KeyOrder.INSTANCE.compare(e.getKey(), prefix) < 0) {
            e = objects.ceilingEntry(prefix);
        }
        return e;
    }

    private static Map.Entry<String, S3Object> ceiling(NavigableMap<String, S3Object> objects, String from) {
        return from == null ? null : objects.ceilingEntry(from);
    }
}
