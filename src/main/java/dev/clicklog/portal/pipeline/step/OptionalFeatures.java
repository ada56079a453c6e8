package dev.clicklog.portal.pipeline.step;

import java.util.Optional;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import dev.clicklog.portal.adapter.EndpointCapabilities;
import dev.clicklog.portal.adapter.OptionalFeature;

/**
 * How a step provides an optional feature: it makes the feature's calls, unless the endpoint is
 * known not to serve it; and when the endpoint does not, the step goes on without it and notes the
 * skip (the pipeline shows it as DEGRADED) instead of failing.
 */
@ApplicationScoped
public class OptionalFeatures {

    private final EndpointCapabilities capabilities;

    OptionalFeatures(EndpointCapabilities capabilities) {
        this.capabilities = capabilities;
    }

    /** The call's answer, or empty (and the skip noted) when the endpoint does not serve the feature. */
    public <T> Optional<T> attempt(StepContext c, OptionalFeature feature, Supplier<T> call) {
        Optional<T> done = capabilities.attempt(feature, call);
        if (done.isEmpty()) {
            noteIfMissing(c, feature);
        }
        return done;
    }

    /** Whether the call ran; false (and the skip noted) when the endpoint does not serve the feature. */
    public boolean attempt(StepContext c, OptionalFeature feature, Runnable call) {
        return attempt(c, feature, () -> {
            call.run();
            return Boolean.TRUE;
        }).isPresent();
    }

    /** Whether the endpoint is known not to serve the feature. */
    public boolean missing(OptionalFeature feature) {
        return capabilities.missing(feature).isPresent();
    }

    /**
     * The call's answer, or empty when the endpoint does not serve the feature — without a note:
     * for a teardown, which goes without nothing.
     */
    public <T> Optional<T> quietly(OptionalFeature feature, Supplier<T> call) {
        return capabilities.attempt(feature, call);
    }

    /** Notes the skip when the endpoint is known not to serve the feature (with nothing to call now). */
    public void noteIfMissing(StepContext c, OptionalFeature feature) {
        capabilities.missing(feature).ifPresent(m -> c.changes().skipped(
                new Changes.Skipped(feature, m.reason(), m.suggestion())));
    }
}
