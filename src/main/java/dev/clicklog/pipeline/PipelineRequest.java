package dev.clicklog.pipeline;

import java.util.List;

/**
 * What a team asks for (POST /api/pipelines). Null fields take their defaults; validation and
 * defaults live in {@code PipelineSpec}, the one place the rules are written, shared by the REST
 * API and the web form.
 */
public record PipelineRequest(
        String name,
        String team,
        String description,
        Integer shards,
        Boolean onDemand,
        Integer retentionHours,
        Integer bufferSizeMb,
        Integer bufferIntervalSeconds,
        String compression,
        String s3Prefix,
        List<String> allowedOrigins,
        Boolean apiKeyRequired) {
}
