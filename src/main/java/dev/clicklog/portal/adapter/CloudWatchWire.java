package dev.clicklog.portal.adapter;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.core.traits.MapTrait;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.core.util.SdkAutoConstructMap;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * Speaks AWS JSON 1.0 or the query protocol to CloudWatch for the SDK's client, which (2.57) speaks
 * only Smithy RPC v2 CBOR. The request is written anew from the request object, following the SDK's
 * own description of its fields; the endpoint's JSON or XML answer is rewritten into the CBOR the
 * client reads. So an endpoint that serves CloudWatch only in its older protocols (moto) answers the
 * same client, with the SDK's signing, retries and error types unchanged.
 */
final class CloudWatchWire implements ExecutionInterceptor {

    static final String TARGET_PREFIX = "GraniteServiceVersion20100801";
    static final String VERSION = "2010-08-01";

    private static final ExecutionAttribute<byte[]> REQUEST_BODY = new ExecutionAttribute<>("clicklog.cloudwatch.request");
    private static final ExecutionAttribute<byte[]> ANSWER = new ExecutionAttribute<>("clicklog.cloudwatch.answer");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CBORFactory CBOR = new CBORFactory();
    private static final String MODEL_PACKAGE = "software.amazon.awssdk.services.cloudwatch.model.";
    /** The fields of each operation's response, as the SDK describes them. */
    private static final Map<String, List<SdkField<?>>> RESPONSE_FIELDS = new ConcurrentHashMap<>();

    private final CloudWatchProtocol protocol;

    CloudWatchWire(CloudWatchProtocol protocol) {
        if (protocol != CloudWatchProtocol.JSON && protocol != CloudWatchProtocol.QUERY) {
            throw new IllegalArgumentException("the SDK speaks " + protocol + " itself");
        }
        this.protocol = protocol;
    }

