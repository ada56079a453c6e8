package dev.clicklog.localaws.firehose;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

import dev.clicklog.localaws.protocol.AwsServiceException;

/**
 * The length, range, pattern and enum constraints of Firehose's API model, checked before anything
 * else and reported all at once as AWS reports them: ValidationException with
 * "N validation error(s) detected: Value 'x' at 'path' failed to satisfy constraint: …", where the
 * path uses lower-camel member names and 1-based list positions ({@code records.3.member.data}).
 */
final class ModelConstraints {

    private final List<String> errors = new ArrayList<>();

    boolean required(String path, Object value) {
        if (value == null) {
            errors.add("Value null at '" + path + "' failed to satisfy constraint: Member must not be null");
            return false;
        }
        return true;
    }

    void string(String path, String value, int min, int max) {
        if (value == null) {
            return;
        }
        int length = value.codePointCount(0, value.length());
        if (length < min) {
            fail(path, value, "Member must have length greater than or equal to " + min);
        }
        if (length > max) {
            fail(path, value, "Member must have length less than or equal to " + max);
        }
    }

    void string(String path, String value, int min, int max, Pattern pattern) {
        string(path, value, min, max);
        if (value != null && !pattern.matcher(value).matches()) {
            fail(path, value, "Member must satisfy regular expression pattern: " + pattern.pattern());
        }
    }

    void range(String path, Integer value, int min, int max) {
        if (value == null) {
            return;
        }
        if (value < min) {
            fail(path, value.toString(), "Member must have value greater than or equal to " + min);
        }
        if (value > max) {
            fail(path, value.toString(), "Member must have value less than or equal to " + max);
        }
    }

    void oneOf(String path, String value, Collection<String> allowed) {
        if (value != null && !allowed.contains(value)) {
            fail(path, value, "Member must satisfy enum value set: " + allowed);
        }
    }

    void size(String path, List<?> list, int min, int max) {
        if (list == null) {
            return;
        }
        if (list.size() < min) {
            fail(path, list.toString(), "Member must have length greater than or equal to " + min);
        }
        if (list.size() > max) {
            fail(path, list.toString(), "Member must have length less than or equal to " + max);
        }
    }

    /** A blob's length; AWS shows blob values as the Java buffer that held them. */
    void blob(String path, byte[] value, int max) {
        if (value != null && value.length > max) {
            fail(path, "java.nio.HeapByteBuffer[pos=0 lim=" + value.length + " cap=" + value.length + "]",
                    "Member must have length less than or equal to " + max);
        }
    }

    /** Throws the ValidationException when any constraint failed. */
    void check() {
        if (errors.isEmpty()) {
            return;
        }
        String count = errors.size() == 1 ? "1 validation error detected: " : errors.size() + " validation errors detected: ";
        throw AwsServiceException.badRequest("ValidationException", count + String.join("; ", errors));
    }

    private void fail(String path, String value, String rule) {
        errors.add("Value '" + value + "' at '" + path + "' failed to satisfy constraint: " + rule);
    }
}
