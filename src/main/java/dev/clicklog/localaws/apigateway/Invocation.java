package dev.clicklog.localaws.apigateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;

import dev.clicklog.localaws.apigateway.MappingTemplates.MappingTemplate;
import dev.clicklog.localaws.http.AwsRequest;
import dev.clicklog.localaws.http.AwsResponse;
import dev.clicklog.localaws.http.LocalAwsClient;
import dev.clicklog.localaws.protocol.JsonProtocol;
import dev.clicklog.localaws.protocol.RestJsonProtocol;

/**
 * One request through a deployed stage, in API Gateway's order: route, authorization, API key,
 * throttling and quota, request validation, integration request (template), the integration,
 * integration response selection and mapping. A check that fails throws a {@link GatewayError}.
 */
final class Invocation {

    static final String JSON = "application/json";

    /** What the integration answered. */
    private record Backend(int status, byte[] body, Map<String, String> headers) {

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private static final byte[] EMPTY = new byte[0];

    private final ApiGatewayState state;
    private final String accountId;
    private final LocalAwsClient aws;
    private final long integrationTimeoutMillis;
    private final LiveStage stage;
    private final AwsRequest request;
    private final String extendedRequestId;
    private final Instant now;
    /** Milliseconds the integration took; negative until it is called. */
    double integrationLatencyMs = -1;

    Invocation(ApiGatewayState state, String accountId, LocalAwsClient aws, long integrationTimeoutMillis,
            LiveStage stage, AwsRequest request, String extendedRequestId, Instant now) {
        this.state = state;
        this.accountId = accountId;
        this.aws = aws;
        this.integrationTimeoutMillis = integrationTimeoutMillis;
        this.stage = stage;
        this.request = request;
        this.extendedRequestId = extendedRequestId;
        this.now = now;
    }

    /** Runs the request for the path after {@code _user_request_} ("" or "/…"). */
    AwsResponse run(String userPath) {
        DeployedApi.Match match = stage.api.match(request.method(), RestJsonProtocol.segments(userPath));
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
            key = apiKey == null ? null : state.keyAccess(apiKey);
            plan = key == null || !key.enabled() ? null : key.stages().get(stage.api.apiId + "/" + stage.stageName);
            if (plan == null) {
                throw GatewayError.forbidden();
            }
        }
        if (!stage.admit(method) || (plan != null && !plan.admit(method))) {
            throw GatewayError.throttled();
        }
        if (plan != null && !plan.withinQuota(now)) {
            throw GatewayError.quotaExceeded();
        }

        RequestParameters params = new RequestParameters(match.pathParameters(), request.queryParams(), request.headers());
        String contentType = mediaType(request.header("Content-Type"));
        validate(method, params, contentType);

        TemplateContext context = context(method, userPath, key, method.apiKeyRequired ? apiKey : null);
        byte[] integrationBody = integrationRequest(method, params, contentType, context);
        Backend backend = callIntegration(method, integrationBody);
        return integrationResponse(method, params, context, backend);
    }

    private void validate(DeployedMethod method, RequestParameters params, String contentType) {
        if (method.validateParameters && !method.requiredParameters.isEmpty()) {
            List<String> missing = new ArrayList<>();
            for (String p : method.requiredParameters) {
                String[] parts = p.split("\\.", 4);
                String where = parts[2];
                String name = parts[3];
                String value = switch (where) {
                    case "path" -> params.path(name);
                    case "querystring", "multivaluequerystring" -> params.query(name);
                    default -> params.header(name);
                };
                if (value == null) {
                    missing.add(name);
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

    private TemplateContext context(DeployedMethod method, String userPath, KeyAccess key, String apiKey) {
        String forwarded = request.header("X-Forwarded-For");
        String sourceIp = forwarded != null ? forwarded.split(",")[0].trim() : request.remoteAddress();
        TemplateIdentity identity = new TemplateIdentity(sourceIp, request.header("User-Agent"), apiKey,
                key == null ? null : key.keyId(), request.scope() == null ? null : accountId);
        return new TemplateContext(request.requestId(), extendedRequestId, now.toEpochMilli(), stage.api.apiId,
                accountId, stage.stageName, method.resourceId, method.resourcePath, request.method(),
                "/" + stage.stageName + (userPath.isEmpty() ? "/" : userPath), request.host(), identity);
    }

    /**
     * The integration's request body: the request template for the content type (or "$default")
     * rendered, or the body passed through as the passthrough behavior allows.
     */
    private byte[] integrationRequest(DeployedMethod method, RequestParameters params, String contentType,
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
            return request.body();
        }
        return render(template, new TemplateInput(request.bodyAsString(), params), context).getBytes(StandardCharsets.UTF_8);
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

    private Backend callIntegration(DeployedMethod method, byte[] integrationBody) {
        if ("MOCK".equals(method.integrationType)) {
            // A mock answers the status code its request template names.
            try {
                JsonNode n = integrationBody.length == 0 ? null : JsonProtocol.JSON.readTree(integrationBody);
                if (n == null || !n.path("statusCode").isInt()) {
                    throw GatewayError.internal();
                }
                return new Backend(n.path("statusCode").intValue(), EMPTY, Map.of());
            } catch (IOException e) {
                throw GatewayError.internal();
            }
        }
        long start = System.nanoTime();
        AwsResponse response = aws.json(method.awsTargetPrefix, method.awsAction, integrationBody);
        long elapsed = System.nanoTime() - start;
        integrationLatencyMs = elapsed / 1e6;
        if (elapsed / 1_000_000 > Math.min(method.timeoutMillis, integrationTimeoutMillis)) {
            throw GatewayError.timeout();
        }
        return new Backend(response.status(), response.body(), response.headers());
    }

    /**
     * Picks the integration response by the backend's status (its selection pattern must match the
     * whole status code; the default catches the rest), renders its template over the backend's body
     * and maps its headers. No match and no default: 500, as API Gateway answers.
     */
    private AwsResponse integrationResponse(DeployedMethod method, RequestParameters params, TemplateContext context,
            Backend backend) {
        DeployedMethod.Response selected = method.selectResponse(Integer.toString(backend.status()));
        if (selected == null) {
            throw GatewayError.internal();
        }
        byte[] body = backend.body();
        String contentType = JSON;
        if (!selected.templates().isEmpty()) {
            String accept = mediaType(request.header("Accept"));
            MappingTemplate template = selected.templates().get(accept);
            contentType = accept;
            if (template == null) {
                template = selected.templates().get(JSON);
                contentType = JSON;
            }
            if (template == null) {
                Map.Entry<String, MappingTemplate> first = selected.templates().entrySet().iterator().next();
                template = first.getValue();
                contentType = first.getKey();
            }
            body = render(template, new TemplateInput(backend.text(), params), context).getBytes(StandardCharsets.UTF_8);
        }
        AwsResponse response = AwsResponse.of(selected.statusCode(), contentType, body);
        selected.headers().forEach((target, source) -> response.header(
                target.substring("method.response.header.".length()), mappedValue(source, backend, context)));
        return response;
    }

    /** The value of a response parameter mapping; null (no header) when its source has none. */
    private String mappedValue(String source, Backend backend, TemplateContext context) {
        if (source.startsWith("'")) {
            return source.substring(1, source.length() - 1);
        }
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
        if (source.startsWith("context.")) {
            return context.value(source.substring("context.".length()));
        }
        if (source.startsWith("stageVariables.")) {
            return stage.variables.get(source.substring("stageVariables.".length()));
        }
        return null;
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
