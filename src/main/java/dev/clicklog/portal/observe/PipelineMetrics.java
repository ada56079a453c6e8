package dev.clicklog.portal.observe;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A pipeline's CloudWatch metrics over a window: [start, end), one point per period. On an endpoint
 * that does not serve CloudWatch's metrics they are not {@code available}: there are no series, and
 * {@code unavailable} says why and which setting would help.
 */
@Schema(description = "The pipeline's metrics over a window: [start, end), one point per period")
public record PipelineMetrics(
        String pipeline,
        @Schema(examples = "1h") String window,
        @Schema(examples = "60") int periodSeconds,
        Instant start,
        Instant end,
        List<MetricSeries> series,
        @Schema(description = "False when the endpoint does not serve CloudWatch metrics; series is then empty")
        boolean available,
        @Schema(description = "Why the metrics are not available (the endpoint's answer, and a setting that would help); null when they are")
        String unavailable) {

    /** The series with this id, if the pipeline has it. */
    public Optional<MetricSeries> series(String id) {
        return series.stream().filter(s -> s.id().equals(id)).findFirst();
    }
}
