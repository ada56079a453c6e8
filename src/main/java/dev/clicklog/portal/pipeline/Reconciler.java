package dev.clicklog.portal.pipeline;

import dev.clicklog.portal.pipeline.step.Changes;
import dev.clicklog.portal.pipeline.step.ProvisioningStep;
import dev.clicklog.portal.pipeline.step.StepContext;
import dev.clicklog.portal.pipeline.step.StepResult;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.enterprise.inject.Instance;
import jakarta.interceptor.Interceptor;

import org.jboss.logging.Logger;

import dev.clicklog.portal.adapter.Arns;
import dev.clicklog.portal.adapter.AwsException;
import dev.clicklog.portal.adapter.AwsFailure;
import dev.clicklog.portal.adapter.FeatureMissing;
import dev.clicklog.portal.adapter.ResourceNames;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * Drives every pipeline toward its target — every resource present (PROVISIONING → READY), or gone
 * (DELETING → DELETED) — one step at a time, durably: all state lives in the database, so any
 * replica can continue any pipeline after a crash or restart.
 *
 * <p>Work arrives two ways: right after a create/delete/retry commits (a CDI event observed after
 * success), and from a periodic tick that finds pipelines whose next attempt is due, which is also
 * how waits, backoffs and other replicas' abandoned work are picked up.
 *
 * <p>READY pipelines are checked again now and then (and at start-up), like a controller's resync:
 * the steps run once more and repair whatever drifted or disappeared, while the pipeline stays
 * READY. Only repairs (and checks that fail) enter the history.
 *
 * <p>A pass works on one pipeline and first claims it with a lease (a conditional UPDATE of the
 * pipeline row: only one pass anywhere can hold an unexpired lease). While its steps talk to AWS a
 * heartbeat keeps the lease fresh; a replica that dies stops renewing, and its pipelines are taken
 * over once the lease runs out. No database transaction stays open across an AWS call: each step
 * is started and recorded in short transactions of its own.
 */
@ApplicationScoped
public class Reconciler {

    private static final Logger LOG = Logger.getLogger(Reconciler.class);
    /** Steps one pass runs before giving other pipelines their turn. */
    private static final int STEPS_PER_PASS = 20;

    private final PipelineStore store;
    private final PipelinesConfig config;
    private final Arns arns;
    private final Map<StepKind, ProvisioningStep> steps = new EnumMap<>(StepKind.class);
    /** This process' name in lease_owner; with a pass counter it names each pass. */
    private final String instance = UUID.randomUUID().toString();
    private final AtomicLong passes = new AtomicLong();
    /** Pipelines queued or running here, so a pipeline is never queued twice in one process. */
    private final Set<Long> queued = ConcurrentHashMap.newKeySet();
    /** Leases held by running passes, renewed by the heartbeat. */
    private final Set<String> held = ConcurrentHashMap.newKeySet();
    /** Runs passes. */
    private volatile ThreadPoolExecutor executor;
    /** Runs the heartbeat and delayed passes; apart from the workers, so busy workers never starve it. */
    private volatile ScheduledThreadPoolExecutor timer;
    /** Set as shutdown begins: from then on nothing here starts to use the database. */
    private volatile boolean stopping;
    /** Held by each tick while it runs; the stop takes it, so it waits for a tick under way to end. */
    private final ReentrantReadWriteLock ticking = new ReentrantReadWriteLock();

    Reconciler(PipelineStore store, PipelinesConfig config, Arns arns, Instance<ProvisioningStep> steps) {
        this.store = store;
        this.config = config;
        this.arns = arns;
        steps.forEach(s -> this.steps.put(s.kind(), s));
    }

