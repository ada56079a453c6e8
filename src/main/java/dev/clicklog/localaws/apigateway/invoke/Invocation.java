package dev.clicklog.localaws.apigateway.invoke;

import dev.clicklog.localaws.apigateway.ApiGatewayService;
import dev.clicklog.localaws.apigateway.template.JsonPath;
import dev.clicklog.localaws.apigateway.template.MappingTemplates;
import dev.clicklog.localaws.apigateway.template.TemplateContext;
import dev.clicklog.localaws.apigateway.template.TemplateError;
import dev.clicklog.localaws.apigateway.template.TemplateIdentity;
import dev.clicklog.localaws.apigateway.template.TemplateInput;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.networknt.schema.JsonSchema;

import dev.clicklog.localaws.apigateway.template.MappingTemplates.MappingTemplate;
import dev.clicklog.localaws.http.AwsRequest;
import dev.clicklog.localaws.http.AwsResponse;
import dev.clicklog.localaws.http.LocalAwsClient;
import dev.clicklog.localaws.protocol.JsonProtocol;
import dev.clicklog.localaws.protocol.RestJsonProtocol;

/**
 * One request through a deployed stage, in API Gateway's order: route, authorization, API key,
 * throttling and quota, request validation, integration request (template), the integration,
 * integration response selection and mapping. A check that fails throws a {@link GatewayError},
 * which the API's gateway response for its type turns into the answer.
 */
public final class Invocation {

    public static final String JSON = "application/json";

    /** What an invocation needs from the data plane, the same for every request. */
    record Services(ApiGatewayService state, String accountId, LocalAwsClient aws, IntegrationAccess access,
            long integrationTimeoutMillis) {
    }

    /** What the integration answered. */
    private record Backend(int status, byte[] body, Map<String, String> headers) {

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** The integration request: the body, and whether a request template made it. */
    private record IntegrationRequest(byte[] body, boolean templated) {
    }

    private static final byte[] EMPTY = new byte[0];
    /** Mock templates are read as API Gateway reads them: {@code {statusCode: 200}} (CDK's) is accepted too. */
    private static final ObjectMapper LENIENT = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES, JsonReadFeature.ALLOW_SINGLE_QUOTES,
                    JsonReadFeature.ALLOW_TRAILING_COMMA)
            .build();

    private final Services services;
    private final LiveStage stage;
    private final AwsRequest request;
    private final String extendedRequestId;
    private final Instant now;
    private String userPath = "";
    /** What the request is known to be so far: gateway responses read it too. */
    private DeployedApi.Match match;
    private RequestParameters params;
    private TemplateContext context;
    /** Milliseconds the integration took; negative until it is called. */
    double integrationLatencyMs = -1;
    /** The status the integration answered; negative until it answers. */
    int integrationStatus = -1;
    /** The gateway's own refusal or failure, when it answered one. */
    GatewayError error;

    Invocation(Services services, LiveStage stage, AwsRequest request, String extendedRequestId, Instant now) {
        this.services = services;
        this.stage = stage;
        this.request = request;
        this.extendedRequestId = extendedRequestId;
        this.now = now;
    }

    /** Runs the request for the path after {@code _user_request_} ("" or "/…"); a gateway error answers its gateway response. */
    AwsResponse run(String userPath) {
        this.userPath = userPath;
        try {
            return invoke();
        } catch (GatewayError e) {
            return gatewayResponse(e);
        }
    }

