package dev.clicklog.portal.web.ui;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.clicklog.portal.pipeline.Violation;

/**
 * The messages a submitted form earned, by input: each shown next to its input and listed in a
 * summary at the top. A rule about one entry of a list ({@code allowedOrigins[2]}) belongs to the
 * list's input and names the line.
 */
public class FormErrors {

    private static final Pattern LIST_ENTRY = Pattern.compile("(\\w+)\\[(\\d+)]");
    /** The inputs' labels, in the order of the form, for the summary. */
    private static final Map<String, String> LABELS = labels();

    /** One line of the summary: which input (its id is {@code field}) and what is wrong with it. */
    public record Entry(String field, String message) {
    }

    private final Map<String, List<String>> messages = new LinkedHashMap<>();

    public void add(String field, String message) {
        messages.computeIfAbsent(field, f -> new ArrayList<>()).add(message);
    }

    /** A rule broken by the request, placed on the input it came from. */
    public void add(Violation v) {
        Matcher entry = LIST_ENTRY.matcher(v.field());
        if (entry.matches()) {
            add(entry.group(1), "line " + (Integer.parseInt(entry.group(2)) + 1) + ": " + v.rule());
        } else {
            add(v.field(), v.rule());
        }
    }

    public boolean isEmpty() {
        return messages.isEmpty();
    }

    public boolean has(String field) {
        return messages.containsKey(field);
    }

    /** What is wrong with one input, as a sentence naming it; empty when nothing is. */
    public String get(String field) {
        if (!has(field)) {
            return "";
        }
        return LABELS.getOrDefault(field, field) + " " + String.join("; ", messages.get(field));
    }

    /** Every input with a problem, in the order of the form. */
    public List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        LABELS.keySet().stream().filter(this::has).forEach(f -> out.add(new Entry(f, get(f))));
        messages.keySet().stream().filter(f -> !LABELS.containsKey(f)).forEach(f -> out.add(new Entry(f, get(f))));
        return out;
    }

    private static Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("name", "Name");
        labels.put("team", "Team");
        labels.put("description", "Description");
        labels.put("shards", "Shards");
        labels.put("retentionHours", "Retention");
        labels.put("bufferSizeMb", "Buffer size");
        labels.put("bufferIntervalSeconds", "Buffer interval");
        labels.put("compression", "Compression");
        labels.put("s3Prefix", "S3 prefix");
        labels.put("allowedOrigins", "Allowed origins");
        labels.put("stageRateLimit", "Requests per second");
        labels.put("stageBurstLimit", "Burst");
        labels.put("expectedClicksPerSecond", "Expected clicks per second");
        return labels;
    }
}
