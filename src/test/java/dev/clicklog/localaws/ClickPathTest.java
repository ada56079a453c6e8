package dev.clicklog.localaws;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.clicklog.endpoint.LocalEndpoint;
import dev.clicklog.testing.SeedPipelines;
import dev.clicklog.testing.SeedPipelines.Pipeline;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The seed's click path, built by SDK calls as its console steps did ({@link SeedPipelines}): API
 * Gateway (AWS integration, no Lambda) → Kinesis Data Stream → Firehose → S3, with the IAM roles
 * between them, then used as a browser would use it, through the invoke URL.
 */
@QuarkusTest
class ClickPathTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(60);

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
    CloudWatchClient cloudWatch;

    @Inject
    LocalEndpoint endpoint;

    SeedPipelines.Pipeline seedPipeline() {
        return new SeedPipelines(iam, kinesis, apiGateway, s3, firehose, endpoint.uri()).create("clicks", 1);
    }

    static HttpResponse<String> put(HttpClient http, URI uri, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Every newline-terminated record in the objects under the pipeline's prefix. */
    List<String> delivered(Pipeline p) {
        List<String> lines = new ArrayList<>();
        for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(p.bucket()).prefix(SeedPipelines.PREFIX)).contents()) {
            String body = s3.getObjectAsBytes(b -> b.bucket(p.bucket()).key(o.key())).asUtf8String();
            assertTrue(body.endsWith("\n"), body);
            lines.addAll(List.of(body.substring(0, body.length() - 1).split("\n", -1)));
        }
        return lines;
    }

    @Test
    void aClickTravelsFromTheInvokeUrlThroughKinesisToS3() throws Exception {
        Pipeline p = seedPipeline();
        HttpResponse<String> response = put(HttpClient.newHttpClient(), p.invokeUrl(), "{\"Data\":\"Test\"}");
        assertEquals(200, response.statusCode(), response.body());
        JsonNode out = JSON.readTree(response.body());
        assertEquals("shardId-000000000000", out.path("ShardId").asText());
        assertTrue(out.path("SequenceNumber").asText().matches("\\d+"), response.body());
        String requestId = response.headers().firstValue("x-amzn-RequestId").orElseThrow();

        String iterator = kinesis.getShardIterator(b -> b.streamName(p.stream()).shardId("shardId-000000000000")
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        List<Record> records = kinesis.getRecords(b -> b.shardIterator(iterator)).records();
        assertEquals(1, records.size());
        assertEquals("{\"Data\":\"Test\"}", records.get(0).data().asUtf8String());
        assertEquals(requestId, records.get(0).partitionKey());
        assertEquals(out.path("SequenceNumber").asText(), records.get(0).sequenceNumber());

        List<String> lines = new ArrayList<>();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            lines.clear();
            lines.addAll(delivered(p));
            return !lines.isEmpty();
        });
        assertEquals(List.of("{\"Data\":\"Test\"}"), lines, "the object holds exactly the body sent");
    }

    @Test
    void aThousandClicksFromEightClientsLandInS3ExactlyOnce() throws Exception {
        Pipeline p = seedPipeline();
        Instant start = Instant.now().minus(Duration.ofMinutes(1));
        int clients = 8;
        int perClient = 125;
        ConcurrentLinkedQueue<String> sent = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                done.add(pool.submit(() -> {
                    HttpClient http = HttpClient.newHttpClient();
                    int ok = 0;
                    for (int i = 0; i < perClient; i++) {
                        String id = UUID.randomUUID().toString();
                        String click = "{\"id\":\"" + id + "\",\"client\":" + client + ",\"n\":" + i + "}";
                        HttpResponse<String> r = put(http, p.invokeUrl(), click);
                        assertEquals(200, r.statusCode(), r.body());
                        sent.add(id);
                        ok++;
                    }
                    return ok;
                }));
            }
            for (Future<Integer> f : done) {
                assertEquals(perClient, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(clients * perClient, new HashSet<>(sent).size());

        List<String> lines = new ArrayList<>();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            lines.clear();
            lines.addAll(delivered(p));
            return lines.size() >= sent.size();
        });
        List<String> ids = new ArrayList<>();
        for (String line : lines) {
            ids.add(JSON.readTree(line).path("id").asText());
        }
        Set<String> unique = new HashSet<>(ids);
        assertEquals(sent.size(), ids.size(), "each click delivered once: no loss, no duplicate");
        assertEquals(new HashSet<>(sent), unique);

        await().atMost(WAIT).until(() -> sum("AWS/Kinesis", "IncomingRecords", Map.of("StreamName", p.stream()), start)
                == sent.size());
        await().atMost(WAIT).until(() -> sum("AWS/ApiGateway", "Count", Map.of("ApiName", p.apiName(), "Stage", SeedPipelines.STAGE),
                start) == sent.size());
    }

    /** GetMetricData: the Sum of one metric over every minute since {@code start}. */
    double sum(String namespace, String metric, Map<String, String> dimensions, Instant start) {
        MetricDataResult result = cloudWatch.getMetricData(b -> b.startTime(start)
                .endTime(Instant.now().plus(Duration.ofMinutes(1)))
                .metricDataQueries(q -> q.id("m").metricStat(s -> s.period(60).stat("Sum")
                        .metric(m -> m.namespace(namespace).metricName(metric).dimensions(dimensions.entrySet().stream()
                                .map(e -> Dimension.builder()
                                        .name(e.getKey()).value(e.getValue()).build())
                                .toList())))))
                .metricDataResults().get(0);
        return result.values().stream().mapToDouble(Double::doubleValue).sum();
    }
}
