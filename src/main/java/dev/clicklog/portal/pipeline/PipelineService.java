package dev.clicklog.portal.pipeline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import org.hibernate.exception.ConstraintViolationException;

import dev.clicklog.portal.adapter.Arns;
import dev.clicklog.portal.adapter.InvokeUrls;
import dev.clicklog.portal.audit.AuditLog;

/**
 * The pipeline use cases: request, list, show, delete, retry. Each is one short transaction that
 * records the intent; AWS is only ever touched by the {@link Reconciler}, which each of them wakes
 * once the transaction has committed. So a request either fully happens or not at all. Who asked
 * ({@link Actor}) is written into the pipeline's history and the audit trail in the same transaction.
 */
@ApplicationScoped
public class PipelineService {

    private final Event<PipelineChanged> changes;
    private final InvokeUrls invokeUrls;
    private final Arns arns;
    private final PipelinesConfig config;
    private final AuditLog audit;

    PipelineService(Event<PipelineChanged> changes, InvokeUrls invokeUrls, Arns arns, PipelinesConfig config,
            AuditLog audit) {
        this.changes = changes;
        this.invokeUrls = invokeUrls;
        this.arns = arns;
        this.config = config;
        this.audit = audit;
    }

    /**
     * Records a new pipeline (PROVISIONING) for the reconciler to build. Its team must exist, but
     * for an administrator, whose request creates it.
     *
     * @throws InvalidPipelineException with every broken rule
     * @throws PipelineConflictException when a live pipeline has the name
     */
    @Transactional
    public PipelineView create(PipelineRequest request, Actor actor) {
        return create(request, List.of(), actor);
    }

    /**
     * As {@link #create(PipelineRequest, Actor)}, for a request of which some fields could not be read
     * ({@code unreadable} says which and why); they are reported with every other broken rule.
     */
    @Transactional
    public PipelineView create(PipelineRequest request, List<Violation> unreadable, Actor actor) {
        PipelineSpec spec = PipelineSpec.of(request, unreadable);
        Instant now = Instant.now();
        if (Team.named(spec.team()).isEmpty()) {
            if (!actor.admin()) {
                throw new InvalidPipelineException(List.of(new Violation("team", "is not a team")));
            }
            Team.create(spec.team(), now);
            record(actor, "team.create", "team", spec.team(), spec.team(), "created with pipeline " + spec.name());
        }
        if (Pipeline.findActive(spec.name()).isPresent()) {
            throw nameTaken(spec.name());
        }
        Pipeline p = Pipeline.create(spec, now);
        try {
            p.persistAndFlush();
        } catch (ConstraintViolationException e) {
            // Another request created the same name between the check and the insert.
            throw nameTaken(spec.name());
        }
        p.event(now, null, EventType.CREATED, "requested by " + actor.label() + " for team " + spec.team(), actor);
        record(actor, "pipeline.create", "pipeline", spec.name(), spec.team(), null);
        changes.fire(new PipelineChanged(p.id));
        return view(p);
    }

    /**
     * The live pipelines (and the deleted ones too when asked) of the teams in {@code scope}, by
     * name, optionally of one team.
     */
    @Transactional
    public List<PipelineView> list(Optional<String> team, boolean includeDeleted, TeamScope scope) {
        StringBuilder query = new StringBuilder("select distinct p from Pipeline p left join fetch p.steps where 1 = 1");
        Map<String, Object> params = new HashMap<>();
        if (!scope.all()) {
            if (scope.teams().isEmpty()) {
                return List.of();
            }
            query.append(" and p.team in :scope");
            params.put("scope", scope.teams());
        }
        if (team.isPresent()) {
            query.append(" and p.team = :team");
            params.put("team", team.get());
        }
        if (!includeDeleted) {
            query.append(" and p.status <> :deleted");
            params.put("deleted", PipelineStatus.DELETED);
        }
        query.append(" order by p.name, p.id");
        List<Pipeline> pipelines = Pipeline.<Pipeline>find(query.toString(), params).list();
        return views(pipelines);
    }

    /** The live pipeline with this name, or else the one deleted last. */
    @Transactional
    public PipelineView get(String name) {
        return view(Pipeline.findLatest(name).orElseThrow(() -> new PipelineNotFoundException(name)));
    }

    /** The team of the pipeline {@link #get} shows, if there is one. */
    @Transactional
    public Optional<String> teamOf(String name) {
        return Pipeline.teamOf(name);
    }

    /**
     * The API key clients of the pipeline {@link #get} shows send as x-api-key; empty when it
     * requires none or it is not created yet.
     */
    @Transactional
    public Optional<String> apiKey(String name) {
        Pipeline p = Pipeline.findLatest(name).orElseThrow(() -> new PipelineNotFoundException(name));
        return p.apiKeyRequired && p.status != PipelineStatus.DELETED ? Optional.ofNullable(p.resources().apiKey())
                : Optional.empty();
    }

    /**
     * A page of the history of the pipeline {@link #get} shows: up to {@code limit} events written
     * before the event {@code before} (null: the newest), newest first.
     */
    @Transactional
    public EventPage events(String name, Long before, int limit) {
        Pipeline p = Pipeline.findLatest(name).orElseThrow(() -> new PipelineNotFoundException(name));
        List<PipelineEvent> page = PipelineEvent.page(p.id, before, limit + 1);
        List<PipelineView.Event> events = page.stream().limit(limit).map(PipelineService::event).toList();
        Long nextBefore = page.size() > limit ? events.get(events.size() - 1).id() : null;
        return new EventPage(p.name, PipelineEvent.counts(List.of(p.id)).getOrDefault(p.id, 0L), events, nextBefore);
    }

