package dev.clicklog.portal.pipeline.step;

import dev.clicklog.portal.pipeline.PipelineResources;
import dev.clicklog.portal.pipeline.PipelineSpec;

import dev.clicklog.portal.adapter.ResourceNames;
import dev.clicklog.portal.adapter.ResourceTags;

import java.util.Map;

/**
 * What a step knows when it runs: the spec, the derived resource names, and what earlier runs found;
 * and where it notes what it changes.
 */
public record StepContext(PipelineSpec spec, ResourceNames names, PipelineResources resources, Changes changes) {

    public StepContext(PipelineSpec spec, ResourceNames names, PipelineResources resources) {
        this(spec, names, resources, new Changes());
    }

    public Map<String, String> tags() {
        return ResourceTags.of(spec.name(), spec.team());
    }
}
