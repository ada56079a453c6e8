package dev.clicklog.portal.pipeline;

/** A pipeline has new work (created, delete or retry requested); fired inside the transaction that made it. */
public record PipelineChanged(long pipelineId) {
}
