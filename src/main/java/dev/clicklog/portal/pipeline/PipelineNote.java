package dev.clicklog.portal.pipeline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import dev.clicklog.portal.adapter.OptionalFeature;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * A DEGRADED note: an optional feature the pipeline goes without because its endpoint does not
 * serve it, why (the endpoint's own answer), and the setting that would help, if any. The pipeline
 * stays READY; the note stays while the feature is skipped.
 */
@Entity
@Table(name = "pipeline_note")
public class PipelineNote extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "pipeline_id")
    public Long pipelineId;
    /** The step that skipped the feature; null for a feature of the pipeline as a whole. */
    @Enumerated(EnumType.STRING)
    public StepKind step;
    @Enumerated(EnumType.STRING)
    public OptionalFeature feature;
    public String reason;
    public String suggestion;
    public Instant since;

    /** The notes of these pipelines, by pipeline and feature. */
    static List<PipelineNote> of(Collection<Long> pipelineIds) {
        if (pipelineIds.isEmpty()) {
            return List.of();
        }
        return find("pipelineId in ?1 order by pipelineId, feature", pipelineIds).list();
    }

    /** The pipeline's notes, in a list the caller may add to. */
    static List<PipelineNote> of(long pipelineId) {
        return new ArrayList<>(PipelineNote.<PipelineNote>find("pipelineId", pipelineId).list());
    }

    static void clear(long pipelineId) {
        delete("pipelineId", pipelineId);
    }
}
