package dev.clicklog.portal.pipeline;

import dev.clicklog.portal.pipeline.step.Changes;
import dev.clicklog.portal.pipeline.step.StepResult;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import dev.clicklog.portal.adapter.AwsFailure;
import dev.clicklog.portal.adapter.EndpointCapabilities;
import dev.clicklog.portal.adapter.ResourceTags;

/**
 * The reconciler's short transactions: claiming and releasing pipelines, starting a step and
 * recording its result. AWS calls happen between them, never inside one.
 */
@ApplicationScoped
class PipelineStore {

    /**
     * One run of one step, with everything the step needs, read in the transaction that started it:
     * the spec of {@code generation}, whose resources are the pipeline's ({@code owner}), whether it
     * is being created (never READY yet) or checked, whether teardown purges its clicks, when the
     * ingest API closed (teardown; null before), and whether the step's own create made its resource.
     */
    record Work(long pipelineId, Pipeline.Target target, StepKind step, PipelineSpec spec, long generation,
            ResourceTags.Owner owner, boolean creating, boolean checking, boolean purge, Instant ingestClosedAt,
            PipelineResources resources, boolean created) {
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
    private final EndpointCapabilities capabilities;

    PipelineStore(PipelinesConfig config, EndpointCapabilities capabilities) {
        this.config = config;
        this.capabilities = capabilities;
    }

    /**
     * Pipelines with work due (provisioning, teardown, a check under way, or READY ones to check
     * again) and nobody working on them, the longest waiting first.
     *
     * <p>Plain SQL (the same on H2 and PostgreSQL), as is {@link #resyncAll}: both run as the portal
     * starts, where parsing them as HQL took the CPU of a second of the start-up.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    @SuppressWarnings("unchecked")
    List<Long> due(Instant now, int limit) {
        List<Number> ids = Pipeline.getEntityManager().createNativeQuery("""
                select id from pipeline
                where (((status in ('PROVISIONING', 'UPDATING', 'DELETING') or (status = 'READY' and check_started_at is not null))
                            and (next_attempt_at is null or next_attempt_at <= :now))
                        or (status = 'READY' and check_started_at is null and (checked_at is null or checked_at < :stale)))
                  and (lease_until is null or lease_until < :now)
                order by next_attempt_at nulls first, id""")
                .setParameter("now", now)
                .setParameter("stale", now.minus(config.resyncInterval()))
                .setMaxResults(limit)
                .getResultList();
        return ids.stream().map(Number::longValue).toList();
    }

    /**
     * Has every READY pipeline checked again soon (at start-up). A check that was under way starts
     * over: what it had found before the restart may no longer hold (an endpoint may have lost it).
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    int resyncAll() {
        return Pipeline.getEntityManager().createNativeQuery(
                "update pipeline set checked_at = null, check_started_at = null where status = 'READY'").executeUpdate();
    }

    /**
     * At start-up: the completed steps of pipelines still provisioning run again, before the steps
     * after them. No portal watched their resources while it was down, and an endpoint may have lost
     * them (localaws keeping nothing, or restarted empty); a step whose resources are all there only
     * looks at them. Plain SQL, as {@link #resyncAll}.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    int checkCompletedStepsAgain(Instant now) {
        var em = Pipeline.getEntityManager();
        int steps = em.createNativeQuery("""
                update pipeline_step set state = 'PENDING', attempts = 0, polls = 0, recreated = false,
                    detail = :detail, last_error = null, next_attempt_at = null, updated_at = :now, started_at = null,
                    attempt_budget = null
                where state = 'DONE' and pipeline_id in (select id from pipeline where status = 'PROVISIONING')""")
                .setParameter("detail", PipelineStep.CHECK_AGAIN + "the portal restarted while provisioning")
                .setParameter("now", now)
                .executeUpdate();
        if (steps > 0) {
            em.createNativeQuery("update pipeline set next_attempt_at = null where status = 'PROVISIONING'").executeUpdate();
        }
        return steps;
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

    /**
     * Reads the pipeline's next runnable step and marks it started (starting a check of a READY
     * pipeline when one is due); or says when, or that there is nothing to do.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    Next begin(long id, String owner, Instant now) {
        Pipeline p = Pipeline.findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (p == null || !owner.equals(p.leaseOwner)) {
            return new Idle();
        }
        if (p.checkDue(now, config.resyncInterval())) {
            // No event: a check enters the history only if it repairs something or fails.
            p.startCheck(now);
        }
        Next next = plan(p, now);
        pruneHistory(p);
        return next;
    }

    private Next plan(Pipeline p, Instant now) {
        if (!p.working()) {
            return new Idle();
        }
        if (p.allStepsSettled()) {
            finish(p, now);
            return new Idle();
        }
        PipelineStep step = p.runnableStep(now).orElse(null);
        if (step == null) {
            p.scheduleNextAttempt();
            return new Later(p.nextAttemptAt != null ? p.nextAttemptAt : now.plus(config.poll().initial()));
        }
        if (step.state == StepState.PENDING) {
            String verb = p.target == Pipeline.Target.ABSENT ? "deleting "
                    : p.status == PipelineStatus.UPDATING ? "updating " : "creating ";
            String started = step.checkingAgain()
                    ? "checking " + step.kind.title() + " again: " + step.detail.substring(PipelineStep.CHECK_AGAIN.length())
                    : verb + step.kind.title();
            step.state = StepState.IN_PROGRESS;
            step.updatedAt = now;
            step.startedAt = now;
            if (!p.checking()) {
                p.event(now, step.kind, EventType.STARTED, started);
            }
        }
        ResourceTags.Owner owner = new ResourceTags.Owner(p.name, p.team, p.pipelineId, p.adoptsUntagged);
        return new Run(new Work(p.id, p.target, step.kind, p.spec(), p.generation, owner, !p.everReady(), p.checking(), p.purge,
                p.ingestClosedAt, p.resources(), step.created));
    }

    /**
     * Records a step's result — and, in a check, what it repaired ({@code changes}) — and says what
     * the pass does next.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    Next record(String owner, Work work, StepResult result, Changes changes, Instant now) {
        Pipeline p = Pipeline.findById(work.pipelineId(), LockModeType.PESSIMISTIC_WRITE);
        if (p == null || !owner.equals(p.leaseOwner)) {
            throw new LeaseLostException(work.pipelineId(), owner);
        }
        p.record(result.found());
        PipelineStep step = p.step(work.step());
        // A fact about AWS, whatever became of the plan meanwhile: the step's own create made its
        // resource, the pipeline's until it carries the pipeline's tags (a later one of its name is not).
        step.created = (step.created || changes.created()) && !changes.tagged();
        if (p.target != work.target() || p.generation != work.generation() || !p.working()
                || step.state != StepState.IN_PROGRESS) {
            // A change, delete or retry changed the plan while the step ran: what it found is kept, the rest re-planned.
            return new Continue();
        }
        Instant attemptStarted = step.updatedAt;
        step.updatedAt = now;
        if (work.target() == Pipeline.Target.PRESENT) {
            Degradations.stepRan(p, step.kind, changes.skipped(), result instanceof StepResult.Done, now);
        }
        if (work.target() == Pipeline.Target.PRESENT && changes.foundMissing()) {
            // Steps that need this one may have failed for want of what was just found missing: fresh budgets.
            p.steps.stream().filter(o -> o.kind.needs().contains(step.kind) && o.state != StepState.DONE)
                    .forEach(o -> o.attempts = 0);
        }
        if (p.checking()) {
            repaired(p, step, changes, now);
        } else {
            p.updatedAt = now;
            if (p.status == PipelineStatus.UPDATING && !changes.none()) {
                p.event(now, step.kind, EventType.CHANGED, String.join("; ", changes.list()));
            }
        }
        if (work.target() == Pipeline.Target.ABSENT && work.step() == StepKind.INGEST_API
                && result instanceof StepResult.Done && p.ingestClosedAt == null) {
            // Nothing is accepted any more: from now on Firehose only has to deliver what it holds.
            p.ingestClosedAt = now;
        }
        Next next;
        if (result instanceof StepResult.Done done) {
            next = succeeded(p, step, done, now);
        } else if (result instanceof StepResult.Wait wait) {
            next = waiting(p, step, wait, now);
        } else {
            next = failed(p, step, ((StepResult.Failed) result).failure(), now, attemptStarted);
        }
        pruneHistory(p);
        return next;
    }

    /**
     * In a check: what the step changed is a repair, worth a line in the history — except what
     * completes a resource the check created again (encrypting the new stream), which that line
     * said already. A resource found missing makes the step's failures fail the pipeline.
     */
    private static void repaired(Pipeline p, PipelineStep step, Changes changes, Instant now) {
        boolean completing = step.recreated;
        step.recreated |= changes.foundMissing();
        if (changes.none() || completing) {
            return;
        }
        p.event(now, step.kind, EventType.REPAIRED, "repaired: " + String.join("; ", changes.list()));
    }

    private Next succeeded(Pipeline p, PipelineStep step, StepResult.Done done, Instant now) {
        step.state = StepState.DONE;
        if (p.target == Pipeline.Target.ABSENT) {
            // Teardown is done with the resource: a later one of its name is made anew.
            step.created = false;
        }
        step.polls = 0;
        step.detail = PipelineStep.clip(done.message());
        step.nextAttemptAt = null;
        p.scheduleNextAttempt();
        if (!p.checking()) {
            p.event(now, step.kind, EventType.SUCCEEDED, done.message());
        }
        if (p.allStepsSettled()) {
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
            if (!p.checking()) {
                p.event(now, step.kind, EventType.WAITING, wait.why());
            }
        }
        step.detail = PipelineStep.clip(wait.why());
        step.nextAttemptAt = now.plus(grow(config.poll().initial(), config.poll().max(), 1.5, step.polls));
        p.scheduleNextAttempt();
        return new Continue();
    }

    /**
     * A failed attempt: retried within the failure's budget. In provisioning, the first failure and
     * the last within the budget first have the completed steps this one needs run again (a resource
     * of theirs may have vanished), and the step is tried once more after them. Beyond the budget,
     * provisioning and teardown fail the pipeline. So does a check whose step had to create its resource again (the pipeline
     * does not work without it); any other failing check leaves the pipeline READY, its resources
     * as they were, with the error on the step and in the history, and the other steps are still checked.
     */
    private Next failed(Pipeline p, PipelineStep step, AwsFailure failure, Instant now, Instant attemptStarted) {
        step.attempts++;
        step.lastError = PipelineStep.clip(failure.toString());
        // A resource the pipeline does not own: retrying cannot help, and a check must not look away either.
        boolean foreign = failure.kind() == AwsFailure.Kind.FOREIGN;
        int budget = foreign ? 1 : failure.retryable() ? config.backoff().attempts() : config.backoff().permanentAttempts();
        step.attemptBudget = budget;
        String attempts = step.attempts + " attempt" + (step.attempts == 1 ? "" : "s");
        boolean quietCheck = p.checking() && !step.recreated && !foreign;
        // The failure may come from a resource of a completed step that has vanished (the stream a
        // delivery stream reads, the role it assumes): that step runs again first, creating it again
        // if so, and this one is tried once more after it. So a vanished resource never fails a pipeline.
        List<PipelineStep> again = p.target == Pipeline.Target.PRESENT && !p.checking() && !foreign
                && (step.attempts == 1 || step.attempts >= budget)
                        ? p.steps.stream().filter(o -> step.kind.needs().contains(o.kind) && o.state == StepState.DONE
                                && o.updatedAt.isBefore(attemptStarted)).toList()
                        : List.of();
        again.forEach(o -> o.checkAgain(now, step.kind.title() + " failed: " + failure));
        if (step.attempts >= budget && again.isEmpty()) {
            step.state = StepState.FAILED;
            step.nextAttemptAt = null;
            if (quietCheck) {
                step.detail = PipelineStep.clip("check failed; its resources were left as they were");
                p.scheduleNextAttempt();
                p.event(now, step.kind, EventType.CHECK_FAILED, "could not check the " + step.kind.title() + " ("
                        + attempts + "), the pipeline stays READY: " + failure);
                if (p.allStepsSettled()) {
                    finish(p, now);
                    return new Idle();
                }
                return new Continue();
            }
            p.fail(now);
            p.event(now, step.kind, EventType.FAILED, "failed after " + attempts + ": " + failure);
            return new Idle();
        }
        Duration backoff = grow(config.backoff().initial(), config.backoff().max(), 2, step.attempts);
        step.nextAttemptAt = now.plus(backoff);
        p.scheduleNextAttempt();
        if (!quietCheck) {
            p.event(now, step.kind, EventType.RETRYING, "attempt " + step.attempts + " of " + budget
                    + " failed, retrying in " + seconds(backoff) + (again.isEmpty() ? "" : " once "
                            + again.stream().map(o -> o.kind.title()).collect(Collectors.joining(", "))
                            + (again.size() == 1 ? " is" : " are") + " checked again") + ": " + failure);
        }
        return new Continue();
    }

    /** Ends the operation; a check ends quietly (its repairs and failures are in the history already). */
    private void finish(Pipeline p, Instant now) {
        boolean check = p.checking();
        if (p.target == Pipeline.Target.PRESENT) {
            Degradations.endpointWide(p, capabilities, now);
        }
        p.finish(now);
        if (p.status == PipelineStatus.DELETED) {
            PipelineNote.clear(p.id);
        }
        if (check) {
            return;
        }
        if (p.status == PipelineStatus.READY) {
            p.event(now, null, EventType.READY, p.generation > 1 ? "generation " + p.generation
                    + " applied: every resource is as specified" : "every resource is in place: clicks can be sent");
        } else {
            p.event(now, null, EventType.DELETED, p.clicks == Pipeline.Clicks.KEPT
                    ? "every resource is gone but the clicks, which are kept" + p.clicksAt()
                    : "every resource is gone, and the clicks it wrote");
        }
    }

    /**
     * Notes on every live pipeline that it goes without a feature its endpoint was just found not
     * to serve (one no step provides, like metrics, so no step would notice).
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    void noteEverywhere(EndpointCapabilities.Finding missing) {
        Instant now = Instant.now();
        List<Pipeline> live = Pipeline.list("target = ?1 and status <> ?2", Pipeline.Target.PRESENT, PipelineStatus.DELETED);
        for (Pipeline p : live) {
            Degradations.note(p, PipelineNote.of(p.id), null, missing.feature(),
                    missing.reason(), missing.suggestion(), now);
            pruneHistory(p);
        }
    }

    /** Keeps the history bounded once it grew; under the pipeline's row lock, so no two passes prune at once. */
    private void pruneHistory(Pipeline p) {
        if (p.historyGrew) {
            Pipeline.flush();
            PipelineEvent.prune(p.id, config.history().kept());
            p.historyGrew = false;
        }
    }

    /** {@code initial × factor^(n−1)}, at most {@code max}. */
    static Duration grow(Duration initial, Duration max, double factor, int n) {
        double millis = initial.toMillis() * Math.pow(factor, Math.max(0, n - 1));
        return millis >= max.toMillis() ? max : Duration.ofMillis((long) millis);
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
