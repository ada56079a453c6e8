package dev.clicklog.portal.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.clicklog.endpoint.LocalEndpoint;
import dev.clicklog.localaws.fault.FaultInjector;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.GetRestApiResponse;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.EncryptionType;

/**
 * What an endpoint that lacks something looks like to the portal, made with localaws' fault switch:
 * an operation it does not serve answers as AWS answers an unknown action in each protocol, and is
 * a gap (not a failure to retry); a gap found by a call is kept, so the call is not made again;
 * fields left out of answers read back as absent. And CloudWatch in each of its protocols.
 */
@QuarkusTest
class EndpointGapsTest {

    @Inject
    FaultInjector faults;
    @Inject
    KinesisClient kinesis;
    @Inject
    ApiGatewayClient apiGateway;
    @Inject
    CloudWatchLogsClient logs;
    @Inject
    AwsClientProducer producer;
    @Inject
    AwsConfig config;
    @Inject
    LocalEndpoint local;
    @Inject
    Event<FeatureMissing> missing;

    @AfterEach
    void clearFaults() {
        faults.clear();
    }

    @Test
    void anOperationNotServedIsAGapInEveryProtocol() {
        faults.unserve("kinesis", "StartStreamEncryption");
        faults.unserve("apigateway", "GetGatewayResponse");
        faults.unserve("monitoring", "GetMetricData");

        AwsException json = assertThrows(AwsException.class, () -> AwsErrors.run(() -> kinesis.startStreamEncryption(
                r -> r.streamName("gap").encryptionType(EncryptionType.KMS).keyId(StreamAdapter.MANAGED_KEY))));
        assertGap(json, "UnknownOperationException");

        AwsException rest = assertThrows(AwsException.class, () -> AwsErrors.run(() -> apiGateway.getGatewayResponse(
                r -> r.restApiId("gap").responseType("DEFAULT_4XX"))));
        assertGap(rest, "UnknownOperationException");

        for (CloudWatchProtocol protocol : List.of(CloudWatchProtocol.CBOR, CloudWatchProtocol.JSON, CloudWatchProtocol.QUERY)) {
            try (CloudWatchClient cloudWatch = producer.cloudWatch(protocol)) {
                AwsException e = assertThrows(AwsException.class, () -> AwsErrors.run(() -> OptionalFeature.METRICS
                        .probe(new EndpointProbe.Clients(apiGateway, kinesis, cloudWatch, logs))));
                assertGap(e, protocol == CloudWatchProtocol.QUERY ? "InvalidAction" : "UnknownOperationException");
            }
        }
    }

    /**
     * Access logs are probed by the calls their step makes before it creates anything: an
     * UpdateAccount that changes nothing, and a retention on a log group that does not exist (not
     * found: served). Either operation unserved is a gap.
     */
    @Test
    void accessLogsAreProbedByUpdateAccountAndTheLogGroupCalls() {
        try (CloudWatchClient cloudWatch = producer.cloudWatch(CloudWatchProtocol.CBOR)) {
            EndpointProbe.Clients clients = new EndpointProbe.Clients(apiGateway, kinesis, cloudWatch, logs);
            String before = apiGateway.getAccount(r -> { }).cloudwatchRoleArn();
            AwsException notFound = assertThrows(AwsException.class,
                    () -> AwsErrors.run(() -> OptionalFeature.ACCESS_LOGS.probe(clients)));
            assertTrue(notFound.notFound(), notFound.toString());
            assertEquals(before, apiGateway.getAccount(r -> { }).cloudwatchRoleArn(), "the probe changes nothing");

            faults.unserve("apigateway", "UpdateAccount");
            assertGap(assertThrows(AwsException.class,
                    () -> AwsErrors.run(() -> OptionalFeature.ACCESS_LOGS.probe(clients))), "UnknownOperationException");
            faults.clear();
            faults.unserve("logs", "PutRetentionPolicy");
            assertGap(assertThrows(AwsException.class,
                    () -> AwsErrors.run(() -> OptionalFeature.ACCESS_LOGS.probe(clients))), "UnknownOperationException");
        }
    }

