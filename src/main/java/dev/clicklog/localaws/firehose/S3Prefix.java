package dev.clicklog.localaws.firehose;

import java.time.DateTimeException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import dev.clicklog.localaws.protocol.AwsServiceException;

/**
 * A Prefix or ErrorOutputPrefix of an S3 destination with its {@code !{namespace:value}}
 * expressions, checked by the rules of Firehose's "Custom prefixes for Amazon S3 objects" and
 * evaluated for each object written.
 */
final class S3Prefix {

    /** What Firehose appends to a prefix that has no timestamp expression (and uses when there is no prefix). */
    static final String DEFAULT_TIMESTAMP_PATTERN = "yyyy/MM/dd/HH/";
    static final String ERROR_OUTPUT_TYPE = "error-output-type";
    static final String RANDOM_STRING = "random-string";
    private static final int MAX_EVALUATED_LENGTH = 512;
    private static final int RANDOM_STRING_LENGTH = 11;
    private static final String RANDOM_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private sealed interface Part permits Literal, Timestamp, FirehoseValue {
    }

    private record Literal(String text) implements Part {
    }

    private record Timestamp(DateTimeFormatter format) implements Part {
    }

    /** {@code !{firehose:random-string}} or {@code !{firehose:error-output-type}}. */
    private record FirehoseValue(String value) implements Part {
    }

    private final List<Part> parts;

    private S3Prefix(List<Part> parts) {
        this.parts = parts;
    }

    /**
     * Checks a destination's Prefix and ErrorOutputPrefix together, as CreateDeliveryStream and
     * UpdateDestination do; throws InvalidArgumentException naming the rule that is broken.
     */
    static void validate(String prefix, String errorOutputPrefix) {
        S3Prefix data = parse(prefix, "Prefix");
        S3Prefix errors = parse(errorOutputPrefix, "ErrorOutputPrefix");
        if (data.has(ERROR_OUTPUT_TYPE)) {
            throw constraint("Prefix cannot contain the !{firehose:" + ERROR_OUTPUT_TYPE + "} expression");
        }
        if (data.hasExpressions() && (errorOutputPrefix == null || errorOutputPrefix.isEmpty())) {
            throw constraint("ErrorOutputPrefix cannot be null or empty when Prefix contains expressions");
        }
        if (errors.hasExpressions() && !errors.has(ERROR_OUTPUT_TYPE)) {
            throw constraint("ErrorOutputPrefix must contain !{firehose:" + ERROR_OUTPUT_TYPE
                    + "} when it contains expressions");
        }
        ZonedDateTime sample = ZonedDateTime.now(ZoneOffset.UTC);
        if (data.forObjects().evaluate(sample).length() > MAX_EVALUATED_LENGTH) {
            throw constraint("Prefix cannot be longer than " + MAX_EVALUATED_LENGTH + " characters after evaluation");
        }
        if (errors.evaluate(sample).length() > MAX_EVALUATED_LENGTH) {
            throw constraint("ErrorOutputPrefix cannot be longer than " + MAX_EVALUATED_LENGTH
                    + " characters after evaluation");
        }
    }

    /** Parses a prefix (null or empty: no parts); a malformed expression is InvalidArgumentException. */
    static S3Prefix parse(String text, String field) {
        List<Part> parts = new ArrayList<>();
        if (text == null) {
            return new S3Prefix(parts);
        }
        int pos = 0;
        while (pos < text.length()) {
            int start = text.indexOf("!{", pos);
            if (start < 0) {
                parts.add(new Literal(text.substring(pos)));
                break;
            }
            if (start > pos) {
                parts.add(new Literal(text.substring(pos, start)));
            }
            int end = text.indexOf('}', start);
            if (end < 0) {
                throw invalidExpression(field, text.substring(start), "the expression is not closed with '}'");
            }
            String expression = text.substring(start, end + 1);
            parts.add(expression(field, expression, text.substring(start + 2, end)));
            pos = end + 1;
        }
        return new S3Prefix(parts);
    }

