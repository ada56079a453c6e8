package dev.clicklog.localaws.apigateway;

import java.util.LinkedHashMap;
import java.util.Map;

/** A method of a resource: its request settings, its declared responses and its integration. */
final class ApiMethod {

    final String httpMethod;
    final String authorizationType;
    final boolean apiKeyRequired;
    final String requestValidatorId;
    final String operationName;
    /** method.request.{header|querystring|path}.name → required. */
    final Map<String, Boolean> requestParameters;
    /** Content type → model name. */
    final Map<String, String> requestModels;
    final Map<String, MethodResponse> responses = new LinkedHashMap<>();
    Integration integration;

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
