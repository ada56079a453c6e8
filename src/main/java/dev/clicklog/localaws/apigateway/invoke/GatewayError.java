package dev.clicklog.localaws.apigateway.invoke;

import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.clicklog.localaws.protocol.JsonProtocol;

/**
 * A response API Gateway itself gives instead of the integration's: a status, a message, the error
 * type in {@code x-amzn-ErrorType} and the gateway response type that shapes it (customisable per
 * API with PutGatewayResponse: status, headers, body).
 */
final class GatewayError extends RuntimeException {

    final int status;
    final String errorType;
    final String responseType;

    private GatewayError(int status, String message, String errorType, String responseType) {
        super(message, null, false, false);
        this.status = status;
        this.errorType = errorType;
        this.responseType = responseType;
    }

    /** The built-in gateway response's body: {@code {"message": …}}. */
    byte[] defaultBody() {
        return JsonProtocol.NODES.objectNode().put("message", getMessage()).toString().getBytes(StandardCharsets.UTF_8);
    }

    /** No deployed resource and method match the request (API Gateway hides which part is wrong). */
    static GatewayError missingAuthenticationToken() {
        return new GatewayError(403, "Missing Authentication Token", "MissingAuthenticationTokenException",
                GatewayResponses.MISSING_AUTHENTICATION_TOKEN);
    }

    /** An unknown API or stage: no API's gateway responses apply. */
    static GatewayError forbidden() {
        return new GatewayError(403, "Forbidden", "ForbiddenException", GatewayResponses.DEFAULT_4XX);
    }

    /** A missing, unknown or disabled API key, or one whose usage plans do not cover the stage. */
    static GatewayError invalidApiKey() {
        return new GatewayError(403, "Forbidden", "ForbiddenException", GatewayResponses.INVALID_API_KEY);
    }

    static GatewayError throttled() {
        return new GatewayError(429, "Too Many Requests", "TooManyRequestsException", GatewayResponses.THROTTLED);
    }

    static GatewayError quotaExceeded() {
        return new GatewayError(429, "Limit Exceeded", "LimitExceededException", GatewayResponses.QUOTA_EXCEEDED);
    }

    static GatewayError invalidBody() {
        return new GatewayError(400, "Invalid request body", "BadRequestException", GatewayResponses.BAD_REQUEST_BODY);
    }

    static GatewayError missingParameters(List<String> names) {
        return new GatewayError(400, "Missing required request parameters: [" + String.join(", ", names) + "]",
                "BadRequestException", GatewayResponses.BAD_REQUEST_PARAMETERS);
    }

    /** A mapping template read a body that is not JSON. */
    static GatewayError unparsableBody(String detail) {
        return new GatewayError(400, "Could not parse request body into json: " + detail, "BadRequestException",
                GatewayResponses.DEFAULT_4XX);
    }

    /** A body over the REST API payload limit (10 MB). */
    static GatewayError requestTooLarge() {
        return new GatewayError(413, "Request Too Long", "RequestEntityTooLargeException",
                GatewayResponses.REQUEST_TOO_LARGE);
    }

    static GatewayError unsupportedMediaType() {
        return new GatewayError(415, "Unsupported Media Type", "UnsupportedMediaTypeException",
                GatewayResponses.UNSUPPORTED_MEDIA_TYPE);
    }

    /** A failure while handling the request: a template that fails, … */
    static GatewayError internal() {
        return new GatewayError(500, "Internal server error", "InternalServerErrorException", GatewayResponses.DEFAULT_5XX);
    }

    /**
     * "Execution failed due to configuration error": a credentials role API Gateway cannot assume, no
     * integration response for the backend's status, a mock whose template names no status code.
     */
    static GatewayError apiConfiguration() {
        return new GatewayError(500, "Internal server error", "InternalServerErrorException",
                GatewayResponses.API_CONFIGURATION_ERROR);
    }

    static GatewayError timeout() {
        return new GatewayError(504, "Endpoint request timed out", "InternalServerErrorException",
                GatewayResponses.INTEGRATION_TIMEOUT);
    }
}
