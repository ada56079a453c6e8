package dev.clicklog.localaws.kinesis;

import static dev.clicklog.localaws.kinesis.TestStreams.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.clicklog.endpoint.LocalEndpoint;
import dev.clicklog.testing.AwsCli;
import io.quarkus.test.junit.QuarkusTest;

/** The seed's own workflow with the real AWS CLI (JSON 1.1): create, wait, put, read back by timestamp. */
@QuarkusTest
class KinesisCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    LocalEndpoint endpoint;

    private AwsCli aws;

    @BeforeEach
    void cli() {
        aws = new AwsCli(endpoint.uri(), "us-east-1");
    }

    @Test
    void seedWorkflowReadsBackExactlyWhatWasPut() throws Exception {
        String stream = unique("seed");
        aws.run("kinesis", "create-stream", "--stream-name", stream, "--shard-count", "1").assertOk();
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> "ACTIVE".equals(
                json(aws.run("kinesis", "describe-stream", "--stream-name", stream).assertOk())
                        .path("StreamDescription").path("StreamStatus").asText()));

        long since = Instant.now().getEpochSecond();
        String click = "{\"page\":\"/pricing\",\"button\":\"Buy ✓\",\"ts\":" + since + "}";
        JsonNode put = json(aws.run(putRecord(stream, "user-42", click)).assertOk());
        String shardId = put.path("ShardId").asText();
        assertEquals("shardId-000000000000", shardId);

        String iterator = json(aws.run("kinesis", "get-shard-iterator", "--stream-name", stream, "--shard-id", shardId,
                "--shard-iterator-type", "AT_TIMESTAMP", "--timestamp", Long.toString(since)).assertOk()).path("ShardIterator").asText();
        JsonNode got = json(aws.run("kinesis", "get-records", "--shard-iterator", iterator).assertOk());
        JsonNode record = got.path("Records").get(0);
        assertEquals(click, new String(Base64.getDecoder().decode(record.path("Data").asText()), StandardCharsets.UTF_8));
        assertEquals("user-42", record.path("PartitionKey").asText());
        assertEquals(put.path("SequenceNumber").asText(), record.path("SequenceNumber").asText());
        double arrival = record.path("ApproximateArrivalTimestamp").asDouble();
        assertTrue(arrival >= since && arrival <= Instant.now().getEpochSecond() + 1, "arrival " + arrival);
        assertEquals(0, got.path("MillisBehindLatest").asLong());
        assertNotEquals("", got.path("NextShardIterator").asText());

        assertTrue(json(aws.run("kinesis", "list-streams").assertOk()).path("StreamNames").toString().contains(stream));
        aws.run("kinesis", "delete-stream", "--stream-name", stream).assertOk();
    }

    @Test
    void cliErrorsNameTheAwsErrorCode() {
        String missing = unique("absent");
        AwsCli.Result put = aws.run(putRecord(missing, "k", "x"));
        assertNotEquals(0, put.exitCode());
        assertTrue(put.stderr().contains("(ResourceNotFoundException)"), put.stderr());
        assertTrue(put.stderr().contains("Stream " + missing + " under account 000000000000 not found."), put.stderr());

        AwsCli.Result badIterator = aws.run("kinesis", "get-records", "--shard-iterator", "AAAAAAAAAAE=");
        assertNotEquals(0, badIterator.exitCode());
        assertTrue(badIterator.stderr().contains("(InvalidArgumentException)"), badIterator.stderr());
        assertTrue(badIterator.stderr().contains("Invalid ShardIterator."), badIterator.stderr());
    }

    @Test
    void reshardingAndCapacityModeThroughTheCli() throws Exception {
        String stream = unique("cli-reshard");
        aws.run("kinesis", "create-stream", "--stream-name", stream, "--shard-count", "2").assertOk();
        awaitCliStatus(stream, "ACTIVE");
        JsonNode update = json(aws.run("kinesis", "update-shard-count", "--stream-name", stream, "--target-shard-count", "4",
                "--scaling-type", "UNIFORM_SCALING").assertOk());
        assertEquals(2, update.path("CurrentShardCount").asInt());
        assertEquals(4, update.path("TargetShardCount").asInt());
        awaitCliStatus(stream, "ACTIVE");
        JsonNode open = json(aws.run("kinesis", "list-shards", "--stream-name", stream, "--shard-filter", "Type=AT_LATEST")
                .assertOk()).path("Shards");
        assertEquals(4, open.size());
        assertEquals("shardId-000000000000", open.get(0).path("ParentShardId").asText());
        JsonNode all = json(aws.run("kinesis", "list-shards", "--stream-name", stream).assertOk()).path("Shards");
        assertEquals(6, all.size());
        assertTrue(all.get(0).path("SequenceNumberRange").has("EndingSequenceNumber"), all.get(0).toString());

        AwsCli.Result tooMany = aws.run("kinesis", "update-shard-count", "--stream-name", stream, "--target-shard-count",
                "9", "--scaling-type", "UNIFORM_SCALING");
        assertNotEquals(0, tooMany.exitCode());
        assertTrue(tooMany.stderr().contains("(LimitExceededException)"), tooMany.stderr());

        String arn = json(aws.run("kinesis", "describe-stream-summary", "--stream-name", stream).assertOk())
                .path("StreamDescriptionSummary").path("StreamARN").asText();
        aws.run("kinesis", "update-stream-mode", "--stream-arn", arn, "--stream-mode-details", "StreamMode=ON_DEMAND")
                .assertOk();
        awaitCliStatus(stream, "ACTIVE");
        JsonNode summary = json(aws.run("kinesis", "describe-stream-summary", "--stream-name", stream).assertOk())
                .path("StreamDescriptionSummary");
        assertEquals("ON_DEMAND", summary.path("StreamModeDetails").path("StreamMode").asText());
        assertEquals(4, summary.path("OpenShardCount").asInt());

        aws.run("kinesis", "increase-stream-retention-period", "--stream-name", stream, "--retention-period-hours", "48")
                .assertOk();
        awaitCliStatus(stream, "ACTIVE");
        aws.run("kinesis", "decrease-stream-retention-period", "--stream-name", stream, "--retention-period-hours", "24")
                .assertOk();
        awaitCliStatus(stream, "ACTIVE");
        assertEquals(24, json(aws.run("kinesis", "describe-stream-summary", "--stream-name", stream).assertOk())
                .path("StreamDescriptionSummary").path("RetentionPeriodHours").asInt());
        aws.run("kinesis", "delete-stream", "--stream-name", stream).assertOk();
    }

    private void awaitCliStatus(String stream, String status) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> status.equals(
                json(aws.run("kinesis", "describe-stream-summary", "--stream-name", stream).assertOk())
                        .path("StreamDescriptionSummary").path("StreamStatus").asText()));
    }

    /**
     * put-record with --data taken as the record's bytes. CLI v1 (Debian's awscli) always treats it
     * so; CLI v2 needs --cli-binary-format raw-in-base64-out for the same, as in the seed.
     */
    private String[] putRecord(String stream, String partitionKey, String data) {
        List<String> args = new ArrayList<>(List.of("kinesis", "put-record", "--stream-name", stream,
                "--partition-key", partitionKey, "--data", data));
        AwsCli.Result version = aws.run("--version");
        if (!(version.stdout() + version.stderr()).startsWith("aws-cli/1.")) {
            args.addAll(List.of("--cli-binary-format", "raw-in-base64-out"));
        }
        return args.toArray(String[]::new);
    }

    private static JsonNode json(AwsCli.Result result) throws Exception {
        return JSON.readTree(result.stdout());
    }
}
