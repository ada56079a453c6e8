package dev.clicklog.portal.pipeline;

/** Where one step of the current operation is. */
public enum StepState {
    PENDING, IN_PROGRESS, DONE, FAILED
}
