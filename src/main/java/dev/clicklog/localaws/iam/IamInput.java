package dev.clicklog.localaws.iam;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import dev.clicklog.localaws.iam.Role.Tag;
import dev.clicklog.localaws.protocol.QueryProtocol;
import dev.clicklog.localaws.protocol.ValidationErrors;

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
    static final Pattern POLICY_PATH = Pattern.compile("((/[A-Za-z0-9\\.,\\+@=_-]+)*)/");
    static final Pattern ACCESS_KEY_ID = Pattern.compile("[\\w]+");
    static final Pattern TAG_KEY = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+");
    static final Pattern TAG_VALUE = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");

    private final Map<String, String> params;
    private final ValidationErrors errors = new ValidationErrors();

    IamInput(Map<String, String> params) {
        this.params = params;
    }

    String action() {
        return params.get("Action");
    }

    String roleName() {
        return string("RoleName", true, 1, 64, NAME);
    }

    /** A user name as CreateUser takes it (at most 64 characters). */
    String newUserName() {
        return string("UserName", true, 1, 64, NAME);
    }

    /** A user name as the other user actions take it; null when absent and not required (the caller's own user). */
    String userName(boolean required) {
        return string("UserName", required, 1, 128, NAME);
    }

    String policyArn() {
        return string("PolicyArn", true, 20, 2048, null);
    }

    String accessKeyId() {
        return string("AccessKeyId", true, 16, 128, ACCESS_KEY_ID);
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
        String path = memberName(param);
        if (required) {
            errors.notNull(path, value);
        }
        errors.string(path, value, pattern, min, max);
        return value;
    }

    Integer integer(String param, int min, int max) {
        String value = params.get(param);
        if (value == null) {
            return null;
        }
        try {
            int n = Integer.parseInt(value.trim());
            errors.range(memberName(param), n, min, max);
            return n;
        } catch (NumberFormatException e) {
            errors.constraint(memberName(param), value, "Member must be an integer");
            return null;
        }
    }

    /** A {@code Tags.member.N.Key/Value} list, at most 50 entries. */
    List<Tag> tags(boolean required) {
        List<Map<String, String>> items = QueryProtocol.structList(params, "Tags");
        if (required && items.isEmpty() && !params.containsKey("Tags")) {
            errors.notNull("tags", null);
        }
        List<Tag> tags = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String at = "tags." + (i + 1) + ".member.";
            Tag tag = new Tag(items.get(i).get("Key"), items.get(i).get("Value"));
            errors.notNull(at + "key", tag.key()).string(at + "key", tag.key(), TAG_KEY, 1, 128)
                    .notNull(at + "value", tag.value()).string(at + "value", tag.value(), TAG_VALUE, 0, 256);
            tags.add(tag);
        }
        errors.size("tags", tags.toString(), tags.size(), 0, IamService.MAX_TAGS);
        return tags;
    }

    /** A {@code TagKeys.member.N} list. */
    List<String> tagKeys() {
        List<String> keys = QueryProtocol.list(params, "TagKeys");
        if (keys.isEmpty() && !params.containsKey("TagKeys")) {
            errors.notNull("tagKeys", null);
        }
        for (int i = 0; i < keys.size(); i++) {
            errors.string("tagKeys." + (i + 1) + ".member", keys.get(i), TAG_KEY, 1, 128);
        }
        errors.size("tagKeys", keys.toString(), keys.size(), 0, IamService.MAX_TAGS);
        return keys;
    }

    /** Throws the collected violations, if any, as one ValidationError. */
    void validate() {
        errors.throwIfAny("ValidationError");
    }

    /** "RoleName" → "roleName", as IAM names members in its messages. */
    private static String memberName(String param) {
        return Character.toLowerCase(param.charAt(0)) + param.substring(1);
    }
}
