package dev.clicklog.localaws.apigateway;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import dev.clicklog.localaws.protocol.JsonProtocol;

/**
 * The JSONPath subset mapping templates use: {@code $}, {@code .field}, {@code ['field']},
 * {@code [n]} (negative counts from the end), {@code [*]} and {@code .*}. A path with a wildcard
 * yields an array of every match; a definite path yields the node or {@link MissingNode}.
 */
final class JsonPath {

    private sealed interface Step permits Field, Index, Wildcard {
    }

    private record Field(String name) implements Step {
    }

    private record Index(int index) implements Step {
    }

    private record Wildcard() implements Step {
    }

    private final List<Step> steps;
    private final boolean definite;

    private JsonPath(List<Step> steps) {
        this.steps = steps;
        this.definite = steps.stream().noneMatch(s -> s instanceof Wildcard);
    }

    /** Parses a path; anything outside the subset is an IllegalArgumentException. */
    static JsonPath compile(String expression) {
        String p = expression == null ? "" : expression.trim();
        if (p.isEmpty() || p.charAt(0) != '$') {
            throw new IllegalArgumentException("JSONPath must start with $: " + expression);
        }
        List<Step> steps = new ArrayList<>();
        int i = 1;
        while (i < p.length()) {
            char c = p.charAt(i);
            if (c == '.') {
                if (i + 1 < p.length() && p.charAt(i + 1) == '.') {
                    throw new IllegalArgumentException("Deep scan (..) is not supported: " + expression);
                }
                int start = ++i;
                while (i < p.length() && p.charAt(i) != '.' && p.charAt(i) != '[') {
                    i++;
                }
                String name = p.substring(start, i);
                if (name.isEmpty()) {
                    throw new IllegalArgumentException("Empty field name in " + expression);
                }
                steps.add(name.equals("*") ? new Wildcard() : new Field(name));
            } else if (c == '[') {
                int end = closingBracket(p, i, expression);
                steps.add(bracket(p.substring(i + 1, end).trim(), expression));
                i = end + 1;
            } else {
                throw new IllegalArgumentException("Unexpected '" + c + "' in " + expression);
            }
        }
        return new JsonPath(List.copyOf(steps));
    }

    private static int closingBracket(String p, int open, String expression) {
        char quote = 0;
        for (int i = open + 1; i < p.length(); i++) {
            char c = p.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == ']') {
                return i;
            }
        }
        throw new IllegalArgumentException("Unclosed [ in " + expression);
    }

    private static Step bracket(String inside, String expression) {
        if (inside.equals("*")) {
            return new Wildcard();
        }
        if (inside.length() >= 2 && (inside.charAt(0) == '\'' || inside.charAt(0) == '"')
                && inside.charAt(inside.length() - 1) == inside.charAt(0)) {
            return new Field(inside.substring(1, inside.length() - 1));
        }
        try {
            return new Index(Integer.parseInt(inside));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Unsupported selector [" + inside + "] in " + expression);
        }
    }

    JsonNode read(JsonNode root) {
        List<JsonNode> current = List.of(root);
        for (Step step : steps) {
            List<JsonNode> next = new ArrayList<>();
            for (JsonNode node : current) {
                apply(step, node, next);
            }
            current = next;
        }
        if (definite) {
            return current.isEmpty() ? MissingNode.getInstance() : current.get(0);
        }
        ArrayNode all = JsonProtocol.NODES.arrayNode();
        current.forEach(all::add);
        return all;
    }

    private static void apply(Step step, JsonNode node, List<JsonNode> out) {
        if (step instanceof Field f) {
            JsonNode v = node.isObject() ? node.get(f.name()) : null;
            if (v != null) {
                out.add(v);
            }
        } else if (step instanceof Index ix) {
            if (node.isArray()) {
                int i = ix.index() < 0 ? node.size() + ix.index() : ix.index();
                if (i >= 0 && i < node.size()) {
                    out.add(node.get(i));
                }
            }
        } else if (node.isContainerNode()) {
            for (Iterator<JsonNode> it = node.elements(); it.hasNext();) {
                out.add(it.next());
            }
        }
    }
}
