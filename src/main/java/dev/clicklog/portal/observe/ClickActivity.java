package dev.clicklog.portal.observe;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What is arriving at a glance: clicks per minute over the last 15 minutes, and the top values of a field. */
@Schema(description = "Clicks per minute over the last 15 minutes, and the top values of a field over the latest clicks")
public record ClickActivity(
        String pipeline,
        @Schema(nullable = true, description = "Records the stream took each minute, oldest first (CloudWatch "
                + "IncomingRecords, 60 s periods); null when the metrics could not be read") List<MetricPoint> perMinute,
        @Schema(nullable = true, description = "Why perMinute is null") String perMinuteProblem,
        @Schema(description = "Over the latest clicks of the stream (at most 500)") TopValues topValues) {
}
