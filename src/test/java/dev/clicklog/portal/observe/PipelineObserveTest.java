package dev.clicklog.portal.observe;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * Watching a pipeline end to end: clicks sent through its invoke URL (and two payloads put straight
 * into its stream) come back from /records decoded, are counted by /metrics, and show up in S3
 * through /objects and /objects/preview once Firehose has flushed them.
 */
@QuarkusTest
class PipelineObserveTest {

    private static final byte[] BINARY = { (byte) 0xff, (byte) 0xfe, 0x00, 0x01, (byte) 0x80 };
    private static final String TEXT = "plain text, not JSON";

    @Inject
    KinesisClient kinesis;

    @Test
    void clicksComeBackDecodedCountedAndStored() {
        JsonPath pipeline = ObservedPipelines.ready("observe", "\"allowedOrigins\":[\"https://shop.example\"]");
        String name = pipeline.getString("name");
        String stream = pipeline.getString("resources.streamName");
        try {
            Instant before = Instant.now();
            for (int i = 1; i <= 3; i++) {
                ObservedPipelines.click(pipeline, "{\"type\":\"click\",\"id\":\"c" + i + "\",\"n\":" + i + "}");
            }
            // A millisecond boundary between the clicks and the rest, as Kinesis stamps arrival in milliseconds.
            Instant afterClicks = Instant.ofEpochMilli(System.currentTimeMillis() + 1);
            await().atMost(Duration.ofSeconds(1)).until(() -> System.currentTimeMillis() >= afterClicks.toEpochMilli());
            kinesis.putRecord(b -> b.streamName(stream).partitionKey("text").data(SdkBytes.fromUtf8String(TEXT)));
            kinesis.putRecord(b -> b.streamName(stream).partitionKey("binary").data(SdkBytes.fromByteArray(BINARY)));

            JsonPath records = ObservedPipelines.records(name, "?limit=50");
            assertEquals(name, records.getString("pipeline"));
            assertEquals(stream, records.getString("streamName"));
            assertTrue(records.getBoolean("complete"));
            List<Map<String, Object>> all = records.getList("records");
            assertEquals(5, all.size(), records.prettify());
            assertEquals("base64", records.getString("records[0].data.encoding"));
            assertEquals(Base64.getEncoder().encodeToString(BINARY), records.getString("records[0].data.base64"));
            assertEquals(BINARY.length, records.getInt("records[0].size"));
            assertEquals("binary", records.getString("records[0].partitionKey"));
            assertEquals("text", records.getString("records[1].data.encoding"));
            assertEquals(TEXT, records.getString("records[1].data.text"));
            for (int i = 0; i < 3; i++) {
                String path = "records[" + (2 + i) + "]";
                assertEquals("json", records.getString(path + ".data.encoding"));
                assertEquals("c" + (3 - i), records.getString(path + ".data.json.id"));
                assertEquals(3 - i, records.getInt(path + ".data.json.n"));
                assertNull(records.get(path + ".data.text"));
            }
            all.forEach(r -> {
                assertEquals("shardId-000000000000", r.get("shardId"));
                assertNotNull(r.get("sequenceNumber"));
                Instant arrival = Instant.parse((String) r.get("arrivalTime"));
                assertFalse(arrival.isBefore(before.minusSeconds(1)), arrival + " is before the test");
            });
            assertNewestFirst(all);

            JsonPath newest = ObservedPipelines.records(name, "?limit=2");
            assertEquals(List.of("binary", "text"), newest.getList("records.partitionKey"));

            JsonPath since = ObservedPipelines.records(name, "?since=" + afterClicks);
            assertEquals(List.of("binary", "text"), since.getList("records.partitionKey"));
            assertEquals(afterClicks.toString(), since.getString("since"));

            assertMetrics(name);
            assertStored(name);
            assertTestClick(name);
        } finally {
            ObservedPipelines.delete(name);
        }
    }

