package dev.clicklog.localaws.apigateway.template;

/** {@code $context.identity}: who called. Without authorizers only the network and API key facts exist. */
public final class TemplateIdentity {

    private final String sourceIp;
    private final String userAgent;
    private final String apiKey;
    private final String apiKeyId;
    private final String accountId;

    public TemplateIdentity(String sourceIp, String userAgent, String apiKey, String apiKeyId, String accountId) {
        this.sourceIp = sourceIp;
        this.userAgent = userAgent;
        this.apiKey = apiKey;
        this.apiKeyId = apiKeyId;
        this.accountId = accountId;
    }

    public String getSourceIp() {
        return sourceIp;
    }

    public String getUserAgent() {
        return userAgent;
    }

    /** The API key of a key-required method's request. */
    public String getApiKey() {
        return apiKey;
    }

    public String getApiKeyId() {
        return apiKeyId;
    }

    /** The caller's account, known only for signed (AWS_IAM) requests. */
    public String getAccountId() {
        return accountId;
    }
}
