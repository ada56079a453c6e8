package dev.clicklog.portal.observe;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The latest requests a pipeline's gateway refused, newest first. */
@Schema(description = "The latest requests the pipeline's gateway refused, newest first, from its access log group")
public record RefusedRequests(
        String pipeline,
        String logGroup,
        int limit,
        @Schema(nullable = true, description = "Only requests received at or after this") Instant since,
        @Schema(description = "When the log group was read") Instant readAt,
        @Schema(description = "False when the read stopped at its page budget before finding limit requests")
        boolean complete,
        List<RefusedRequest> requests) {
}
