package dev.clicklog.portal.pipeline;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

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
 * A pipeline: what the team asked for (the spec: the desired state, at its {@code generation}),
 * what the portal wants to be true about it ({@link Target}), what it found in AWS (the resources),
 * which generation the reconciler has applied ({@code observedGeneration}), where each step is, and
 * who works on it. Its {@code pipelineId} is tagged on every resource it creates: a resource is the
 * pipeline's only if it carries it.
 *
 * <p>A name belongs to at most one live pipeline at a time ({@code activeName} is unique, and null
 * once DELETED): a DELETED pipeline stays as history and its name can be used again. A DELETED
 * pipeline's clicks are kept unless purged ({@link Clicks}); the same team re-creating the name
 * adopts them (the new pipeline takes the deleted one's id), another team must purge them first.
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

    /** What became of a DELETED pipeline's clicks. */
    public enum Clicks {
        /** Its bucket (or prefix) and every object in it remain. */
        KEPT,
        /** The objects its delivery stream wrote were deleted. */
        PURGED,
        /** A pipeline of the same team and name took them over. */
        ADOPTED
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
    /** Null: the portal's default throttling. */
    @Column(name = "stage_rate_limit")
    public Integer stageRateLimit;
    @Column(name = "stage_burst_limit")
    public Integer stageBurstLimit;
    @Column(name = "expected_clicks_per_second")
    public Double expectedClicksPerSecond;

    /** Tagged on every resource as clicklog:pipeline-id; shared with the deleted pipeline whose clicks this one adopted. */
    @Column(name = "pipeline_uid")
    public String pipelineId;
    /**
     * Whether resources without a pipeline id but with this pipeline's name tags count as its own:
     * only for pipelines created before resources carried the id, so they keep what they created.
     */
    @Column(name = "adopts_untagged")
    public boolean adoptsUntagged;
    /** Bumped by every accepted change of the spec. */
    public long generation;
    /** The generation whose spec every resource was last brought to (0: never READY yet). */
    @Column(name = "observed_generation")
    public long observedGeneration;
    /** Whether teardown deletes the clicks too (the objects its delivery stream wrote). */
    public boolean purge;
    /** For a DELETED pipeline: what became of its clicks. */
    @Enumerated(EnumType.STRING)
    public Clicks clicks;
    /** When teardown closed the ingest API: Firehose then delivers what it holds before its stream goes. */
    @Column(name = "ingest_closed_at")
    public Instant ingestClosedAt;

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
        p.s3Prefix = spec.s3Prefix();
        p.apply(spec);
        p.pipelineId = UUID.randomUUID().toString();
        p.generation = 1;
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
                bufferIntervalSeconds, compression, s3Prefix, List.copyOf(allowedOrigins), apiKeyRequired, stageRateLimit,
                stageBurstLimit, expectedClicksPerSecond);
    }

    /** Takes the changeable fields of the spec (name, team and prefix are the pipeline's for life). */
    private void apply(PipelineSpec spec) {
        description = spec.description();
        shards = spec.shards();
        onDemand = spec.onDemand();
        retentionHours = spec.retentionHours();
        bufferSizeMb = spec.bufferSizeMb();
        bufferIntervalSeconds = spec.bufferIntervalSeconds();
        compression = spec.compression();
        allowedOrigins = new ArrayList<>(spec.allowedOrigins());
        apiKeyRequired = spec.apiKeyRequired();
        stageRateLimit = spec.stageRateLimit();
        stageBurstLimit = spec.stageBurstLimit();
        expectedClicksPerSecond = spec.expectedClicksPerSecond();
    }

    /** Whether the pipeline was READY once: a change then goes through UPDATING, not PROVISIONING. */
    public boolean everReady() {
        return observedGeneration > 0;
    }

    /**
     * A new desired spec, as the next generation: every step runs again and converges its resources
     * to it — UPDATING when the pipeline was READY once (its resources keep working meanwhile),
     * PROVISIONING when it never was. A check under way ends; a FAILED pipeline gets fresh attempts.
     */
    public void requestChange(PipelineSpec spec, Instant now) {
        apply(spec);
        generation++;
        status = everReady() ? PipelineStatus.UPDATING : PipelineStatus.PROVISIONING;
        checkStartedAt = null;
        nextAttemptAt = null;
        steps.forEach(s -> s.reset(now));
        updatedAt = now;
    }

    /**
     * The ETag of this pipeline's spec: which pipeline (its creation, so a pipeline re-created under
     * the name has other ETags) and its generation, so it changes with every accepted change.
     */
    public String etag() {
        return etag(createdAt, generation);
    }

    static String etag(Instant createdAt, long generation) {
        return "\"" + Long.toString(createdAt.toEpochMilli(), 36) + "-" + generation + "\"";
    }

    /** " in s3://bucket/prefix", where its clicks are, for messages; empty before the bucket step found it. */
    public String clicksAt() {
        PipelineResources r = resources();
        return r.bucket() == null ? "" : " in s3://" + r.bucket() + "/" + (r.prefix() == null ? "" : r.prefix());
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
        return target == Target.PRESENT ? step.needs().contains(other)
                : other.needs().contains(step) || step.removedAfter().contains(other);
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

    /** Switches to teardown: every step starts again, in reverse; {@code purge} deletes the clicks too. */
    public void requestDelete(Instant now, boolean purge) {
        this.purge = purge;
        clicks = null;
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

    /**
     * Purges the clicks a DELETED pipeline kept: teardown runs again (its other resources are gone
     * already) and deletes them; the name is taken meanwhile, so no pipeline can adopt them halfway.
     */
    public void requestPurge(Instant now) {
        activeName = name;
        requestDelete(now, true);
    }

    /** Re-drives a FAILED pipeline: its failed step gets a fresh attempt budget. */
    public void requestRetry(Instant now) {
        status = target == Target.ABSENT ? PipelineStatus.DELETING
                : everReady() ? PipelineStatus.UPDATING : PipelineStatus.PROVISIONING;
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
            observedGeneration = generation;
        } else {
            activeName = null;
            clicks = purge ? Clicks.PURGED : Clicks.KEPT;
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
