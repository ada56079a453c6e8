package dev.clicklog.portal.pipeline;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What a team asks for (POST /api/pipelines). Null fields take their defaults; validation and
 * defaults live in {@link PipelineSpec}, the one place the rules are written, shared by the REST
 * API and the web form.
 */
@Schema(description = "A pipeline request; everything but name and team is optional")
public record PipelineRequest(
        @Schema(required = true, examples = "checkout-clicks",
                description = "3–40 lowercase letters, digits and hyphens, starting with a letter and ending with a "
                        + "letter or digit; every AWS resource is named after it")
        String name,
        @Schema(required = true, examples = "web-shop", description = "The owning team; tagged on every resource")
        String team,
        @Schema(description = "Free text, at most 500 characters")
        String description,
        @Schema(description = "Provisioned shards, 1–64 (default 1); leave out when onDemand")
        Integer shards,
        @Schema(description = "On-demand capacity instead of shards (default false)")
        Boolean onDemand,
        @Schema(description = "How long Kinesis keeps records, 24–8760 hours (default 24)")
        Integer retentionHours,
        @Schema(description = "Firehose writes an object when this many MB are buffered, 1–128 (default 5)")
        Integer bufferSizeMb,
        @Schema(description = "… or when this many seconds have passed, 0–900 (default 60)")
        Integer bufferIntervalSeconds,
        @Schema(enumeration = { "NONE", "GZIP" }, description = "Compression of the S3 objects (default NONE)")
        String compression,
        @Schema(examples = "clicks/", description = "Key prefix in S3, folder names ending with '/' (default clicks/); "
                + "objects land under <prefix>year=YYYY/month=MM/day=DD/")
        String s3Prefix,
        @Schema(description = "Origins browsers may send clicks from: * (default) or up to 10 like https://shop.example")
        List<String> allowedOrigins,
        @Schema(description = "Require an x-api-key header on every click (default false); the key is in the "
                + "pipeline's resources")
        Boolean apiKeyRequired,
        @Schema(description = "Requests per second the ingest API's stage takes steadily, 1–10000 "
                + "(default: the portal's, clicklog.pipelines.stage.rate-limit)")
        Integer stageRateLimit,
        @Schema(description = "Requests above the steady rate the stage takes at once, 1–5000 "
                + "(default: the portal's, clicklog.pipelines.stage.burst-limit)")
        Integer stageBurstLimit,
        @Schema(description = "Clicks per second the team expects, 0–1000000; used for the cost estimate until "
                + "clicks are measured")
        Double expectedClicksPerSecond) {

    /** A request of the fields that existed before the ingest API's throttling and the expected rate could be asked for. */
    public PipelineRequest(String name, String team, String description, Integer shards, Boolean onDemand,
            Integer retentionHours, Integer bufferSizeMb, Integer bufferIntervalSeconds, String compression,
            String s3Prefix, List<String> allowedOrigins, Boolean apiKeyRequired) {
        this(name, team, description, shards, onDemand, retentionHours, bufferSizeMb, bufferIntervalSeconds,
                compression, s3Prefix, allowedOrigins, apiKeyRequired, null, null, null);
    }
}
