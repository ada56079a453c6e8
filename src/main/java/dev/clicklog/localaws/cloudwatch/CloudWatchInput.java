package dev.clicklog.localaws.cloudwatch;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.clicklog.localaws.protocol.AwsServiceException;
import dev.clicklog.localaws.protocol.JsonProtocol;

/**
 * One structure of a CloudWatch request, whatever the wire protocol: a JSON 1.0 or CBOR body, or the
 * query protocol's parameters turned into the same tree (where every leaf is text). Each value knows
 * its query-style path ({@code MetricDataQueries.member.1.MetricStat.Period}), the names CloudWatch's
 * error messages use in every protocol.
 */
final class CloudWatchInput {

    private final JsonNode node;
    private final String path;
    private final boolean query;

    private CloudWatchInput(JsonNode node, String path, boolean query) {
        this.node = node;
        this.path = path;
        this.query = query;
    }

    static CloudWatchInput of(ObjectNode node, boolean query) {
        return new CloudWatchInput(node, "", query);
    }

    /** The path of a member of this structure, as CloudWatch's messages name it. */
    String path(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    String path() {
        return path;
    }

    boolean has(String field) {
        JsonNode v = node.get(field);
        return v != null && !v.isNull();
    }

    String string(String field) {
        JsonNode v = value(field);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            throw typeError(path(field), "a string");
        }
        return v.textValue();
    }

    Integer integer(String field) {
        JsonNode v = value(field);
        if (v == null) {
            return null;
        }
        if (v.isIntegralNumber() && v.canConvertToInt()) {
            return v.intValue();
        }
        if (query && v.isTextual()) {
            try {
                return Integer.valueOf(v.textValue().trim());
            } catch (NumberFormatException e) {
                throw typeError(path(field), "an integer");
            }
        }
        throw typeError(path(field), "an integer");
    }

    Double number(String field) {
        return number(value(field), path(field));
    }

    Boolean bool(String field) {
        JsonNode v = value(field);
        if (v == null) {
            return null;
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (query && v.isTextual() && ("true".equals(v.textValue()) || "false".equals(v.textValue()))) {
            return Boolean.valueOf(v.textValue());
        }
        throw typeError(path(field), "a boolean");
    }

    /**
     * Epoch seconds (JSON 1.0 and CBOR's tag 1, read as a number) or an ISO 8601 text (query), to the
     * millisecond.
     */
    Instant timestamp(String field) {
        JsonNode v = value(field);
        if (v == null) {
            return null;
        }
        if (v.isNumber()) {
            return epochSeconds(v.decimalValue());
        }
        if (v.isTextual()) {
            String text = v.textValue().trim();
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e) {
                try {
                    return epochSeconds(new BigDecimal(text));
                } catch (NumberFormatException notNumber) {
                    throw typeError(path(field), "a timestamp");
                }
            }
        }
        throw typeError(path(field), "a timestamp");
    }

    /** A nested structure, or null when absent. */
    CloudWatchInput object(String field) {
        JsonNode v = value(field);
        if (v == null) {
            return null;
        }
        if (!v.isObject()) {
            throw typeError(path(field), "a structure");
        }
        return new CloudWatchInput(v, path(field), query);
    }

    /** The structures of a list member; empty when absent. */
    List<CloudWatchInput> objects(String field) {
        List<CloudWatchInput> out = new ArrayList<>();
        List<JsonNode> items = items(field);
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String itemPath = path(field) + ".member." + (i + 1);
            if (!item.isObject()) {
                throw typeError(itemPath, "a structure");
            }
            out.add(new CloudWatchInput(item, itemPath, query));
        }
        return out;
    }

    List<String> strings(String field) {
        List<String> out = new ArrayList<>();
        List<JsonNode> items = items(field);
        for (int i = 0; i < items.size(); i++) {
            if (!items.get(i).isTextual()) {
                throw typeError(path(field) + ".member." + (i + 1), "a string");
            }
            out.add(items.get(i).textValue());
        }
        return out;
    }

    List<Double> numbers(String field) {
        List<Double> out = new ArrayList<>();
        List<JsonNode> items = items(field);
        for (int i = 0; i < items.size(); i++) {
            out.add(number(items.get(i), path(field) + ".member." + (i + 1)));
        }
        return out;
    }

    private List<JsonNode> items(String field) {
        JsonNode v = value(field);
        List<JsonNode> out = new ArrayList<>();
        if (v == null || (query && v.isTextual() && v.textValue().isEmpty())) {
            // The query protocol sends an empty list as "Name=".
            return out;
        }
        if (!v.isArray()) {
            throw typeError(path(field), "a list");
        }
        v.forEach(out::add);
        return out;
    }

    private Double number(JsonNode v, String where) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isNumber()) {
            return v.doubleValue();
        }
        if (v.isTextual()) {
            // JSON and CBOR carry the non-finite doubles as strings; the query protocol carries every number as one.
            String text = v.textValue().trim();
            switch (text) {
                case "NaN":
                    return Double.NaN;
                case "Infinity":
                    return Double.POSITIVE_INFINITY;
                case "-Infinity":
                    return Double.NEGATIVE_INFINITY;
                default:
                    if (query) {
                        try {
                            return Double.valueOf(text);
                        } catch (NumberFormatException e) {
                            throw typeError(where, "a number");
                        }
                    }
            }
        }
        throw typeError(where, "a number");
    }

    private JsonNode value(String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v;
    }

    private static Instant epochSeconds(BigDecimal seconds) {
        return Instant.ofEpochMilli(seconds.movePointRight(3).setScale(0, RoundingMode.FLOOR).longValueExact());
    }

    /**
     * A value of the wrong type: in JSON and CBOR the body does not match the model
     * (SerializationException); in the query protocol, text that does not parse (InvalidParameterValue).
     */
    private AwsServiceException typeError(String where, String expected) {
        if (query) {
            return CloudWatchErrors.invalidParameterValue("The value for parameter " + where + " is not " + expected + ".");
        }
        return JsonProtocol.serialization("Expected " + expected + " for " + where);
    }
}
