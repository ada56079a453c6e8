package dev.clicklog.pipeline;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import dev.clicklog.aws.AwsFailure;

/**
 * The reconciler's short transactions: claiming and releasing pipelines, starting a step and
 * recording its result. AWS calls happen between them, never inside one.
 */
@ApplicationScoped
class PipelineStore {

    /** One run of one step, with everything the step needs, read in the transaction that started it. */
    record Work(long pipelineId, Pipeline.Target target, StepKind step, PipelineSpec spec, PipelineResources resources) {
    }

    /** What a pass does next. */
    sealed interface Next {
    }

    /** Run this step now. */
    record Run(Work work) implements Next {
    }

    /** Go on with the next step (or the same one, re-planned). */
    record Continue() implements Next {
    }

    /** Nothing to do before this time. */
    record Later(Instant at) implements Next {
    }

    /** Nothing to do at all (READY, FAILED, DELETED, or another pass owns the pipeline). */
    record Idle() implements Next {
    }

    private final PipelinesConfig config;

    PipelineStore(PipelinesConfig config) {
        this.config = config;
    }

    /** Pipelines with work due (or READY ones to check again) and nobody working on them, the longest waiting first. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    List<Long> due(Instant now, int limit) {
        return Pipeline.getEntityManager().createQuery("""
                select p.id from Pipeline p
                where (p.status in (:active) and (p.nextAttemptAt is null or p.nextAttemptAt <= :now)
                       or p.status = :ready and (p.verifiedAt is null or p.verifiedAt < :stale))
                  and (p.leaseUntil is null or p.leaseUntil < :now)
                order by p.nextAttemptAt nulls first, p.id""", Long.class)
                .setParameter("active", List.of(PipelineStatus.PROVISIONING, PipelineStatus.DELETING))
                .setParameter("ready", PipelineStatus.READY)
                .setParameter("now", now)
                .setParameter("stale", now.minus(config.resyncInterval()))
                .setMaxResults(limit)
                .getResultList();
    }

    /** Has every READY pipeline checked again soon (at start-up). */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    int resyncAll() {
        return Pipeline.update("verifiedAt = null where status = ?1", PipelineStatus.READY);
    }

