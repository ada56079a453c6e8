package dev.clicklog.portal.observe;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One metric of one of the pipeline's resources over the window, a point for every period (oldest
 * first). {@code total} sums the points of a Sum series (null for other statistics, and when there
 * is no datapoint at all).
 */
@Schema(description = "A metric over the window: every period present, oldest first, missing datapoints null")
public record MetricSeries(
        @Schema(examples = "requests") String id,
        @Schema(examples = "API requests") String label,
        @Schema(examples = "AWS/ApiGateway") String namespace,
        @Schema(examples = "Count") String metric,
        @Schema(examples = "Sum") String stat,
        @Schema(examples = "Count") String unit,
        List<MetricPoint> points,
        @Schema(nullable = true, description = "Sum of the points, for Sum series") Double total) {
}
