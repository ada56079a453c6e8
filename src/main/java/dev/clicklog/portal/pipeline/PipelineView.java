package dev.clicklog.portal.pipeline;

import java.time.Instant;
import java.util.List;

/**
 * A pipeline as the REST API and the pages show it: the spec, where it is in its life, the AWS
 * resources it owns, each provisioning step and the newest part of its history.
 */
public record PipelineView(
        /** Tagged on every resource the pipeline owns (clicklog:pipeline-id). */
        String pipelineId,
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
        /** The ingest API stage's throttling in effect (the portal's default unless the pipeline sets it). */
        int stageRateLimit,
        int stageBurstLimit,
        /** Whether the throttling is the pipeline's own (false: the portal's default). */
        boolean stageThrottleSet,
        /** What the team expects, for the cost estimate; null when not given. */
        Double expectedClicksPerSecond,
        PipelineStatus status,
        /** Whether its resources are to exist (PRESENT) or go (ABSENT: being deleted, or DELETED). */
        Pipeline.Target target,
        /** The spec's generation, bumped by every accepted change. */
        long generation,
        /** The generation every resource was last brought to; less than generation while a change is applied. */
        long observedGeneration,
        /** For a DELETED pipeline: its clicks KEPT, PURGED or ADOPTED; null while it lives. */
        Pipeline.Clicks clicks,
        /** Whether its teardown deletes its clicks too. */
        boolean purge,
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

    /** Its spec, with the stage throttling in effect. */
    public PipelineSpec spec() {
        return new PipelineSpec(name, team, description, shards, onDemand, retentionHours, bufferSizeMb,
                bufferIntervalSeconds, compression, s3Prefix, allowedOrigins, apiKeyRequired, stageRateLimit, stageBurstLimit,
                expectedClicksPerSecond);
    }

    /** The ETag of its spec: changes with every accepted change, as If-Match compares it. */
    public String etag() {
        return Pipeline.etag(createdAt, generation);
    }

    /** Whether all its resources exist and take clicks: READY, or UPDATING (changing in place). */
    public boolean live() {
        return status == PipelineStatus.READY || status == PipelineStatus.UPDATING;
    }

    /**
     * Whether its S3 objects can be listed: READY or changing, FAILED while a change was applied
     * (its resources still work), or DELETED with its clicks kept.
     */
    public boolean objectsAvailable() {
        return switch (status) {
            case READY, UPDATING -> true;
            case FAILED -> target == Pipeline.Target.PRESENT && observedGeneration > 0;
            case DELETED -> clicks == Pipeline.Clicks.KEPT;
            default -> false;
        };
    }

    /**
     * One step (IAM roles, stream, bucket, delivery stream, ingest API, access logs) of the current
     * operation — provisioning, teardown while DELETING, or the last check of a READY pipeline.
     * {@code detail} says what it waits for or found; after a failed attempt, {@code attemptBudget}
     * says how many attempts the step gets for that kind of failure.
     */
    public record Step(StepKind name, String title, StepState state, int attempts, String lastError, String detail,
            Instant nextAttemptAt, Instant updatedAt, Instant startedAt, Integer attemptBudget) {

        /** Whether an attempt failed and another one is coming. */
        public boolean retrying() {
            return attempts > 0 && (state == StepState.IN_PROGRESS || state == StepState.PENDING);
        }
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
