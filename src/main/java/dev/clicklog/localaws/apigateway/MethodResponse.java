package dev.clicklog.localaws.apigateway;

import java.util.Map;

/**
 * A response a method declares: its status code, the headers it may carry
 * ({@code method.response.header.X} → required) and its models by content type. Null maps were not given.
 */
record MethodResponse(String statusCode, Map<String, Boolean> responseParameters, Map<String, String> responseModels) {
}
