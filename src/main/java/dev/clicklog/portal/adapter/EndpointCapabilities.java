package dev.clicklog.portal.adapter;

import java.net.URI;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import org.jboss.logging.Logger;

import dev.clicklog.endpoint.LocalEndpoint;

/**
 * What the AWS endpoint the portal talks to serves, kept per endpoint URL: which optional features
 * it lacks (found by {@link EndpointProbe} at start, or when a call reveals a gap) and the settings
 * that would let the portal speak to it. AWS serves everything; other endpoints serve some.
 */
@ApplicationScoped
public class EndpointCapabilities {

    private static final Logger LOG = Logger.getLogger(EndpointCapabilities.class);

    /**
     * What is known of one feature at one endpoint: whether it is served, and if not, the endpoint's
     * own answer ({@code reason}) and the setting that would help ({@code suggestion}, null when none).
     */
    public record Finding(OptionalFeature feature, boolean served, String reason, String suggestion, Instant at) {
    }

    /**
     * A setting the endpoint needs for a service the pipeline cannot go without (Kinesis in JSON
     * instead of CBOR, say): {@code problem} in words, {@code setting} what to set.
     */
    public record Hint(String service, String problem, String setting) {

        @Override
        public String toString() {
            return problem + ": set " + setting;
        }
    }

    private final AwsConfig config;
    private final LocalEndpoint local;
    private final Event<FeatureMissing> missing;
    private final Map<String, Map<OptionalFeature, Finding>> features = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Hint>> hints = new ConcurrentHashMap<>();

    EndpointCapabilities(AwsConfig config, LocalEndpoint local, Event<FeatureMissing> missing) {
        this.config = config;
        this.local = local;
        this.missing = missing;
    }

    /** The endpoint the clients talk to: the configured URL, the embedded one, or AWS's own. */
    public String endpoint() {
        if (config.local()) {
            return local.published() ? local.uri().toString() : "localaws";
        }
        return config.endpoint().map(URI::toString).orElse("AWS");
    }

    /** The feature, when the endpoint is known not to serve it. */
    public Optional<Finding> missing(OptionalFeature feature) {
        return Optional.ofNullable(own().get(feature)).filter(f -> !f.served());
    }

    /** What is known of each feature, in declaration order (features not yet seen are absent). */
    public List<Finding> findings() {
        Map<OptionalFeature, Finding> ordered = new EnumMap<>(OptionalFeature.class);
        ordered.putAll(own());
        return List.copyOf(ordered.values());
    }

    /** The settings the endpoint needs, by service. */
    public List<Hint> hints() {
        return List.copyOf(hints.getOrDefault(endpoint(), Map.of()).values());
    }

    public Optional<Hint> hint(String service) {
        return Optional.ofNullable(hints.getOrDefault(endpoint(), Map.of()).get(service));
    }

    /**
     * Runs the call that provides an optional feature. Empty, without calling, when the endpoint is
     * known not to serve the feature; empty too when the call reveals that it does not (which is
     * then known). Any other failure is thrown as it is. {@code call} returns non-null.
     */
    public <T> Optional<T> attempt(OptionalFeature feature, Supplier<T> call) {
        if (missing(feature).isPresent()) {
            return Optional.empty();
        }
        try {
            T result = call.get();
            own().putIfAbsent(feature, new Finding(feature, true, null, null, Instant.now()));
            return Optional.of(result);
        } catch (AwsException e) {
            // A service spoken to in a protocol the endpoint cannot read fails as a whole, not the feature.
            if (!Unserved.forFeature(e) || hint(feature.service()).isPresent()) {
                throw e;
            }
            record(new Finding(feature, false, feature.operations() + ": " + e.failure(), null, Instant.now()));
            return Optional.empty();
        }
    }

    /** As {@link #attempt(OptionalFeature, Supplier)} for a call without an answer; whether it ran. */
    public boolean attempt(OptionalFeature feature, Runnable call) {
        return attempt(feature, () -> {
            call.run();
            return Boolean.TRUE;
        }).isPresent();
    }

    /**
     * Records what was learned of a feature. A feature found missing (or missing for a new reason,
     * or with a setting to suggest now) is announced, so every pipeline can say it goes without.
     */
    void record(Finding finding) {
        Finding before = own().put(finding.feature(), keepSuggestion(finding, own().get(finding.feature())));
        Finding now = own().get(finding.feature());
        if (!now.served() && (before == null || before.served() || !same(before, now))) {
            LOG.warnf("endpoint %s does not serve %s (%s)%s", endpoint(), finding.feature().title(), now.reason(),
                    now.suggestion() == null ? "" : "; suggested setting: " + now.suggestion());
            try {
                missing.fire(new FeatureMissing(now));
            } catch (RuntimeException e) {
                LOG.warnf("could not note on the pipelines that %s is missing: %s", finding.feature().title(), e.getMessage());
            }
        }
    }

    void hint(Hint hint) {
        hints.computeIfAbsent(endpoint(), k -> new ConcurrentHashMap<>()).put(hint.service(), hint);
        LOG.warnf("endpoint %s: %s", endpoint(), hint);
    }

    /** Forgets what was learned of this endpoint (a new probe starts from nothing). */
    void forget() {
        features.remove(endpoint());
        hints.remove(endpoint());
    }

    private Map<OptionalFeature, Finding> own() {
        return features.computeIfAbsent(endpoint(), k -> new ConcurrentHashMap<>());
    }

    /** A gap revealed by a call knows no setting; one the probe suggested before still holds. */
    private static Finding keepSuggestion(Finding finding, Finding before) {
        if (finding.suggestion() == null && before != null && !before.served() && before.suggestion() != null) {
            return new Finding(finding.feature(), finding.served(), finding.reason(), before.suggestion(), finding.at());
        }
        return finding;
    }

    private static boolean same(Finding a, Finding b) {
        return Objects.equals(a.reason(), b.reason()) && Objects.equals(a.suggestion(), b.suggestion());
    }
}
