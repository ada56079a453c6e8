package dev.clicklog.portal.observe;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Clicks per minute from the stream's IncomingRecords metric (one GetMetricData call), and the top
 * values of a field over the latest clicks (the shared read of {@link RecordTail}, so a dashboard
 * costs no extra stream read). Metrics that cannot be read leave the per-minute part empty, saying
 * why, and the top values are still answered.
 */
@ApplicationScoped
public class ClickActivityService {

    private static final String INCOMING = "incomingRecords";

    private final MetricsService metrics;
    private final RecordTail records;

    ClickActivityService(MetricsService metrics, RecordTail records) {
        this.metrics = metrics;
        this.records = records;
    }

    public ClickActivity activity(String pipeline, Optional<String> field) {
        TopValues top = TopValues.of(records.recent(pipeline, RecordTail.MAX_LIMIT, Optional.empty()).records(), field);
        List<MetricPoint> perMinute = null;
        String problem = null;
        try {
            perMinute = metrics.metrics(pipeline, MetricsWindow.M15).series(INCOMING).map(MetricSeries::points)
                    .orElse(null);
            if (perMinute == null) {
                problem = "the stream has no IncomingRecords metric";
            }
        } catch (ObserveException e) {
            if (e.kind() != ObserveException.Kind.UPSTREAM) {
                throw e;
            }
            problem = e.getMessage();
        }
        return new ClickActivity(pipeline, perMinute, problem, top);
    }
}