    private static void assertGap(AwsException e, String code) {
        assertEquals(AwsFailure.Kind.UNSUPPORTED, e.failure().kind(), e.toString());
        assertEquals(code, e.failure().code());
        assertFalse(e.failure().retryable());
        assertTrue(Unserved.forFeature(e));
    }

    @Test
    void aGapFoundByACallIsKeptAndTheCallIsNotMadeAgain() {
        EndpointCapabilities capabilities = new EndpointCapabilities(config, local, missing);
        faults.unserve("apigateway", "GetGatewayResponse");
        AtomicInteger calls = new AtomicInteger();

        for (int i = 0; i < 2; i++) {
            Optional<Object> answer = capabilities.attempt(OptionalFeature.GATEWAY_RESPONSES, () -> {
                calls.incrementAndGet();
                return AwsErrors.call(() -> apiGateway.getGatewayResponse(r -> r.restApiId("gap").responseType("DEFAULT_4XX")));
            });
            assertTrue(answer.isEmpty());
        }
        assertEquals(1, calls.get(), "the gap, once found, is known");
        EndpointCapabilities.Finding gap = capabilities.missing(OptionalFeature.GATEWAY_RESPONSES).orElseThrow();
        assertTrue(gap.reason().contains("UnknownOperationException"), gap.reason());

        // Any other failure of an optional feature's call is the endpoint's answer, thrown as it is.
        AwsException notFound = assertThrows(AwsException.class, () -> capabilities.attempt(OptionalFeature.STREAM_ENCRYPTION,
                () -> AwsErrors.call(() -> kinesis.startStreamEncryption(r -> r.streamName("missing-" + UUID.randomUUID())
                        .encryptionType(EncryptionType.KMS).keyId(StreamAdapter.MANAGED_KEY)))));
        assertTrue(notFound.notFound(), notFound.toString());
        assertTrue(capabilities.missing(OptionalFeature.STREAM_ENCRYPTION).isEmpty());
    }

    @Test
    void fieldsLeftOutOfAnAnswerReadBackAsAbsent() {
        String id = apiGateway.createRestApi(r -> r.name("omitted-" + UUID.randomUUID()).description("described")
                .tags(Map.of("k", "v"))).id();
        try {
            faults.omitFields("apigateway", "GetRestApi", "tags", "description");
            GetRestApiResponse api = apiGateway.getRestApi(r -> r.restApiId(id));
            assertEquals(id, api.id());
            assertFalse(api.hasTags());
            assertNull(api.description());
            faults.clear();
            assertEquals(Map.of("k", "v"), apiGateway.getRestApi(r -> r.restApiId(id)).tags());
        } finally {
            apiGateway.deleteRestApi(r -> r.restApiId(id));
        }
    }

    @ParameterizedTest
    @EnumSource(value = CloudWatchProtocol.class, names = { "CBOR", "JSON", "QUERY" })
    void cloudWatchAnswersInEachOfItsProtocols(CloudWatchProtocol protocol) {
        String stream = "protocol-" + protocol.setting() + "-" + UUID.randomUUID();
        Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try (CloudWatchClient cloudWatch = producer.cloudWatch(protocol)) {
            cloudWatch.putMetricData(r -> r.namespace("Clicklog/Test").metricData(MetricDatum.builder().metricName("Clicks")
                    .dimensions(d -> d.name("StreamName").value(stream)).value(3.0).timestamp(at).build()));
            var result = cloudWatch.getMetricData(r -> r.startTime(at.minus(5, ChronoUnit.MINUTES))
                    .endTime(at.plus(5, ChronoUnit.MINUTES)).metricDataQueries(q -> q.id("clicks").metricStat(s -> s
                            .period(60).stat("Sum").metric(m -> m.namespace("Clicklog/Test").metricName("Clicks")
                                    .dimensions(d -> d.name("StreamName").value(stream))))))
                    .metricDataResults().get(0);
            assertEquals(List.of(3.0), result.values());
            assertEquals(at.truncatedTo(ChronoUnit.MINUTES), result.timestamps().get(0));
        }
    }
}
