package dev.clicklog.pipeline;

import java.time.Instant;
import java.util.List;

/** A pipeline as the REST API and the pages show it: the spec, the observed state and the history. */
public record PipelineView(
        String name,
        String team,
        String description,
        Integer shards,
        boolean onDemand,
        int retentionHours,
        int bufferSizeMb,
        int bufferIntervalSeconds,
        String compression,
        String s3Prefix,
        List<String> allowedOrigins,
        boolean apiKeyRequired,
        PipelineStatus status,
        String invokeUrl,
        /** The API key's value when apiKeyRequired (clients must send it as x-api-key). */
        String apiKey,
        PipelineResources resources,
        List<Step> steps,
        List<Event> events,
        Instant createdAt,
        Instant updatedAt) {

    /** One provisioning step (IAM roles, stream, bucket, delivery stream, ingest API). */
    public record Step(String name, String state, int attempts, String lastError, Instant updatedAt) {
    }

    /** One entry of the pipeline's history. */
    public record Event(Instant at, String step, String type, String message) {
    }
}
