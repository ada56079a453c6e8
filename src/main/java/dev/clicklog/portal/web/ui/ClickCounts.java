package dev.clicklog.portal.web.ui;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.clicklog.portal.observe.MetricsService;
import dev.clicklog.portal.observe.MetricsWindow;
import dev.clicklog.portal.observe.ObserveException;
import dev.clicklog.portal.pipeline.PipelineView;

/**
 * Clicks per pipeline over the last hour, for the pipelines list: the records that entered each
 * READY pipeline's stream, read for the whole list in one CloudWatch call, and remembered for a
 * little while so a list reloaded by many people does not become many calls.
 */
@ApplicationScoped
public class ClickCounts {

    private static final Logger LOG = Logger.getLogger(ClickCounts.class);
    private static final String SERIES = "incomingRecords";
    private static final Duration FRESH = Duration.ofSeconds(15);

    /** The counts of the pipelines shown, or why they are missing. */
    public record Counts(Map<String, Long> byPipeline, Optional<String> problem) {

        /** The pipeline's clicks in the last hour; null when it is not READY (nothing to count) or unknown. */
        public Long of(PipelineView p) {
            if (!p.live()) {
                return null;
            }
            return byPipeline.getOrDefault(p.name(), problem.isEmpty() ? 0L : null);
        }
    }

    private record Cached(long atNanos, long count) {
    }

    private final MetricsService metrics;
    private final Map<String, Cached> cache = new HashMap<>();

    ClickCounts(MetricsService metrics) {
        this.metrics = metrics;
    }

    public Counts lastHour(List<PipelineView> pipelines) {
        long now = System.nanoTime();
        Map<String, Long> counts = new HashMap<>();
        List<PipelineView> stale;
        synchronized (cache) {
            cache.values().removeIf(c -> now - c.atNanos() > FRESH.toNanos());
            stale = pipelines.stream().filter(PipelineView::live)
                    .filter(p -> {
                        Cached c = cache.get(key(p));
                        if (c != null) {
                            counts.put(p.name(), c.count());
                        }
                        return c == null;
                    }).toList();
        }
        if (stale.isEmpty()) {
            return new Counts(counts, Optional.empty());
        }
        Map<String, Double> read;
        try {
            read = metrics.totals(SERIES, stale, MetricsWindow.H1);
        } catch (ObserveException e) {
            LOG.warnf("clicks of the last hour unavailable: %s", e.getMessage());
            return new Counts(counts, Optional.of(e.getMessage()));
        }
        synchronized (cache) {
            for (PipelineView p : stale) {
                long count = Math.round(read.getOrDefault(p.name(), 0.0));
                counts.put(p.name(), count);
                cache.put(key(p), new Cached(now, count));
            }
        }
        return new Counts(counts, Optional.empty());
    }

    /** A pipeline recreated under the same name has a new stream: the count belongs to the stream. */
    private static String key(PipelineView p) {
        return p.name() + "/" + p.resources().streamArn();
    }
}
