package dev.clicklog.portal.adapter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a pipeline's REST API consists of: {@code PUT /clicks} (one click → Kinesis PutRecord),
 * {@code POST /clicks} (the same for {@code navigator.sendBeacon}, whose body is text/plain),
 * {@code PUT /clicks/batch} (a JSON array of clicks → PutRecords), CORS preflight on both paths, and
 * the JSON schema models that validate the bodies, and the CORS headers of the answers API Gateway
 * itself gives (a body failing its model, a missing key, throttling), so a page can read why its
 * click was refused. Plain data, compared field by field with what API Gateway reports, so the
 * ingest step only changes what differs.
 *
 * @param gatewayResponses the response parameters of each customised gateway response type
 */
public record IngestApiDefinition(List<Model> models, List<MethodSpec> methods,
        Map<String, Map<String, String>> gatewayResponses) {

    public static final String CLICK_MODEL = "Click";
    public static final String CLICKS_MODEL = "Clicks";
    public static final String VALIDATOR = "clicklog-body";
    public static final String BATCH_PATH = "/clicks/batch";
    /** PutRecords takes at most 500 records. */
    public static final int MAX_BATCH = 500;

    private static final String JSON = "application/json";
    /**
     * What {@code navigator.sendBeacon(url, string)} sends (text/plain;charset=UTF-8): a "simple"
     * request, so the browser sends it without a preflight.
     */
    private static final String TEXT = "text/plain";
    private static final String ALLOW_ORIGIN = "method.response.header.Access-Control-Allow-Origin";
    private static final String VARY = "method.response.header.Vary";
    private static final String ALLOW_METHODS = "method.response.header.Access-Control-Allow-Methods";
    private static final String ALLOW_HEADERS = "method.response.header.Access-Control-Allow-Headers";
    private static final String CORS_HEADERS = "Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token";
    private static final String GATEWAY_ALLOW_ORIGIN = "gatewayresponse.header.Access-Control-Allow-Origin";
    private static final String GATEWAY_VARY = "gatewayresponse.header.Vary";
    /** The gateway response types every other 4xx and 5xx answer of the gateway falls back to. */
    public static final List<String> GATEWAY_RESPONSE_TYPES = List.of("DEFAULT_4XX", "DEFAULT_5XX");

    /** A JSON schema (draft 4) model. */
    public record Model(String name, String schema) {
    }

    /**
     * One method of one resource, with its integration and responses. Read back from an endpoint, a
     * field it does not report is null (see {@link ReadBack}).
     */
    public record MethodSpec(String path, String httpMethod, Boolean apiKeyRequired, String requestValidatorId,
            Map<String, String> requestModels, Map<String, Map<String, Boolean>> methodResponses, Integration integration) {
    }

    /** An AWS (Kinesis action) or MOCK integration. */
    public record Integration(String type, String httpMethod, String uri, String credentials,
            Map<String, String> requestParameters, Map<String, String> requestTemplates, String passthroughBehavior,
            Map<String, IntegrationResponse> responses) {

        /** What a method without an integration has: known to differ from any integration. */
        public static Integration none() {
            return new Integration("NONE", null, null, null, null, null, null, null);
        }
    }

    /** Maps integration status codes matching {@code selectionPattern} (null: the default) to a method response. */
    public record IntegrationResponse(String selectionPattern, Map<String, String> responseParameters,
            Map<String, String> responseTemplates) {
    }

    /**
     * @param putRecord     the integration URI of Kinesis PutRecord (see {@link Arns#kinesisAction})
     * @param putRecords    the same for PutRecords
     * @param roleArn       the role API Gateway assumes to call Kinesis
     * @param validatorId   the id of the body validator (named {@link #VALIDATOR}) in this API
     */
    public static IngestApiDefinition clicks(String streamName, String putRecord, String putRecords, String roleArn,
            String validatorId, List<String> allowedOrigins, boolean apiKeyRequired) {
        Cors cors = new Cors(allowedOrigins);
        List<MethodSpec> methods = new ArrayList<>();
        methods.add(kinesis(InvokeUrls.CLICKS_PATH, "PUT", List.of(JSON), CLICK_MODEL, putRecord, roleArn,
                putRecordTemplate(streamName), validatorId, apiKeyRequired, cors));
        methods.add(kinesis(InvokeUrls.CLICKS_PATH, "POST", List.of(JSON, TEXT), CLICK_MODEL, putRecord, roleArn,
                putRecordTemplate(streamName), validatorId, apiKeyRequired, cors));
        methods.add(kinesis(BATCH_PATH, "PUT", List.of(JSON), CLICKS_MODEL, putRecords, roleArn,
                putRecordsTemplate(streamName), validatorId, apiKeyRequired, cors));
        methods.add(preflight(InvokeUrls.CLICKS_PATH, "OPTIONS,POST,PUT", cors));
        methods.add(preflight(BATCH_PATH, "OPTIONS,PUT", cors));
        return new IngestApiDefinition(List.of(
                new Model(CLICK_MODEL, "{\"$schema\":\"http://json-schema.org/draft-04/schema#\",\"title\":\"Click\","
                        + "\"description\":\"One click: any JSON object\",\"type\":\"object\"}"),
                new Model(CLICKS_MODEL, "{\"$schema\":\"http://json-schema.org/draft-04/schema#\",\"title\":\"Clicks\","
                        + "\"description\":\"A batch of clicks\",\"type\":\"array\",\"minItems\":1,\"maxItems\":"
                        + MAX_BATCH + ",\"items\":{\"type\":\"object\"}}")),
                methods, cors.gatewayResponses());
    }

    /** A short fingerprint of the whole definition; a deployed stage carries it to show what it serves. */
    public String fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The seed's mapping template: the body as the record's data, the request id as partition key. */
    static String putRecordTemplate(String streamName) {
        return "{\"StreamName\": \"" + streamName + "\", \"Data\": \"$util.base64Encode($input.body)\", "
                + "\"PartitionKey\": \"$context.requestId\"}";
    }

    /**
     * Each element of the JSON array becomes one record, keyed by the request id and its position
     * (in braces: API Gateway's VTL reads a hyphen as part of a name).
     */
    static String putRecordsTemplate(String streamName) {
        return "{\"StreamName\": \"" + streamName + "\", \"Records\": [\n"
                + "#foreach($click in $input.path('$'))\n"
                + "  {\"Data\": \"$util.base64Encode($input.json(\"$[$foreach.index]\"))\", "
                + "\"PartitionKey\": \"${context.requestId}-$foreach.index\"}#if($foreach.hasNext),#end\n"
                + "#end\n"
                + "]}";
    }

    /**
     * A method calling a Kinesis action as the role, its body (of each content type) validated by the
     * model and rendered by the template.
     */
    private static MethodSpec kinesis(String path, String httpMethod, List<String> contentTypes, String model,
            String uri, String roleArn, String template, String validatorId, boolean apiKeyRequired, Cors cors) {
        Map<String, IntegrationResponse> responses = new TreeMap<>();
        responses.put("200", new IntegrationResponse(null, cors.responseParameters(), cors.responseTemplates()));
        responses.put("400", new IntegrationResponse("4\\d{2}", cors.responseParameters(), cors.responseTemplates()));
        responses.put("500", new IntegrationResponse("5\\d{2}", cors.responseParameters(), cors.responseTemplates()));
        Map<String, String> templates = new TreeMap<>();
        Map<String, String> models = new TreeMap<>();
        for (String type : contentTypes) {
            templates.put(type, template);
            models.put(type, model);
        }
        // NEVER: a body of another content type is refused (415) rather than passed to Kinesis as it is.
        Integration integration = new Integration("AWS", "POST", uri, roleArn,
                sorted(Map.of("integration.request.header.Content-Type", "'application/x-amz-json-1.1'")),
                templates, "NEVER", responses);
        Map<String, Map<String, Boolean>> methodResponses = new TreeMap<>();
        for (String status : responses.keySet()) {
            methodResponses.put(status, cors.methodResponseHeaders(false));
        }
        return new MethodSpec(path, httpMethod, apiKeyRequired, validatorId, models, methodResponses, integration);
    }

    /** CORS preflight: a MOCK integration answering 200 with the allowed origins, methods and headers. */
    private static MethodSpec preflight(String path, String methods, Cors cors) {
        Map<String, String> headers = new TreeMap<>(cors.responseParameters());
        headers.put(ALLOW_METHODS, "'" + methods + "'");
        headers.put(ALLOW_HEADERS, "'" + CORS_HEADERS + "'");
        Map<String, IntegrationResponse> responses = new TreeMap<>();
        responses.put("200", new IntegrationResponse(null, headers, cors.responseTemplates()));
        Integration mock = new Integration("MOCK", null, null, null, sorted(Map.of()),
                sorted(Map.of(JSON, "{\"statusCode\": 200}")), "WHEN_NO_MATCH", responses);
        return new MethodSpec(path, "OPTIONS", false, null, sorted(Map.of()),
                sorted(Map.of("200", cors.methodResponseHeaders(true))), mock);
    }

    private static <V> Map<String, V> sorted(Map<String, V> map) {
        return new TreeMap<>(map);
    }

    /**
     * The Access-Control-Allow-Origin answer. One origin (or "*") is a static header. A browser only
     * accepts a single origin in it, so with several the response template echoes the request's
     * Origin when it is one of them (API Gateway's response override), and says Vary: Origin.
     */
    private record Cors(List<String> origins) {

        boolean single() {
            return origins.size() == 1;
        }

        Map<String, String> responseParameters() {
            Map<String, String> p = new TreeMap<>();
            if (single()) {
                p.put(ALLOW_ORIGIN, "'" + origins.get(0) + "'");
            } else {
                p.put(VARY, "'Origin'");
            }
            return p;
        }

        Map<String, String> responseTemplates() {
            if (single()) {
                return sorted(Map.of());
            }
            StringBuilder list = new StringBuilder();
            for (String o : origins) {
                list.append(list.isEmpty() ? "" : ", ").append('"').append(o).append('"');
            }
            return sorted(Map.of(JSON, "#set($origin = $input.params('Origin'))\n"
                    + "#set($allowed = [" + list + "])\n"
                    + "#if($allowed.contains($origin))"
                    + "#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)#end\n"
                    + "$input.json('$')"));
        }

        /**
         * The gateway's own answers cannot choose among origins as a template does: with several
         * origins they name the request's. They carry only the gateway's error message, and a
         * browser still sends a click from another origin only where the preflight allows it.
         */
        Map<String, Map<String, String>> gatewayResponses() {
            Map<String, String> p = new TreeMap<>();
            if (single()) {
                p.put(GATEWAY_ALLOW_ORIGIN, "'" + origins.get(0) + "'");
            } else {
                p.put(GATEWAY_ALLOW_ORIGIN, "method.request.header.Origin");
                p.put(GATEWAY_VARY, "'Origin'");
            }
            Map<String, Map<String, String>> responses = new TreeMap<>();
            GATEWAY_RESPONSE_TYPES.forEach(type -> responses.put(type, p));
            return responses;
        }

        Map<String, Boolean> methodResponseHeaders(boolean preflight) {
            Map<String, Boolean> h = new TreeMap<>();
            h.put(ALLOW_ORIGIN, false);
            if (!single()) {
                h.put(VARY, false);
            }
            if (preflight) {
                h.put(ALLOW_METHODS, false);
                h.put(ALLOW_HEADERS, false);
            }
            return h;
        }
    }
}
