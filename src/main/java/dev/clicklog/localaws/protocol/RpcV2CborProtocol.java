package dev.clicklog.localaws.protocol;

import java.io.IOException;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;

import dev.clicklog.localaws.http.AwsRequest;
import dev.clicklog.localaws.http.AwsResponse;

/**
 * Smithy RPC v2 CBOR ({@code smithy.protocols#rpcv2Cbor}): {@code POST /service/{Service}/operation/{Operation}}
 * with {@code smithy-protocol: rpc-v2-cbor} and a CBOR body, answered with the same header. Timestamps
 * travel as CBOR tag 1 (epoch seconds, a double with millisecond precision, as the Java SDK writes them);
 * in an output tree they are {@link Instant}s held by POJO nodes ({@link #timestamp}). Errors are the
 * output encoding of {@code {"__type": <absolute shape id>, "message": …}}.
 */
public final class RpcV2CborProtocol {

    public static final String HEADER = "smithy-protocol";
    public static final String VALUE = "rpc-v2-cbor";
    public static final String CONTENT_TYPE = "application/cbor";
    private static final Pattern PATH = Pattern.compile("^(?:/.*)?/service/([^/]+)/operation/([^/]+)$");

    /**
     * Writes Instants as tag 1 epoch seconds; everything else as Jackson's CBOR does. (AWS's older
     * CBOR 1.1, {@link JsonProtocol#CBOR}, puts epoch milliseconds under the same tag.)
     */
    static final ObjectMapper MAPPER = new ObjectMapper(new CBORFactory())
            .registerModule(new SimpleModule().addSerializer(Instant.class, new EpochSecondsTag()));

    private RpcV2CborProtocol() {
    }

    /** True when the request is an RPC v2 CBOR call: the protocol header and the operation path. */
    public static boolean matches(AwsRequest request) {
        return VALUE.equals(request.header(HEADER)) && PATH.matcher(request.rawPath()).matches();
    }

    /** The operation named by the last path segment. */
    public static String operation(AwsRequest request) {
        Matcher m = PATH.matcher(request.rawPath());
        return m.matches() ? m.group(2) : null;
    }

    /** A tree node holding a timestamp, written as tag 1 epoch seconds. */
    public static JsonNode timestamp(Instant instant) {
        return JsonProtocol.NODES.pojoNode(instant);
    }

    /** The request body as a tree (an empty body is an empty structure); tag 1 values read as numbers. */
    public static ObjectNode read(AwsRequest request) {
        byte[] body = request.body();
        if (body.length == 0) {
            return JsonProtocol.NODES.objectNode();
        }
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node == null || node.isMissingNode()) {
                return JsonProtocol.NODES.objectNode();
            }
            if (!node.isObject()) {
                throw JsonProtocol.serialization("Start of structure or map found where not expected.");
            }
            return (ObjectNode) node;
        } catch (IOException e) {
            throw JsonProtocol.serialization("Unable to parse CBOR request body");
        }
    }

    /** 200 with the output; a null output (an operation without output) has no body and no Content-Type. */
    public static AwsResponse write(AwsRequest request, JsonNode output) {
        if (output == null) {
            return AwsResponse.empty(200).header(HEADER, VALUE).header("x-amzn-RequestId", request.requestId());
        }
        return AwsResponse.of(200, CONTENT_TYPE, encode(output))
                .header(HEADER, VALUE)
                .header("x-amzn-RequestId", request.requestId());
    }

    /**
     * The error with {@code __type} set to {@code shapeId} (e.g. {@code com.amazonaws.cloudwatch#InvalidParameterValueException})
     * and the status of the exception. No x-amzn-ErrorType: the protocol says clients ignore it.
     */
    public static AwsResponse error(AwsRequest request, String shapeId, AwsServiceException e) {
        ObjectNode body = JsonProtocol.NODES.objectNode().put("__type", shapeId).put("message", e.getMessage());
        return AwsResponse.of(e.status(), CONTENT_TYPE, encode(body))
                .header(HEADER, VALUE)
                .header("x-amzn-RequestId", request.requestId());
    }

    private static byte[] encode(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class EpochSecondsTag extends StdSerializer<Instant> {
        EpochSecondsTag() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            ((CBORGenerator) gen).writeTag(1);
            gen.writeNumber(value.toEpochMilli() / 1000.0);
        }
    }
}
