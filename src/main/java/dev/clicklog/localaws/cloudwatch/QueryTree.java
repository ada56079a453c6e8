package dev.clicklog.localaws.cloudwatch;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;

import dev.clicklog.localaws.protocol.JsonProtocol;
import dev.clicklog.localaws.protocol.XmlWriter;

/**
 * Maps the query protocol onto the tree the JSON protocols use, so one reader and one writer serve
 * every protocol: {@code A.member.2.B=x} in, {@code {"A":[…,{"B":"x"}]}} out (text leaves), and a
 * result tree back to XML with each list item as {@code <member>}.
 */
final class QueryTree {

    private QueryTree() {
    }

    /** The parameters (without Action and Version) as a tree. */
    static ObjectNode read(Map<String, String> params) {
        Map<String, Object> root = new LinkedHashMap<>();
        params.forEach((key, value) -> {
            if (!key.equals("Action") && !key.equals("Version")) {
                put(root, tokens(key), value);
            }
        });
        return (ObjectNode) toNode(root);
    }

    /** "A.member.2.B" → ["A", "member.2", "B"]: a list index stays with its "member". */
    private static List<String> tokens(String key) {
        String[] parts = key.split("\\.");
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].equals("member") && i + 1 < parts.length && parts[i + 1].matches("\\d+")) {
                tokens.add("member." + parts[++i]);
            } else {
                tokens.add(parts[i]);
            }
        }
        return tokens;
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> root, List<String> tokens, String value) {
        Map<String, Object> current = root;
        for (int i = 0; i < tokens.size() - 1; i++) {
            Object next = current.computeIfAbsent(tokens.get(i), k -> new LinkedHashMap<String, Object>());
            if (!(next instanceof Map)) {
                // "A=x" and "A.B=y" both sent: the structure wins, as the nested value is the specific one.
                next = new LinkedHashMap<String, Object>();
                current.put(tokens.get(i), next);
            }
            current = (Map<String, Object>) next;
        }
        current.putIfAbsent(tokens.get(tokens.size() - 1), value);
    }

    @SuppressWarnings("unchecked")
    private static JsonNode toNode(Object value) {
        if (!(value instanceof Map)) {
            return JsonProtocol.NODES.textNode((String) value);
        }
        Map<String, Object> map = (Map<String, Object>) value;
        if (!map.isEmpty() && map.keySet().stream().allMatch(k -> k.startsWith("member."))) {
            TreeMap<Integer, Object> byIndex = new TreeMap<>();
            map.forEach((k, v) -> byIndex.put(Integer.valueOf(k.substring("member.".length())), v));
            ArrayNode array = JsonProtocol.NODES.arrayNode();
            byIndex.values().forEach(v -> array.add(toNode(v)));
            return array;
        }
        ObjectNode object = JsonProtocol.NODES.objectNode();
        map.forEach((k, v) -> object.set(k, toNode(v)));
        return object;
    }

    /** Writes the members of a result structure as XML elements. */
    static void write(XmlWriter xml, JsonNode structure) {
        structure.fields().forEachRemaining(e -> element(xml, e.getKey(), e.getValue()));
    }

    private static void element(XmlWriter xml, String name, JsonNode value) {
        if (value.isObject()) {
            xml.start(name);
            write(xml, value);
            xml.end();
        } else if (value.isArray()) {
            xml.start(name);
            value.forEach(item -> element(xml, "member", item));
            xml.end();
        } else if (value instanceof POJONode pojo && pojo.getPojo() instanceof Instant instant) {
            xml.element(name, instant);
        } else if (!value.isNull()) {
            xml.element(name, value.asText());
        }
    }
}