    private AwsResponse invoke() {
        match = stage.api.match(request.method(), RestJsonProtocol.segments(userPath));
        if (match == null) {
            throw GatewayError.missingAuthenticationToken();
        }
        DeployedMethod method = match.method();
        if ("AWS_IAM".equals(method.authorizationType) && request.scope() == null) {
            throw GatewayError.missingAuthenticationToken();
        }
        KeyAccess key = null;
        KeyAccess.PlanLimits plan = null;
        String apiKey = request.header("x-api-key");
        if (method.apiKeyRequired) {
            key = apiKey == null ? null : services.state().keyAccess(apiKey);
            plan = key == null || !key.enabled() ? null : key.stages().get(stage.api.apiId + "/" + stage.stageName);
            if (plan == null) {
                throw GatewayError.invalidApiKey();
            }
        }
        if (!stage.admit(method) || (plan != null && !plan.admit(method))) {
            throw GatewayError.throttled();
        }
        if (plan != null && !plan.withinQuota(now)) {
            throw GatewayError.quotaExceeded();
        }

        params = parameters();
        String contentType = mediaType(request.header("Content-Type"));
        validate(method, params, contentType);

        context = context(method, key, method.apiKeyRequired ? apiKey : null);
        IntegrationRequest integrationRequest = integrationRequest(method, params, contentType, context);
        Backend backend = callIntegration(method, integrationRequest);
        return integrationResponse(method, params, context, backend);
    }

    private RequestParameters parameters() {
        if (params == null) {
            params = new RequestParameters(match == null ? Map.of() : match.pathParameters(), request.queryParams(),
                    request.headers());
        }
        return params;
    }

    private void validate(DeployedMethod method, RequestParameters params, String contentType) {
        if (method.validateParameters && !method.requiredParameters.isEmpty()) {
            List<String> missing = new ArrayList<>();
            for (String p : method.requiredParameters) {
                String[] parts = p.split("\\.", 4);
                if (requestParameter(parts[2], parts[3]) == null) {
                    missing.add(parts[3]);
                }
            }
            if (!missing.isEmpty()) {
                throw GatewayError.missingParameters(missing);
            }
        }
        if (method.validateBody && method.models.containsKey(contentType)) {
            JsonSchema schema = method.models.get(contentType);
            JsonNode json;
            try {
                byte[] raw = request.body();
                json = raw.length == 0 ? JsonProtocol.NODES.objectNode() : JsonProtocol.JSON.readTree(raw);
            } catch (IOException e) {
                throw GatewayError.invalidBody();
            }
            if (schema == null || !schema.validate(json).isEmpty()) {
                throw GatewayError.invalidBody();
            }
        }
    }

    /** A method request parameter by where it is ("path", "querystring", "header", "multi…") and name; null if absent. */
    private String requestParameter(String where, String name) {
        RequestParameters p = parameters();
        return switch (where) {
            case "path" -> p.path(name);
            case "querystring" -> p.query(name);
            case "multivaluequerystring" -> {
                List<String> values = request.queryParams().get(name);
                yield values == null || values.isEmpty() ? null : String.join(",", values);
            }
            default -> p.header(name);
        };
    }

    /** The request's $context; {@code method} is null when no method matched (a gateway error before routing). */
    private TemplateContext context(DeployedMethod method, KeyAccess key, String apiKey) {
        // The caller is the TCP peer, as API Gateway sees it; X-Forwarded-For is only a header the client sent.
        TemplateIdentity identity = new TemplateIdentity(request.remoteAddress(), request.header("User-Agent"), apiKey,
                key == null ? null : key.keyId(), request.scope() == null ? null : services.accountId());
        return new TemplateContext(request.requestId(), extendedRequestId, now.toEpochMilli(), stage.api.apiId,
                services.accountId(), stage.stageName, method == null ? null : method.resourceId,
                method == null ? null : method.resourcePath, request.method(),
                "/" + stage.stageName + (userPath.isEmpty() ? "/" : userPath), request.host(), identity);
    }

    /**
     * The integration's request body: the request template for the content type (or "$default")
     * rendered, or the body passed through as the passthrough behavior allows.
     */
    private IntegrationRequest integrationRequest(DeployedMethod method, RequestParameters params, String contentType,
            TemplateContext context) {
        MappingTemplate template = method.requestTemplates.get(contentType);
        if (template == null) {
            template = method.requestTemplates.get("$default");
        }
        if (template == null) {
            boolean passThrough = switch (method.passthroughBehavior) {
                case "NEVER" -> false;
                case "WHEN_NO_TEMPLATES" -> method.requestTemplates.isEmpty();
                default -> true;
            };
            if (!passThrough) {
                throw GatewayError.unsupportedMediaType();
            }
            return new IntegrationRequest(request.body(), false);
        }
        String rendered = render(template, new TemplateInput(request.bodyAsString(), params), context);
        return new IntegrationRequest(rendered.getBytes(StandardCharsets.UTF_8), true);
    }

