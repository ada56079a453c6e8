package dev.clicklog.localaws.apigateway.template;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.JsonPathException;
import com.jayway.jsonpath.PathNotFoundException;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;

import dev.clicklog.localaws.protocol.JsonProtocol;

/**
 * JSONPath as API Gateway evaluates it in {@code $input.json()}, {@code $input.path()} and
 * {@code integration.response.body.*} mappings: Jayway JSONPath (deep scan, filters, slices,
 * functions) over Jackson trees. An indefinite path yields an array of every match; a definite
 * path that matches nothing yields {@link MissingNode}.
 */
public final class JsonPath {

    private static final Configuration CONFIGURATION = Configuration.builder()
            .jsonProvider(new JacksonJsonNodeJsonProvider(JsonProtocol.JSON))
            .mappingProvider(new JacksonMappingProvider(JsonProtocol.JSON))
            .build();
    /** Templates name few distinct paths, each on every request: compile each once (bounded). */
    private static final int CACHE_LIMIT = 1000;
    private static final Map<String, JsonPath> CACHE = new ConcurrentHashMap<>();

    private final com.jayway.jsonpath.JsonPath path;

    private JsonPath(com.jayway.jsonpath.JsonPath path) {
        this.path = path;
    }

    /** Parses a path; one Jayway does not accept is an IllegalArgumentException. */
    public static JsonPath compile(String expression) {
        JsonPath cached = expression == null ? null : CACHE.get(expression);
        if (cached != null) {
            return cached;
        }
        JsonPath compiled;
        try {
            compiled = new JsonPath(com.jayway.jsonpath.JsonPath.compile(expression == null ? "" : expression.trim()));
        } catch (JsonPathException | IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid JSONPath " + expression + ": " + e.getMessage(), e);
        }
        if (CACHE.size() >= CACHE_LIMIT) {
            CACHE.clear();
        }
        CACHE.put(expression, compiled);
        return compiled;
    }

    public JsonNode read(JsonNode root) {
        try {
            Object value = path.read(root, CONFIGURATION);
            if (value == null) {
                return NullNode.getInstance();
            }
            return value instanceof JsonNode node ? node : JsonProtocol.JSON.valueToTree(value);
        } catch (PathNotFoundException e) {
            return MissingNode.getInstance();
        } catch (JsonPathException e) {
            throw new IllegalArgumentException("JSONPath " + path.getPath() + " failed: " + e.getMessage(), e);
        }
    }
}
