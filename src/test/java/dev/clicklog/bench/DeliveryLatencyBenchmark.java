package dev.clicklog.bench;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamStatus;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamType;
import software.amazon.awssdk.services.firehose.model.ProcessorType;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The delay from putting a click to the object holding it appearing in S3, for several buffering
 * intervals; the target is the interval plus at most one second.
 *
 * <pre>./mvnw verify -Pbenchmark -Dtest=DeliveryLatencyBenchmark</pre>
 */
@QuarkusTest
@Tag("benchmark")
class DeliveryLatencyBenchmark {

    static final String ROLE = "arn:aws:iam::000000000000:role/firehose-delivery";
    /** Buffering interval in seconds → clicks measured (each waits for its own object). */
    static final int[][] PLAN = { { 1, 5 }, { 5, 3 }, { 60, 1 } };

    @Inject
    FirehoseClient firehose;

    @Inject
    KinesisClient kinesis;

    @Inject
    S3Client s3;

    @Test
    void putToObjectDelayAgainstTheBufferingInterval() {
        String bucket = "bench-latency-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(b -> b.bucket(bucket));
        StringBuilder report = new StringBuilder("\nPUT → object in S3 (Kinesis PutRecord → Firehose → S3):\n");
        for (int[] step : PLAN) {
            int interval = step[0];
            String stream = pipeline(bucket, interval);
            List<Double> delays = new ArrayList<>();
            for (int run = 0; run < step[1]; run++) {
                delays.add(measure(stream, bucket, interval + "/", run));
            }
            delays.sort(Double::compare);
            double max = delays.get(delays.size() - 1);
            report.append(String.format("  interval %3d s: %d clicks, min %.2f s, median %.2f s, max %.2f s"
                    + " → at most %.2f s over the interval%n", interval, delays.size(), delays.get(0),
                    delays.get(delays.size() / 2), max, max - interval));
            assertTrue(max <= interval + 1.0, "delivered within the interval + 1 s: " + delays);
        }
        System.out.println(report);
    }

    /** A 1-shard source stream and a delivery stream writing under "<interval>/"; returns the stream. */
    String pipeline(String bucket, int interval) {
        String stream = "bench-latency-" + interval + "-" + UUID.randomUUID().toString().substring(0, 8);
        kinesis.createStream(b -> b.streamName(stream).shardCount(1));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> kinesis
                .describeStreamSummary(b -> b.streamName(stream)).streamDescriptionSummary().streamStatus() == StreamStatus.ACTIVE);
        String delivery = stream + "-s3";
        firehose.createDeliveryStream(b -> b.deliveryStreamName(delivery)
                .deliveryStreamType(DeliveryStreamType.KINESIS_STREAM_AS_SOURCE)
                .kinesisStreamSourceConfiguration(k -> k.roleARN(ROLE)
                        .kinesisStreamARN("arn:aws:kinesis:us-east-1:000000000000:stream/" + stream))
                .extendedS3DestinationConfiguration(d -> d.roleARN(ROLE).bucketARN("arn:aws:s3:::" + bucket)
                        .prefix(interval + "/").bufferingHints(h -> h.sizeInMBs(128).intervalInSeconds(interval))
                        .processingConfiguration(p -> p.enabled(true)
                                .processors(pr -> pr.type(ProcessorType.APPEND_DELIMITER_TO_RECORD)))));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> firehose
                .describeDeliveryStream(b -> b.deliveryStreamName(delivery)).deliveryStreamDescription()
                .deliveryStreamStatus() == DeliveryStreamStatus.ACTIVE);
        return stream;
    }

    /** Seconds from the put until an object holding the click is listed. */
    double measure(String stream, String bucket, String prefix, int run) {
        int before = s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix)).keyCount();
        long start = System.nanoTime();
        kinesis.putRecord(b -> b.streamName(stream).partitionKey("run-" + run)
                .data(SdkBytes.fromUtf8String("{\"click\":" + run + "}")));
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(10))
                .until(() -> s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix)).keyCount() > before);
        return (System.nanoTime() - start) / 1e9;
    }
}
