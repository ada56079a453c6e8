package dev.clicklog.localaws.apigateway;

/**
 * Settings of one method (or of all, "*&#47;*") in a stage. A setting created by a patch starts from
 * AWS's defaults: the account-level throttle of 10,000 requests per second with a burst of 5,000.
 */
final class MethodSetting {

    boolean metricsEnabled;
    String loggingLevel = "OFF";
    boolean dataTraceEnabled;
    int throttlingBurstLimit = 5000;
    double throttlingRateLimit = 10000.0;
    boolean cachingEnabled;
    int cacheTtlInSeconds = 300;
    boolean cacheDataEncrypted;
    boolean requireAuthorizationForCacheControl = true;
    String unauthorizedCacheControlHeaderStrategy = "SUCCEED_WITH_RESPONSE_HEADER";
}