    /** Requests and incoming records counted over the window; periods before the pipeline existed are null. */
    private static void assertMetrics(String name) {
        await().atMost(ObservedPipelines.WAIT).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            JsonPath metrics = given().queryParam("window", "15m").get("/api/pipelines/" + name + "/metrics")
                    .then().statusCode(200).extract().jsonPath();
            assertEquals("15m", metrics.getString("window"));
            assertEquals(60, metrics.getInt("periodSeconds"));
            Instant start = Instant.parse(metrics.getString("start"));
            Instant end = Instant.parse(metrics.getString("end"));
            assertEquals(Duration.ofMinutes(15), Duration.between(start, end));
            assertEquals(3.0, metrics.getDouble("series.find { it.id == 'requests' }.total"));
            assertEquals(5.0, metrics.getDouble("series.find { it.id == 'incomingRecords' }.total"));
            assertEquals(0.0, metrics.getDouble("series.find { it.id == 'errors4xx' }.total"));
            List<Map<String, Object>> requests = metrics.getList("series.find { it.id == 'requests' }.points");
            assertEquals(15, requests.size());
            assertEquals(start.toString(), requests.get(0).get("t"));
            assertNull(requests.get(0).get("v"), "no requests 15 minutes before the pipeline existed");
            assertTrue(requests.get(0).containsKey("v"), "a missing datapoint is an explicit null");
            for (int i = 1; i < requests.size(); i++) {
                assertEquals(Instant.parse((String) requests.get(i - 1).get("t")).plusSeconds(60).toString(),
                        requests.get(i).get("t"));
            }
            assertEquals(13, metrics.getList("series").size());
            assertEquals("Sum", metrics.getString("series.find { it.id == 'incomingBytes' }.stat"));
            assertEquals("Bytes", metrics.getString("series.find { it.id == 'incomingBytes' }.unit"));
            assertNull(metrics.get("series.find { it.id == 'latencyAvg' }.total"));
            assertTrue(metrics.<Float>getList("series.find { it.id == 'latencyMax' }.points.v").stream()
                    .anyMatch(Objects::nonNull), "the gateway's latency is charted");
        });
    }

    /** Firehose's objects hold the five records, in the stream's order, and the preview decodes them the same way. */
    private static void assertStored(String name) {
        List<Map<String, Object>> lines = ObservedPipelines.awaitObjectRecords(name, 5);
        assertEquals(5, lines.size());
        for (int i = 0; i < 3; i++) {
            @SuppressWarnings("unchecked")
            Map<String, Object> data = (Map<String, Object>) lines.get(i).get("data");
            assertEquals("json", data.get("encoding"));
            assertEquals(Map.of("type", "click", "id", "c" + (i + 1), "n", i + 1), data.get("json"));
            assertEquals(false, lines.get(i).get("truncated"));
        }
        assertEquals(Map.of("encoding", "text", "text", TEXT), lines.get(3).get("data"));
        assertEquals(Map.of("encoding", "base64", "base64", Base64.getEncoder().encodeToString(BINARY)),
                lines.get(4).get("data"));

        String key = ObservedPipelines.allKeys(name).get(0);
        JsonPath preview = ObservedPipelines.preview(name, key);
        assertEquals(key, preview.getString("key"));
        assertFalse(preview.getBoolean("compressed"));
        assertFalse(preview.getBoolean("truncated"));
        assertEquals(preview.getLong("size"), preview.getLong("bytesRead"));
        assertEquals(1, preview.getInt("records[0].line"));
    }

    /** A test click goes through the invoke URL with the allowed origin and is then the newest record. */
    private static void assertTestClick(String name) {
        JsonPath sent = given().post("/api/pipelines/" + name + "/test-click")
                .then().log().ifValidationFails().statusCode(200).extract().jsonPath();
        assertEquals(200, sent.getInt("status"));
        assertTrue(sent.getBoolean("accepted"));
        assertEquals("https://shop.example", sent.getString("origin"));
        assertEquals("https://shop.example", sent.getString("headers.access-control-allow-origin"));
        assertEquals("json", sent.getString("body.encoding"));
        assertEquals("shardId-000000000000", sent.getString("body.json.ShardId"));
        assertEquals("test-click", sent.getString("click.type"));

        await().atMost(ObservedPipelines.WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            JsonPath latest = ObservedPipelines.records(name, "?limit=1");
            assertEquals(sent.getString("click.id"), latest.getString("records[0].data.json.id"));
            assertEquals(sent.getString("body.json.SequenceNumber"), latest.getString("records[0].sequenceNumber"));
        });
    }

    static void assertNewestFirst(List<Map<String, Object>> records) {
        for (int i = 1; i < records.size(); i++) {
            Instant newer = Instant.parse((String) records.get(i - 1).get("arrivalTime"));
            Instant older = Instant.parse((String) records.get(i).get("arrivalTime"));
            assertFalse(older.isAfter(newer), "record " + i + " arrived after record " + (i - 1));
        }
    }
}
