package dev.clicklog.portal.observe;

import jakarta.enterprise.context.ApplicationScoped;

import dev.clicklog.portal.pipeline.PipelineService;
import dev.clicklog.portal.pipeline.PipelineStatus;
import dev.clicklog.portal.pipeline.PipelineView;

/** The pipelines that can be observed: those whose resources all exist, i.e. READY. */
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
        if (view.status() != PipelineStatus.READY) {
            throw ObserveException.notReady(name, view.status());
        }
        return view;
    }
}
