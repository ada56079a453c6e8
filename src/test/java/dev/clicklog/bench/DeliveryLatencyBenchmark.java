package dev.clicklog.bench;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.clicklog.endpoint.LocalEndpoint;
import dev.clicklog.testing.SeedPipelines;
import dev.clicklog.testing.SeedPipelines.Pipeline;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The delay from a click PUT to the invoke URL until the S3 object holding it is listed, through
 * the seed's pipeline (API Gateway → Kinesis → Firehose → S3), for several buffering intervals;
 * the target is the interval plus at most one second.
 *
 * <pre>./mvnw verify -Pbenchmark -Dtest=DeliveryLatencyBenchmark</pre>
 */
@QuarkusTest
@Tag("benchmark")
class DeliveryLatencyBenchmark {

    /** Buffering interval in seconds → clicks measured (each waits for its own object). */
    static final int[][] PLAN = { { 1, 5 }, { 5, 3 }, { 60, 1 } };

    @Inject
    IamClient iam;

    @Inject
    KinesisClient kinesis;

    @Inject
    ApiGatewayClient apiGateway;

    @Inject
    S3Client s3;

    @Inject
    FirehoseClient firehose;

    @Inject
    LocalEndpoint endpoint;

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void putToObjectDelayAgainstTheBufferingInterval() throws Exception {
        SeedPipelines pipelines = new SeedPipelines(iam, kinesis, apiGateway, s3, firehose, endpoint.uri());
        StringBuilder report = new StringBuilder("\nPUT to the invoke URL → object in S3:\n");
        for (int[] step : PLAN) {
            int interval = step[0];
            Pipeline pipeline = pipelines.create("bench-latency-" + interval, interval);
            if (interval == PLAN[0][0]) {
                measure(pipeline, -1); // warm-up: the first click through a fresh JVM is not measured
            }
            List<Double> delays = new ArrayList<>();
            for (int run = 0; run < step[1]; run++) {
                delays.add(measure(pipeline, run));
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

    /** Seconds from the PUT until a new object is listed under the pipeline's prefix. */
    double measure(Pipeline pipeline, int run) throws Exception {
        int before = objects(pipeline);
        long start = System.nanoTime();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(pipeline.invokeUrl())
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"click\":" + run + "}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(10)).until(() -> objects(pipeline) > before);
        return (System.nanoTime() - start) / 1e9;
    }

    int objects(Pipeline pipeline) {
        return s3.listObjectsV2(b -> b.bucket(pipeline.bucket()).prefix(SeedPipelines.PREFIX)).keyCount();
    }
}
