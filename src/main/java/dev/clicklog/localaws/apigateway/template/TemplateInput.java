package dev.clicklog.localaws.apigateway.template;

import dev.clicklog.localaws.apigateway.invoke.RequestParameters;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.clicklog.localaws.protocol.JsonProtocol;

/**
 * {@code $input} of a mapping template: the payload (the method request's body in request
 * templates, the backend's in response templates) and the method request's parameters. Public
 * for the template engine, which only calls public members of public classes.
 */
public final class TemplateInput {

    private final String body;
    private final RequestParameters parameters;
    private JsonNode parsed;

    public TemplateInput(String body, RequestParameters parameters) {
        this.body = body;
        this.parameters = parameters;
    }

    /** {@code $input.body}: the raw payload. */
    public String getBody() {
        return body;
    }

    /** {@code $input.json(path)}: the JSON text at the path ("null" when nothing is there). */
    public String json(String path) {
        JsonNode node = JsonPath.compile(path).read(payload());
        return node.isMissingNode() ? "null" : node.toString();
    }

    /** {@code $input.path(path)}: the value at the path as maps, lists, strings, numbers and booleans. */
    public Object path(String path) {
        return toJava(JsonPath.compile(path).read(payload()));
    }

    /** {@code $input.params()}: {@code path}, {@code querystring} and {@code header} maps. */
    public Map<String, Object> params() {
        return parameters.all();
    }

    /** {@code $input.params(name)}: the path, then query-string, then header parameter of that name, or "". */
    public String params(String name) {
        return parameters.find(name);
    }

    /** The payload as JSON, parsed once; an empty payload is an empty object, as API Gateway treats it. */
    private JsonNode payload() {
        if (parsed == null) {
            if (body == null || body.isBlank()) {
                parsed = JsonProtocol.NODES.objectNode();
            } else {
                try {
                    parsed = JsonProtocol.JSON.readTree(body);
                } catch (IOException e) {
                    throw new UnparsableBody(e.getMessage());
                }
            }
        }
        return parsed;
    }

    /** A template read a payload that is not JSON; API Gateway answers 400 for it. */
    public static final class UnparsableBody extends RuntimeException {
        UnparsableBody(String detail) {
            super(detail, null, false, false);
        }
    }

    static Object toJava(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                map.put(e.getKey(), toJava(e.getValue()));
            }
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            node.forEach(n -> list.add(toJava(n)));
            return list;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue();
        }
        if (node.isNumber()) {
            return node.decimalValue();
        }
        return node.toString();
    }
}
