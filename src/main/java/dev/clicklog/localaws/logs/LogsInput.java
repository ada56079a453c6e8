package dev.clicklog.localaws.logs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import dev.clicklog.localaws.logs.LogsService.Filter;
import dev.clicklog.localaws.logs.LogsService.InputEvent;
import dev.clicklog.localaws.protocol.JsonProtocol;
import dev.clicklog.localaws.protocol.ValidationErrors;

/**
 * Reads CloudWatch Logs' request shapes (botocore model logs/2014-03-28) and checks the model's
 * constraints, all of a request's at once, as InvalidParameterException in AWS's words; then the
 * rules CloudWatch Logs applies to combinations of members.
 */
final class LogsInput {

    static final Pattern GROUP_NAME = Pattern.compile("[\\.\\-_/#A-Za-z0-9]+");
    private static final Pattern STREAM_NAME = Pattern.compile("[^:*]*");
    private static final Pattern GROUP_IDENTIFIER = Pattern.compile("[\\w#+=/:,.@-]*");
    private static final Pattern ARN = Pattern.compile("[\\w+=/:,.@-]*");
    private static final Pattern TAG_KEY = Pattern.compile("^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+)$");
    private static final Pattern TAG_VALUE = Pattern.compile("^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$");
    private static final List<String> CLASSES = List.of("STANDARD", "INFREQUENT_ACCESS", "DELIVERY");
    private static final List<String> ORDER_BY = List.of("LogStreamName", "LastEventTime");

    /** CreateLogGroup's input. */
    record NewGroup(String name, Map<String, String> tags, String logGroupClass) {
    }

    /** PutRetentionPolicy's input. */
    record Retention(String group, int days) {
    }

    /** A group and one of its streams. */
    record StreamRef(String group, String stream) {
    }

    record DescribeGroups(String prefix, String pattern, List<String> identifiers, String logGroupClass,
            String nextToken, Integer limit) {
    }

    record DescribeStreams(String group, String prefix, boolean byLastEventTime, boolean descending, String nextToken,
            Integer limit) {
    }

    record Put(String group, String stream, List<InputEvent> events) {
    }

    record GetEvents(String group, String stream, Long startTime, Long endTime, String nextToken, Integer limit,
            boolean startFromHead) {
    }

    private LogsInput() {
    }

    static NewGroup createGroup(JsonNode in) {
        ValidationErrors c = new ValidationErrors();
        String name = groupName(in, "logGroupName", c);
        String kms = JsonProtocol.text(in, "kmsKeyId");
        c.string("kmsKeyId", kms, null, 0, 256);
        String logGroupClass = JsonProtocol.text(in, "logGroupClass");
        c.oneOf("logGroupClass", logGroupClass, CLASSES);
        Map<String, String> tags = tags(in, "tags", false, c);
        c.throwIfAny(LogsErrors.INVALID_PARAMETER);
        if (kms != null) {
            throw LogsErrors.unsupported("Encryption with a KMS key (kmsKeyId)");
        }
        if (Boolean.TRUE.equals(JsonProtocol.bool(in, "deletionProtectionEnabled"))) {
            throw LogsErrors.unsupported("Deletion protection");
        }
        return new NewGroup(name, tags, logGroupClass);
    }

    /** An operation whose only input is the group's name. */
    static String groupName(JsonNode in) {
        ValidationErrors c = new ValidationErrors();
        String name = groupName(in, "logGroupName", c);
        c.throwIfAny(LogsErrors.INVALID_PARAMETER);
        return name;
    }

