package dev.clicklog.portal.pipeline;

/** The request does not fit the pipeline's current state (the name is taken, it is not FAILED, …). */
public class PipelineConflictException extends RuntimeException {

    public PipelineConflictException(String message) {
        super(message);
    }
}
