package dev.clicklog.portal.adapter;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Consumer;

import software.amazon.awssdk.services.kinesis.model.EncryptionType;

/**
 * The parts of a pipeline it works without. On an endpoint that does not serve one, the pipeline
 * skips it and says so (a DEGRADED note) instead of failing. A feature is declared here once: what
 * it is, what a pipeline lacks without it, and one harmless call that shows whether the endpoint
 * serves it (made on a resource that does not exist: "not found" means the operation is served).
 */
public enum OptionalFeature {

    GATEWAY_RESPONSES("CORS on the gateway's refusals",
            "the gateway's own refusals (a body failing its model, a missing key, throttling) carry no CORS headers, "
                    + "so a page cannot read why its click was refused",
            "ApiGateway", "API Gateway GetGatewayResponse/PutGatewayResponse", false,
            c -> c.apiGateway().getGatewayResponse(r -> r.restApiId(EndpointProbe.PROBE_ID).responseType("DEFAULT_4XX"))),

    STREAM_ENCRYPTION("stream encryption",
            "the Kinesis stream's records are not encrypted at rest with " + StreamAdapter.MANAGED_KEY,
            "Kinesis", "Kinesis StartStreamEncryption", false,
            c -> c.kinesis().startStreamEncryption(r -> r.streamName(EndpointProbe.PROBE_NAME)
                    .encryptionType(EncryptionType.KMS).keyId(StreamAdapter.MANAGED_KEY))),

    METRICS("metrics",
            "the pipeline's metrics (requests, records, deliveries) are not shown",
            "CloudWatch", "CloudWatch GetMetricData", true,
            c -> c.cloudWatch().getMetricData(r -> r
                    .startTime(Instant.now().minus(5, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MINUTES))
                    .endTime(Instant.now().truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES))
                    .metricDataQueries(q -> q.id("probe").metricStat(s -> s.period(60).stat("Sum")
                            .metric(m -> m.namespace("AWS/Kinesis").metricName("IncomingRecords")
                                    .dimensions(d -> d.name("StreamName").value(EndpointProbe.PROBE_NAME))))))),

    /*
     * Probed with an UpdateAccount that changes nothing (no patch operations), then a retention set
     * on a log group that does not exist: the calls the step makes before it creates anything.
     */
    ACCESS_LOGS("access logs",
            "the gateway writes no access logs, so the requests it refused (and why) cannot be listed",
            "CloudWatchLogs", "API Gateway UpdateAccount and CloudWatch Logs CreateLogGroup/PutRetentionPolicy", false,
            c -> {
                c.apiGateway().updateAccount(r -> r.patchOperations(List.of()));
                c.logs().putRetentionPolicy(r -> r.logGroupName(EndpointProbe.PROBE_LOG_GROUP).retentionInDays(1));
            });

    private final String title;
    private final String without;
    private final String service;
    private final String operations;
    private final boolean endpointWide;
    private final Consumer<EndpointProbe.Clients> probe;

    OptionalFeature(String title, String without, String service, String operations, boolean endpointWide,
            Consumer<EndpointProbe.Clients> probe) {
        this.title = title;
        this.without = without;
        this.service = service;
        this.operations = operations;
        this.endpointWide = endpointWide;
        this.probe = probe;
    }

    /** What the feature is, in a few words: "stream encryption". */
    public String title() {
        return title;
    }

    /** What a pipeline lacks without it. */
    public String without() {
        return without;
    }

    /** The service it needs, as the SDK names it ("Kinesis"). */
    public String service() {
        return service;
    }

    /** The AWS operations it needs. */
    public String operations() {
        return operations;
    }

    /**
     * Whether it belongs to no provisioning step but to every pipeline on the endpoint alike
     * (metrics are read, not provisioned).
     */
    public boolean endpointWide() {
        return endpointWide;
    }

    void probe(EndpointProbe.Clients clients) {
        probe.accept(clients);
    }
}
