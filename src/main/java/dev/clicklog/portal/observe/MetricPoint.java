package dev.clicklog.portal.observe;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One period of a series: its start and value; {@code v} is null when CloudWatch has no datapoint for it. */
@Schema(description = "One period: its start (t) and value (v), null when there is no datapoint")
public record MetricPoint(Instant t, @Schema(nullable = true) Double v) {
}
