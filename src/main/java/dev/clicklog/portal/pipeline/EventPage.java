package dev.clicklog.portal.pipeline;

import java.util.List;

/**
 * A page of a pipeline's history, newest first, out of {@code total} events; pass {@code nextBefore}
 * as {@code before} for the page after it (null: this is the last).
 */
public record EventPage(String pipeline, long total, List<PipelineView.Event> events, Long nextBefore) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 500;
}