    /** The SDK asks for the body first, then for the request's line and headers. */
    @Override
    public Optional<RequestBody> modifyHttpContent(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        byte[] body = body(context, attributes);
        return Optional.of(RequestBody.fromContentProvider(() -> new ByteArrayInputStream(body), body.length,
                contentType()));
    }

    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        byte[] body = body(context, attributes);
        SdkHttpRequest http = context.httpRequest();
        SdkHttpRequest.Builder b = http.toBuilder()
                .encodedPath(basePath(http.encodedPath()))
                .removeHeader("smithy-protocol")
                .removeHeader("Accept")
                .putHeader("Content-Length", Integer.toString(body.length))
                .putHeader("Content-Type", contentType());
        if (protocol == CloudWatchProtocol.JSON) {
            b.putHeader("X-Amz-Target", TARGET_PREFIX + "." + operation);
            // CloudWatch is "awsQueryCompatible": this asks for the query protocol's error codes.
            b.putHeader("x-amzn-query-mode", "true");
        }
        return b.build();
    }

    private byte[] body(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        byte[] body = attributes.getAttribute(REQUEST_BODY);
        if (body == null) {
            String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
            SdkPojo request = (SdkPojo) context.request();
            body = protocol == CloudWatchProtocol.JSON ? jsonRequest(request) : queryRequest(operation, request);
            attributes.putAttribute(REQUEST_BODY, body);
        }
        return body;
    }

    @Override
    public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        SdkHttpResponse http = context.httpResponse();
        byte[] raw = context.responseBody().map(CloudWatchWire::readAll).orElse(new byte[0]);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        byte[] answer;
        SdkHttpResponse.Builder b = http.toBuilder();
        try {
            if (http.isSuccessful()) {
                answer = protocol == CloudWatchProtocol.JSON ? jsonAnswer(operation, raw) : queryAnswer(operation, raw);
            } else {
                Map.Entry<String, String> error = protocol == CloudWatchProtocol.JSON ? jsonError(raw) : queryError(raw);
                answer = cbor(g -> {
                    g.writeStartObject();
                    g.writeStringField("__type", error.getKey());
                    g.writeStringField("message", error.getValue());
                    g.writeEndObject();
                });
                if (http.firstMatchingHeader("x-amzn-query-error").isEmpty()) {
                    b.putHeader("x-amzn-query-error", error.getKey() + ";Sender");
                }
            }
        } catch (RuntimeException unreadable) {
            // Not an answer in the protocol spoken (a web page, say): the client reports it as it is.
            attributes.putAttribute(ANSWER, raw);
            return http;
        }
        attributes.putAttribute(ANSWER, answer);
        return b.putHeader("Content-Type", "application/cbor")
                .putHeader("smithy-protocol", "rpc-v2-cbor")
                .putHeader("Content-Length", Integer.toString(answer.length))
                .build();
    }

    @Override
    public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context,
            ExecutionAttributes attributes) {
        byte[] answer = attributes.getAttribute(ANSWER);
        return answer == null ? context.responseBody() : Optional.of(new ByteArrayInputStream(answer));
    }

    private String contentType() {
        return protocol == CloudWatchProtocol.JSON ? "application/x-amz-json-1.0"
                : "application/x-www-form-urlencoded; charset=utf-8";
    }

    /** The endpoint's own path prefix: what comes before the RPC v2 path {@code /service/…/operation/…}. */
    static String basePath(String rpcPath) {
        int at = rpcPath == null ? -1 : rpcPath.indexOf("/service/");
        String base = at < 0 ? rpcPath : rpcPath.substring(0, at);
        return base == null || base.isEmpty() ? "/" : base;
    }

    // --- requests ---

    static byte[] jsonRequest(SdkPojo request) {
        try {
            return JSON.writeValueAsBytes(jsonStruct(request));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode jsonStruct(SdkPojo pojo) {
        ObjectNode out = JSON.createObjectNode();
        for (SdkField<?> f : pojo.sdkFields()) {
            Object value = f.getValueOrDefault(pojo);
            if (present(value)) {
                out.set(f.locationName(), jsonValue(value, f));
            }
        }
        return out;
    }

    private static JsonNode jsonValue(Object value, SdkField<?> f) {
        MarshallingType<?> type = f.marshallingType();
        if (type == MarshallingType.SDK_POJO) {
            return jsonStruct((SdkPojo) value);
        }
        if (type == MarshallingType.LIST) {
            ArrayNode array = JSON.createArrayNode();
            SdkField<?> member = f.getRequiredTrait(ListTrait.class).memberFieldInfo();
            ((List<?>) value).forEach(v -> array.add(jsonValue(v, member)));
            return array;
        }
        if (type == MarshallingType.MAP) {
            ObjectNode map = JSON.createObjectNode();
            SdkField<?> member = f.getRequiredTrait(MapTrait.class).valueFieldInfo();
            ((Map<?, ?>) value).forEach((k, v) -> map.set(String.valueOf(k), jsonValue(v, member)));
            return map;
        }
        if (type == MarshallingType.INSTANT) {
            // AWS JSON: epoch seconds, with the milliseconds as a fraction
            return JSON.getNodeFactory().numberNode(BigDecimal.valueOf(((Instant) value).toEpochMilli(), 3));
        }
        if (type == MarshallingType.SDK_BYTES) {
            return JSON.getNodeFactory().textNode(Base64.getEncoder().encodeToString(((SdkBytes) value).asByteArray()));
        }
        return JSON.valueToTree(value);
    }

    static byte[] queryRequest(String operation, SdkPojo request) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("Action", operation);
        params.put("Version", VERSION);
        queryStruct("", request, params);
        StringBuilder form = new StringBuilder();
        params.forEach((k, v) -> form.append(form.isEmpty() ? "" : "&").append(encode(k)).append('=').append(encode(v)));
        return form.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void queryStruct(String prefix, SdkPojo pojo, Map<String, String> params) {
        for (SdkField<?> f : pojo.sdkFields()) {
            Object value = f.getValueOrDefault(pojo);
            if (present(value)) {
                queryValue(prefix + f.locationName(), value, f, params);
            }
        }
    }

    private static void queryValue(String name, Object value, SdkField<?> f, Map<String, String> params) {
        MarshallingType<?> type = f.marshallingType();
        if (type == MarshallingType.SDK_POJO) {
            queryStruct(name + ".", (SdkPojo) value, params);
        } else if (type == MarshallingType.LIST) {
            ListTrait trait = f.getRequiredTrait(ListTrait.class);
            List<?> list = (List<?>) value;
            if (list.isEmpty()) {
                params.put(name, "");
                return;
            }
            String member = trait.isFlattened() ? "" : "." + (trait.memberLocationName() == null ? "member"
                    : trait.memberLocationName());
            for (int i = 0; i < list.size(); i++) {
                queryValue(name + member + "." + (i + 1), list.get(i), trait.memberFieldInfo(), params);
            }
        } else if (type == MarshallingType.MAP) {
            MapTrait trait = f.getRequiredTrait(MapTrait.class);
            int i = 1;
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                String entry = name + (trait.isFlattened() ? "" : ".entry") + "." + i++;
                params.put(entry + "." + trait.keyLocationName(), String.valueOf(e.getKey()));
                queryValue(entry + "." + trait.valueLocationName(), e.getValue(), trait.valueFieldInfo(), params);
            }
        } else if (type == MarshallingType.INSTANT) {
            params.put(name, value.toString());
        } else if (type == MarshallingType.SDK_BYTES) {
            params.put(name, Base64.getEncoder().encodeToString(((SdkBytes) value).asByteArray()));
        } else {
            params.put(name, String.valueOf(value));
        }
    }

    /** Whether the caller set the value: the SDK stands in empty collections for those it did not. */
    private static boolean present(Object value) {
        return value != null && !(value instanceof SdkAutoConstructList) && !(value instanceof SdkAutoConstructMap);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    // --- answers ---

    static byte[] jsonAnswer(String operation, byte[] raw) {
        JsonNode json = readJson(raw);
        List<SdkField<?>> fields = responseFields(operation);
        return cbor(g -> jsonToCbor(g, json, fields));
    }

    private static void jsonToCbor(CBORGenerator g, JsonNode node, List<SdkField<?>> fields) throws IOException {
        g.writeStartObject();
        for (SdkField<?> f : fields) {
            JsonNode v = node.get(f.unmarshallLocationName());
            if (v != null && !v.isNull()) {
                g.writeFieldName(f.unmarshallLocationName());
                jsonValueToCbor(g, v, f);
            }
        }
        g.writeEndObject();
    }

    private static void jsonValueToCbor(CBORGenerator g, JsonNode v, SdkField<?> f) throws IOException {
        MarshallingType<?> type = f.marshallingType();
        if (type == MarshallingType.SDK_POJO) {
            jsonToCbor(g, v, f.constructor().get().sdkFields());
        } else if (type == MarshallingType.LIST) {
            SdkField<?> member = f.getRequiredTrait(ListTrait.class).memberFieldInfo();
            g.writeStartArray();
            for (JsonNode e : v) {
                jsonValueToCbor(g, e, member);
            }
            g.writeEndArray();
        } else if (type == MarshallingType.MAP) {
            SdkField<?> member = f.getRequiredTrait(MapTrait.class).valueFieldInfo();
            g.writeStartObject();
            var fields = v.fields();
            while (fields.hasNext()) {
                var e = fields.next();
                g.writeFieldName(e.getKey());
                jsonValueToCbor(g, e.getValue(), member);
            }
            g.writeEndObject();
        } else if (type == MarshallingType.INSTANT) {
            timestamp(g, v.isNumber() ? v.asDouble() : epochSeconds(v.asText()));
        } else if (type == MarshallingType.SDK_BYTES) {
            g.writeBinary(Base64.getDecoder().decode(v.asText()));
        } else {
            scalar(g, type, v.isValueNode() ? v.asText() : v.toString());
        }
    }

    static byte[] queryAnswer(String operation, byte[] raw) {
        Element root = readXml(raw);
        Element result = child(root, operation + "Result");
        List<SdkField<?>> fields = responseFields(operation);
        return cbor(g -> {
            if (result == null) {
                g.writeStartObject();
                g.writeEndObject();
            } else {
                xmlToCbor(g, result, fields);
            }
        });
    }

    private static void xmlToCbor(CBORGenerator g, Element element, List<SdkField<?>> fields) throws IOException {
        g.writeStartObject();
        for (SdkField<?> f : fields) {
            String name = f.unmarshallLocationName();
            if (f.marshallingType() == MarshallingType.LIST && f.getRequiredTrait(ListTrait.class).isFlattened()) {
                List<Element> members = children(element, name);
                if (!members.isEmpty()) {
                    g.writeFieldName(name);
                    xmlList(g, members, f.getRequiredTrait(ListTrait.class).memberFieldInfo());
                }
                continue;
            }
            Element v = child(element, name);
            if (v != null) {
                g.writeFieldName(name);
                xmlValueToCbor(g, v, f);
            }
        }
        g.writeEndObject();
    }

    private static void xmlValueToCbor(CBORGenerator g, Element v, SdkField<?> f) throws IOException {
        MarshallingType<?> type = f.marshallingType();
        if (type == MarshallingType.SDK_POJO) {
            xmlToCbor(g, v, f.constructor().get().sdkFields());
        } else if (type == MarshallingType.LIST) {
            ListTrait trait = f.getRequiredTrait(ListTrait.class);
            String member = trait.memberLocationName() == null ? "member" : trait.memberLocationName();
            xmlList(g, children(v, member), trait.memberFieldInfo());
        } else if (type == MarshallingType.MAP) {
            MapTrait trait = f.getRequiredTrait(MapTrait.class);
            g.writeStartObject();
            for (Element entry : children(v, "entry")) {
                Element key = child(entry, trait.keyLocationName());
                Element value = child(entry, trait.valueLocationName());
                if (key != null && value != null) {
                    g.writeFieldName(key.getTextContent());
                    xmlValueToCbor(g, value, trait.valueFieldInfo());
                }
            }
            g.writeEndObject();
        } else if (type == MarshallingType.INSTANT) {
            timestamp(g, epochSeconds(v.getTextContent().strip()));
        } else if (type == MarshallingType.SDK_BYTES) {
            g.writeBinary(Base64.getDecoder().decode(v.getTextContent().strip()));
        } else {
            scalar(g, type, v.getTextContent());
        }
    }

    private static void xmlList(CBORGenerator g, List<Element> members, SdkField<?> member) throws IOException {
        g.writeStartArray();
        for (Element e : members) {
            xmlValueToCbor(g, e, member);
        }
        g.writeEndArray();
    }

    private static void scalar(CBORGenerator g, MarshallingType<?> type, String text) throws IOException {
        if (type == MarshallingType.BOOLEAN) {
            g.writeBoolean(Boolean.parseBoolean(text.strip()));
        } else if (type == MarshallingType.INTEGER || type == MarshallingType.SHORT || type == MarshallingType.BYTE) {
            g.writeNumber(Integer.parseInt(text.strip()));
        } else if (type == MarshallingType.LONG) {
            g.writeNumber(Long.parseLong(text.strip()));
        } else if (type == MarshallingType.DOUBLE || type == MarshallingType.FLOAT) {
            g.writeNumber(Double.parseDouble(text.strip()));
        } else if (type == MarshallingType.BIG_DECIMAL) {
            g.writeNumber(new BigDecimal(text.strip()));
        } else {
            g.writeString(text);
        }
    }

    /** A timestamp as Smithy RPC v2 CBOR writes it: tag 1, epoch seconds. */
    private static void timestamp(CBORGenerator g, double epochSeconds) throws IOException {
        g.writeTag(1);
        g.writeNumber(epochSeconds);
    }

    private static double epochSeconds(String iso) {
        try {
            return OffsetDateTime.parse(iso).toInstant().toEpochMilli() / 1000.0;
        } catch (DateTimeParseException e) {
            return Instant.parse(iso).toEpochMilli() / 1000.0;
        }
    }

    /** The error code (without a namespace) and message of a JSON error answer. */
    static Map.Entry<String, String> jsonError(byte[] raw) {
        JsonNode json = readJson(raw);
        String type = text(json, "__type", text(json, "code", "UnknownError"));
        type = type.substring(type.indexOf('#') + 1);
        int colon = type.indexOf(':');
        return Map.entry(colon < 0 ? type : type.substring(0, colon), text(json, "message", text(json, "Message", "")));
    }

    static Map.Entry<String, String> queryError(byte[] raw) {
        Element root = readXml(raw);
        Element error = "Error".equals(root.getLocalName()) ? root : child(root, "Error");
        if (error == null) {
            throw new IllegalArgumentException("not a query protocol error");
        }
        Element code = child(error, "Code");
        Element message = child(error, "Message");
        return Map.entry(code == null ? "UnknownError" : code.getTextContent().strip(),
                message == null ? "" : message.getTextContent().strip());
    }

    private static String text(JsonNode json, String field, String otherwise) {
        JsonNode v = json.get(field);
        return v == null || v.isNull() ? otherwise : v.asText();
    }

    private static List<SdkField<?>> responseFields(String operation) {
        return RESPONSE_FIELDS.computeIfAbsent(operation, op -> {
            try {
                Class<?> response = Class.forName(MODEL_PACKAGE + op + "Response");
                return List.copyOf(((SdkPojo) response.getMethod("builder").invoke(null)).sdkFields());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("CloudWatch has no operation " + op, e);
            }
        });
    }

    private interface CborWriter {
        void write(CBORGenerator g) throws IOException;
    }

    private static byte[] cbor(CborWriter writer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CBORGenerator g = CBOR.createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            writer.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static JsonNode readJson(byte[] raw) {
        try {
            JsonNode json = JSON.readTree(raw.length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : raw);
            if (json == null || !json.isObject()) {
                throw new IllegalArgumentException("not a JSON object");
            }
            return json;
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON", e);
        }
    }

    private static Element readXml(byte[] raw) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(raw)).getDocumentElement();
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new IllegalArgumentException("not XML", e);
        }
    }

    private static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0);
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getLocalName() != null ? e.getLocalName() : e.getTagName())) {
                out.add(e);
            }
        }
        return out;
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
