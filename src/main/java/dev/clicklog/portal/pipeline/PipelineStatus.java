package dev.clicklog.portal.pipeline;

/** Where a pipeline is in its life. */
public enum PipelineStatus {
    PROVISIONING,
    READY,
    /** A change of its spec is being applied; its resources keep working meanwhile. */
    UPDATING,
    FAILED,
    DELETING,
    DELETED;

    /** Whether the reconciler has work to do for a pipeline in this status. */
    public boolean active() {
        return this == PROVISIONING || this == UPDATING || this == DELETING;
    }
}
