package dev.clicklog.portal.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.clicklog.localaws.fault.FaultInjector;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/** Real SDK errors from the local endpoint, classified the way the reconciler acts on them. */
@QuarkusTest
class AwsErrorsTest {

    @Inject
    KinesisClient kinesis;

    @Inject
    StreamAdapter streams;

    @Inject
    FaultInjector faults;

    @AfterEach
    void clearFaults() {
        faults.clear();
    }

    @Test
    void aMissingResourceIsNotFoundAndDescribesAsEmpty() {
        String name = "missing-" + UUID.randomUUID();
        AwsException e = assertThrows(AwsException.class,
                () -> AwsErrors.call(() -> kinesis.describeStreamSummary(r -> r.streamName(name))));
        assertEquals(AwsFailure.Kind.NOT_FOUND, e.failure().kind());
        assertEquals("ResourceNotFoundException", e.failure().code());
        assertTrue(streams.describe(name).isEmpty());
    }

    @Test
    void throttlingIsRetryable() {
        faults.failNext("kinesis", "DescribeStreamSummary", 10, 400, "LimitExceededException", "Rate exceeded for stream");
        AwsFailure f = assertThrows(AwsException.class, () -> streams.describe("any")).failure();
        assertEquals(AwsFailure.Kind.RETRYABLE, f.kind());
        assertEquals("LimitExceededException", f.code());
        assertEquals("Rate exceeded for stream", f.message());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "InvalidArgumentException | Firehose is unable to assume role arn:aws:iam::000000000000:role/x. Please check the role provided.",
            "BadRequestException | API Gateway does not have permission to assume the provided role arn:aws:iam::000000000000:role/x",
            "BadRequestException | Invalid role ARN arn:aws:iam::000000000000:role/x" })
    void iamPropagationIsRetryableWhateverTheCode(String code, String message) {
        faults.failNext("kinesis", "DescribeStreamSummary", 10, 400, code, message);
        AwsFailure f = assertThrows(AwsException.class, () -> streams.describe("any")).failure();
        assertEquals(AwsFailure.Kind.RETRYABLE, f.kind());
        assertEquals(message, f.message());
    }

    @Test
    void aBadRequestIsPermanent() {
        faults.failNext("kinesis", "DescribeStreamSummary", 10, 400, "InvalidArgumentException", "The stream name is bad");
        AwsFailure f = assertThrows(AwsException.class, () -> streams.describe("any")).failure();
        assertEquals(AwsFailure.Kind.PERMANENT, f.kind());
        assertEquals("InvalidArgumentException: The stream name is bad", f.toString());
    }

    @Test
    void aServerErrorIsRetryable() {
        faults.failNext("kinesis", "DescribeStreamSummary", 10, 503, "ServiceUnavailable", "try later");
        assertEquals(AwsFailure.Kind.RETRYABLE, assertThrows(AwsException.class, () -> streams.describe("any")).failure().kind());
    }

    @Test
    void anExistingResourceIsAConflictThatCreateTolerates() {
        String name = "dup-" + UUID.randomUUID().toString().substring(0, 8);
        streams.create(name, false, 1, Map.of());
        AwsException e = assertThrows(AwsException.class,
                () -> AwsErrors.run(() -> kinesis.createStream(r -> r.streamName(name).shardCount(1))));
        assertEquals(AwsFailure.Kind.CONFLICT, e.failure().kind());
        streams.create(name, false, 1, Map.of());
        assertTrue(streams.describe(name).isPresent());
    }
}
