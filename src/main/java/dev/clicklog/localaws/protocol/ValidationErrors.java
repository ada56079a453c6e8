package dev.clicklog.localaws.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The constraint checks AWS JSON services apply from their models before an operation runs, with
 * AWS's wording: {@code 1 validation error detected: Value 'x' at 'streamName' failed to satisfy
 * constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+}. Paths name members
 * in lower camel case, list items as {@code records.1.member.data}.
 */
public final class ValidationErrors {

    private final List<String> errors = new ArrayList<>();

    public ValidationErrors notNull(String path, Object value) {
        if (value == null) {
            add(path, null, "Member must not be null");
        }
        return this;
    }

    /** Pattern (whole value), then minimum and maximum length; nothing is checked when absent. */
    public ValidationErrors string(String path, String value, Pattern pattern, int min, int max) {
        if (value == null) {
            return this;
        }
        if (pattern != null && !pattern.matcher(value).matches()) {
            add(path, quote(value), "Member must satisfy regular expression pattern: " + pattern.pattern());
        }
        return length(path, quote(value), value.length(), min, max);
    }

    public ValidationErrors blob(String path, byte[] value, int max) {
        if (value != null && value.length > max) {
            add(path, quote(blobValue(value.length)), "Member must have length less than or equal to " + max);
        }
        return this;
    }

    public ValidationErrors range(String path, Number value, long min, long max) {
        if (value == null) {
            return this;
        }
        if (value.longValue() < min) {
            add(path, quote(value.toString()), "Member must have value greater than or equal to " + min);
        }
        if (value.longValue() > max) {
            add(path, quote(value.toString()), "Member must have value less than or equal to " + max);
        }
        return this;
    }

    public ValidationErrors oneOf(String path, String value, List<String> allowed) {
        if (value != null && !allowed.contains(value)) {
            add(path, quote(value), "Member must satisfy enum value set: [" + String.join(", ", allowed) + "]");
        }
        return this;
    }

    /** The number of items of a list or map, rendered as AWS renders the collection. */
    public ValidationErrors size(String path, String rendered, int size, int min, int max) {
        return length(path, quote(rendered), size, min, max);
    }

    /** Any other model constraint, worded as AWS words it (e.g. map key lengths). */
    public ValidationErrors constraint(String path, String renderedValue, String constraint) {
        add(path, quote(renderedValue), constraint);
        return this;
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }

    /** Throws AWS's ValidationException listing every failed constraint, if any failed. */
    public void throwIfAny() {
        throwIfAny("ValidationException");
    }

    /** As {@link #throwIfAny()}, with the code the service uses (IAM's query API says ValidationError). */
    public void throwIfAny(String code) {
        if (errors.isEmpty()) {
            return;
        }
        int n = errors.size();
        throw AwsServiceException.badRequest(code,
                n + " validation error" + (n > 1 ? "s" : "") + " detected: " + String.join("; ", errors));
    }

    /** How AWS prints a blob's value in validation messages. */
    public static String blobValue(int length) {
        return "java.nio.HeapByteBuffer[pos=0 lim=" + length + " cap=" + length + "]";
    }

    private ValidationErrors length(String path, String quoted, int length, int min, int max) {
        if (length < min) {
            add(path, quoted, "Member must have length greater than or equal to " + min);
        }
        if (length > max) {
            add(path, quoted, "Member must have length less than or equal to " + max);
        }
        return this;
    }

    private void add(String path, String quotedValue, String constraint) {
        errors.add("Value " + (quotedValue == null ? "null" : quotedValue) + " at '" + path
                + "' failed to satisfy constraint: " + constraint);
    }

    private static String quote(String value) {
        return "'" + value + "'";
    }
}
