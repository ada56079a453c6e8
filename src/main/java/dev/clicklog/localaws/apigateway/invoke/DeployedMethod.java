package dev.clicklog.localaws.apigateway.invoke;

import dev.clicklog.localaws.apigateway.ApiGatewayService;
import dev.clicklog.localaws.apigateway.ApiMethod;
import dev.clicklog.localaws.apigateway.ApiResource;
import dev.clicklog.localaws.apigateway.Integration;
import dev.clicklog.localaws.apigateway.IntegrationResponse;
import dev.clicklog.localaws.apigateway.RequestValidator;
import dev.clicklog.localaws.apigateway.template.MappingTemplates;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.networknt.schema.JsonSchema;

import dev.clicklog.localaws.apigateway.template.MappingTemplates.MappingTemplate;

/** One method as deployed: request checks, the compiled integration and its response mappings. */
public final class DeployedMethod {

    /** An integration response: when it applies, the status it answers, its templates and header mappings. */
    record Response(int statusCode, Pattern selectionPattern, Map<String, MappingTemplate> templates,
            Map<String, String> headers) {
    }

    final String resourceId;
    final String resourcePath;
    final String httpMethod;
    public final String authorizationType;
    public final boolean apiKeyRequired;
    final boolean validateBody;
    final boolean validateParameters;
    /** Required request parameters, e.g. "method.request.querystring.page". */
    final List<String> requiredParameters;
    /** Content type → compiled model (null when its schema cannot be compiled). */
    final Map<String, JsonSchema> models;
    /** The key of this method's stage settings: the resource path with '/' as "~1", then the method. */
    final String settingsKey;
    /** The key of this method in a usage plan's per-method throttles. */
    final String planThrottleKey;

    final String integrationType;
    /** For AWS integrations: the JSON protocol target prefix of the service and the action the URI names. */
    final String awsTargetPrefix;
    final String awsAction;
    /** For AWS integrations: the service ("kinesis"), the region the URI names and the role API Gateway assumes. */
    final String awsService;
    final String awsRegion;
    final String credentials;
    final String passthroughBehavior;
    final int timeoutMillis;
    /** Content type (or "$default") → request template. */
    final Map<String, MappingTemplate> requestTemplates;
    /** Responses with a selection pattern first, in the order they were put; the default last. */
    final List<Response> responses;

    DeployedMethod(ApiResource resource, ApiMethod method, RequestValidator validator, Map<String, JsonSchema> models,
            MappingTemplates templates) {
        Integration integration = method.integration;
        String name = resource.path + " " + method.httpMethod;
        this.resourceId = resource.id;
        this.resourcePath = resource.path;
        this.httpMethod = method.httpMethod;
        this.authorizationType = method.authorizationType;
        this.apiKeyRequired = method.apiKeyRequired;
        this.validateBody = validator != null && validator.validateRequestBody();
        this.validateParameters = validator != null && validator.validateRequestParameters();
        List<String> required = new ArrayList<>();
        method.requestParameters.forEach((param, isRequired) -> {
            if (Boolean.TRUE.equals(isRequired)) {
                required.add(param);
            }
        });
        this.requiredParameters = List.copyOf(required);
        this.models = Collections.unmodifiableMap(new LinkedHashMap<>(models));
        this.settingsKey = resource.path.replace("~", "~0").replace("/", "~1") + "/" + method.httpMethod;
        this.planThrottleKey = resource.path + "/" + method.httpMethod;

        this.integrationType = integration.type;
        Matcher uri = integration.uri == null ? null : ApiGatewayService.INTEGRATION_URI.matcher(integration.uri);
        boolean action = uri != null && uri.matches();
        this.awsTargetPrefix = action ? ApiGatewayService.AWS_INTEGRATION_TARGETS.get(uri.group(2)) : null;
        this.awsAction = action ? uri.group(4) : null;
        this.awsService = action ? uri.group(2) : null;
        this.awsRegion = action ? uri.group(1) : null;
        this.credentials = integration.credentials;
        this.passthroughBehavior = integration.passthroughBehavior;
        this.timeoutMillis = integration.timeoutInMillis;
        this.requestTemplates = compileAll(templates, name + " request", integration.requestTemplates);
        List<Response> patterned = new ArrayList<>();
        List<Response> defaults = new ArrayList<>();
        for (IntegrationResponse r : integration.responses.values()) {
            boolean isDefault = r.selectionPattern() == null || r.selectionPattern().isEmpty();
            Response compiled = new Response(Integer.parseInt(r.statusCode()),
                    isDefault ? null : Pattern.compile(r.selectionPattern(), Pattern.DOTALL),
                    compileAll(templates, name + " response " + r.statusCode(), r.responseTemplates()),
                    r.responseParameters() == null ? Map.of() : Map.copyOf(r.responseParameters()));
            (isDefault ? defaults : patterned).add(compiled);
        }
        patterned.addAll(defaults);
        this.responses = List.copyOf(patterned);
    }

    static Map<String, MappingTemplate> compileAll(MappingTemplates templates, String name,
            Map<String, String> texts) {
        Map<String, MappingTemplate> compiled = new LinkedHashMap<>();
        if (texts != null) {
            texts.forEach((contentType, text) -> {
                if (text != null) {
                    compiled.put(contentType, templates.compile(name + " " + contentType, text));
                }
            });
        }
        return Collections.unmodifiableMap(compiled);
    }

    /**
     * The integration response for a backend status: the first whose pattern matches it (the whole
     * status), else the default; null when neither exists (API Gateway then answers 500).
     */
    Response selectResponse(String selectionValue) {
        for (Response r : responses) {
            if (r.selectionPattern() == null || r.selectionPattern().matcher(selectionValue).matches()) {
                return r;
            }
        }
        return null;
    }
}
