package dev.clicklog.portal.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import dev.clicklog.endpoint.LocalEndpoint;
import dev.clicklog.testing.MotoServer;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.CloudWatchException;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;

/**
 * The CloudWatch client of the portal in JSON and in the query protocol, against moto, which serves
 * CloudWatch only in those: what is put is read back, timestamps and all, and CloudWatch's errors
 * keep their codes. The SDK's own protocol (RPC v2 CBOR) is a gap there, recognised as one.
 */
class CloudWatchProtocolsTest {

    private static MotoServer moto;
    private static AwsClientProducer producer;

    @BeforeAll
    static void startMoto() {
        // moto takes any credentials; the portal finds them through the SDK's default chain in aws mode
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
        moto = MotoServer.start(Path.of("target", "moto"));
        AwsConfig aws = config(moto.uri());
        LocalEndpoint local = new LocalEndpoint("aws");
        producer = new AwsClientProducer(aws, local, new EndpointCapabilities(aws, local, null));
    }

    @AfterAll
    static void stopMoto() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        if (producer != null) {
            producer.closeHttpClient();
        }
        if (moto != null) {
            moto.close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = CloudWatchProtocol.class, names = { "JSON", "QUERY" })
    void whatIsPutIsReadBack(CloudWatchProtocol protocol) {
        String stream = "wire-" + protocol.setting();
        Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try (CloudWatchClient cloudWatch = producer.cloudWatch(protocol)) {
            cloudWatch.putMetricData(r -> r.namespace("AWS/Kinesis").metricData(MetricDatum.builder()
                    .metricName("IncomingRecords").dimensions(Dimension.builder().name("StreamName").value(stream).build())
                    .value(7.0).timestamp(at).build()));
            GetMetricDataResponse read = cloudWatch.getMetricData(r -> r.startTime(at.minus(5, ChronoUnit.MINUTES))
                    .endTime(at.plus(5, ChronoUnit.MINUTES)).metricDataQueries(q -> q.id("records").label("Records")
                            .metricStat(s -> s.period(60).stat("Sum").metric(m -> m.namespace("AWS/Kinesis")
                                    .metricName("IncomingRecords").dimensions(d -> d.name("StreamName").value(stream))))));
            MetricDataResult result = read.metricDataResults().get(0);
            assertEquals("records", result.id());
            assertEquals(List.of(7.0), result.values());
            assertEquals(1, result.timestamps().size());
            Instant period = result.timestamps().get(0);
            assertTrue(!period.isAfter(at) && period.isAfter(at.minus(1, ChronoUnit.MINUTES)), period + " for " + at);
        }
    }

    @ParameterizedTest
    @EnumSource(value = CloudWatchProtocol.class, names = { "JSON", "QUERY" })
    void errorsKeepTheirCodes(CloudWatchProtocol protocol) {
        Instant now = Instant.now();
        try (CloudWatchClient cloudWatch = producer.cloudWatch(protocol)) {
            CloudWatchException e = assertThrows(CloudWatchException.class, () -> cloudWatch.getMetricData(r -> r
                    .startTime(now).endTime(now.minus(1, ChronoUnit.HOURS))
                    .metricDataQueries(q -> q.id("a").expression("SUM(METRICS())"))));
            assertEquals(400, e.statusCode());
            assertEquals("ValidationError", e.awsErrorDetails().errorCode());
            assertTrue(e.awsErrorDetails().errorMessage().contains("EndTime"), e.awsErrorDetails().errorMessage());
        }
    }

    /** moto has no route for the RPC v2 path: a 404 the service's model does not know, which is a gap, not a failure. */
    @Test
    void theSdksOwnProtocolIsAGapOnMoto() {
        try (CloudWatchClient cloudWatch = producer.cloudWatch(CloudWatchProtocol.CBOR)) {
            SdkException e = assertThrows(SdkException.class, () -> cloudWatch.listMetrics(r -> r.namespace("AWS/Kinesis")));
            AwsException failure = new AwsException(AwsErrors.classify(e), e);
            assertTrue(Unserved.forFeature(failure), failure.toString());
        }
    }

    private static AwsConfig config(URI endpoint) {
        return new AwsConfig() {
            @Override
            public Mode mode() {
                return Mode.AWS;
            }

            @Override
            public Optional<URI> endpoint() {
                return Optional.of(endpoint);
            }

            @Override
            public Optional<String> region() {
                return Optional.of("us-east-1");
            }

            @Override
            public boolean cbor() {
                return false;
            }

            @Override
            public CloudWatchProtocol cloudwatchProtocol() {
                return CloudWatchProtocol.AUTO;
            }
        };
    }
}