    void onStart(@Observes StartupEvent event) {
        start();
        timer.execute(() -> {
            try {
                int steps = store.checkCompletedStepsAgain(Instant.now());
                if (steps > 0) {
                    LOG.infof("reconciler: running %d completed steps of pipelines still provisioning again", steps);
                }
            } catch (RuntimeException e) {
                LOG.warnf(e, "reconciler: could not mark the completed steps of provisioning pipelines");
            }
        });
        if (config.resyncAtStart()) {
            // In the background: the portal serves meanwhile, and the next tick finds the pipelines due.
            timer.execute(() -> {
                try {
                    int ready = store.resyncAll();
                    if (ready > 0) {
                        LOG.infof("reconciler: checking the resources of %d READY pipelines again", ready);
                    }
                } catch (RuntimeException e) {
                    if (!stopping) {
                        LOG.warnf(e, "reconciler: could not mark the READY pipelines for a check");
                    }
                }
            });
        }
    }

    /** Starts the worker pool and the lease heartbeat. */
    synchronized void start() {
        if (executor != null) {
            return;
        }
        AtomicInteger threads = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "reconciler-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        executor = new ThreadPoolExecutor(config.workers(), config.workers(), 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), factory);
        timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "reconciler-timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        long beat = Math.max(100, config.lease().toMillis() / 3);
        timer.scheduleWithFixedDelay(this::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
    }

    /**
     * Stops first thing at shutdown, while the database is still there: the beans (the datasource
     * among them) are destroyed only after every ShutdownEvent observer returned, and the
     * scheduler's ticks go on until its own bean is destroyed.
     */
    void onStop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        stop();
    }

    /**
     * Stops taking work and waits for what runs: a tick under way, and passes, which end after
     * their current step and release their leases. A pass still talking to AWS after the wait is
     * interrupted; its step runs again at the next start.
     */
    @PreDestroy
    synchronized void stop() {
        stopping = true;
        ticking.writeLock().lock();
        ticking.writeLock().unlock();
        ThreadPoolExecutor e = executor;
        if (e == null) {
            return;
        }
        e.shutdown();
        awaitEnd(e, 10);
        // The heartbeat last: the passes still running kept their leases fresh until they ended.
        timer.shutdownNow();
        awaitEnd(timer, 5);
        executor = null;
        timer = null;
    }

    private static void awaitEnd(ThreadPoolExecutor e, int seconds) {
        try {
            if (!e.awaitTermination(seconds, TimeUnit.SECONDS)) {
                e.shutdownNow();
                e.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            e.shutdownNow();
        }
    }

    /** The safety net: finds every pipeline with work due that no one is working on. */
    @Scheduled(every = "${clicklog.pipelines.reconcile-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        if (!ticking.readLock().tryLock()) {
            return;
        }
        try {
            if (stopping || executor == null) {
                return;
            }
            store.due(Instant.now(), config.workers() * 16).forEach(this::submit);
        } catch (RuntimeException e) {
            LOG.warnf(e, "reconciler: could not look for due pipelines");
        } finally {
            ticking.readLock().unlock();
        }
    }

    /** A feature every pipeline uses was found missing at the endpoint: each live pipeline notes it. */
    void onFeatureMissing(@Observes FeatureMissing missing) {
        if (missing.finding().feature().endpointWide() && !stopping) {
            store.noteEverywhere(missing.finding());
        }
    }

    /** Starts work on a pipeline as soon as the transaction that changed it has committed. */
    void onChange(@Observes(during = TransactionPhase.AFTER_SUCCESS) PipelineChanged change) {
        submit(change.pipelineId());
    }

    /** Queues a pass over the pipeline unless one is queued or running here already. */
    public void submit(long pipelineId) {
        ThreadPoolExecutor e = executor;
        if (e == null || e.isShutdown() || !queued.add(pipelineId)) {
            return;
        }
        try {
            e.execute(() -> {
                Instant later;
                try {
                    later = pass(pipelineId);
                } finally {
                    queued.remove(pipelineId);
                }
                if (later != null) {
                    schedule(pipelineId, later);
                }
            });
        } catch (RuntimeException rejected) {
            queued.remove(pipelineId);
        }
    }

