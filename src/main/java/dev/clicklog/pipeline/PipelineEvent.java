package dev.clicklog.pipeline;

import java.time.Instant;
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

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** One entry of a pipeline's history: a step started, waited, succeeded or failed (with AWS's message). */
@Entity
@Table(name = "pipeline_event")
public class PipelineEvent extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "pipeline_id")
    public Long pipelineId;
    public Instant at;
    @Enumerated(EnumType.STRING)
    public StepKind step;
    @Enumerated(EnumType.STRING)
    public EventType type;
    public String message;

    static void add(Long pipelineId, Instant at, StepKind step, EventType type, String message) {
        PipelineEvent e = new PipelineEvent();
        e.pipelineId = pipelineId;
        e.at = at;
        e.step = step;
        e.type = type;
        e.message = PipelineStep.clip(message);
        e.persist();
    }

    /** The history of these pipelines, oldest first. */
    static List<PipelineEvent> of(Collection<Long> pipelineIds) {
        if (pipelineIds.isEmpty()) {
            return List.of();
        }
        return list("pipelineId in ?1 order by at, id", pipelineIds);
    }
}
