package dev.clicklog.portal.pipeline;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import jakarta.persistence.Version;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * A pipeline: what the team asked for (the spec), what the portal wants to be true about it
 * ({@link Target}), what it found in AWS (the resources), where each step is, and who works on it.
 *
 * <p>A name belongs to at most one live pipeline at a time ({@code activeName} is unique, and null
 * once DELETED): a DELETED pipeline stays as history and its name can be used again.
 *
 * <p>The lease columns are written only by the reconciler's claim/release statements, never through
 * the entity, so an API request saving the entity cannot undo a claim.
 */
@Entity
@Table(name = "pipeline")
public class Pipeline extends PanacheEntityBase {

    /** Whether the pipeline's resources should exist (provisioning) or not (teardown). */
    public enum Target {
        PRESENT, ABSENT
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String name;
    @Column(name = "active_name")
    public String activeName;
    public String team;
    public String description;
    public Integer shards;
    @Column(name = "on_demand")
    public boolean onDemand;
    @Column(name = "retention_hours")
    public int retentionHours;
    @Column(name = "buffer_size_mb")
    public int bufferSizeMb;
    @Column(name = "buffer_interval_seconds")
    public int bufferIntervalSeconds;
    @Enumerated(EnumType.STRING)
    public Compression compression;
    @Column(name = "s3_prefix")
    public String s3Prefix;
    @Convert(converter = OriginsConverter.class)
    @Column(name = "allowed_origins")
    public List<String> allowedOrigins;
    @Column(name = "api_key_required")
    public boolean apiKeyRequired;

    @Enumerated(EnumType.STRING)
    public Target target;
    @Enumerated(EnumType.STRING)
    public PipelineStatus status;

    /** What the steps found in AWS; embedded so its columns live in this row. Null when nothing is known yet. */
    @Embedded
    PipelineResources resources;

    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
    /** The earliest time a waiting step wants to run again (after a wait or a backoff); null: now. */
    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;

    /** When every resource was last found as specified. */
    @Column(name = "verified_at")
    public Instant verifiedAt;

    /** When the last check of a READY pipeline's resources ended; the next is due once this is stale (or null). */
    @Column(name = "checked_at")
    public Instant checkedAt;

    /** When the check under way began; null when none is. The pipeline stays READY meanwhile. */
    @Column(name = "check_started_at")
    public Instant checkStartedAt;

    /** Whether the history grew in this transaction (then it is pruned before it commits). */
    @Transient
    boolean historyGrew;

    @Column(name = "lease_owner", insertable = false, updatable = false)
    public String leaseOwner;
    @Column(name = "lease_until", insertable = false, updatable = false)
    public Instant leaseUntil;

    @Version
    public long version;

    @OneToMany(mappedBy = "pipeline", cascade = CascadeType.ALL, orphanRemoval = true)
    @OrderBy("position")
    public List<PipelineStep> steps = new ArrayList<>();

    /** A new pipeline, PROVISIONING, every step PENDING. */
    public static Pipeline create(PipelineSpec spec, Instant now) {
        Pipeline p = new Pipeline();
        p.name = spec.name();
        p.activeName = spec.name();
        p.team = spec.team();
        p.description = spec.description();
        p.shards = spec.shards();
        p.onDemand = spec.onDemand();
        p.retentionHours = spec.retentionHours();
        p.bufferSizeMb = spec.bufferSizeMb();
        p.bufferIntervalSeconds = spec.bufferIntervalSeconds();
        p.compression = spec.compression();
        p.s3Prefix = spec.s3Prefix();
        p.allowedOrigins = new ArrayList<>(spec.allowedOrigins());
        p.apiKeyRequired = spec.apiKeyRequired();
        p.target = Target.PRESENT;
        p.status = PipelineStatus.PROVISIONING;
        p.createdAt = now;
        p.updatedAt = now;
        for (StepKind kind : StepKind.values()) {
            p.steps.add(PipelineStep.pending(p, kind, now));
        }
        return p;
    }

    /** The live pipeline with this name (any status but DELETED). */
    public static Optional<Pipeline> findActive(String name) {
        return find("activeName", name).firstResultOptional();
    }

    /** The live pipeline with this name, or else the one deleted last. */
    public static Optional<Pipeline> findLatest(String name) {
        return findActive(name).or(() -> find("name = ?1 order by id desc", name).firstResultOptional());
    }

    /** The team of the pipeline {@link #findLatest} finds, read without loading the pipeline. */
    public static Optional<String> teamOf(String name) {
        return getEntityManager().createQuery("select p.team from Pipeline p where p.name = :name "
                + "order by case when p.activeName is null then 1 else 0 end, p.id desc", String.class)
                .setParameter("name", name).setMaxResults(1).getResultStream().findFirst();
    }

    public PipelineSpec spec() {
        return new PipelineSpec(name, team, description, shards, onDemand, retentionHours, bufferSizeMb,
                bufferIntervalSeconds, compression, s3Prefix, List.copyOf(allowedOrigins), apiKeyRequired);
    }

    public PipelineResources resources() {
        return resources == null ? PipelineResources.NONE : resources;
    }

