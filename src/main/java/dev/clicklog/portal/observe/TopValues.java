package dev.clicklog.portal.observe;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The most common values of one top-level field over some clicks: by default the field that is a
 * string in the most JSON clicks (ties: the first by name), as {@code type} or {@code page} is.
 */
@Schema(description = "The most common values of a top-level field over the clicks read")
public record TopValues(
        @Schema(nullable = true, description = "The field counted; null when no click is a JSON object") String field,
        @Schema(description = "Top-level string fields of the clicks, most common first: the fields one may choose")
        List<String> fields,
        @Schema(description = "Clicks read") int clicks,
        @Schema(description = "Clicks that have the field") int withField,
        @Schema(description = "The most common values, most common first (ties: by value)") List<ValueCount> top) {

    /** Values listed, at most. */
    public static final int MAX_VALUES = 10;
    /** A value longer than this is counted under its first this many characters. */
    static final int MAX_VALUE_LENGTH = 200;

    @Schema(description = "A value and how many clicks have it")
    public record ValueCount(String value, int count) {
    }

    /** Over {@code records}; {@code field} the one to count, or empty for the default. */
    public static TopValues of(List<StreamRecord> records, Optional<String> field) {
        Map<String, Integer> stringFields = new HashMap<>();
        for (StreamRecord r : records) {
            JsonNode json = r.data().json();
            if (json != null && json.isObject()) {
                json.properties().forEach(e -> {
                    if (e.getValue().isTextual()) {
                        stringFields.merge(e.getKey(), 1, Integer::sum);
                    }
                });
            }
        }
        List<String> fields = mostCommonFirst(stringFields).stream().map(Map.Entry::getKey).toList();
        String counted = field.filter(f -> !f.isBlank()).orElse(fields.isEmpty() ? null : fields.get(0));
        if (counted == null) {
            return new TopValues(null, fields, records.size(), 0, List.of());
        }
        Map<String, Integer> values = new HashMap<>();
        int withField = 0;
        for (StreamRecord r : records) {
            JsonNode json = r.data().json();
            JsonNode value = json != null && json.isObject() ? json.get(counted) : null;
            if (value == null || value.isContainerNode()) {
                continue;
            }
            withField++;
            String text = value.isNull() ? "null" : value.asText();
            values.merge(text.length() > MAX_VALUE_LENGTH ? text.substring(0, MAX_VALUE_LENGTH) + "…" : text, 1,
                    Integer::sum);
        }
        List<ValueCount> top = mostCommonFirst(values).stream().limit(MAX_VALUES)
                .map(e -> new ValueCount(e.getKey(), e.getValue())).toList();
        return new TopValues(counted, fields, records.size(), withField, top);
    }

    private static List<Map.Entry<String, Integer>> mostCommonFirst(Map<String, Integer> counts) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .toList();
    }
}
