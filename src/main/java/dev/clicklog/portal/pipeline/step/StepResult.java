package dev.clicklog.portal.pipeline.step;

import dev.clicklog.portal.pipeline.PipelineResources;

import dev.clicklog.portal.adapter.AwsFailure;

/**
 * What one run of a step achieved. Every result carries the resources the step found or created,
 * so they are recorded even when the step is not finished.
 */
public sealed interface StepResult {

    PipelineResources found();

    /** The step's resources are as desired (or, in teardown, gone). */
    record Done(String message, PipelineResources found) implements StepResult {
    }

    /**
     * AWS is still working (a stream CREATING, a deletion in progress): run the step again later.
     * The reconciler decides when, polling quickly at first and then less often.
     */
    record Wait(String why, PipelineResources found) implements StepResult {
    }

    /** An AWS call failed; the reconciler retries within the attempt budget of the failure's kind. */
    record Failed(AwsFailure failure, PipelineResources found) implements StepResult {
    }
}