    /** Records what a step found; fields it does not know keep their value. */
    public void record(PipelineResources found) {
        resources = resources().merge(found);
    }

    public PipelineStep step(StepKind kind) {
        return steps.stream().filter(s -> s.kind == kind).findFirst()
                .orElseThrow(() -> new IllegalStateException("pipeline " + name + " has no step " + kind));
    }

    /**
     * The step to run now: the first, in provisioning order (reverse for teardown), that is not
     * settled, not waiting until later, and whose neighbours are settled — the steps it needs when
     * creating, the steps that need it when deleting.
     */
    public Optional<PipelineStep> runnableStep(Instant now) {
        Comparator<PipelineStep> order = Comparator.comparingInt(s -> s.position);
        return steps.stream()
                .sorted(target == Target.PRESENT ? order : order.reversed())
                .filter(s -> !settled(s) && s.state != StepState.FAILED)
                .filter(s -> s.nextAttemptAt == null || !s.nextAttemptAt.isAfter(now))
                .filter(s -> steps.stream().filter(o -> !settled(o)).noneMatch(o -> blocks(o.kind, s.kind)))
                .findFirst();
    }

    /**
     * Whether the step has nothing more to do in the current operation: it is done — or, in a check,
     * its check failed without anything re-created, which leaves its resources as they were and
     * keeps no other step from being checked.
     */
    private boolean settled(PipelineStep s) {
        return s.state == StepState.DONE || checking() && s.state == StepState.FAILED;
    }

    /** Whether {@code other}, not yet done, keeps {@code step} from running. */
    private boolean blocks(StepKind other, StepKind step) {
        return target == Target.PRESENT ? step.needs().contains(other) : other.needs().contains(step);
    }

    public boolean allStepsDone() {
        return steps.stream().allMatch(s -> s.state == StepState.DONE);
    }

    /** Whether the current operation is over: every step done (or, in a check, done or given up). */
    public boolean allStepsSettled() {
        return steps.stream().allMatch(this::settled);
    }

    /** Keeps {@link #nextAttemptAt} at the earliest time a waiting step wants to run, for the reconciler's tick. */
    public void scheduleNextAttempt() {
        nextAttemptAt = steps.stream().filter(s -> !settled(s) && s.nextAttemptAt != null)
                .map(s -> s.nextAttemptAt).min(Instant::compareTo).orElse(null);
    }

    /** Whether a check of this READY pipeline's resources is under way. */
    public boolean checking() {
        return checkStartedAt != null;
    }

    /** Whether the reconciler has work to do: provisioning, teardown, or a check. */
    public boolean working() {
        return status.active() || checking();
    }

    /** Switches to teardown: every step starts again, in reverse. */
    public void requestDelete(Instant now) {
        target = Target.ABSENT;
        status = PipelineStatus.DELETING;
        checkStartedAt = null;
        nextAttemptAt = null;
        steps.forEach(s -> s.reset(now));
        updatedAt = now;
    }

    /** Whether a READY pipeline's resources are due to be checked again (never checked, or too long ago). */
    public boolean checkDue(Instant now, Duration interval) {
        return status == PipelineStatus.READY && !checking()
                && (checkedAt == null || checkedAt.isBefore(now.minus(interval)));
    }

    /**
     * Starts checking a READY pipeline's resources again (they may have drifted, or vanished with a
     * local endpoint): every step runs once more and repairs what differs. The pipeline stays READY.
     */
    public void startCheck(Instant now) {
        checkStartedAt = now;
        nextAttemptAt = null;
        steps.forEach(s -> s.reset(now));
    }

    /** Re-drives a FAILED pipeline: its failed step gets a fresh attempt budget. */
    public void requestRetry(Instant now) {
        status = target == Target.PRESENT ? PipelineStatus.PROVISIONING : PipelineStatus.DELETING;
        nextAttemptAt = null;
        steps.stream().filter(s -> s.state == StepState.FAILED).forEach(s -> s.reset(now));
        updatedAt = now;
    }

    /**
     * Every step is settled: READY, or DELETED (and the name is free again). A check ends with the
     * pipeline READY as it was; its resources count as verified only when no step's check failed.
     */
    public void finish(Instant now) {
        if (checking()) {
            checkStartedAt = null;
            checkedAt = now;
            if (allStepsDone()) {
                verifiedAt = now;
            }
            nextAttemptAt = null;
            return;
        }
        status = target == Target.PRESENT ? PipelineStatus.READY : PipelineStatus.DELETED;
        if (status == PipelineStatus.READY) {
            verifiedAt = now;
            checkedAt = now;
        } else {
            activeName = null;
        }
        nextAttemptAt = null;
        updatedAt = now;
    }

    public void fail(Instant now) {
        status = PipelineStatus.FAILED;
        checkStartedAt = null;
        nextAttemptAt = null;
        updatedAt = now;
    }

    /** Adds an entry to the history. */
    public void event(Instant at, StepKind step, EventType type, String message) {
        event(at, step, type, message, null);
    }

    /** Adds an entry someone asked for to the history. */
    public void event(Instant at, StepKind step, EventType type, String message, Actor actor) {
        PipelineEvent.add(id, at, step, type, message, actor == null ? null : actor.label());
        historyGrew = true;
    }
}
