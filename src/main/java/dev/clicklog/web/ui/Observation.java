package dev.clicklog.web.ui;

import java.util.function.Supplier;

import dev.clicklog.observe.ObserveException;
import dev.clicklog.pipeline.PipelineStatus;
import dev.clicklog.pipeline.PipelineView;

/**
 * What an observe service answered for a page, or why there is nothing to show: the pipeline is
 * not READY (then the service is not asked), or the service failed (AWS's words). A page shows the
 * problem in place of the data, never an error page.
 */
public record Observation<T>(T value, String problem, boolean notReady) {

    public static <T> Observation<T> of(PipelineView p, Supplier<T> read) {
        if (p.status() != PipelineStatus.READY) {
            return new Observation<>(null, null, true);
        }
        try {
            return new Observation<>(read.get(), null, false);
        } catch (ObserveException e) {
            return failed(e);
        }
    }

    public static <T> Observation<T> failed(ObserveException e) {
        return new Observation<>(null, e.getMessage(), e.kind() == ObserveException.Kind.NOT_READY);
    }

    public boolean ok() {
        return value != null;
    }
}
