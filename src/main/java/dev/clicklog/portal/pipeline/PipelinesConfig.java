package dev.clicklog.portal.pipeline;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How pipelines are provisioned: the reconciler's pace and retries, and what every pipeline gets. */
@ConfigMapping(prefix = "clicklog.pipelines")
public interface PipelinesConfig {

    /** How often the reconciler looks for pipelines with work due (the safety net behind the immediate triggers). */
    @WithDefault("1s")
    Duration reconcileInterval();

    /** Reconcile passes run at the same time, each on a different pipeline. */
    @WithDefault("8")
    int workers();

    /**
     * How long a pass owns a pipeline without renewing its claim. A replica that dies holding a
     * claim delays that pipeline by at most this long; it must exceed the slowest single step.
     */
    @WithDefault("30s")
    Duration lease();

    /**
     * How often a READY pipeline's resources are checked again and repaired where they drifted
     * (the pipeline stays READY meanwhile).
     */
    @WithDefault("1h")
    Duration resyncInterval();

    /**
     * Whether every READY pipeline is checked again when the portal starts — which brings the
     * pipelines back after a restart in local mode, whose endpoint keeps nothing across restarts.
     */
    @WithDefault("true")
    boolean resyncAtStart();

    Backoff backoff();

    Poll poll();

    History history();

    /** One bucket for every pipeline (each under its own prefix) instead of a bucket per pipeline. */
    Optional<String> sharedBucket();

    /** Throttling of every method of a pipeline's API stage, unless the pipeline sets its own. */
    Throttle stage();

    UsagePlan usagePlan();

    AccessLogs accessLogs();
    Drain drain();

    /** Retries of a failed step: exponential backoff from initial to max. */
    interface Backoff {

        @WithDefault("500ms")
        Duration initial();

        @WithDefault("30s")
        Duration max();

        /** Attempts of a step whose error may go away (throttling, IAM propagation, 5xx) before the pipeline FAILS. */
        @WithDefault("8")
        int attempts();

        /** Attempts of a step whose error AWS calls permanent (a bad request) before the pipeline FAILS. */
        @WithDefault("2")
        int permanentAttempts();
    }

    /** A pipeline's history (its events). */
    interface History {

        /** The newest events a pipeline's view carries; the rest are a page away (GET …/events). */
        @WithDefault("50")
        int shown();

        /** Events kept per pipeline: the first (its request) and the newest; older ones are deleted. */
        @WithDefault("1000")
        int kept();
    }

    /** Waiting for AWS (a stream CREATING): polls start quick and slow down to max. */
    interface Poll {

        @WithDefault("100ms")
        Duration initial();

        @WithDefault("5s")
        Duration max();
    }

    interface Throttle {

        /** Requests per second, steady. */
        @WithDefault("1000")
        double rateLimit();

        /** Requests above the steady rate that may arrive at once. */
        @WithDefault("2000")
        int burstLimit();
    }

    /** The access logs of a pipeline's stage: what the gateway answered each request, refusals included. */
    interface AccessLogs {

        /**
         * Days the log group keeps them; one of CloudWatch Logs' values (1, 3, 5, 7, 14, 30, 60, 90,
         * 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653).
         */
        @WithDefault("14")
        int retentionDays();
    }

    /**
     * Deleting a pipeline: once its ingest API is closed, its delivery stream must deliver what it
     * holds before it and the stream go (see the bucket step's purge for the clicks themselves).
     */
    interface Drain {

        /** How long after the API closed Firehose gets to read the last clicks before the metrics are asked. */
        @WithDefault("5s")
        Duration grace();

        /** How long the portal waits for Firehose to deliver before the teardown fails (and keeps both streams). */
        @WithDefault("15m")
        Duration timeout();
    }

    /** Applies when a pipeline requires an API key: the key's plan throttles and caps its use. */
    interface UsagePlan {

        @WithDefault("500")
        double rateLimit();

        @WithDefault("1000")
        int burstLimit();

        /** Requests per day. */
        @WithDefault("10000000")
        int quotaPerDay();
    }
}
