package dev.clicklog.portal.observe;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.clicklog.portal.adapter.EndpointCapabilities;
import dev.clicklog.portal.adapter.EndpointProbe;

/** What is known of the AWS endpoint the portal talks to: the optional features it serves, and the settings it needs. */
@ApplicationScoped
public class EndpointStatus {

    /** The endpoint as the portal found it. */
    @Schema(description = "What the portal found its AWS endpoint serves")
    public record View(
            @Schema(description = "The endpoint's URL, or AWS") String endpoint,
            @Schema(description = "When the probe at start ended; null in local mode or while it runs") Instant probedAt,
            @Schema(description = "Each optional feature seen so far: served, or why not and what would help") List<Feature> features,
            @Schema(description = "Settings the endpoint needs for services the pipelines cannot go without") List<String> settings) {
    }

    public record Feature(String feature, String title, boolean served, String without, String reason, String suggestion) {
    }

    private final EndpointCapabilities capabilities;
    private final EndpointProbe probe;

    EndpointStatus(EndpointCapabilities capabilities, EndpointProbe probe) {
        this.capabilities = capabilities;
        this.probe = probe;
    }

    public View view() {
        List<Feature> features = capabilities.findings().stream()
                .map(f -> new Feature(f.feature().name(), f.feature().title(), f.served(),
                        f.served() ? null : f.feature().without(), f.reason(), f.suggestion()))
                .toList();
        return new View(capabilities.endpoint(), probe.probedAt(), features,
                capabilities.hints().stream().map(Object::toString).toList());
    }
}
