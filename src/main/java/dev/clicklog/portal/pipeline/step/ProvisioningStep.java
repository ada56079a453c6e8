package dev.clicklog.portal.pipeline.step;

import dev.clicklog.portal.pipeline.StepKind;

/**
 * One kind of AWS resource of a pipeline, reconciled like a controller does: look at what exists,
 * compare it with what should exist, act on the difference (create, update, or nothing), report.
 * Both directions must be safe to run again at any time — after a crash, another replica may run
 * the step again with nothing recorded of the previous run.
 */
public interface ProvisioningStep {

    StepKind kind();

    /** Makes the resources exist as the spec says. */
    StepResult apply(StepContext context);

    /** Makes the resources not exist; resources already gone are fine. */
    StepResult remove(StepContext context);
}
