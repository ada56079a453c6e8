package dev.clicklog.pipeline;

/** Where a pipeline is in its life. */
public enum PipelineStatus {
    PROVISIONING, READY, FAILED, DELETING, DELETED
}
