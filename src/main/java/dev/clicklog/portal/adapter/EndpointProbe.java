package dev.clicklog.portal.adapter;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * Learns, once at start in aws mode, what the endpoint serves: each {@link OptionalFeature} by its
 * harmless call, and whether Kinesis can be spoken to in CBOR. Where it finds a gap it tries the
 * alternatives the portal has (another CloudWatch protocol, Kinesis in JSON) and suggests the
 * setting that works. It never creates anything, and runs in the background: pipelines are
 * provisioned meanwhile, and their calls reveal gaps just as well.
 */
@ApplicationScoped
public class EndpointProbe {

    private static final Logger LOG = Logger.getLogger(EndpointProbe.class);

    /** A name no pipeline's resource has (pipeline resources start "clicklog-" and a pipeline name). */
    static final String PROBE_NAME = "clicklog--probe";
    /** An API id API Gateway never issues (its ids are ten lower-case letters and digits). */
    static final String PROBE_ID = "clicklog-probe";
    /** A log group no pipeline has (theirs are {@link ResourceNames#LOG_GROUP_PREFIX} and a pipeline name). */
    static final String PROBE_LOG_GROUP = ResourceNames.LOG_GROUP_PREFIX + "-probe";

    /** The clients a probe call uses. */
    record Clients(ApiGatewayClient apiGateway, KinesisClient kinesis, CloudWatchClient cloudWatch,
            CloudWatchLogsClient logs) {
    }

    private final AwsConfig config;
    private final EndpointCapabilities capabilities;
    private final AwsClientProducer producer;
    private final Clients clients;
    private volatile Instant probedAt;

    EndpointProbe(AwsConfig config, EndpointCapabilities capabilities, AwsClientProducer producer,
            ApiGatewayClient apiGateway, KinesisClient kinesis, CloudWatchClient cloudWatch, CloudWatchLogsClient logs) {
        this.config = config;
        this.capabilities = capabilities;
        this.producer = producer;
        this.clients = new Clients(apiGateway, kinesis, cloudWatch, logs);
    }

    void onStart(@Observes StartupEvent event) {
        if (config.local()) {
            return;
        }
        Thread probe = new Thread(() -> {
            try {
                probe();
            } catch (RuntimeException e) {
                // shutting down while probing, or the endpoint unreachable: calls will tell later
                LOG.infof("endpoint probe stopped: %s", e.getMessage());
            }
        }, "endpoint-probe");
        probe.setDaemon(true);
        probe.start();
    }

    /** When the last probe ended; null before. */
    public Instant probedAt() {
        return probedAt;
    }

    /** Probes the endpoint (again): its protocols, then every optional feature. */
    public synchronized void probe() {
        capabilities.forget();
        kinesisProtocol();
        List<String> served = new ArrayList<>();
        for (OptionalFeature feature : OptionalFeature.values()) {
            if (capabilities.hint(feature.service()).isPresent()) {
                // its service cannot be spoken to yet: nothing to learn of the feature
                continue;
            }
            Answer answer = serves(feature, clients);
            if (answer.served() == null) {
                continue;
            }
            if (answer.served()) {
                capabilities.record(new EndpointCapabilities.Finding(feature, true, null, null, Instant.now()));
                served.add(feature.title());
            } else {
                capabilities.record(new EndpointCapabilities.Finding(feature, false, feature.operations() + ": "
                        + answer.failure(), suggestion(feature), Instant.now()));
            }
        }
        probedAt = Instant.now();
        LOG.infof("endpoint %s serves: %s", capabilities.endpoint(), served.isEmpty() ? "none of the optional features"
                : String.join(", ", served));
    }

    /** Whether a feature is served (null: the answer does not tell), and the endpoint's answer. */
    private record Answer(Boolean served, AwsFailure failure) {
    }

    /**
     * Whether the endpoint serves the feature: yes when its call succeeds or fails only for the
     * resource it names; no when the answer says the operation is not served; unknown when the
     * answer tells neither (a network error, missing permissions).
     */
    private Answer serves(OptionalFeature feature, Clients with) {
        try {
            feature.probe(with);
            return new Answer(true, null);
        } catch (SdkException e) {
            AwsException failure = new AwsException(AwsErrors.classify(e), e);
            if (Unserved.forFeature(failure)) {
                return new Answer(false, failure.failure());
            }
            if (failure.notFound() || failure.failure().kind() == AwsFailure.Kind.PERMANENT) {
                return new Answer(true, failure.failure());
            }
            LOG.infof("endpoint %s: could not tell whether it serves %s: %s", capabilities.endpoint(), feature.title(),
                    failure.failure());
            return new Answer(null, failure.failure());
        }
    }

    /** The setting under which the endpoint would serve the feature, if the portal has one. */
    private String suggestion(OptionalFeature feature) {
        if (feature != OptionalFeature.METRICS) {
            return null;
        }
        CloudWatchProtocol current = config.cloudwatchProtocol().resolve(config.cbor());
        for (CloudWatchProtocol other : List.of(CloudWatchProtocol.JSON, CloudWatchProtocol.QUERY, CloudWatchProtocol.CBOR)) {
            if (other == current) {
                continue;
            }
            try (CloudWatchClient cloudWatch = producer.cloudWatch(other)) {
                if (Boolean.TRUE.equals(serves(feature, new Clients(clients.apiGateway(), clients.kinesis(), cloudWatch,
                        clients.logs())).served())) {
                    return "clicklog.aws.cloudwatch-protocol=" + other.setting();
                }
            }
        }
        return null;
    }

    /**
     * Whether Kinesis answers in the protocol the client speaks. An endpoint that cannot read the
     * SDK's CBOR answers a server error or a page; if it answers JSON, the setting is suggested.
     */
    private void kinesisProtocol() {
        if (!config.cbor() || readsKinesis(clients.kinesis())) {
            return;
        }
        try (KinesisClient json = producer.kinesis(false)) {
            if (readsKinesis(json)) {
                capabilities.hint(new EndpointCapabilities.Hint("Kinesis",
                        "this endpoint cannot read the SDK's CBOR for Kinesis", "clicklog.aws.cbor=false"));
            }
        }
    }

    private boolean readsKinesis(KinesisClient kinesis) {
        try {
            kinesis.describeStreamSummary(r -> r.streamName(PROBE_NAME));
            return true;
        } catch (SdkException e) {
            return AwsErrors.classify(e).kind() == AwsFailure.Kind.NOT_FOUND;
        }
    }
}
