package dev.clicklog.portal.pipeline;

import java.util.List;

/**
 * A change of a pipeline, as its caller expresses it: a JSON merge patch (the REST API), the whole
 * edited form (the Edit page). Applied to the current spec as a request; the result is checked by
 * {@link PipelineSpec#checkChange}, the same rules as a new pipeline's.
 */
@FunctionalInterface
public interface PipelinePatch {

    /** The changed request, and what of it could not be read (a value of the wrong type). */
    record Result(PipelineRequest request, List<Violation> unreadable) {
    }

    Result applyTo(PipelineRequest current);
}
