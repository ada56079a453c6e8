package dev.clicklog.portal.pipeline;

import java.time.Instant;
import java.util.List;

/**
 * A pipeline as the REST API and the pages show it: the spec, where it is in its life, the AWS
 * resources it owns, each provisioning step and the newest part of its history.
 */
public record PipelineView(
        String name,
        String team,
        String description,
        /** Null when onDemand. */
        Integer shards,
        boolean onDemand,
        int retentionHours,
        int bufferSizeMb,
        int bufferIntervalSeconds,
        Compression compression,
        String s3Prefix,
        List<String> allowedOrigins,
        boolean apiKeyRequired,
        PipelineStatus status,
        /** Where clients PUT clicks; null until the API is deployed. */
        String invokeUrl,
        PipelineResources resources,
        /** The ARNs of the resources known by id or name only (REST API, bucket, API key, usage plan). */
        ResourceArns arns,
        List<Step> steps,
        /** The newest events, oldest first; {@code eventCount} says how many there are in all. */
        List<Event> events,
        long eventCount,
        Instant createdAt,
        Instant updatedAt,
        /** When its resources were last checked (at READY, then now and then); null before. */
        Instant lastCheckedAt,
        /** When the check under way began; null when none is. */
        Instant checkingSince,
        /**
         * Whether it goes without an optional feature its endpoint does not serve. A flag, not a
         * status: a degraded pipeline is READY, and works, without that feature.
         */
        boolean degraded,
        /** What it goes without, and why. */
        List<Degradation> degradations) {

    /**
     * One step (IAM roles, stream, bucket, delivery stream, ingest API) of the current operation —
     * provisioning, teardown while DELETING, or the last check of a READY pipeline. {@code detail}
     * says what it waits for or found.
     */
    public record Step(StepKind name, String title, StepState state, int attempts, String lastError, String detail,
            Instant nextAttemptAt, Instant updatedAt) {
    }

    /**
     * An optional feature the pipeline goes without: {@code feature} its name
     * (GATEWAY_RESPONSES, STREAM_ENCRYPTION, METRICS, …), {@code without} what the pipeline lacks,
     * {@code reason} the endpoint's answer, {@code suggestion} the setting that would help (null when
     * none does). {@code step} is null for a feature of the pipeline as a whole.
     */
    public record Degradation(String feature, String title, StepKind step, String without, String reason,
            String suggestion, Instant since) {
    }

    /**
     * One entry of the pipeline's history; {@code step} is null for the pipeline as a whole, {@code actor}
     * names who asked for it (null: the portal's own work). The id orders the history and pages
     * through it ({@code before}).
     */
    public record Event(long id, Instant at, StepKind step, EventType type, String message, String actor) {
    }
}