    /**
     * Starts tearing the pipeline down (DELETING). Deleting a pipeline that is being deleted or is
     * DELETED changes nothing.
     */
    @Transactional
    public PipelineView delete(String name, Actor actor) {
        Optional<Pipeline> live = lockActive(name);
        if (live.isEmpty()) {
            return get(name);
        }
        Pipeline p = live.get();
        if (p.status != PipelineStatus.DELETING) {
            Instant now = Instant.now();
            PipelineStatus was = p.status;
            p.requestDelete(now);
            p.event(now, null, EventType.DELETE_REQUESTED, "delete requested by " + actor.label() + " while " + was,
                    actor);
            record(actor, "pipeline.delete", "pipeline", p.name, p.team, "while " + was);
            changes.fire(new PipelineChanged(p.id));
        }
        return view(p);
    }

    /**
     * Re-drives a FAILED pipeline from its failed step, with a fresh attempt budget.
     *
     * @throws PipelineConflictException when the pipeline is not FAILED
     */
    @Transactional
    public PipelineView retry(String name, Actor actor) {
        Optional<Pipeline> live = lockActive(name);
        if (live.isEmpty()) {
            PipelineStatus status = get(name).status();
            throw new PipelineConflictException("pipeline '" + name + "' is " + status
                    + "; only a FAILED pipeline can be retried");
        }
        Pipeline p = live.get();
        if (p.status != PipelineStatus.FAILED) {
            throw new PipelineConflictException("pipeline '" + name + "' is " + p.status
                    + "; only a FAILED pipeline can be retried");
        }
        Instant now = Instant.now();
        p.requestRetry(now);
        p.event(now, null, EventType.RETRY_REQUESTED, "retry requested by " + actor.label() + "; "
                + (p.status == PipelineStatus.PROVISIONING ? "provisioning" : "teardown") + " continues", actor);
        record(actor, "pipeline.retry", "pipeline", p.name, p.team, null);
        changes.fire(new PipelineChanged(p.id));
        return view(p);
    }

    private void record(Actor actor, String action, String targetKind, String target, String team, String detail) {
        audit.record(actor.name(), actor.kind().name(), action, targetKind, target, team, detail);
    }

    private static Optional<Pipeline> lockActive(String name) {
        return Pipeline.<Pipeline>find("activeName", name).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    private static PipelineConflictException nameTaken(String name) {
        return new PipelineConflictException("a pipeline named '" + name + "' exists already");
    }

    private PipelineView view(Pipeline p) {
        return views(List.of(p)).get(0);
    }

    /** The views of these pipelines, each with the newest part of its history (two queries for all of them). */
    private List<PipelineView> views(List<Pipeline> pipelines) {
        Pipeline.flush();
        List<Long> ids = pipelines.stream().map(p -> p.id).toList();
        Map<Long, List<PipelineView.Event>> events = new HashMap<>();
        PipelineEvent.latest(ids, config.history().shown()).forEach(e -> events
                .computeIfAbsent(e.pipelineId, k -> new ArrayList<>()).add(event(e)));
        Map<Long, Long> counts = PipelineEvent.counts(ids);
        Map<Long, List<PipelineView.Degradation>> notes = new HashMap<>();
        PipelineNote.of(ids).forEach(n -> notes.computeIfAbsent(n.pipelineId, k -> new ArrayList<>())
                .add(new PipelineView.Degradation(n.feature.name(), n.feature.title(), n.step, n.feature.without(),
                        n.reason, n.suggestion, n.since)));
        return pipelines.stream()
                .map(p -> toView(p, events.getOrDefault(p.id, List.of()), counts.getOrDefault(p.id, 0L),
                        p.status == PipelineStatus.DELETED ? List.of() : notes.getOrDefault(p.id, List.of())))
                .toList();
    }

    private static PipelineView.Event event(PipelineEvent e) {
        return new PipelineView.Event(e.id, e.at, e.step, e.type, e.message, e.actor);
    }

    private PipelineView toView(Pipeline p, List<PipelineView.Event> events, long eventCount,
            List<PipelineView.Degradation> degradations) {
        List<PipelineView.Step> steps = p.steps.stream()
                .map(s -> new PipelineView.Step(s.kind, s.kind.title(), s.state, s.attempts, s.lastError, s.detail,
                        s.nextAttemptAt, s.updatedAt))
                .toList();
        PipelineResources r = p.resources();
        String invokeUrl = r.restApiId() == null || r.stage() == null || p.status == PipelineStatus.DELETED ? null
                : invokeUrls.clicks(r.restApiId(), r.stage());
        return new PipelineView(p.name, p.team, p.description, p.shards, p.onDemand, p.retentionHours, p.bufferSizeMb,
                p.bufferIntervalSeconds, p.compression, p.s3Prefix, List.copyOf(p.allowedOrigins), p.apiKeyRequired,
                p.status, invokeUrl, r, ResourceArns.of(r, arns), steps, events, eventCount, p.createdAt, p.updatedAt, p.checkedAt,
                p.checkStartedAt, !degradations.isEmpty(), degradations);
    }
}
