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
 * READY yet), whether this run is a check of a READY pipeline (what differs from the spec then
 * drifted and is restored), whether teardown purges its clicks and when it closed the ingest API,
 * whether the step's own create call once made its resource ({@code created}, see
 * {@link Changes#created()}); and where it notes what it changes.
 */
public record StepContext(PipelineSpec spec, ResourceNames names, PipelineResources resources, Changes changes,
        ResourceTags.Owner owner, boolean creating, boolean checking, boolean purge, Instant ingestClosedAt,
        boolean created) {

    /** A pipeline being created, of a new id, keeping its clicks on teardown. */
    public StepContext(PipelineSpec spec, ResourceNames names, PipelineResources resources, ResourceTags.Owner owner) {
        this(spec, names, resources, new Changes(), owner, true, false, false, null, false);
    }

    /**
     * Whether the step's one resource, with these tags, is this pipeline's: it carries the pipeline's
     * id, or the step's own create call made it and it carries no id yet — some endpoints (moto's
     * Kinesis) drop the tags of a create, and the step tags what it made. Only for a step of one
     * resource: {@code created} does not say which of several was made.
     */
    public boolean owns(Map<String, String> tags) {
        return owner.owns(tags) || created && !tags.containsKey(ResourceTags.PIPELINE_ID);
    }

    public Map<String, String> tags() {
        return owner.tags();
    }
}
