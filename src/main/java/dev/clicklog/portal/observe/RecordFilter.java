package dev.clicklog.portal.observe;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Which clicks a viewer wants to see: every one (blank), those whose text holds some words
 * (case-insensitive, in the data or the partition key), or with {@code field=value} the JSON clicks
 * whose field — a top-level name, or a dotted path into objects such as {@code page.path} — has
 * that value (a string exactly; a number by value, so {@code price=1.5} matches {@code 1.50}).
 */
public final class RecordFilter implements Predicate<StreamRecord> {

    public static final int MAX_LENGTH = 200;
    public static final RecordFilter NONE = new RecordFilter("", null, null, null);
    private static final Pattern FIELD = Pattern.compile("[A-Za-z_$@][A-Za-z0-9_$@-]*(\\.[A-Za-z0-9_$@-]+)*");
    private static final int MAX_FIELD = 64;

    private final String raw;
    private final String text;
    private final String[] path;
    private final String value;

    private RecordFilter(String raw, String text, String[] path, String value) {
        this.raw = raw;
        this.text = text;
        this.path = path;
        this.value = value;
    }

    /**
     * The filter a viewer typed ({@code name} is the parameter it came in, for the message).
     *
     * @throws ObserveException INVALID_PARAMETER when it is too long, or a {@code field=value} without a field name
     */
    public static RecordFilter parse(String name, String raw) {
        String filter = raw == null ? "" : raw.strip();
        if (filter.isEmpty()) {
            return NONE;
        }
        if (filter.length() > MAX_LENGTH) {
            throw ObserveException.invalid(name, "must be at most " + MAX_LENGTH + " characters");
        }
        int eq = filter.indexOf('=');
        if (eq < 0) {
            return new RecordFilter(filter, filter.toLowerCase(Locale.ROOT), null, null);
        }
        String field = filter.substring(0, eq).strip();
        if (field.length() > MAX_FIELD || !FIELD.matcher(field).matches()) {
            throw ObserveException.invalid(name, "field=value needs a field name before the = (letters, digits, _, - "
                    + "and . between the names of a path, at most " + MAX_FIELD + " characters), such as type=click");
        }
        return new RecordFilter(filter, null, field.split("\\."), filter.substring(eq + 1).strip());
    }

    /** The filter as the viewer typed it, trimmed; empty for none. */
    public String text() {
        return raw;
    }

    public boolean isNone() {
        return raw.isEmpty();
    }

    @Override
    public boolean test(StreamRecord r) {
        if (isNone()) {
            return true;
        }
        DecodedData data = r.data();
        if (text != null) {
            String all = switch (data.encoding()) {
                case json -> data.json().toString();
                case text -> data.text();
                case base64 -> data.base64();
            };
            return all.toLowerCase(Locale.ROOT).contains(text) || r.partitionKey().toLowerCase(Locale.ROOT).contains(text);
        }
        if (data.encoding() != DecodedData.Encoding.json) {
            return false;
        }
        JsonNode node = data.json();
        for (String name : path) {
            node = node.isObject() ? node.get(name) : null;
            if (node == null) {
                return false;
            }
        }
        return matches(node);
    }

    private boolean matches(JsonNode node) {
        if (node.isNumber()) {
            try {
                return node.decimalValue().compareTo(new BigDecimal(value)) == 0;
            } catch (NumberFormatException e) {
                return false;
            }
        }
        if (node.isValueNode()) {
            return node.asText().equals(value);
        }
        return node.toString().equals(value);
    }
}