    private String render(MappingTemplate template, TemplateInput input, TemplateContext context) {
        try {
            return template.render(input, context, stage.variables);
        } catch (TemplateInput.UnparsableBody e) {
            throw GatewayError.unparsableBody(e.getMessage());
        } catch (MappingTemplates.TemplateFailure e) {
            throw GatewayError.internal();
        }
    }

    private Backend callIntegration(DeployedMethod method, IntegrationRequest integrationRequest) {
        if ("MOCK".equals(method.integrationType)) {
            return new Backend(mockStatus(integrationRequest), EMPTY, Map.of());
        }
        byte[] body = integrationRequest.body();
        long start = System.nanoTime();
        AwsResponse response = services.access().check(method, body, request);
        if (response == null) {
            response = services.aws().json(method.awsTargetPrefix, method.awsAction, body);
        }
        long elapsed = System.nanoTime() - start;
        integrationLatencyMs = elapsed / 1e6;
        integrationStatus = response.status();
        if (elapsed / 1_000_000 > Math.min(method.timeoutMillis, services.integrationTimeoutMillis())) {
            throw GatewayError.timeout();
        }
        return new Backend(response.status(), response.body(), response.headers());
    }

    /**
     * A mock answers the status code its request template names. Without a template (the request
     * passed through) it answers 200, so the default integration response is chosen, as on AWS.
     */
    private static int mockStatus(IntegrationRequest integrationRequest) {
        if (!integrationRequest.templated()) {
            return 200;
        }
        try {
            byte[] body = integrationRequest.body();
            JsonNode n = body.length == 0 ? null : LENIENT.readTree(body);
            if (n != null && n.path("statusCode").isInt()) {
                return n.path("statusCode").intValue();
            }
        } catch (IOException e) {
            // Not a status code: a configuration error, as below.
        }
        throw GatewayError.apiConfiguration();
    }

    /**
     * Picks the integration response by the backend's status (its selection pattern must match the
     * whole status code; the default catches the rest), renders its template over the backend's body
     * and maps its headers. No match and no default: a configuration error (500), as API Gateway answers.
     */
    private AwsResponse integrationResponse(DeployedMethod method, RequestParameters params, TemplateContext context,
            Backend backend) {
        DeployedMethod.Response selected = method.selectResponse(Integer.toString(backend.status()));
        if (selected == null) {
            throw GatewayError.apiConfiguration();
        }
        byte[] body = backend.body();
        String contentType = JSON;
        if (!selected.templates().isEmpty()) {
            Map.Entry<String, MappingTemplate> template = template(selected.templates());
            contentType = template.getKey();
            body = render(template.getValue(), new TemplateInput(backend.text(), params), context)
                    .getBytes(StandardCharsets.UTF_8);
        }
        // Overrides made by the response template win over the selected response's status and mappings.
        ResponseOverride override = context.responseOverride();
        Integer status = override == null ? null : override.status();
        AwsResponse response = AwsResponse.of(status != null ? status : selected.statusCode(), contentType, body);
        selected.headers().forEach((target, source) -> response.header(
                target.substring("method.response.header.".length()), mappedValue(source, backend, context)));
        if (override != null) {
            override.headers().forEach(response::header);
        }
        return response;
    }

    /** The template for the request's Accept type, else the JSON one, else the first; with its content type. */
    private Map.Entry<String, MappingTemplate> template(Map<String, MappingTemplate> templates) {
        String accept = mediaType(request.header("Accept"));
        MappingTemplate template = templates.get(accept);
        if (template != null) {
            return Map.entry(accept, template);
        }
        template = templates.get(JSON);
        return template != null ? Map.entry(JSON, template) : templates.entrySet().iterator().next();
    }

