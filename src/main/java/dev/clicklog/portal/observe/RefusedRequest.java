package dev.clicklog.portal.observe;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A request the pipeline's gateway answered with a 4xx or 5xx, as its stage's access log has it.
 * Fields the gateway had no value for are null.
 */
@Schema(description = "A request the gateway refused (4xx) or failed (5xx), from the stage's access log")
public record RefusedRequest(
        @Schema(description = "API Gateway's id of the request") String requestId,
        @Schema(description = "When the gateway received the request") Instant time,
        @Schema(description = "The HTTP status the gateway answered") int status,
        @Schema(nullable = true, description = "Why, in the gateway's words, e.g. Invalid request body") String reason,
        @Schema(nullable = true, description = "The gateway response type, e.g. BAD_REQUEST_BODY, THROTTLED")
        String responseType,
        @Schema(nullable = true) String method,
        @Schema(nullable = true) String path,
        @Schema(nullable = true) String sourceIp,
        @Schema(nullable = true) String userAgent,
        @Schema(nullable = true, description = "The request's length in bytes, body and headers") Long requestLength) {
}
