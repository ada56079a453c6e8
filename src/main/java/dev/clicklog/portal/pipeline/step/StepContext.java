package dev.clicklog.portal.pipeline.step;

import dev.clicklog.portal.pipeline.PipelineResources;
import dev.clicklog.portal.pipeline.PipelineSpec;

import dev.clicklog.portal.adapter.ResourceNames;
import dev.clicklog.portal.adapter.ResourceTags;

import java.time.Instant;
import java.util.Map;

/**
 * What a step knows when it runs: the spec, the derived resource names, what earlier runs found,
 * whose resources are the pipeline's ({@code owner}), whether the pipeline is being created (never
 * READY yet), whether teardown purges its clicks and when it closed the ingest API; and where it
 * notes what it changes.
 */
public record StepContext(PipelineSpec spec, ResourceNames names, PipelineResources resources, Changes changes,
        ResourceTags.Owner owner, boolean creating, boolean purge, Instant ingestClosedAt) {

    /** A pipeline being created, of a new id, keeping its clicks on teardown. */
    public StepContext(PipelineSpec spec, ResourceNames names, PipelineResources resources, ResourceTags.Owner owner) {
        this(spec, names, resources, new Changes(), owner, true, false, null);
    }

    public Map<String, String> tags() {
        return owner.tags();
    }
}
