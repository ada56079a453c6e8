package dev.clicklog.portal.observe;

import jakarta.enterprise.context.ApplicationScoped;

import dev.clicklog.portal.pipeline.PipelineService;
import dev.clicklog.portal.pipeline.PipelineView;

/**
 * The pipelines that can be observed: those whose resources all exist, i.e. READY (or UPDATING,
 * changing in place) — and for their S3 objects, every pipeline whose bucket is its own, a DELETED
 * one that kept its clicks included.
 */
@ApplicationScoped
public class ReadyPipelines {

    private final PipelineService pipelines;

    ReadyPipelines(PipelineService pipelines) {
        this.pipelines = pipelines;
    }

    /**
     * The READY pipeline with this name.
     *
     * @throws dev.clicklog.portal.pipeline.PipelineNotFoundException when there is none
     * @throws ObserveException (NOT_READY) naming the status it is in otherwise
     */
    public PipelineView get(String name) {
        PipelineView view = pipelines.get(name);
        if (!view.live()) {
            throw ObserveException.notReady(name, view.status());
        }
        return view;
    }

    /**
     * The pipeline with this name whose objects can be listed ({@link PipelineView#objectsAvailable}).
     *
     * @throws dev.clicklog.portal.pipeline.PipelineNotFoundException when there is none
     * @throws ObserveException (NOT_READY) naming the status it is in otherwise
     */
    public PipelineView withObjects(String name) {
        PipelineView view = pipelines.get(name);
        if (!view.objectsAvailable()) {
            throw ObserveException.notReady(name, view.status());
        }
        return view;
    }
}
