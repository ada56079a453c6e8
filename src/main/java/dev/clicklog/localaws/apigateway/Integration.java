package dev.clicklog.localaws.apigateway;

import java.util.LinkedHashMap;
import java.util.Map;

/** How a method reaches its backend (AWS service action or MOCK) and how responses map back. */
public final class Integration {

    public final String type;
    final String httpMethod;
    public final String uri;
    public final String credentials;
    final Map<String, String> requestParameters;
    public final Map<String, String> requestTemplates;
    public final String passthroughBehavior;
    final String contentHandling;
    public final int timeoutInMillis;
    final String cacheNamespace;
    public final Map<String, IntegrationResponse> responses = new LinkedHashMap<>();

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