    /** The value of a response parameter mapping; null (no header) when its source has none. */
    private String mappedValue(String source, Backend backend, TemplateContext context) {
        if (source.startsWith("integration.response.header.")) {
            String name = source.substring("integration.response.header.".length());
            return backend.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
        }
        if (source.equals("integration.response.body")) {
            return backend.text();
        }
        if (source.startsWith("integration.response.body.")) {
            try {
                JsonNode root = JsonProtocol.JSON.readTree(backend.body());
                JsonNode v = JsonPath.compile("$." + source.substring("integration.response.body.".length())).read(root);
                return v.isMissingNode() || v.isNull() ? null : v.isValueNode() ? v.asText() : v.toString();
            } catch (IOException | IllegalArgumentException e) {
                return null;
            }
        }
        return commonValue(source, context);
    }

    /** Literal, context and stage variable sources, which integration and gateway responses share. */
    private String commonValue(String source, TemplateContext context) {
        if (source.startsWith("'")) {
            return source.substring(1, source.length() - 1);
        }
        if (source.startsWith("context.")) {
            return context.value(source.substring("context.".length()));
        }
        if (source.startsWith("stageVariables.")) {
            return stage.variables.get(source.substring("stageVariables.".length()));
        }
        return null;
    }

    /**
     * What API Gateway answers for a gateway error: the API's gateway response for the error's type as
     * deployed (status, headers mapped from the method request, literals, context or stage variables,
     * body from its template), or the built-in {@code {"message": …}}.
     */
    AwsResponse gatewayResponse(GatewayError e) {
        error = e;
        DeployedApi.GatewayResponseMapping mapping = stage.api.gatewayResponse(e.responseType);
        int status = mapping.status() != null ? mapping.status() : e.status;
        AwsResponse response = null;
        if (!mapping.builtIn()) {
            if (context == null) {
                context = context(match == null ? null : match.method(), null, null);
            }
            context.error(new TemplateError(e.getMessage(), e.responseType));
            response = customResponse(mapping, status);
        }
        if (response == null) {
            response = AwsResponse.of(status, JSON, e.defaultBody());
        }
        return response.header("x-amzn-ErrorType", e.errorType);
    }

    /**
     * The request's $context as an access log reads it, however far the request got: the error the
     * gateway answered is in it.
     */
    TemplateContext logContext() {
        if (context == null) {
            context = context(match == null ? null : match.method(), null, null);
        }
        if (error != null) {
            context.error(new TemplateError(error.getMessage(), error.responseType));
        }
        return context;
    }

    AwsRequest request() {
        return request;
    }

    /** Null when its template fails: the default body answers then. */
    private AwsResponse customResponse(DeployedApi.GatewayResponseMapping mapping, int status) {
        String contentType = JSON;
        byte[] body = EMPTY;
        if (!mapping.templates().isEmpty()) {
            Map.Entry<String, MappingTemplate> template = template(mapping.templates());
            contentType = template.getKey();
            try {
                body = template.getValue().render(new TemplateInput(request.bodyAsString(), parameters()), context,
                        stage.variables).getBytes(StandardCharsets.UTF_8);
            } catch (RuntimeException failure) {
                return null;
            }
        }
        AwsResponse response = AwsResponse.of(status, contentType, body);
        mapping.headers().forEach((target, source) -> response.header(
                target.substring("gatewayresponse.header.".length()), gatewayValue(source)));
        return response;
    }

    /** The value of a gateway response parameter: a method request parameter, literal, context or stage variable. */
    private String gatewayValue(String source) {
        if (source.startsWith("method.request.")) {
            String[] parts = source.split("\\.", 4);
            String where = parts[2].toLowerCase(Locale.ROOT);
            return where.equals("multivalueheader") ? request.header(parts[3]) : requestParameter(where, parts[3]);
        }
        return commonValue(source, context);
    }

    /** The media type of a Content-Type or Accept header, lower-case and without parameters; JSON when absent. */
    static String mediaType(String header) {
        if (header == null || header.isBlank()) {
            return JSON;
        }
        int end = header.indexOf(';');
        int comma = header.indexOf(',');
        if (comma >= 0 && (end < 0 || comma < end)) {
            end = comma;
        }
        String type = (end < 0 ? header : header.substring(0, end)).trim().toLowerCase(Locale.ROOT);
        return type.isEmpty() || type.equals("*/*") ? JSON : type;
    }
}
