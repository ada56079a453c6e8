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
 * The pipeline use cases: request, list, show, change, delete (keeping or purging the clicks),
 * retry. Each is one short transaction that records the intent; AWS is only ever touched by the
 * {@link Reconciler}, which each of them wakes once the transaction has committed. So a request
 * either fully happens or not at all. Who asked ({@link Actor}) is written into the pipeline's
 * history and the audit trail in the same transaction.
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
        Optional<Pipeline> kept = lockLatestDeleted(spec.name()).filter(d -> d.clicks == Pipeline.Clicks.KEPT);
        kept.ifPresent(d -> checkAdoptable(d, spec));
        Pipeline p = Pipeline.create(spec, now);
        kept.ifPresent(d -> {
            // Same name and team: the new pipeline is the owner of the kept clicks (and of what carries the id).
            p.pipelineId = d.pipelineId;
            p.adoptsUntagged = d.adoptsUntagged;
        });
        try {
            p.persistAndFlush();
        } catch (ConstraintViolationException e) {
            // Another request created the same name (or started purging its clicks) between the check and the insert.
            throw nameTaken(spec.name());
        }
        p.event(now, null, EventType.CREATED, "requested by " + actor.label() + " for team " + spec.team(), actor);
        record(actor, "pipeline.create", "pipeline", spec.name(), spec.team(), null);
        kept.ifPresent(d -> {
            d.clicks = Pipeline.Clicks.ADOPTED;
            d.event(now, null, EventType.ADOPTED, "its clicks were adopted by the new pipeline " + d.name + " of team " + d.team);
            p.event(now, null, EventType.ADOPTED, "adopts the clicks the deleted pipeline " + d.name + " (created "
                    + d.createdAt + ") kept" + d.clicksAt());
        });
        changes.fire(new PipelineChanged(p.id));
        return view(p);
    }

    /** Only the same team may take over a deleted pipeline's kept clicks, at the same prefix. */
    private static void checkAdoptable(Pipeline deleted, PipelineSpec spec) {
        if (!deleted.team.equals(spec.team())) {
            throw new PipelineConflictException("the name '" + spec.name() + "' belonged to a pipeline of team "
                    + deleted.team + " whose clicks are kept" + deleted.clicksAt() + "; another team can use the name once "
                    + "they are purged (DELETE /api/pipelines/" + spec.name() + "?purge=true)");
        }
        if (!deleted.s3Prefix.equals(spec.s3Prefix())) {
            throw new PipelineConflictException("the deleted pipeline '" + spec.name() + "' kept its clicks under s3Prefix '"
                    + deleted.s3Prefix + "'; request it again with that prefix to adopt them, or purge them first");
        }
    }

    /**
     * Changes a live pipeline's spec: applies the patch to its current spec, checks the result with
     * the same rules as a new pipeline (name, team and S3 prefix cannot change), and records it as the
     * next generation, with the diff in the history, for the reconciler to apply (UPDATING). A patch
     * that changes nothing records nothing.
     *
     * @param ifMatch the ETag the change is based on (If-Match); empty: none
     * @throws PreconditionFailedException when {@code ifMatch} is not the pipeline's current ETag
     * @throws InvalidPipelineException with every broken rule
     * @throws PipelineConflictException when the pipeline is being deleted or is DELETED
     */
    @Transactional
    public PipelineView change(String name, PipelinePatch patch, Optional<String> ifMatch, Actor actor) {
        Pipeline p = lockActive(name).orElseThrow(() -> notLive(name, "changed"));
        checkPrecondition(p, ifMatch);
        if (p.target == Pipeline.Target.ABSENT) {
            throw new PipelineConflictException("pipeline '" + name + "' is " + p.status + "; it cannot be changed");
        }
        PipelineSpec current = p.spec();
        PipelinePatch.Result patched = patch.applyTo(current.toRequest());
        PipelineSpec.Validation v = PipelineSpec.checkChange(current, patched.request(), patched.unreadable());
        PipelineSpec next = v.spec().orElseThrow(() -> new InvalidPipelineException(v.violations()));
        List<String> diff = SpecDiff.between(current, next);
        if (diff.isEmpty()) {
            return view(p);
        }
        Instant now = Instant.now();
        p.requestChange(next, now);
        p.event(now, null, EventType.CHANGE_REQUESTED, "generation " + p.generation + " requested by " + actor.label() + ": "
                + String.join("; ", diff), actor);
        record(actor, "pipeline.change", "pipeline", p.name, p.team, String.join("; ", diff));
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

    /** Starts tearing the pipeline down, keeping its clicks; see {@link #delete(String, boolean, Optional, Actor)}. */
    @Transactional
    public PipelineView delete(String name, Actor actor) {
        return delete(name, false, Optional.empty(), actor);
    }

    /**
     * Starts tearing the pipeline down (DELETING): the ingest API closes first, Firehose delivers
     * what it holds, then the rest goes — but the bucket (or the prefix) and every click in it stay,
     * unless {@code purge}: then the objects its delivery stream wrote are deleted too. Purging also
     * works later, on a DELETED pipeline whose clicks were kept. Deleting again changes nothing
     * (except asking for the purge).
     *
     * @throws PreconditionFailedException when {@code ifMatch} is not the pipeline's current ETag
     * @throws PipelineConflictException when the clicks to purge were adopted by a newer pipeline
     */
    @Transactional
    public PipelineView delete(String name, boolean purge, Optional<String> ifMatch, Actor actor) {
        Optional<Pipeline> live = lockActive(name);
        if (live.isEmpty()) {
            Pipeline deleted = lockLatestDeleted(name).orElseThrow(() -> new PipelineNotFoundException(name));
            checkPrecondition(deleted, ifMatch);
            if (purge) {
                purgeKept(deleted, actor);
            }
            return view(deleted);
        }
        Pipeline p = live.get();
        checkPrecondition(p, ifMatch);
        Instant now = Instant.now();
        if (p.status != PipelineStatus.DELETING) {
            PipelineStatus was = p.status;
            p.requestDelete(now, purge);
            p.event(now, null, EventType.DELETE_REQUESTED, "delete requested by " + actor.label() + " while " + was
                    + (purge ? "; its clicks are purged too" : "; its clicks are kept" + p.clicksAt()), actor);
            record(actor, "pipeline.delete", "pipeline", p.name, p.team, "while " + was + (purge ? ", purging" : ""));
            changes.fire(new PipelineChanged(p.id));
        } else if (purge && !p.purge) {
            p.purge = true;
            p.event(now, null, EventType.PURGE_REQUESTED, "purge requested by " + actor.label()
                    + ": the clicks are deleted too", actor);
            record(actor, "pipeline.purge", "pipeline", p.name, p.team, null);
            changes.fire(new PipelineChanged(p.id));
        }
        return view(p);
    }

    private void purgeKept(Pipeline deleted, Actor actor) {
        if (deleted.clicks == Pipeline.Clicks.ADOPTED) {
            throw new PipelineConflictException("the clicks of the deleted pipeline '" + deleted.name + "' were adopted by the "
                    + "pipeline of the same name created after it; delete that one with purge=true");
        }
        if (deleted.clicks != Pipeline.Clicks.KEPT) {
            return;
        }
        Instant now = Instant.now();
        deleted.requestPurge(now);
        try {
            Pipeline.flush();
        } catch (ConstraintViolationException e) {
            throw nameTaken(deleted.name);
        }
        deleted.event(now, null, EventType.PURGE_REQUESTED, "purge requested by " + actor.label() + ": the clicks it kept"
                + deleted.clicksAt() + " are deleted", actor);
        record(actor, "pipeline.purge", "pipeline", deleted.name, deleted.team, "kept clicks" + deleted.clicksAt());
        changes.fire(new PipelineChanged(deleted.id));
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

    /** The pipeline of this name deleted last, locked: its kept clicks are adopted or purged by one request at a time. */
    private static Optional<Pipeline> lockLatestDeleted(String name) {
        return Pipeline.<Pipeline>find("name = ?1 and status = ?2 order by id desc", name, PipelineStatus.DELETED)
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    /** If-Match: the change must be based on the pipeline's current spec ("*" matches any). */
    private static void checkPrecondition(Pipeline p, Optional<String> ifMatch) {
        if (ifMatch.isEmpty() || EntityTags.matches(ifMatch.get(), p.etag())) {
            return;
        }
        throw new PreconditionFailedException("pipeline '" + p.name + "' has changed since " + ifMatch.get().strip()
                + ": it is at " + p.etag() + " (generation " + p.generation + "); get it again and re-apply the change");
    }

    private static RuntimeException notLive(String name, String what) {
        Pipeline latest = Pipeline.findLatest(name).orElseThrow(() -> new PipelineNotFoundException(name));
        return new PipelineConflictException("pipeline '" + name + "' is " + latest.status + "; it cannot be " + what);
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
        PipelinesConfig.Throttle stage = config.stage();
        int rate = p.stageRateLimit != null ? p.stageRateLimit : (int) stage.rateLimit();
        int burst = p.stageBurstLimit != null ? p.stageBurstLimit : stage.burstLimit();
        List<PipelineView.Step> steps = p.steps.stream()
                .map(s -> new PipelineView.Step(s.kind, s.kind.title(), s.state, s.attempts, s.lastError, s.detail,
                        s.nextAttemptAt, s.updatedAt, s.startedAt, s.attemptBudget))
                .toList();
        PipelineResources r = p.resources();
        String invokeUrl = r.restApiId() == null || r.stage() == null || p.status == PipelineStatus.DELETED ? null
                : invokeUrls.clicks(r.restApiId(), r.stage());
        return new PipelineView(p.pipelineId, p.name, p.team, p.description, p.shards, p.onDemand, p.retentionHours,
                p.bufferSizeMb, p.bufferIntervalSeconds, p.compression, p.s3Prefix, List.copyOf(p.allowedOrigins),
                p.apiKeyRequired, rate, burst, p.stageRateLimit != null || p.stageBurstLimit != null,
                p.expectedClicksPerSecond, p.status, p.target, p.generation, p.observedGeneration, p.clicks, p.purge, invokeUrl, r,
                ResourceArns.of(r, arns), steps, events, eventCount, p.createdAt, p.updatedAt, p.checkedAt,
                p.checkStartedAt, !degradations.isEmpty(), degradations);
    }
}
