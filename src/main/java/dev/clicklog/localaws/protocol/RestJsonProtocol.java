package dev.clicklog.localaws.protocol;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.clicklog.localaws.http.AwsRequest;
import dev.clicklog.localaws.http.AwsResponse;

/**
 * The AWS REST-JSON protocol (API Gateway, Lambda, …): the operation is named by the HTTP method
 * and a path template, members are bound from path segments, the query string, headers and a JSON
 * body, and errors are {@code {"message": …}} with the error code in {@code x-amzn-ErrorType}.
 */
public final class RestJsonProtocol {

    public static final String CONTENT_TYPE = "application/json";

    /** Errors that AWS's request deserialiser raises carry "Message", not "message", in their body. */
    private static final Set<String> FRAMEWORK_ERRORS = Set.of("ValidationException", "SerializationException");

    private RestJsonProtocol() {
    }

    /**
     * One operation's HTTP binding, e.g. {@code GET /restapis/{restapi_id}/resources}: the method,
     * the path template, whose {@code {name}} segments bind to members, and the query parameters
     * the request must carry when the model's URI names some ({@code /restapis?mode=import}).
     */
    public record HttpBinding(String operation, String method, List<String> template, ModelUri uri) {

        public static HttpBinding of(String operation, String method, String uri) {
            ModelUri parsed = ModelUri.of(uri);
            return new HttpBinding(operation, method, segments(parsed.path()), parsed);
        }

        /** Whether the request carries the query parameters the binding's URI names (true when it names none). */
        public boolean queryMatches(AwsRequest request) {
            return uri.queryMatches(request);
        }

        /** The bound path members when the method and every segment match; null otherwise. */
        public Map<String, String> match(String requestMethod, List<String> path) {
            if (!method.equals(requestMethod) || path.size() != template.size()) {
                return null;
            }
            Map<String, String> members = new HashMap<>();
            for (int i = 0; i < template.size(); i++) {
                String t = template.get(i);
                if (t.startsWith("{") && t.endsWith("}")) {
                    members.put(t.substring(1, t.length() - 1), path.get(i));
                } else if (!t.equals(path.get(i))) {
                    return null;
                }
            }
            return members;
        }
    }

    /**
     * The path's segments, each percent-decoded ('+' stays '+', as in a URI path); a segment with a
     * malformed escape is kept as sent, so it matches nothing.
     */
    public static List<String> segments(String rawPath) {
        List<String> out = new ArrayList<>();
        int start = rawPath.startsWith("/") ? 1 : 0;
        if (start >= rawPath.length()) {
            return out;
        }
        for (String s : rawPath.substring(start).split("/", -1)) {
            try {
                out.add(RestXmlProtocol.decodePath(s));
            } catch (IllegalArgumentException e) {
                out.add(s);
            }
        }
        if (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
            out.remove(out.size() - 1);
        }
        return Collections.unmodifiableList(out);
    }

    /** The JSON body as a structure; an empty body is an empty structure, anything else unparsable a SerializationException. */
    public static ObjectNode body(AwsRequest request) {
        byte[] body = request.body();
        if (body.length == 0) {
            return JsonProtocol.NODES.objectNode();
        }
        try {
            JsonNode node = JsonProtocol.JSON.readTree(body);
            if (node == null || node.isMissingNode() || node.isNull()) {
                return JsonProtocol.NODES.objectNode();
            }
            if (!node.isObject()) {
                throw JsonProtocol.serialization("Start of structure or map found where not expected.");
            }
            return (ObjectNode) node;
        } catch (JsonProcessingException e) {
            throw JsonProtocol.serialization("Unable to parse JSON request body");
        } catch (IOException e) {
            throw JsonProtocol.serialization("Unable to read request body");
        }
    }

    /** An integer query-string member; a value that is not one is a SerializationException. */
    public static Integer queryInt(AwsRequest request, String name) {
        String v = request.queryParam(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        try {
            return Integer.valueOf(v);
        } catch (NumberFormatException e) {
            throw JsonProtocol.serialization("Unable to parse " + name + " as an integer: " + v);
        }
    }

    public static boolean queryBoolean(AwsRequest request, String name) {
        return "true".equalsIgnoreCase(request.queryParam(name));
    }

    /** A list query-string member: repeated parameters and comma-separated values both count. */
    public static List<String> queryList(AwsRequest request, String name) {
        List<String> values = request.queryParams().get(name);
        List<String> out = new ArrayList<>();
        if (values != null) {
            for (String v : values) {
                for (String item : v.split(",")) {
                    if (!item.isEmpty()) {
                        out.add(item);
                    }
                }
            }
        }
        return out;
    }

    public static AwsResponse json(AwsRequest request, int status, JsonNode body) {
        try {
            return AwsResponse.of(status, CONTENT_TYPE, JsonProtocol.JSON.writeValueAsBytes(body))
                    .header("x-amzn-RequestId", request.requestId());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A success without output (DeleteX answers 202 or 204 with no body). */
    public static AwsResponse empty(AwsRequest request, int status) {
        return AwsResponse.empty(status).header("x-amzn-RequestId", request.requestId());
    }

    /** {@code {"message": …}} with {@code x-amzn-ErrorType: <code>}, as REST-JSON services answer errors. */
    public static AwsResponse error(AwsRequest request, AwsServiceException e) {
        ObjectNode body = JsonProtocol.NODES.objectNode();
        body.put(FRAMEWORK_ERRORS.contains(e.code()) ? "Message" : "message", e.getMessage());
        AwsResponse response = json(request, e.status(), body).header("x-amzn-ErrorType", e.code());
        if (e.status() == 429) {
            response.header("Retry-After", "1");
        }
        return response;
    }
}
