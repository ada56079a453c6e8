package dev.clicklog.localaws.firehose;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.clicklog.localaws.http.LocalAwsClient;
import dev.clicklog.localaws.protocol.JsonProtocol;

/**
 * Firehose's view of Kinesis Data Streams: the calls a Kinesis-sourced delivery stream makes,
 * sent in-process over Kinesis's own JSON 1.1 wire (so Data arrives base64-encoded, as on AWS).
 * Errors surface as {@link dev.clicklog.localaws.protocol.AwsServiceException} with Kinesis's code.
 */
@ApplicationScoped
class KinesisWireClient {

    static final String TARGET_PREFIX = "Kinesis_20131202";

    record Shard(String shardId, String parentShardId, String adjacentParentShardId) {
    }

    record ShardPage(List<Shard> shards, String nextToken) {
    }

    record SourceRecord(String sequenceNumber, Instant arrival, byte[] data) {
    }

    /** A GetRecords answer; nextIterator is null once a closed shard has been read to its end. */
    record RecordsPage(List<SourceRecord> records, String nextIterator, long millisBehindLatest) {
    }

    private final LocalAwsClient client;

    KinesisWireClient(LocalAwsClient client) {
        this.client = client;
    }

    /** DescribeStreamSummary: throws Kinesis's ResourceNotFoundException when the stream does not exist. */
    void describeStreamSummary(String streamName) {
        call("DescribeStreamSummary", body().put("StreamName", streamName));
    }

    /** One page of ListShards: the first names the stream, the following ones only the token. */
    ShardPage listShards(String streamName, String nextToken) {
        ObjectNode request = nextToken == null ? body().put("StreamName", streamName) : body().put("NextToken", nextToken);
        JsonNode out = call("ListShards", request);
        List<Shard> shards = new ArrayList<>();
        for (JsonNode s : out.path("Shards")) {
            shards.add(new Shard(s.path("ShardId").asText(), textOrNull(s, "ParentShardId"),
                    textOrNull(s, "AdjacentParentShardId")));
        }
        return new ShardPage(shards, textOrNull(out, "NextToken"));
    }

    /** An AT_TIMESTAMP iterator: the first record that arrived at or after {@code at}. */
    String iteratorAtTimestamp(String streamName, String shardId, Instant at) {
        ObjectNode request = body().put("StreamName", streamName).put("ShardId", shardId)
                .put("ShardIteratorType", "AT_TIMESTAMP")
                .put("Timestamp", BigDecimal.valueOf(at.toEpochMilli(), 3));
        return call("GetShardIterator", request).path("ShardIterator").asText();
    }

    /** An AFTER_SEQUENCE_NUMBER iterator: resumes right after the last record already taken. */
    String iteratorAfter(String streamName, String shardId, String sequenceNumber) {
        ObjectNode request = body().put("StreamName", streamName).put("ShardId", shardId)
                .put("ShardIteratorType", "AFTER_SEQUENCE_NUMBER")
                .put("StartingSequenceNumber", sequenceNumber);
        return call("GetShardIterator", request).path("ShardIterator").asText();
    }

    RecordsPage getRecords(String iterator, int limit) {
        JsonNode out = call("GetRecords", body().put("ShardIterator", iterator).put("Limit", limit));
        List<SourceRecord> records = new ArrayList<>();
        for (JsonNode r : out.path("Records")) {
            Long arrival = JsonProtocol.timestamp(r, "ApproximateArrivalTimestamp", JsonProtocol.Encoding.JSON_1_1);
            records.add(new SourceRecord(r.path("SequenceNumber").asText(),
                    arrival == null ? Instant.now() : Instant.ofEpochMilli(arrival), JsonProtocol.blob(r, "Data")));
        }
        return new RecordsPage(records, textOrNull(out, "NextShardIterator"), out.path("MillisBehindLatest").asLong(0));
    }

    private JsonNode call(String operation, ObjectNode request) {
        return client.jsonOrThrow(TARGET_PREFIX, operation, request);
    }

    private static ObjectNode body() {
        return JsonProtocol.NODES.objectNode();
    }

    private static String textOrNull(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
