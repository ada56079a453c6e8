package dev.clicklog.portal.observe;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The latest requests a pipeline's gateway refused, newest first. */
@Schema(description = "The latest requests the pipeline's gateway refused, newest first, from its access log group")
public record RefusedRequests(
        String pipeline,
        @Schema(nullable = true, description = "The stage's access log group; null when the pipeline has none") String logGroup,
        int limit,
        @Schema(nullable = true, description = "Only requests received at or after this") Instant since,
        @Schema(description = "When the log group was read") Instant readAt,
        @Schema(description = "False when the read stopped at its page budget before finding limit requests")
        boolean complete,
        List<RefusedRequest> requests,
        @Schema(description = "False when the pipeline writes no access logs: its endpoint does not serve them")
        boolean available,
        @Schema(nullable = true, description = "Why there are no access logs to read (the endpoint's answer); null when there are")
        String unavailable) {

    /** A pipeline without access logs, and why: nothing to list, ever, on this endpoint. */
    static RefusedRequests unavailable(String pipeline, int limit, Instant since, Instant now, String why) {
        return new RefusedRequests(pipeline, null, limit, since, now, true, List.of(), false, why);
    }
}