    /**
     * Takes the pipeline for one pass unless another pass holds an unexpired lease on it. A single
     * conditional UPDATE, so of any number of replicas racing for it exactly one wins.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    boolean claim(long id, String owner, Instant now) {
        return Pipeline.update("leaseOwner = ?1, leaseUntil = ?2 where id = ?3 and (leaseUntil is null or leaseUntil < ?4)",
                owner, now.plus(config.lease()), id, now) == 1;
    }

    /** Extends the leases of these passes (a heartbeat, while their steps talk to AWS). */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    void renew(Collection<String> owners, Instant now) {
        if (!owners.isEmpty()) {
            Pipeline.update("leaseUntil = ?1 where leaseOwner in ?2", now.plus(config.lease()), owners);
        }
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    void release(long id, String owner) {
        Pipeline.update("leaseOwner = null, leaseUntil = null where id = ?1 and leaseOwner = ?2", id, owner);
    }

    /** Reads the pipeline's next runnable step and marks it started; or says when, or that there is nothing to do. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    Next begin(long id, String owner, Instant now) {
        Pipeline p = Pipeline.findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (p == null || !owner.equals(p.leaseOwner)) {
            return new Idle();
        }
        if (p.status == PipelineStatus.READY && (p.verifiedAt == null
                || p.verifiedAt.isBefore(now.minus(config.resyncInterval())))) {
            p.requestResync(now);
            p.event(now, null, EventType.RESYNC, "checking every resource again"
                    + (p.verifiedAt == null ? "" : " (last checked " + p.verifiedAt + ")"));
        }
        if (!p.status.active()) {
            return new Idle();
        }
        if (p.allStepsDone()) {
            finish(p, now);
            return new Idle();
        }
        PipelineStep step = p.runnableStep(now).orElse(null);
        if (step == null) {
            p.scheduleNextAttempt();
            return new Later(p.nextAttemptAt != null ? p.nextAttemptAt : now.plus(config.poll().initial()));
        }
        if (step.state == StepState.PENDING) {
            step.state = StepState.IN_PROGRESS;
            step.updatedAt = now;
            p.event(now, step.kind, EventType.STARTED, (p.target == Pipeline.Target.PRESENT ? "creating " : "deleting ")
                    + step.kind.title());
        }
        return new Run(new Work(id, p.target, step.kind, p.spec(), p.resources()));
    }

    /** Records a step's result and says what the pass does next. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    Next record(String owner, Work work, StepResult result, Instant now) {
        Pipeline p = Pipeline.findById(work.pipelineId(), LockModeType.PESSIMISTIC_WRITE);
        if (p == null || !owner.equals(p.leaseOwner)) {
            throw new LeaseLostException(work.pipelineId(), owner);
        }
        p.record(result.found());
        p.updatedAt = now;
        PipelineStep step = p.step(work.step());
        if (p.target != work.target() || !p.status.active() || step.state != StepState.IN_PROGRESS) {
            // A delete or retry changed the plan while the step ran: what it found is kept, the rest re-planned.
            return new Continue();
        }
        step.updatedAt = now;
        if (result instanceof StepResult.Done done) {
            return succeeded(p, step, done, now);
        }
        if (result instanceof StepResult.Wait wait) {
            return waiting(p, step, wait, now);
        }
        return failed(p, step, ((StepResult.Failed) result).failure(), now);
    }

    private Next succeeded(Pipeline p, PipelineStep step, StepResult.Done done, Instant now) {
        step.state = StepState.DONE;
        step.polls = 0;
        step.detail = PipelineStep.clip(done.message());
        step.nextAttemptAt = null;
        p.scheduleNextAttempt();
        p.event(now, step.kind, EventType.SUCCEEDED, done.message());
        if (p.allStepsDone()) {
            finish(p, now);
            return new Idle();
        }
        return new Continue();
    }

    private Next waiting(Pipeline p, PipelineStep step, StepResult.Wait wait, Instant now) {
        if (wait.why().equals(step.detail)) {
            step.polls++;
        } else {
            // Progress (a new reason to wait): poll quickly again.
            step.polls = 1;
            p.event(now, step.kind, EventType.WAITING, wait.why());
        }
        step.detail = PipelineStep.clip(wait.why());
        step.nextAttemptAt = now.plus(grow(config.poll().initial(), config.poll().max(), 1.5, step.polls));
        p.scheduleNextAttempt();
        return new Continue();
    }

    private Next failed(Pipeline p, PipelineStep step, AwsFailure failure, Instant now) {
        step.attempts++;
        step.lastError = PipelineStep.clip(failure.toString());
        int budget = failure.retryable() ? config.backoff().attempts() : config.backoff().permanentAttempts();
        if (step.attempts >= budget) {
            step.state = StepState.FAILED;
            step.nextAttemptAt = null;
            p.fail(now);
            p.event(now, step.kind, EventType.FAILED, "failed after " + step.attempts + " attempt"
                    + (step.attempts == 1 ? "" : "s") + ": " + failure);
            return new Idle();
        }
        Duration backoff = grow(config.backoff().initial(), config.backoff().max(), 2, step.attempts);
        step.nextAttemptAt = now.plus(backoff);
        p.scheduleNextAttempt();
        p.event(now, step.kind, EventType.RETRYING, "attempt " + step.attempts + " of " + budget + " failed, retrying in "
                + seconds(backoff) + ": " + failure);
        return new Continue();
    }

    private static void finish(Pipeline p, Instant now) {
        p.finish(now);
        p.event(now, null, p.status == PipelineStatus.READY ? EventType.READY : EventType.DELETED,
                p.status == PipelineStatus.READY ? "every resource is in place: clicks can be sent"
                        : "every resource is gone");
    }

    /** {@code initial × factor^(n−1)}, at most {@code max}. */
    static Duration grow(Duration initial, Duration max, double factor, int n) {
        double millis = initial.toMillis() * Math.pow(factor, Math.max(0, n - 1));
        return millis >= max.toMillis() ? max : Duration.ofMillis((long) millis);
    }

    private static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
