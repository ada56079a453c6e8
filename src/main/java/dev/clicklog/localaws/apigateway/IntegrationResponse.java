package dev.clicklog.localaws.apigateway;

import java.util.Map;

/**
 * Maps backend responses whose status matches {@code selectionPattern} (none: the default) to a
 * method response: its status, header mappings and body templates. Null values were not given.
 */
public record IntegrationResponse(String statusCode, String selectionPattern, Map<String, String> responseParameters,
        Map<String, String> responseTemplates, String contentHandling) {
}