    static DescribeGroups describeGroups(JsonNode in) {
        ValidationErrors c = new ValidationErrors();
        String prefix = JsonProtocol.text(in, "logGroupNamePrefix");
        c.string("logGroupNamePrefix", prefix, GROUP_NAME, 1, 512);
        String pattern = JsonProtocol.text(in, "logGroupNamePattern");
        c.string("logGroupNamePattern", pattern, Pattern.compile("[\\.\\-_/#A-Za-z0-9]*"), 0, 512);
        String token = JsonProtocol.text(in, "nextToken");
        c.string("nextToken", token, null, 1, Integer.MAX_VALUE);
        Integer limit = JsonProtocol.integer(in, "limit");
        c.range("limit", limit, 1, 50);
        String logGroupClass = JsonProtocol.text(in, "logGroupClass");
        c.oneOf("logGroupClass", logGroupClass, CLASSES);
        List<String> identifiers = strings(in, "logGroupIdentifiers");
        if (identifiers != null) {
            c.size("logGroupIdentifiers", identifiers.toString(), identifiers.size(), 1, 50);
        }
        c.throwIfAny(LogsErrors.INVALID_PARAMETER);
        if (prefix != null && pattern != null) {
            throw LogsErrors.invalidParameter("LogGroupNamePrefix and LogGroupNamePattern are mutually exclusive.");
        }
        if (Boolean.TRUE.equals(JsonProtocol.bool(in, "includeLinkedAccounts")) || strings(in, "accountIdentifiers") != null
                && !strings(in, "accountIdentifiers").isEmpty()) {
            throw LogsErrors.unsupported("Cross-account observability");
        }
        return new DescribeGroups(prefix, pattern, identifiers, logGroupClass, token, limit);
    }

    static Retention retention(JsonNode in) {
        ValidationErrors c = new ValidationErrors();
        String name = groupName(in, "logGroupName", c);
        Integer days = JsonProtocol.integer(in, "retentionInDays");
        c.notNull("retentionInDays", days);
        if (days != null && !LogsService.RETENTION_DAYS.contains(days)) {
            c.constraint("retentionInDays", days.toString(), "Member must satisfy enum value set: "
                    + LogsService.RETENTION_DAYS);
        }
        c.throwIfAny(LogsErrors.INVALID_PARAMETER);
        return new Retention(name, days);
    }

    /** TagResource's or TagLogGroup's tags. */
    static Map<String, String> tags(JsonNode in) {
        ValidationErrors c = new ValidationErrors();
        Map<String, String> tags = tags(in, "tags", true, c);
        c.throwIfAny(LogsErrors.INVALID_PARAMETER);
        return tags;
    }

    static String resourceArn(JsonNode in) {
        ValidationErrors c = new ValidationErrors();
        String arn = JsonProtocol.text(in, "resourceArn");
        c.notNull("resourceArn", arn).string("resourceArn", arn, ARN, 1, 1011);
        c.throwIfAny(LogsErrors.INVALID_PARAMETER);
        return arn;
    }

    /** UntagResource's tagKeys or UntagLogGroup's tags (a list of keys too). */
    static List<String> tagKeys(JsonNode in, String member, int min) {
        ValidationErrors c = new ValidationErrors();
        List<String> keys = strings(in, member);
        c.notNull(member, keys);
        if (keys != null) {
            c.size(member, keys.toString(), keys.size(), min, 50);
            for (int i = 0; i < keys.size(); i++) {
                c.string(member + "." + (i + 1) + ".member", keys.get(i), TAG_KEY, 1, 128);
            }
        }
        c.throwIfAny(LogsErrors.INVALID_PARAMETER);
        return keys;
    }

    static StreamRef stream(JsonNode in) {
        ValidationErrors c = new ValidationErrors();
        String group = groupName(in, "logGroupName", c);
        String stream = streamName(in, c);
        c.throwIfAny(LogsErrors.INVALID_PARAMETER);
        return new StreamRef(group, stream);
    }

    static DescribeStreams describeStreams(JsonNode in) {
        ValidationErrors c = new ValidationErrors();
        String group = groupOrIdentifier(in, c);
        String prefix = JsonProtocol.text(in, "logStreamNamePrefix");
        c.string("logStreamNamePrefix", prefix, STREAM_NAME, 1, 512);
        String orderBy = JsonProtocol.text(in, "orderBy");
        c.oneOf("orderBy", orderBy, ORDER_BY);
        String token = JsonProtocol.text(in, "nextToken");
        c.string("nextToken", token, null, 1, Integer.MAX_VALUE);
        Integer limit = JsonProtocol.integer(in, "limit");
        c.range("limit", limit, 1, 50);
        c.throwIfAny(LogsErrors.INVALID_PARAMETER);
        return new DescribeStreams(group, prefix, "LastEventTime".equals(orderBy),
                Boolean.TRUE.equals(JsonProtocol.bool(in, "descending")), token, limit);
    }

