package dev.clicklog.portal.pipeline;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** One step of a pipeline's current operation (provisioning, or teardown): its state and its retries. */
@Entity
@Table(name = "pipeline_step")
public class PipelineStep extends PanacheEntityBase {

    /** Longest error text kept; AWS messages are far shorter, this only guards the column. */
    static final int MAX_TEXT = 2000;
    /** The detail of a completed step run again because its resources may have gone; it says why. */
    static final String CHECK_AGAIN = "checking again: ";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "pipeline_id")
    public Pipeline pipeline;

    @Enumerated(EnumType.STRING)
    public StepKind kind;
    public int position;
    @Enumerated(EnumType.STRING)
    public StepState state;
    /** Failed attempts so far (waiting for AWS is not a failure). */
    public int attempts;
    /** Consecutive waits for AWS for the same reason; the poll interval grows with it. */
    public int polls;
    /**
     * Whether, in a check of a READY pipeline, the step found its resource missing and created it
     * again: if it then keeps failing, the pipeline no longer works and is FAILED.
     */
    public boolean recreated;
    /**
     * Whether the step's own create call made its resource (the endpoint accepted it; a refused
     * create does not count) and it does not carry the pipeline's tags yet: some endpoints drop the
     * tags of a create, and the resource is the pipeline's all the same until the step has tagged
     * it. Kept across runs, checks and changes; cleared once the tags are there, or teardown is
     * done with the resource.
     */
    public boolean created;
    /** What the step waits for, or last did. */
    public String detail;
    @Column(name = "last_error")
    public String lastError;
    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
    /** When the step's current run began; null before it starts. */
    @Column(name = "started_at")
    public Instant startedAt;
    /** How many attempts the step gets for the failure it last had; null until an attempt failed. */
    @Column(name = "attempt_budget")
    public Integer attemptBudget;

    static PipelineStep pending(Pipeline pipeline, StepKind kind, Instant now) {
        PipelineStep s = new PipelineStep();
        s.pipeline = pipeline;
        s.kind = kind;
        s.position = kind.ordinal();
        s.reset(now);
        return s;
    }

    void reset(Instant now) {
        state = StepState.PENDING;
        attempts = 0;
        polls = 0;
        recreated = false;
        detail = null;
        lastError = null;
        nextAttemptAt = null;
        updatedAt = now;
        startedAt = null;
        attemptBudget = null;
    }

    /**
     * Runs a completed step again — its resources may have vanished (an endpoint that lost them) —
     * as the step it is: observe, then create or repair only what differs.
     */
    void checkAgain(Instant now, String why) {
        reset(now);
        detail = clip(CHECK_AGAIN + why);
    }

    boolean checkingAgain() {
        return state == StepState.PENDING && detail != null && detail.startsWith(CHECK_AGAIN);
    }

    static String clip(String text) {
        return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT - 1) + "…";
    }
}
