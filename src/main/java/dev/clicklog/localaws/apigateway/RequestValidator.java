package dev.clicklog.localaws.apigateway;

/** Which parts of a request a method validates before calling its integration. */
public record RequestValidator(String id, String name, boolean validateRequestBody, boolean validateRequestParameters) {
}
