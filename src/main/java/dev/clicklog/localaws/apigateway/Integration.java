package dev.clicklog.localaws.apigateway;

import java.util.LinkedHashMap;
import java.util.Map;

/** How a method reaches its backend (AWS service action or MOCK) and how responses map back. */
final class Integration {

    final String type;
    final String httpMethod;
    final String uri;
    final String credentials;
    final Map<String, String> requestParameters;
    final Map<String, String> requestTemplates;
    final String passthroughBehavior;
    final String contentHandling;
    final int timeoutInMillis;
    final String cacheNamespace;
    final Map<String, IntegrationResponse> responses = new LinkedHashMap<>();

    Integration(String type, String httpMethod, String uri, String credentials, Map<String, String> requestParameters,
            Map<String, String> requestTemplates, String passthroughBehavior, String contentHandling,
            int timeoutInMillis, String cacheNamespace) {
        this.type = type;
        this.httpMethod = httpMethod;
        this.uri = uri;
        this.credentials = credentials;
        this.requestParameters = requestParameters;
        this.requestTemplates = requestTemplates;
        this.passthroughBehavior = passthroughBehavior;
        this.contentHandling = contentHandling;
        this.timeoutInMillis = timeoutInMillis;
        this.cacheNamespace = cacheNamespace;
    }
}
