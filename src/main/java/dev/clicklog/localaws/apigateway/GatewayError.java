package dev.clicklog.localaws.apigateway;

import java.util.List;

/**
 * A response API Gateway itself gives instead of the integration's (its default "gateway
 * responses"): a status, {@code {"message": …}} and the error type in {@code x-amzn-ErrorType}.
 */
final class GatewayError extends RuntimeException {

    final int status;
    final String errorType;

    private GatewayError(int status, String message, String errorType) {
        super(message, null, false, false);
        this.status = status;
        this.errorType = errorType;
    }

    /** No deployed resource and method match the request (API Gateway hides which part is wrong). */
    static GatewayError missingAuthenticationToken() {
        return new GatewayError(403, "Missing Authentication Token", "MissingAuthenticationTokenException");
    }

    /** An unknown API or stage, or a missing, unknown or disabled API key. */
    static GatewayError forbidden() {
        return new GatewayError(403, "Forbidden", "ForbiddenException");
    }

    static GatewayError throttled() {
        return new GatewayError(429, "Too Many Requests", "TooManyRequestsException");
    }

    static GatewayError quotaExceeded() {
        return new GatewayError(429, "Limit Exceeded", "LimitExceededException");
    }

    static GatewayError invalidBody() {
        return new GatewayError(400, "Invalid request body", "BadRequestException");
    }

    static GatewayError missingParameters(List<String> names) {
        return new GatewayError(400, "Missing required request parameters: [" + String.join(", ", names) + "]",
                "BadRequestException");
    }

    /** A mapping template read a body that is not JSON. */
    static GatewayError unparsableBody(String detail) {
        return new GatewayError(400, "Could not parse request body into json: " + detail, "BadRequestException");
    }

    static GatewayError unsupportedMediaType() {
        return new GatewayError(415, "Unsupported Media Type", "UnsupportedMediaTypeException");
    }

    /** A configuration error: a failing template, no matching integration response, … */
    static GatewayError internal() {
        return new GatewayError(500, "Internal server error", "InternalServerErrorException");
    }

    static GatewayError timeout() {
        return new GatewayError(504, "Endpoint request timed out", null);
    }
}
