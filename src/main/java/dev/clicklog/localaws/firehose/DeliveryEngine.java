package dev.clicklog.localaws.firehose;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Reception;

import org.jboss.logging.Logger;

import dev.clicklog.localaws.LocalAwsConfig;
import dev.clicklog.localaws.spi.RoleAccess;
import io.quarkus.runtime.ShutdownEvent;

/**
 * Runs every delivery stream's {@link Delivery} on a few shared worker threads (never the Vert.x
 * event loop: S3 writes go to disk), one periodic step per delivery stream rather than a thread per
 * shard, so hundreds of delivery streams cost a few threads. Stops a delivery when its stream is
 * gone, and flushes what is buffered when the app shuts down.
 */
@ApplicationScoped
class DeliveryEngine {

    private static final Logger LOG = Logger.getLogger(DeliveryEngine.class);
    private static final Duration SHUTDOWN_FLUSH_TIMEOUT = Duration.ofSeconds(5);

    private final LocalAwsConfig.Firehose config;
    private final KinesisWireClient kinesis;
    private final S3WireClient s3;
    private final FirehoseMetrics metrics;
    private final RoleAccess iam;
    private final String account;
    private final Clock clock = Clock.systemUTC();
    private final ScheduledThreadPoolExecutor workers;
    private final Map<Delivery, ScheduledFuture<?>> running = new ConcurrentHashMap<>();

    DeliveryEngine(LocalAwsConfig config, KinesisWireClient kinesis, S3WireClient s3, FirehoseMetrics metrics,
            RoleAccess iam) {
        this.config = config.firehose();
        this.kinesis = kinesis;
        this.s3 = s3;
        this.metrics = metrics;
        this.iam = iam;
        this.account = config.accountId();
        this.workers = new ScheduledThreadPoolExecutor(Math.max(1, this.config.deliveryThreads()), daemonThreads());
        this.workers.setRemoveOnCancelPolicy(true);
    }

    Clock clock() {
        return clock;
    }

    /**
     * Starts delivering for a delivery stream (new, or back after a restart: then from its
     * checkpoints, the object it was writing first); steps begin at once and wait for it to be ACTIVE.
     */
    Delivery start(DeliveryStream stream, Delivery.Ledger ledger) {
        DeliveryAccess access = new DeliveryAccess(iam, stream, account);
        KinesisShardReader reader = stream.source() == null ? null
                : new KinesisShardReader(kinesis, access, stream.source().streamName(), stream.created(),
                        stream.checkpoints());
        Delivery delivery = new Delivery(stream, reader, s3, access, metrics, config.retryInterval(), clock, ledger);
        long period = Math.max(1, config.pollInterval().toMillis());
        running.put(delivery, workers.scheduleWithFixedDelay(delivery, 0, period, TimeUnit.MILLISECONDS));
        return delivery;
    }

    /** Stops a deleted delivery stream's delivery; what it still buffers is dropped, as on AWS. */
    void stop(Delivery delivery) {
        ScheduledFuture<?> future = running.remove(delivery);
        if (future != null) {
            future.cancel(false);
        }
    }

    /** Runs an action once after a delay, on the worker threads (a deleted stream's removal). */
    void after(Duration delay, Runnable action) {
        workers.schedule(action, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
    }

    /**
     * Before the beans go away (S3's among them): stop stepping and write what every delivery
     * buffers. Only when the engine exists; shutting down must not create it.
     */
    void onShutdown(@Observes(notifyObserver = Reception.IF_EXISTS) ShutdownEvent event) {
        running.values().forEach(f -> f.cancel(false));
        long deadline = System.nanoTime() + SHUTDOWN_FLUSH_TIMEOUT.toNanos();
        for (Delivery delivery : running.keySet()) {
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            try {
                delivery.flush(left);
            } catch (RuntimeException e) {
                LOG.debugf(e, "firehose: flushing %s at shutdown failed", delivery.stream().name());
            }
        }
        running.clear();
        workers.shutdown();
    }

    @PreDestroy
    void close() {
        // Steps are short: let a running one end rather than interrupt it in the middle of its I/O.
        workers.shutdown();
        try {
            if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "localaws-firehose-delivery-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
