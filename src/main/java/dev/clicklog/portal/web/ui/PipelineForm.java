package dev.clicklog.portal.web.ui;

import java.util.Arrays;
import java.util.List;

import org.jboss.resteasy.reactive.RestForm;

import dev.clicklog.portal.pipeline.Compression;
import dev.clicklog.portal.pipeline.PipelineRequest;
import dev.clicklog.portal.pipeline.PipelineSpec;
import dev.clicklog.portal.pipeline.PipelineView;
import io.quarkus.qute.TemplateData;

/**
 * The pipeline form as the browser posts it — to request a pipeline, or to change one (the Edit
 * page, where name, team and S3 prefix are shown but cannot change): every field as typed, so a form
 * with errors is shown again exactly as it was. {@link #toRequest} turns it into the REST API's
 * request; the rules themselves are {@link PipelineSpec}'s, and so are the limits the form states
 * ({@code {spec:MAX_SHARDS}}).
 */
@TemplateData(target = PipelineSpec.class, namespace = "spec")
public record PipelineForm(
        @RestForm String name,
        @RestForm String team,
        @RestForm String description,
        /** {@code shards} or {@code onDemand}. */
        @RestForm String capacity,
        @RestForm String shards,
        @RestForm String retentionHours,
        @RestForm String bufferSizeMb,
        @RestForm String bufferIntervalSeconds,
        @RestForm String compression,
        @RestForm String s3Prefix,
        /** One origin a line (commas work too). */
        @RestForm String allowedOrigins,
        @RestForm String apiKeyRequired,
        /** Empty: the portal's default throttling. */
        @RestForm String stageRateLimit,
        @RestForm String stageBurstLimit,
        @RestForm String expectedClicksPerSecond,
        /** The ETag the Edit page was shown with (If-Match of the change). */
        @RestForm String etag) {

    public static final String ON_DEMAND = "onDemand";
    public static final String PROVISIONED = "shards";

    /** A fresh form, showing the defaults a request without those fields gets. */
    public static PipelineForm defaults() {
        return new PipelineForm("", "", "", PROVISIONED, String.valueOf(PipelineSpec.DEFAULT_SHARDS),
                String.valueOf(PipelineSpec.MIN_RETENTION_HOURS), String.valueOf(PipelineSpec.DEFAULT_BUFFER_MB),
                String.valueOf(PipelineSpec.DEFAULT_BUFFER_SECONDS), Compression.NONE.name(),
                PipelineSpec.DEFAULT_S3_PREFIX, PipelineSpec.ANY_ORIGIN, null, "", "", "", null);
    }

    /** The form of an existing pipeline, as it is, for the Edit page. */
    public static PipelineForm of(PipelineView p) {
        return new PipelineForm(p.name(), p.team(), p.description() == null ? "" : p.description(),
                p.onDemand() ? ON_DEMAND : PROVISIONED, p.shards() == null ? "" : String.valueOf(p.shards()),
                String.valueOf(p.retentionHours()), String.valueOf(p.bufferSizeMb()),
                String.valueOf(p.bufferIntervalSeconds()), p.compression().name(), p.s3Prefix(),
                String.join("\n", p.allowedOrigins()), p.apiKeyRequired() ? "true" : null,
                p.stageThrottleSet() ? String.valueOf(p.stageRateLimit()) : "",
                p.stageThrottleSet() ? String.valueOf(p.stageBurstLimit()) : "",
                p.expectedClicksPerSecond() == null ? "" : Formats.number(p.expectedClicksPerSecond()), p.etag());
    }

    /** This form as based on another version of the pipeline (its ETag). */
    public PipelineForm withEtag(String etag) {
        return new PipelineForm(name, team, description, capacity, shards, retentionHours, bufferSizeMb,
                bufferIntervalSeconds, compression, s3Prefix, allowedOrigins, apiKeyRequired, stageRateLimit,
                stageBurstLimit, expectedClicksPerSecond, etag);
    }

    /** This form with name, team and S3 prefix as the pipeline has them: the Edit page cannot change them. */
    public PipelineForm keeping(PipelineView p) {
        return new PipelineForm(p.name(), p.team(), description, capacity, shards, retentionHours, bufferSizeMb,
                bufferIntervalSeconds, compression, p.s3Prefix(), allowedOrigins, apiKeyRequired, stageRateLimit,
                stageBurstLimit, expectedClicksPerSecond, etag);
    }

    /** This form with the team chosen. */
    public PipelineForm withTeam(String chosen) {
        return new PipelineForm(name, chosen, description, capacity, shards, retentionHours, bufferSizeMb,
                bufferIntervalSeconds, compression, s3Prefix, allowedOrigins, apiKeyRequired, stageRateLimit,
                stageBurstLimit, expectedClicksPerSecond, etag);
    }

    public boolean onDemand() {
        return ON_DEMAND.equals(capacity);
    }

    public boolean apiKey() {
        return apiKeyRequired != null && !apiKeyRequired.isEmpty();
    }

    public List<Compression> compressions() {
        return Arrays.asList(Compression.values());
    }

    /**
     * The request this form asks for. A number that is not a number is reported in {@code errors}
     * and left out of the request, so the spec's own rules still check every other field.
     */
    public PipelineRequest toRequest(FormErrors errors) {
        boolean onDemand = onDemand();
        return new PipelineRequest(
                strip(name),
                strip(team),
                description,
                onDemand ? null : number("shards", shards, errors),
                onDemand,
                number("retentionHours", retentionHours, errors),
                number("bufferSizeMb", bufferSizeMb, errors),
                number("bufferIntervalSeconds", bufferIntervalSeconds, errors),
                compression == null || compression.isEmpty() ? null : compression,
                s3Prefix == null ? null : s3Prefix.strip(),
                origins(),
                apiKey(),
                number("stageRateLimit", stageRateLimit, errors),
                number("stageBurstLimit", stageBurstLimit, errors),
                decimal("expectedClicksPerSecond", expectedClicksPerSecond, errors));
    }

    private List<String> origins() {
        if (allowedOrigins == null) {
            return null;
        }
        List<String> origins = Arrays.stream(allowedOrigins.split("[\\r\\n,]+")).map(String::strip)
                .filter(o -> !o.isEmpty()).toList();
        return origins.isEmpty() ? null : origins;
    }

    private static Integer number(String field, String raw, FormErrors errors) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(raw.strip());
        } catch (NumberFormatException e) {
            errors.add(field, "must be a whole number");
            return null;
        }
    }

    private static Double decimal(String field, String raw, FormErrors errors) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return Double.valueOf(raw.strip());
        } catch (NumberFormatException e) {
            errors.add(field, "must be a number");
            return null;
        }
    }

    private static String strip(String value) {
        return value == null ? null : value.strip();
    }
}
