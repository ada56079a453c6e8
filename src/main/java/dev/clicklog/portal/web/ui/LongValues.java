package dev.clicklog.portal.web.ui;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.clicklog.portal.observe.DecodedData;
import io.quarkus.qute.TemplateExtension;

/**
 * A record as a page lists it: a string value over {@value #MAX_VALUE} characters is cut there
 * (the record's "Show all" fetches it whole), and the whole shown text at {@value #MAX_SHOWN}, so
 * one 500 KB click does not weigh a page of fifty down.
 */
@TemplateExtension
public final class LongValues {

    static final int MAX_VALUE = 2048;
    static final int MAX_SHOWN = 16_384;
    /** A summary line: its first fields, each value cut at {@value #SUMMARY_VALUE} characters. */
    static final int SUMMARY = 160;
    static final int SUMMARY_VALUE = 48;

    private LongValues() {
    }

    /** The data as the list shows it. */
    static String shown(DecodedData data) {
        String text = switch (data.encoding()) {
            case json -> cut(data.json()).toPrettyString();
            case text -> cutText(data.text(), MAX_VALUE);
            case base64 -> cutText(data.base64(), MAX_VALUE);
        };
        return cutText(text, MAX_SHOWN);
    }

    /**
     * The data on one line, for a table row: a JSON object's first fields as {@code k=v}, other
     * data as its first characters, cut at {@value #SUMMARY} characters.
     */
    static String summary(DecodedData data) {
        String line = switch (data.encoding()) {
            case json -> data.json().isObject() ? fields(data.json()) : oneLine(data.json().toString(), SUMMARY);
            case text -> oneLine(data.text(), SUMMARY);
            case base64 -> cutLine(data.base64(), SUMMARY);
        };
        return cutLine(line, SUMMARY);
    }

    private static String fields(JsonNode object) {
        StringBuilder line = new StringBuilder();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext() && line.length() < SUMMARY;) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            String value = v.isTextual() ? v.textValue() : v.toString();
            line.append(line.length() == 0 ? "" : "  ").append(cutLine(e.getKey(), SUMMARY_VALUE)).append('=')
                    .append(oneLine(value, SUMMARY_VALUE));
        }
        return line.length() == 0 ? "{}" : line.toString();
    }

    /** The text's start on one line (runs of white space as one space), cut at {@code max} characters. */
    private static String oneLine(String text, int max) {
        String head = text.length() > 2 * max ? text.substring(0, 2 * max) : text;
        String line = head.strip().replaceAll("\\s+", " ");
        if (line.length() <= max && head.length() == text.length()) {
            return line;
        }
        return line.substring(0, Math.min(line.length(), max - 1)) + "…";
    }

    private static String cutLine(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    /** Whether the list shows less than the whole data. */
    static boolean cut(DecodedData data) {
        return switch (data.encoding()) {
            case json -> hasLong(data.json()) || data.display().length() > MAX_SHOWN;
            case text -> data.text().length() > MAX_VALUE;
            case base64 -> data.base64().length() > MAX_VALUE;
        };
    }

    private static JsonNode cut(JsonNode node) {
        if (!hasLong(node)) {
            return node;
        }
        if (node.isTextual()) {
            return TextNode.valueOf(cutText(node.textValue(), MAX_VALUE));
        }
        if (node.isArray()) {
            ArrayNode copy = ((ArrayNode) node).arrayNode();
            node.forEach(item -> copy.add(cut(item)));
            return copy;
        }
        ObjectNode copy = ((ObjectNode) node).objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            copy.set(e.getKey(), cut(e.getValue()));
        }
        return copy;
    }

    private static boolean hasLong(JsonNode node) {
        if (node.isTextual()) {
            return node.textValue().length() > MAX_VALUE;
        }
        for (JsonNode child : node) {
            if (hasLong(child)) {
                return true;
            }
        }
        return false;
    }

    private static String cutText(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        return text.substring(0, max) + "… (" + Units.bytes(text.length() - max) + " more)";
    }
}
