package dev.clicklog.localaws.apigateway.template;

import dev.clicklog.localaws.apigateway.invoke.ResponseOverride;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * {@code $context} of a mapping template: the request's ids, time, stage, resource and caller, as
 * API Gateway names them. Values are computed only when a template reads them.
 */
public final class TemplateContext {

    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private final String requestId;
    private final String extendedRequestId;
    private final long requestTimeEpoch;
    private final String apiId;
    private final String accountId;
    private final String stage;
    private final String resourceId;
    private final String resourcePath;
    private final String httpMethod;
    private final String path;
    private final String domainName;
    private final TemplateIdentity identity;
    private ResponseOverride responseOverride;
    private TemplateError error;

    public TemplateContext(String requestId, String extendedRequestId, long requestTimeEpoch, String apiId, String accountId,
            String stage, String resourceId, String resourcePath, String httpMethod, String path, String domainName,
            TemplateIdentity identity) {
        this.requestId = requestId;
        this.extendedRequestId = extendedRequestId;
        this.requestTimeEpoch = requestTimeEpoch;
        this.apiId = apiId;
        this.accountId = accountId;
        this.stage = stage;
        this.resourceId = resourceId;
        this.resourcePath = resourcePath;
        this.httpMethod = httpMethod;
        this.path = path;
        this.domainName = domainName;
        this.identity = identity;
    }

    public String getRequestId() {
        return requestId;
    }

    public String getExtendedRequestId() {
        return extendedRequestId;
    }

    /** CLF-formatted, e.g. "24/Apr/2026:10:15:30 +0000". */
    public String getRequestTime() {
        return REQUEST_TIME.format(Instant.ofEpochMilli(requestTimeEpoch));
    }

    /** Milliseconds since the epoch. */
    public long getRequestTimeEpoch() {
        return requestTimeEpoch;
    }

    public String getApiId() {
        return apiId;
    }

    public String getAccountId() {
        return accountId;
    }

    public String getStage() {
        return stage;
    }

    public String getResourceId() {
        return resourceId;
    }

    public String getResourcePath() {
        return resourcePath;
    }

    public String getHttpMethod() {
        return httpMethod;
    }

    /** The request path as the client sent it, stage included ("/v1/clicks"). */
    public String getPath() {
        return path;
    }

    public String getProtocol() {
        return "HTTP/1.1";
    }

    public String getDomainName() {
        return domainName;
    }

    /** The first label of the domain name. */
    public String getDomainPrefix() {
        if (domainName == null) {
            return null;
        }
        int dot = domainName.indexOf('.');
        return dot < 0 ? domainName : domainName.substring(0, dot);
    }

    public TemplateIdentity getIdentity() {
        return identity;
    }

    /** {@code $context.error}: what a gateway response reports; empty outside gateway responses. */
    public TemplateError getError() {
        return error == null ? TemplateError.NONE : error;
    }

    public void error(TemplateError error) {
        this.error = error;
    }

    /** What an integration response template overrides; created when a template first touches it. */
    public ResponseOverride getResponseOverride() {
        if (responseOverride == null) {
            responseOverride = new ResponseOverride();
        }
        return responseOverride;
    }

    /** The overrides templates made so far, or null when none touched them. */
    public ResponseOverride responseOverride() {
        return responseOverride;
    }

    /** A {@code context.X} value for parameter mappings; null when unknown. */
    public String value(String name) {
        return switch (name) {
            case "requestId" -> requestId;
            case "extendedRequestId" -> extendedRequestId;
            case "requestTime" -> getRequestTime();
            case "requestTimeEpoch" -> Long.toString(requestTimeEpoch);
            case "apiId" -> apiId;
            case "accountId" -> accountId;
            case "stage" -> stage;
            case "resourceId" -> resourceId;
            case "resourcePath" -> resourcePath;
            case "httpMethod" -> httpMethod;
            case "path" -> path;
            case "protocol" -> getProtocol();
            case "domainName" -> domainName;
            case "domainPrefix" -> getDomainPrefix();
            case "identity.sourceIp" -> identity.getSourceIp();
            case "identity.userAgent" -> identity.getUserAgent();
            case "identity.apiKey" -> identity.getApiKey();
            case "identity.apiKeyId" -> identity.getApiKeyId();
            case "error.message" -> getError().getMessage();
            case "error.messageString" -> getError().getMessageString();
            case "error.responseType" -> getError().getResponseType();
            default -> null;
        };
    }
}
