package dev.clicklog.localaws.apigateway;

import java.util.LinkedHashMap;
import java.util.Map;

/** A method of a resource: its request settings, its declared responses and its integration. */
public final class ApiMethod {

    public final String httpMethod;
    public final String authorizationType;
    public final boolean apiKeyRequired;
    public final String requestValidatorId;
    final String operationName;
    /** method.request.{header|querystring|path}.name → required. */
    public final Map<String, Boolean> requestParameters;
    /** Content type → model name. */
    public final Map<String, String> requestModels;
    final Map<String, MethodResponse> responses = new LinkedHashMap<>();
    public Integration integration;

    ApiMethod(String httpMethod, String authorizationType, boolean apiKeyRequired, String requestValidatorId,
            String operationName, Map<String, Boolean> requestParameters, Map<String, String> requestModels) {
        this.httpMethod = httpMethod;
        this.authorizationType = authorizationType;
        this.apiKeyRequired = apiKeyRequired;
        this.requestValidatorId = requestValidatorId;
        this.operationName = operationName;
        this.requestParameters = requestParameters;
        this.requestModels = requestModels;
    }
}
