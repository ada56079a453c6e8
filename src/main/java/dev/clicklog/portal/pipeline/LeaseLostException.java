package dev.clicklog.portal.pipeline;

/** A reconcile pass no longer owns its pipeline (its lease expired and another pass took it over). */
class LeaseLostException extends RuntimeException {

    LeaseLostException(long pipelineId, String owner) {
        super("pass " + owner + " lost its lease on pipeline " + pipelineId, null, false, false);
    }
}