    static Put put(JsonNode in) {
        ValidationErrors c = new ValidationErrors();
        String group = groupName(in, "logGroupName", c);
        String stream = streamName(in, c);
        JsonNode list = in.get("logEvents");
        c.notNull("logEvents", list == null || list.isNull() ? null : list);
        List<InputEvent> events = new ArrayList<>();
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                throw JsonProtocol.serialization("Expected a list for logEvents");
            }
            c.size("logEvents", "[…]", list.size(), 1, 10_000);
            for (int i = 0; i < list.size(); i++) {
                JsonNode e = list.get(i);
                String path = "logEvents." + (i + 1) + ".member.";
                Long timestamp = longValue(e, "timestamp");
                String message = JsonProtocol.text(e, "message");
                c.notNull(path + "timestamp", timestamp).range(path + "timestamp", timestamp, 0, Long.MAX_VALUE);
                c.notNull(path + "message", message).string(path + "message", message, null, 1, Integer.MAX_VALUE);
                if (timestamp != null && message != null) {
                    events.add(new InputEvent(timestamp, message));
                }
            }
        }
        String token = JsonProtocol.text(in, "sequenceToken");
        c.string("sequenceToken", token, null, 1, Integer.MAX_VALUE);
        c.throwIfAny(LogsErrors.INVALID_PARAMETER);
        if (in.has("entity") && !in.get("entity").isNull()) {
            throw LogsErrors.unsupported("Entities of log events (entity)");
        }
        // The sequence token is accepted and ignored, as CloudWatch Logs does since 2023.
        return new Put(group, stream, events);
    }

    static GetEvents getEvents(JsonNode in) {
        ValidationErrors c = new ValidationErrors();
        String group = groupOrIdentifier(in, c);
        String stream = streamName(in, c);
        Long start = longValue(in, "startTime");
        Long end = longValue(in, "endTime");
        c.range("startTime", start, 0, Long.MAX_VALUE).range("endTime", end, 0, Long.MAX_VALUE);
        String token = JsonProtocol.text(in, "nextToken");
        c.string("nextToken", token, null, 1, Integer.MAX_VALUE);
        Integer limit = JsonProtocol.integer(in, "limit");
        c.range("limit", limit, 1, 10_000);
        c.throwIfAny(LogsErrors.INVALID_PARAMETER);
        unmasked(in);
        return new GetEvents(group, stream, start, end, token, limit,
                Boolean.TRUE.equals(JsonProtocol.bool(in, "startFromHead")));
    }

    static Filter filter(JsonNode in) {
        ValidationErrors c = new ValidationErrors();
        String group = groupOrIdentifier(in, c);
        List<String> names = strings(in, "logStreamNames");
        if (names != null) {
            c.size("logStreamNames", names.toString(), names.size(), 1, 100);
            for (int i = 0; i < names.size(); i++) {
                c.string("logStreamNames." + (i + 1) + ".member", names.get(i), STREAM_NAME, 1, 512);
            }
        }
        String prefix = JsonProtocol.text(in, "logStreamNamePrefix");
        c.string("logStreamNamePrefix", prefix, STREAM_NAME, 1, 512);
        Long start = longValue(in, "startTime");
        Long end = longValue(in, "endTime");
        c.range("startTime", start, 0, Long.MAX_VALUE).range("endTime", end, 0, Long.MAX_VALUE);
        String pattern = JsonProtocol.text(in, "filterPattern");
        c.string("filterPattern", pattern, null, 0, 1024);
        String token = JsonProtocol.text(in, "nextToken");
        c.string("nextToken", token, null, 1, Integer.MAX_VALUE);
        Integer limit = JsonProtocol.integer(in, "limit");
        c.range("limit", limit, 1, 10_000);
        c.throwIfAny(LogsErrors.INVALID_PARAMETER);
        if (names != null && prefix != null) {
            throw LogsErrors.invalidParameter("logStreamNames and logStreamNamePrefix are mutually exclusive.");
        }
        unmasked(in);
        return new Filter(group, names, prefix, start, end, pattern, token, limit);
    }

    // ---- members ----

    private static String groupName(JsonNode in, String member, ValidationErrors c) {
        String name = JsonProtocol.text(in, member);
        c.notNull(member, name).string(member, name, GROUP_NAME, 1, 512);
        return name;
    }

    private static String streamName(JsonNode in, ValidationErrors c) {
        String name = JsonProtocol.text(in, "logStreamName");
        c.notNull("logStreamName", name).string("logStreamName", name, STREAM_NAME, 1, 512);
        return name;
    }

    /** logGroupName or logGroupIdentifier (a name or an ARN): exactly one. */
    private static String groupOrIdentifier(JsonNode in, ValidationErrors c) {
        String name = JsonProtocol.text(in, "logGroupName");
        c.string("logGroupName", name, GROUP_NAME, 1, 512);
        String identifier = JsonProtocol.text(in, "logGroupIdentifier");
        c.string("logGroupIdentifier", identifier, GROUP_IDENTIFIER, 1, 2048);
        if (c.isEmpty() && name != null && identifier != null) {
            throw LogsErrors.invalidParameter("LogGroup name and LogGroup identifier are mutually exclusive parameters.");
        }
        if (c.isEmpty() && name == null && identifier == null) {
            throw LogsErrors.invalidParameter("Either LogGroup name or LogGroup identifier must be specified.");
        }
        return name != null ? name : identifier;
    }

    private static void unmasked(JsonNode in) {
        if (Boolean.TRUE.equals(JsonProtocol.bool(in, "unmask"))) {
            throw LogsErrors.unsupported("Data protection (unmask)");
        }
    }

    private static Map<String, String> tags(JsonNode in, String member, boolean required, ValidationErrors c) {
        JsonNode node = in.get(member);
        if (node == null || node.isNull()) {
            if (required) {
                c.notNull(member, null);
            }
            return null;
        }
        if (!node.isObject()) {
            throw JsonProtocol.serialization("Expected a map for " + member);
        }
        Map<String, String> tags = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> {
            if (!e.getValue().isTextual()) {
                throw JsonProtocol.serialization("Expected a string for " + member + "." + e.getKey());
            }
            tags.put(e.getKey(), e.getValue().textValue());
        });
        c.size(member, tags.toString(), tags.size(), 1, LogsService.MAX_TAGS);
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            if (!TAG_KEY.matcher(tag.getKey()).matches() || tag.getKey().length() > 128) {
                c.constraint(member, tags.toString(), "Map keys must satisfy constraint: [Member must have length less "
                        + "than or equal to 128, Member must have length greater than or equal to 1, Member must "
                        + "satisfy regular expression pattern: " + TAG_KEY.pattern() + "]");
            }
            if (!TAG_VALUE.matcher(tag.getValue()).matches() || tag.getValue().length() > 256) {
                c.constraint(member, tags.toString(), "Map value must satisfy constraint: [Member must have length less "
                        + "than or equal to 256, Member must satisfy regular expression pattern: " + TAG_VALUE.pattern()
                        + "]");
            }
        }
        if (tags.keySet().stream().anyMatch(k -> k.startsWith("aws:"))) {
            throw LogsErrors.invalidParameter("Tag keys starting with 'aws:' are reserved for AWS use.");
        }
        return tags;
    }

    private static List<String> strings(JsonNode in, String member) {
        JsonNode node = in.get(member);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray()) {
            throw JsonProtocol.serialization("Expected a list for " + member);
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw JsonProtocol.serialization("Expected a string in " + member);
            }
            out.add(item.textValue());
        }
        return out;
    }

    /** A long member (CloudWatch Logs' timestamps are epoch milliseconds as plain numbers). */
    private static Long longValue(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw JsonProtocol.serialization("Expected a long for " + field);
        }
        return v.longValue();
    }
}
