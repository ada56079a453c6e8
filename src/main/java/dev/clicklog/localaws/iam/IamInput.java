package dev.clicklog.localaws.iam;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import dev.clicklog.localaws.iam.Role.Tag;
import dev.clicklog.localaws.protocol.AwsServiceException;
import dev.clicklog.localaws.protocol.QueryProtocol;

/**
 * The parameters of one IAM query request, read against the API's shape constraints (lengths,
 * patterns, ranges). Violations are collected and reported together as IAM's ValidationError
 * ("2 validation errors detected: …"), before anything changes.
 */
final class IamInput {

    static final Pattern NAME = Pattern.compile("[\\w+=,.@-]+");
    static final Pattern PATH = Pattern.compile("(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)");
    static final Pattern PATH_PREFIX = Pattern.compile("\\u002F[\\u0021-\\u007F]*");
    static final Pattern POLICY_DOCUMENT = Pattern.compile("[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+");
    static final Pattern DESCRIPTION = Pattern.compile("[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u00A1-\\u00FF]*");
    static final Pattern MARKER = Pattern.compile("[\\u0020-\\u00FF]+");
    static final Pattern TAG_KEY = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+");
    static final Pattern TAG_VALUE = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");

    private final Map<String, String> params;
    private final List<String> errors = new ArrayList<>();

    IamInput(Map<String, String> params) {
        this.params = params;
    }

    String action() {
        return params.get("Action");
    }

    String roleName() {
        return string("RoleName", true, 1, 64, NAME);
    }

    String policyName() {
        return string("PolicyName", true, 1, 128, NAME);
    }

    String policyDocument(String param) {
        return string(param, true, 1, 131_072, POLICY_DOCUMENT);
    }

    String marker() {
        return string("Marker", false, 1, 320, MARKER);
    }

    /** MaxItems, 1–1000, IAM's default 100 when absent. */
    int maxItems() {
        Integer v = integer("MaxItems", 1, 1000);
        return v == null ? 100 : v;
    }

    /** A string member; null when absent (and then a violation when required). */
    String string(String param, boolean required, int min, int max, Pattern pattern) {
        String value = params.get(param);
        if (value != null || required) {
            check(value, memberName(param), min, max, pattern);
        }
        return value;
    }

    Integer integer(String param, int min, int max) {
        String value = params.get(param);
        if (value == null) {
            return null;
        }
        String at = memberName(param);
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            errors.add(describe(value, at) + "Member must be a number");
            return null;
        }
        if (n < min) {
            errors.add(describe(value, at) + "Member must have value greater than or equal to " + min);
        } else if (n > max) {
            errors.add(describe(value, at) + "Member must have value less than or equal to " + max);
        }
        return n;
    }

    /** A {@code Tags.member.N.Key/Value} list, at most 50 entries. */
    List<Tag> tags(boolean required) {
        List<Map<String, String>> items = QueryProtocol.structList(params, "Tags");
        if (required && items.isEmpty() && !params.containsKey("Tags")) {
            errors.add("Value null at 'tags' failed to satisfy constraint: Member must not be null");
        }
        if (items.size() > IamService.MAX_TAGS) {
            errors.add("Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to "
                    + IamService.MAX_TAGS);
        }
        List<Tag> tags = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Map<String, String> item = items.get(i);
            String at = "tags." + (i + 1) + ".member.";
            String key = item.get("Key");
            String value = item.get("Value");
            check(key, at + "key", 1, 128, TAG_KEY);
            check(value, at + "value", 0, 256, TAG_VALUE);
            tags.add(new Tag(key, value));
        }
        return tags;
    }

    /** A {@code TagKeys.member.N} list. */
    List<String> tagKeys() {
        List<String> keys = QueryProtocol.list(params, "TagKeys");
        if (keys.isEmpty() && !params.containsKey("TagKeys")) {
            errors.add("Value null at 'tagKeys' failed to satisfy constraint: Member must not be null");
        }
        if (keys.size() > IamService.MAX_TAGS) {
            errors.add("Value at 'tagKeys' failed to satisfy constraint: Member must have length less than or equal to "
                    + IamService.MAX_TAGS);
        }
        for (int i = 0; i < keys.size(); i++) {
            check(keys.get(i), "tagKeys." + (i + 1) + ".member", 1, 128, TAG_KEY);
        }
        return keys;
    }

    /** Throws the collected violations, if any, as one ValidationError. */
    void validate() {
        if (errors.isEmpty()) {
            return;
        }
        String count = errors.size() == 1 ? "1 validation error detected: " : errors.size() + " validation errors detected: ";
        throw AwsServiceException.badRequest("ValidationError", count + String.join("; ", errors));
    }

    private void check(String value, String at, int min, int max, Pattern pattern) {
        if (value == null) {
            errors.add("Value null at '" + at + "' failed to satisfy constraint: Member must not be null");
            return;
        }
        int length = value.codePointCount(0, value.length());
        if (length < min) {
            errors.add(describe(value, at) + "Member must have length greater than or equal to " + min);
        } else if (length > max) {
            errors.add(describe(value, at) + "Member must have length less than or equal to " + max);
        } else if (!pattern.matcher(value).matches()) {
            errors.add(describe(value, at) + "Member must satisfy regular expression pattern: " + pattern.pattern());
        }
    }

    private static String describe(String value, String at) {
        return "Value '" + value + "' at '" + at + "' failed to satisfy constraint: ";
    }

    /** "RoleName" → "roleName", as IAM names members in its messages. */
    private static String memberName(String param) {
        return Character.toLowerCase(param.charAt(0)) + param.substring(1);
    }
}
