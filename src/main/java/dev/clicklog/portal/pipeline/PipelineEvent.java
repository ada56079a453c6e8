package dev.clicklog.portal.pipeline;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * One entry of a pipeline's history: a step started, waited, succeeded or failed (with AWS's
 * message), a check repaired something. In the order written, which the id keeps.
 */
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
    /** Who asked for it (a user's name, or "token" and a token's name); null for the portal's own steps. */
    public String actor;

    static void add(Long pipelineId, Instant at, StepKind step, EventType type, String message, String actor) {
        PipelineEvent e = new PipelineEvent();
        e.actor = actor;
        e.pipelineId = pipelineId;
        e.at = at;
        e.step = step;
        e.type = type;
        e.message = PipelineStep.clip(message);
        e.persist();
    }

    /** The newest {@code n} events of each of these pipelines, in the order they were written. */
    @SuppressWarnings("unchecked")
    static List<PipelineEvent> latest(Collection<Long> pipelineIds, int n) {
        if (pipelineIds.isEmpty()) {
            return List.of();
        }
        return getEntityManager().createNativeQuery("""
                select id, pipeline_id, at, step, type, message, actor from (
                    select e.id, e.pipeline_id, e.at, e.step, e.type, e.message, e.actor,
                           row_number() over (partition by e.pipeline_id order by e.id desc) as newness
                    from pipeline_event e where e.pipeline_id in (:ids)) latest
                where newness <= :n
                order by pipeline_id, id""", PipelineEvent.class)
                .setParameter("ids", pipelineIds)
                .setParameter("n", n)
                .getResultList();
    }

    /** How many events each of these pipelines has. */
    static Map<Long, Long> counts(Collection<Long> pipelineIds) {
        Map<Long, Long> counts = new HashMap<>();
        if (!pipelineIds.isEmpty()) {
            getEntityManager().createQuery("select e.pipelineId, count(e) from PipelineEvent e "
                    + "where e.pipelineId in :ids group by e.pipelineId", Object[].class)
                    .setParameter("ids", pipelineIds)
                    .getResultList()
                    .forEach(row -> counts.put((Long) row[0], (Long) row[1]));
        }
        return counts;
    }

    /** Up to {@code limit} events of the pipeline written before the event {@code before} (null: the newest), newest first. */
    static List<PipelineEvent> page(long pipelineId, Long before, int limit) {
        return find("pipelineId = ?1 and id < ?2 order by id desc", pipelineId, before == null ? Long.MAX_VALUE : before)
                .page(0, limit).list();
    }

    /**
     * Deletes the pipeline's events but its first (its request) and its newest {@code kept}, so a
     * long-lived pipeline's history stays bounded and still says where it began and what happened last.
     */
    static long prune(long pipelineId, int kept) {
        List<Long> newestToDelete = getEntityManager().createQuery(
                "select e.id from PipelineEvent e where e.pipelineId = :p order by e.id desc", Long.class)
                .setParameter("p", pipelineId)
                .setFirstResult(kept)
                .setMaxResults(1)
                .getResultList();
        if (newestToDelete.isEmpty()) {
            return 0;
        }
        Long first = getEntityManager().createQuery("select min(e.id) from PipelineEvent e where e.pipelineId = :p",
                Long.class).setParameter("p", pipelineId).getSingleResult();
        return delete("pipelineId = ?1 and id > ?2 and id <= ?3", pipelineId, first, newestToDelete.get(0));
    }
}
