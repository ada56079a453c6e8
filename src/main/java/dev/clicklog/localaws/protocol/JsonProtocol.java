package dev.clicklog.localaws.protocol;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;

import dev.clicklog.localaws.http.AwsRequest;
import dev.clicklog.localaws.http.AwsResponse;
import dev.clicklog.localaws.http.RouteTable;

/**
 * The AWS JSON protocols (awsJson1_0, awsJson1_1) and their CBOR variant that the Java SDK uses
 * for Kinesis ({@code application/x-amz-cbor-1.1}). Requests become a Jackson tree whatever the
 * encoding; responses are encoded back in the encoding the request used.
 */
public final class JsonProtocol {

    /** Serialises {@link Instant} members as these protocols carry timestamps; see {@link #writeTimestamp}. */
    public static final SimpleModule TIMESTAMPS = new SimpleModule("aws-timestamps")
            .addSerializer(Instant.class, new StdSerializer<>(Instant.class) {
                @Override
                public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                    writeTimestamp(gen, value.toEpochMilli());
                }
            });

    public static final ObjectMapper JSON = new ObjectMapper().registerModule(TIMESTAMPS);
    public static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory()).registerModule(TIMESTAMPS);
    public static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** The wire encoding of one request and its response. */
    public enum Encoding {
        JSON_1_0("application/x-amz-json-1.0"),
        JSON_1_1("application/x-amz-json-1.1"),
        CBOR_1_1("application/x-amz-cbor-1.1");

        public final String contentType;

        Encoding(String contentType) {
            this.contentType = contentType;
        }

        public boolean cbor() {
            return this == CBOR_1_1;
        }

        public ObjectMapper mapper() {
            return cbor() ? CBOR : JSON;
        }
    }

    private JsonProtocol() {
    }

    public static Encoding encoding(AwsRequest request) {
        String ct = request.contentType();
        if (ct.startsWith("application/x-amz-cbor")) {
            return Encoding.CBOR_1_1;
        }
        return ct.startsWith("application/x-amz-json-1.0") ? Encoding.JSON_1_0 : Encoding.JSON_1_1;
    }

    /** The operation named by X-Amz-Target ("Kinesis_20131202.PutRecord" → "PutRecord"). */
    public static String operation(AwsRequest request) {
        String target = request.header("X-Amz-Target");
        if (target == null) {
            throw AwsServiceException.badRequest("UnknownOperationException", "Missing X-Amz-Target header");
        }
        int dot = target.indexOf('.');
        return dot < 0 ? target : target.substring(dot + 1);
    }

    /**
     * The request body as a tree; an empty body is an empty structure. A body that does not parse
     * is AWS's SerializationException.
     */
    public static ObjectNode read(AwsRequest request, Encoding encoding) {
        byte[] body = request.body();
        if (body.length == 0) {
            return NODES.objectNode();
        }
        try {
            JsonNode node = encoding.mapper().readTree(body);
            if (node == null || node.isMissingNode()) {
                return NODES.objectNode();
            }
            if (!node.isObject()) {
                throw serialization("Start of structure or map found where not expected.");
            }
            return (ObjectNode) node;
        } catch (JsonProcessingException e) {
            throw serialization(encoding.cbor() ? "Unable to parse CBOR request body" : "Unable to parse JSON request body");
        } catch (IOException e) {
            throw serialization("Unable to read request body");
        }
    }

    public static AwsResponse write(AwsRequest request, Encoding encoding, JsonNode output) {
        try {
            return ok(request, encoding, encoding.mapper().writeValueAsBytes(output == null ? NODES.objectNode() : output));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A 200 answer with an already encoded body (empty for operations without output). */
    public static AwsResponse ok(AwsRequest request, Encoding encoding, byte[] body) {
        return AwsResponse.of(200, encoding.contentType, body).header("x-amzn-RequestId", request.requestId());
    }

    /**
     * Writes a timestamp as the JSON protocols carry it: epoch seconds with millisecond decimals in
     * JSON; in CBOR the Java SDK writes and reads tag 1 with integer epoch <em>milliseconds</em>
     * (its CBOR payload format is UNIX_TIMESTAMP_MILLIS), so that is what CBOR answers contain.
     */
    public static void writeTimestamp(JsonGenerator gen, long epochMillis) throws IOException {
        if (gen instanceof CBORGenerator cbor) {
            cbor.writeTag(1);
            cbor.writeNumber(epochMillis);
        } else {
            gen.writeNumber(BigDecimal.valueOf(epochMillis, 3));
        }
    }

    /**
     * A timestamp member in epoch milliseconds, or null when absent. JSON carries epoch seconds
     * (the CLI sends integers or decimals); CBOR integers are epoch milliseconds as the Java SDK
     * writes them, CBOR floats epoch seconds.
     */
    public static Long timestamp(JsonNode node, String field, Encoding encoding) {
        JsonNode v = member(node, field);
        if (v == null) {
            return null;
        }
        if (!v.isNumber()) {
            throw serialization("Expected a timestamp for " + field);
        }
        if (encoding.cbor() && v.isIntegralNumber()) {
            return v.longValue();
        }
        return v.decimalValue().movePointRight(3).setScale(0, RoundingMode.FLOOR).longValueExact();
    }

    public static Boolean bool(JsonNode node, String field) {
        JsonNode v = member(node, field);
        if (v != null && !v.isBoolean()) {
            throw serialization("Expected a boolean for " + field);
        }
        return v == null ? null : v.booleanValue();
    }

    /** A member's value, or null when it is absent or null. */
    private static JsonNode member(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v;
    }

    /** {@code {"__type": code, "message": …}} with x-amzn-ErrorType, as AWS JSON services answer. */
    public static AwsResponse error(AwsRequest request, Encoding encoding, AwsServiceException e) {
        ObjectNode body = NODES.objectNode().put("__type", e.code()).put("message", e.getMessage());
        try {
            byte[] bytes = encoding.mapper().writeValueAsBytes(body);
            return AwsResponse.of(e.status(), encoding.contentType, bytes)
                    .header("x-amzn-RequestId", request.requestId())
                    .header("x-amzn-ErrorType", e.code());
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** One operation of a JSON service: the request's input and the region it addresses in, the output shape out. */
    public interface RegionalAction {
        ObjectNode handle(ObjectNode in, String region);
    }

    /**
     * Serves a request of a JSON service whose operations all take their input and region: finds the
     * operation in the target header, reads the body, answers the output in the request's encoding.
     */
    public static AwsResponse dispatch(AwsRequest request, RouteTable<RegionalAction> routes, String defaultRegion) {
        Encoding encoding = encoding(request);
        String operation = operation(request);
        RegionalAction action = routes.handler(operation);
        if (action == null) {
            throw unknownOperation(operation);
        }
        ObjectNode in = read(request, encoding);
        return write(request, encoding, action.handle(in, request.region(defaultRegion)));
    }

    public static AwsServiceException serialization(String message) {
        return AwsServiceException.badRequest("SerializationException", message);
    }

    public static AwsServiceException unknownOperation(String operation) {
        return AwsServiceException.badRequest("UnknownOperationException",
                operation == null ? "Unknown operation" : "Unknown operation " + operation);
    }

    /**
     * A blob member: a byte string in CBOR, base64 text in JSON. Null when absent; a value that is
     * neither is a SerializationException.
     */
    public static byte[] blob(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isBinary()) {
            try {
                return v.binaryValue();
            } catch (IOException e) {
                throw serialization("Invalid blob for " + field);
            }
        }
        if (v.isTextual()) {
            try {
                return Base64.getDecoder().decode(v.textValue());
            } catch (IllegalArgumentException e) {
                throw serialization("Invalid base64 for " + field);
            }
        }
        throw serialization("Expected a blob for " + field);
    }

    public static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw serialization("Expected a string for " + field);
        }
        return v.textValue();
    }

    /** The texts of an array member (such as TagKeys); empty when absent. */
    public static List<String> texts(JsonNode node, String field) {
        List<String> texts = new ArrayList<>();
        node.path(field).forEach(v -> texts.add(v.asText()));
        return texts;
    }

    public static Integer integer(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw serialization("Expected an integer for " + field);
        }
        return v.intValue();
    }
}