    private static Part expression(String field, String expression, String body) {
        if (body.contains("!{")) {
            throw invalidExpression(field, expression, "expressions cannot be nested");
        }
        int colon = body.indexOf(':');
        if (colon < 0) {
            throw invalidExpression(field, expression, "expected !{namespace:value}");
        }
        String namespace = body.substring(0, colon);
        String value = body.substring(colon + 1);
        switch (namespace) {
            case "timestamp":
                return new Timestamp(timestampFormat(field, expression, value));
            case "firehose":
                if (!RANDOM_STRING.equals(value) && !ERROR_OUTPUT_TYPE.equals(value)) {
                    throw invalidExpression(field, expression,
                            "the firehose namespace accepts only " + RANDOM_STRING + " and " + ERROR_OUTPUT_TYPE);
                }
                return new FirehoseValue(value);
            case "partitionKeyFromQuery", "partitionKeyFromLambda":
                // These need dynamic partitioning, which localaws does not implement.
                throw invalidExpression(field, expression,
                        "the " + namespace + " namespace requires dynamic partitioning, which localaws does not support");
            default:
                throw invalidExpression(field, expression, "unknown namespace '" + namespace + "'");
        }
    }

    private static DateTimeFormatter timestampFormat(String field, String expression, String pattern) {
        if (pattern.isEmpty()) {
            throw invalidExpression(field, expression, "the timestamp pattern is empty");
        }
        try {
            DateTimeFormatter format = DateTimeFormatter.ofPattern(pattern);
            format.format(ZonedDateTime.now(ZoneOffset.UTC));
            return format;
        } catch (IllegalArgumentException | DateTimeException e) {
            throw invalidExpression(field, expression, "not a valid Java DateTimeFormatter pattern (" + e.getMessage() + ")");
        }
    }

    boolean hasExpressions() {
        return parts.stream().anyMatch(p -> !(p instanceof Literal));
    }

    private boolean has(String firehoseValue) {
        return parts.stream().anyMatch(p -> p instanceof FirehoseValue f && f.value().equals(firehoseValue));
    }

    /**
     * The prefix objects are written under: this one, with {@code !{timestamp:yyyy/MM/dd/HH/}}
     * appended when it has no timestamp expression, as Firehose does (so no prefix at all gives
     * the default {@code yyyy/MM/dd/HH/}).
     */
    S3Prefix forObjects() {
        if (parts.stream().anyMatch(p -> p instanceof Timestamp)) {
            return this;
        }
        List<Part> withDefault = new ArrayList<>(parts);
        withDefault.add(new Timestamp(DateTimeFormatter.ofPattern(DEFAULT_TIMESTAMP_PATTERN)));
        return new S3Prefix(withDefault);
    }

    /**
     * Evaluates every expression at one instant (all timestamps of one prefix show the same
     * time); each random-string is drawn afresh.
     */
    String evaluate(ZonedDateTime at) {
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            if (part instanceof Literal l) {
                out.append(l.text());
            } else if (part instanceof Timestamp t) {
                out.append(t.format().format(at));
            } else if (part instanceof FirehoseValue f) {
                // Only an ErrorOutputPrefix holds error-output-type; evaluated here just for its length.
                out.append(RANDOM_STRING.equals(f.value()) ? randomString() : "processing-failed");
            }
        }
        return out.toString();
    }

    private static String randomString() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] chars = new char[RANDOM_STRING_LENGTH];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = RANDOM_ALPHABET.charAt(random.nextInt(RANDOM_ALPHABET.length()));
        }
        return new String(chars);
    }

    private static AwsServiceException invalidExpression(String field, String expression, String why) {
        return constraint(field + " has an invalid expression " + expression + ": " + why);
    }

    /** Firehose's wording for a prefix rule, "Ths" (sic) included, as AWS answers it. */
    private static AwsServiceException constraint(String rule) {
        return FirehoseErrors.invalidArgument("Ths supplied prefix(es) do not satisfy the following constraint: " + rule);
    }
}
