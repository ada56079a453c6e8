package dev.clicklog.pipeline;

import java.time.Instant;
import java.util.List;

/**
 * A pipeline as the REST API and the pages show it: the spec, where it is in its life, the AWS
 * resources it owns, each provisioning step and the history.
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
        List<Step> steps,
        List<Event> events,
        Instant createdAt,
        Instant updatedAt) {

    /**
     * One step (IAM roles, stream, bucket, delivery stream, ingest API) of the current operation —
     * provisioning, or teardown while DELETING. {@code detail} says what it waits for.
     */
    public record Step(StepKind name, String title, StepState state, int attempts, String lastError, String detail,
            Instant nextAttemptAt, Instant updatedAt) {
    }

    /** One entry of the pipeline's history; {@code step} is null for the pipeline as a whole. */
    public record Event(Instant at, StepKind step, EventType type, String message) {
    }
}
