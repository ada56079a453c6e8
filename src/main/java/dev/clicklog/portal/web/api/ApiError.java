package dev.clicklog.portal.web.api;

import java.util.List;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.clicklog.portal.pipeline.Violation;

/** The one error body of the REST API, whatever went wrong. */
@Schema(name = "Error", description = "What went wrong; for invalid input, each field and the rule it breaks")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(
        @Schema(examples = "400") int status,
        @Schema(examples = "Bad Request") String error,
        @Schema(examples = "1 field is invalid") String message,
        @Schema(description = "Only for invalid input: the first " + ApiError.MAX_VIOLATIONS + " problems")
        List<Violation> violations,
        @Schema(description = "Only when more problems were found than are listed: how many in all")
        Integer violationCount) {

    /** An error lists this many problems at most, so a request with thousands of them gets a short answer. */
    public static final int MAX_VIOLATIONS = 20;

    public static Response response(Response.Status status, String message) {
        return response(status.getStatusCode(), message, null);
    }

    public static Response response(int status, String message, List<Violation> violations) {
        Response.StatusType type = Response.Status.fromStatusCode(status);
        String reason = type != null ? type.getReasonPhrase() : "HTTP " + status;
        List<Violation> listed = violations;
        Integer count = null;
        if (violations != null && violations.size() > MAX_VIOLATIONS) {
            listed = List.copyOf(violations.subList(0, MAX_VIOLATIONS));
            count = violations.size();
            message = message + "; the first " + MAX_VIOLATIONS + " are listed";
        }
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError(status, reason, message, listed, count))
                .build();
    }
}