    private void schedule(long pipelineId, Instant at) {
        ScheduledThreadPoolExecutor e = timer;
        if (e == null || e.isShutdown()) {
            return;
        }
        long delay = Math.max(0, Duration.between(Instant.now(), at).toMillis());
        try {
            e.schedule(() -> submit(pipelineId), delay, TimeUnit.MILLISECONDS);
        } catch (RuntimeException rejected) {
            // shutting down: the next start-up's tick finds the pipeline
        }
    }

    /** Runs the pipeline's steps until it waits, fails, finishes or has had its turn; returns when to look again. */
    Instant pass(long pipelineId) {
        String owner = instance + "/" + passes.incrementAndGet();
        if (!store.claim(pipelineId, owner, Instant.now())) {
            return null;
        }
        held.add(owner);
        try {
            for (int i = 0; i < STEPS_PER_PASS && !stopping; i++) {
                PipelineStore.Next next = store.begin(pipelineId, owner, Instant.now());
                if (next instanceof PipelineStore.Run run) {
                    Changes changes = new Changes();
                    StepResult result = run(run.work(), changes);
                    next = store.record(owner, run.work(), result, changes, Instant.now());
                }
                if (next instanceof PipelineStore.Later later) {
                    return later.at();
                }
                if (next instanceof PipelineStore.Idle) {
                    return null;
                }
            }
            return stopping ? null : Instant.now();
        } catch (LeaseLostException e) {
            LOG.warn(e.getMessage());
            return null;
        } catch (RuntimeException e) {
            if (stopping) {
                LOG.infof("reconciler: pass over pipeline %d ended by the shutdown (%s)", pipelineId, e);
                return null;
            }
            // The database, not AWS, failed. Nothing half-recorded: every step is safe to run again.
            LOG.errorf(e, "reconciler: pass over pipeline %d failed", pipelineId);
            return Instant.now().plus(config.backoff().initial());
        } finally {
            held.remove(owner);
            try {
                store.release(pipelineId, owner);
            } catch (RuntimeException e) {
                if (stopping) {
                    LOG.infof("reconciler: pipeline %d not released at shutdown; its lease will run out", pipelineId);
                } else {
                    LOG.warnf(e, "reconciler: could not release pipeline %d; its lease will run out", pipelineId);
                }
            }
        }
    }

    private StepResult run(PipelineStore.Work work, Changes changes) {
        ProvisioningStep step = steps.get(work.step());
        try {
            StepContext context = new StepContext(work.spec(), names(work.spec()), work.resources(), changes,
                    work.owner(), work.creating(), work.checking(), work.purge(), work.ingestClosedAt(), work.created());
            return work.target() == Pipeline.Target.PRESENT ? step.apply(context) : step.remove(context);
        } catch (AwsException e) {
            return new StepResult.Failed(e.failure(), PipelineResources.NONE);
        } catch (RuntimeException e) {
            if (stopping) {
                LOG.infof("reconciler: step %s of pipeline %s ended by the shutdown (%s)", work.step(),
                        work.spec().name(), e);
            } else {
                LOG.errorf(e, "reconciler: step %s of pipeline %s failed", work.step(), work.spec().name());
            }
            return new StepResult.Failed(new AwsFailure(AwsFailure.Kind.PERMANENT, e.getClass().getSimpleName(),
                    String.valueOf(e.getMessage())), PipelineResources.NONE);
        }
    }

    /** The names of the pipeline's resources (the one derivation, see {@link ResourceNames}). */
    ResourceNames names(PipelineSpec spec) {
        return ResourceNames.of(spec.name(), arns.account(), config.sharedBucket());
    }

    private void heartbeat() {
        try {
            store.renew(List.copyOf(held), Instant.now());
        } catch (RuntimeException e) {
            if (!stopping) {
                LOG.warnf(e, "reconciler: could not renew leases");
            }
        }
    }
}
