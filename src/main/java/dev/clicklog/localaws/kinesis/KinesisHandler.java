package dev.clicklog.localaws.kinesis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.clicklog.localaws.LocalAwsConfig;
import dev.clicklog.localaws.http.AwsRequest;
import dev.clicklog.localaws.http.AwsResponse;
import dev.clicklog.localaws.http.BodyLimit;
import dev.clicklog.localaws.http.RouteTable;
import dev.clicklog.localaws.http.ServiceHandler;
import dev.clicklog.localaws.kinesis.KinesisService.Page;
import dev.clicklog.localaws.kinesis.KinesisService.StreamRef;
import dev.clicklog.localaws.kinesis.KinesisShapes.DescribeStreamOutput;
import dev.clicklog.localaws.kinesis.KinesisShapes.DescribeStreamSummaryOutput;
import dev.clicklog.localaws.kinesis.KinesisShapes.EnhancedMetrics;
import dev.clicklog.localaws.kinesis.KinesisShapes.GetShardIteratorOutput;
import dev.clicklog.localaws.kinesis.KinesisShapes.ListShardsOutput;
import dev.clicklog.localaws.kinesis.KinesisShapes.ListStreamsOutput;
import dev.clicklog.localaws.kinesis.KinesisShapes.ListTagsForStreamOutput;
import dev.clicklog.localaws.kinesis.KinesisShapes.PutRecordOutput;
import dev.clicklog.localaws.kinesis.KinesisShapes.StreamDescription;
import dev.clicklog.localaws.kinesis.KinesisShapes.StreamDescriptionSummary;
import dev.clicklog.localaws.kinesis.KinesisShapes.StreamModeDetails;
import dev.clicklog.localaws.kinesis.KinesisShapes.StreamSummary;
import dev.clicklog.localaws.kinesis.KinesisShapes.Tag;
import dev.clicklog.localaws.kinesis.KinesisShapes.UpdateShardCountOutput;
import dev.clicklog.localaws.protocol.AwsServiceException;
import dev.clicklog.localaws.protocol.JsonProtocol;
import dev.clicklog.localaws.protocol.JsonProtocol.Encoding;
import dev.clicklog.localaws.protocol.ValidationErrors;

/**
 * Kinesis Data Streams on the wire: JSON 1.1 (the AWS CLI, in-process callers) and CBOR 1.1 (the
 * Java SDK's default), target prefix {@value #TARGET_PREFIX}. Serves streams (create, describe,
 * list, delete, tags, retention, encryption, uniform resharding, capacity mode), their shards, and
 * records put and read through shard iterators. Refuses the rest with UnknownOperationException, as
 * Kinesis answers an operation it does not know: splitting and merging single shards, enhanced
 * fan-out consumers, enhanced monitoring, resource policies, account settings, warm throughput
 * changes, stopping encryption, tagging by ARN.
 * <p>
 * Checks every input against the model's constraints, calls {@link KinesisService}, and writes
 * AWS's output shapes. PutRecords and
 * GetRecords, the hot paths, are parsed and written as token streams, records going straight
 * between the wire and the shard's storage.
 * <p>
 * A {@code @Singleton}: it sits on every request's path, where a client proxy's lookup is measurable.
 */
@Singleton
public class KinesisHandler implements ServiceHandler {

    static final String TARGET_PREFIX = "Kinesis_20131202";

    private static final ObjectMapper JSON = shapes(JsonProtocol.JSON);
    private static final ObjectMapper CBOR = shapes(JsonProtocol.CBOR);
    private static final byte[] EMPTY = new byte[0];

    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_.-]+");
    private static final Pattern STREAM_ARN = Pattern.compile("arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+");
    private static final Pattern HASH_KEY = Pattern.compile("0|([1-9]\\d{0,38})");
    private static final Pattern SEQUENCE_NUMBER = Pattern.compile("0|([1-9]\\d{0,128})");
    private static final int MAX_DATA = 10 * 1024 * 1024;
    private static final int UNBOUNDED = Integer.MAX_VALUE;
    private static final List<String> ITERATOR_TYPES = List.of("AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER", "TRIM_HORIZON",
            "LATEST", "AT_TIMESTAMP");
    private static final List<String> STREAM_MODES = List.of("PROVISIONED", "ON_DEMAND");
    private static final List<String> ENCRYPTION_TYPES = List.of("NONE", "KMS");
    private static final List<String> SCALING_TYPES = List.of("UNIFORM_SCALING");
    private static final List<String> SHARD_FILTER_TYPES = List.of("AFTER_SHARD_ID", "AT_TRIM_HORIZON", "FROM_TRIM_HORIZON",
            "AT_LATEST", "AT_TIMESTAMP", "FROM_TIMESTAMP");

    private static final SerializedString RECORDS = new SerializedString("Records");
    private static final SerializedString SEQUENCE = new SerializedString("SequenceNumber");
    private static final SerializedString ARRIVAL = new SerializedString("ApproximateArrivalTimestamp");
    private static final SerializedString DATA = new SerializedString("Data");
    private static final SerializedString PARTITION_KEY = new SerializedString("PartitionKey");
    private static final SerializedString ENCRYPTION_TYPE = new SerializedString("EncryptionType");
    private static final SerializedString SHARD_ID = new SerializedString("ShardId");
    private static final SerializedString ERROR_CODE = new SerializedString("ErrorCode");
    private static final SerializedString ERROR_MESSAGE = new SerializedString("ErrorMessage");
    private static final SerializedString FAILED_RECORD_COUNT = new SerializedString("FailedRecordCount");
    private static final SerializedString NEXT_SHARD_ITERATOR = new SerializedString("NextShardIterator");
    private static final SerializedString MILLIS_BEHIND_LATEST = new SerializedString("MillisBehindLatest");
    private static final SerializedString CHILD_SHARDS = new SerializedString("ChildShards");

    /** One operation: the request in its encoding in, the wire response out. */
    private interface Action {
        AwsResponse handle(AwsRequest request, Encoding encoding) throws IOException;
    }

    /** An operation that takes its input as a tree (all but PutRecords, which streams). */
    private interface TreeAction {
        AwsResponse handle(AwsRequest request, Encoding encoding, ObjectNode in) throws IOException;
    }

    private final KinesisService kinesis;
    private final LocalAwsConfig config;
    private final RouteTable<Action> routes = new RouteTable<Action>()
            .serve("CreateStream", tree(this::createStream))
            .serve("DescribeStream", tree(this::describeStream))
            .serve("DescribeStreamSummary", tree(this::describeStreamSummary))
            .serve("ListStreams", tree(this::listStreams))
            .serve("ListShards", tree(this::listShards))
            .serve("DeleteStream", tree(this::deleteStream))
            .serve("AddTagsToStream", tree(this::addTags))
            .serve("ListTagsForStream", tree(this::listTags))
            .serve("RemoveTagsFromStream", tree(this::removeTags))
            .serve("IncreaseStreamRetentionPeriod", tree((r, e, in) -> changeRetention(r, e, in, true)))
            .serve("DecreaseStreamRetentionPeriod", tree((r, e, in) -> changeRetention(r, e, in, false)))
            .serve("StartStreamEncryption", tree(this::startEncryption))
            .serve("UpdateShardCount", tree(this::updateShardCount))
            .serve("UpdateStreamMode", tree(this::updateStreamMode))
            .serve("PutRecord", tree(this::putRecord))
            .serve("PutRecords", this::putRecords)
            .serve("GetShardIterator", tree(this::getShardIterator))
            .serve("GetRecords", tree(this::getRecords));

    KinesisHandler(KinesisService kinesis, LocalAwsConfig config) {
        this.kinesis = kinesis;
        this.config = config;
    }

    /**
     * The largest body a valid request can have: PutRecords' 10 MiB of records, base64-encoded in
     * JSON (4/3 of it), with 500 partition keys and hash keys. Anything larger is refused unread,
     * with a 413 as AWS's front end does; within it, records and batches are checked as Kinesis
     * checks them.
     */
    static final long MAX_REQUEST_BYTES = 16L * 1024 * 1024;

    @Override
    public BodyLimit bodyLimit(AwsRequest head) {
        return BodyLimit.inMemory(MAX_REQUEST_BYTES);
    }

    @Override
    public Route route() {
        return Route.signingName("kinesis").withTargetPrefix(TARGET_PREFIX);
    }

    @Override
    public AwsResponse handle(AwsRequest request) {
        Encoding encoding = JsonProtocol.encoding(request);
        String operation = JsonProtocol.operation(request);
        Action action = routes.handler(operation);
        if (action == null) {
            throw JsonProtocol.unknownOperation(operation);
        }
        try {
            return action.handle(request, encoding);
        } catch (IOException e) {
            throw JsonProtocol.serialization(encoding.cbor() ? "Unable to parse CBOR request body" : "Unable to parse JSON request body");
        }
    }

    @Override
    public List<Operation> operations() {
        return routes.operations();
    }

    @Override
    public AwsResponse error(AwsRequest request, AwsServiceException error) {
        return JsonProtocol.error(request, JsonProtocol.encoding(request), error);
    }

    /**
     * {@code kinesis:<operation>} on the stream the request names (by StreamName, StreamARN or, for
     * GetRecords, its shard iterator), with the stream's tags and the tags the request sets; a
     * CreateStream that tags also needs kinesis:AddTagsToStream, as on AWS.
     */
    @Override
    public List<Access> access(AwsRequest request) {
        String operation = JsonProtocol.operation(request);
        ObjectNode in = JsonProtocol.read(request, JsonProtocol.encoding(request));
        String name = JsonProtocol.text(in, "StreamName");
        String arn = JsonProtocol.text(in, "StreamARN");
        if (arn != null && arn.contains(":stream/")) {
            name = arn.substring(arn.indexOf(":stream/") + ":stream/".length());
        } else if (name == null && in.has("ShardIterator")) {
            name = kinesis.iteratorStream(JsonProtocol.text(in, "ShardIterator"));
        }
        if (name != null && arn == null) {
            arn = "arn:aws:kinesis:" + region(request) + ":" + config.accountId() + ":stream/" + name;
        }
        Access access = Access.of("kinesis:" + operation, arn == null ? "*" : arn).resourceTags(kinesis.tagsIfAny(name));
        Map<String, String> tags = tagMap(in, "Tags");
        access = access.requestTags(tags).tagKeys(JsonProtocol.texts(in, "TagKeys"));
        if (operation.equals("CreateStream") && tags != null && !tags.isEmpty()) {
            return List.of(access, Access.of("kinesis:AddTagsToStream", access.resource()).requestTags(tags));
        }
        return List.of(access);
    }

    private static Action tree(TreeAction action) {
        return (request, encoding) -> action.handle(request, encoding, JsonProtocol.read(request, encoding));
    }

    // ---- control plane ------------------------------------------------------------------------

    private AwsResponse createStream(AwsRequest request, Encoding encoding, ObjectNode in) {
        String name = JsonProtocol.text(in, "StreamName");
        Integer shardCount = JsonProtocol.integer(in, "ShardCount");
        JsonNode modeDetails = structure(in, "StreamModeDetails");
        String mode = modeDetails == null ? null : JsonProtocol.text(modeDetails, "StreamMode");
        Map<String, String> tags = tagMap(in, "Tags");
        Integer warmThroughput = JsonProtocol.integer(in, "WarmThroughputMiBps");
        Integer maxRecordSize = JsonProtocol.integer(in, "MaxRecordSizeInKiB");
        ValidationErrors v = new ValidationErrors()
                .notNull("streamName", name)
                .string("streamName", name, NAME, 1, 128)
                .range("shardCount", shardCount, 1, UNBOUNDED);
        if (modeDetails != null) {
            v.notNull("streamModeDetails.streamMode", mode).oneOf("streamModeDetails.streamMode", mode, STREAM_MODES);
        }
        checkTagMap(v, tags);
        v.range("warmThroughputMiBps", warmThroughput, 0, UNBOUNDED)
                .range("maxRecordSizeInKiB", maxRecordSize, 1024, 10240)
                .throwIfAny();
        kinesis.createStream(name, shardCount, mode, tags == null ? Map.of() : tags, warmThroughput, maxRecordSize, region(request));
        return JsonProtocol.ok(request, encoding, EMPTY);
    }

    private AwsResponse describeStream(AwsRequest request, Encoding encoding, ObjectNode in) throws IOException {
        Integer limit = JsonProtocol.integer(in, "Limit");
        String exclusiveStart = JsonProtocol.text(in, "ExclusiveStartShardId");
        ValidationErrors v = new ValidationErrors()
                .range("limit", limit, 1, 10000)
                .string("exclusiveStartShardId", exclusiveStart, NAME, 1, 128);
        KinesisStream stream = kinesis.stream(streamRef(in, v));
        boolean creating = stream.status() == KinesisStream.Status.CREATING;
        Page<StreamShard> page = creating ? new Page<>(List.of(), false, null) : kinesis.describeShards(stream, limit, exclusiveStart);
        StreamDescription description = new StreamDescription(stream.name, stream.arn, stream.status().name(),
                new StreamModeDetails(stream.mode().name()), page.items().stream().map(KinesisShapes.Shard::of).toList(),
                page.more(), stream.retentionHours(), Instant.ofEpochMilli(stream.createdMillis), EnhancedMetrics.NONE,
                stream.encryptionType(), stream.keyId());
        return write(request, encoding, new DescribeStreamOutput(description));
    }

    private AwsResponse describeStreamSummary(AwsRequest request, Encoding encoding, ObjectNode in) throws IOException {
        KinesisStream stream = kinesis.stream(streamRef(in, new ValidationErrors()));
        StreamDescriptionSummary summary = new StreamDescriptionSummary(stream.name, stream.arn, stream.status().name(),
                new StreamModeDetails(stream.mode().name()), stream.retentionHours(), Instant.ofEpochMilli(stream.createdMillis),
                EnhancedMetrics.NONE, stream.encryptionType(), stream.keyId(), stream.openShards().length, 0,
                stream.maxRecordSizeKiB);
        return write(request, encoding, new DescribeStreamSummaryOutput(summary));
    }

    private AwsResponse listStreams(AwsRequest request, Encoding encoding, ObjectNode in) throws IOException {
        Integer limit = JsonProtocol.integer(in, "Limit");
        String exclusiveStart = JsonProtocol.text(in, "ExclusiveStartStreamName");
        String nextToken = JsonProtocol.text(in, "NextToken");
        new ValidationErrors()
                .range("limit", limit, 1, 10000)
                .string("exclusiveStartStreamName", exclusiveStart, NAME, 1, 128)
                .string("nextToken", nextToken, null, 1, 1048576)
                .throwIfAny();
        Page<KinesisStream> page = kinesis.listStreams(limit, exclusiveStart, nextToken);
        List<String> names = page.items().stream().map(s -> s.name).toList();
        List<StreamSummary> summaries = page.items().stream()
                .map(s -> new StreamSummary(s.name, s.arn, s.status().name(), new StreamModeDetails(s.mode().name()),
                        Instant.ofEpochMilli(s.createdMillis)))
                .toList();
        return write(request, encoding, new ListStreamsOutput(names, page.more(), page.nextToken(), summaries));
    }

    private AwsResponse listShards(AwsRequest request, Encoding encoding, ObjectNode in) throws IOException {
        String nextToken = JsonProtocol.text(in, "NextToken");
        String exclusiveStart = JsonProtocol.text(in, "ExclusiveStartShardId");
        Integer maxResults = JsonProtocol.integer(in, "MaxResults");
        JsonProtocol.timestamp(in, "StreamCreationTimestamp", encoding);
        JsonNode filter = structure(in, "ShardFilter");
        String filterType = filter == null ? null : JsonProtocol.text(filter, "Type");
        String filterShardId = filter == null ? null : JsonProtocol.text(filter, "ShardId");
        Long filterTimestamp = filter == null ? null : JsonProtocol.timestamp(filter, "Timestamp", encoding);
        ValidationErrors v = new ValidationErrors()
                .string("nextToken", nextToken, null, 1, 1048576)
                .string("exclusiveStartShardId", exclusiveStart, NAME, 1, 128)
                .range("maxResults", maxResults, 1, 10000);
        if (filter != null) {
            v.notNull("shardFilter.type", filterType)
                    .oneOf("shardFilter.type", filterType, SHARD_FILTER_TYPES)
                    .string("shardFilter.shardId", filterShardId, NAME, 1, 128);
        }
        StreamRef ref = streamRef(in, v);
        Page<StreamShard> page = kinesis.listShards(ref, nextToken, exclusiveStart, maxResults, filterType, filterShardId,
                filterTimestamp);
        return write(request, encoding,
                new ListShardsOutput(page.items().stream().map(KinesisShapes.Shard::of).toList(), page.nextToken()));
    }

    private AwsResponse deleteStream(AwsRequest request, Encoding encoding, ObjectNode in) {
        JsonProtocol.bool(in, "EnforceConsumerDeletion"); // no consumers exist, so there is nothing to enforce
        kinesis.deleteStream(streamRef(in, new ValidationErrors()));
        return JsonProtocol.ok(request, encoding, EMPTY);
    }

    private AwsResponse addTags(AwsRequest request, Encoding encoding, ObjectNode in) {
        Map<String, String> tags = tagMap(in, "Tags");
        ValidationErrors v = new ValidationErrors().notNull("tags", tags);
        checkTagMap(v, tags);
        kinesis.addTags(streamRef(in, v), tags);
        return JsonProtocol.ok(request, encoding, EMPTY);
    }

    private AwsResponse listTags(AwsRequest request, Encoding encoding, ObjectNode in) throws IOException {
        String exclusiveStart = JsonProtocol.text(in, "ExclusiveStartTagKey");
        Integer limit = JsonProtocol.integer(in, "Limit");
        ValidationErrors v = new ValidationErrors()
                .string("exclusiveStartTagKey", exclusiveStart, null, 1, 128)
                .range("limit", limit, 1, 50);
        Page<Map.Entry<String, String>> page = kinesis.listTags(streamRef(in, v), exclusiveStart, limit);
        List<Tag> tags = page.items().stream().map(e -> new Tag(e.getKey(), e.getValue())).toList();
        return write(request, encoding, new ListTagsForStreamOutput(tags, page.more()));
    }

    private AwsResponse removeTags(AwsRequest request, Encoding encoding, ObjectNode in) {
        List<String> keys = stringList(in, "TagKeys");
        ValidationErrors v = new ValidationErrors().notNull("tagKeys", keys);
        if (keys != null) {
            String rendered = "[" + String.join(", ", keys) + "]";
            v.size("tagKeys", rendered, keys.size(), 1, 50);
            if (keys.stream().anyMatch(k -> k.isEmpty() || k.length() > 128)) {
                v.constraint("tagKeys", rendered, "Member must satisfy constraint: [Member must have length less than or"
                        + " equal to 128, Member must have length greater than or equal to 1]");
            }
        }
        kinesis.removeTags(streamRef(in, v), keys);
        return JsonProtocol.ok(request, encoding, EMPTY);
    }

    private AwsResponse changeRetention(AwsRequest request, Encoding encoding, ObjectNode in, boolean increase) {
        Integer hours = JsonProtocol.integer(in, "RetentionPeriodHours");
        StreamRef ref = streamRef(in, new ValidationErrors().notNull("retentionPeriodHours", hours));
        if (increase) {
            kinesis.increaseRetention(ref, hours);
        } else {
            kinesis.decreaseRetention(ref, hours);
        }
        return JsonProtocol.ok(request, encoding, EMPTY);
    }

    private AwsResponse startEncryption(AwsRequest request, Encoding encoding, ObjectNode in) {
        String type = JsonProtocol.text(in, "EncryptionType");
        String keyId = JsonProtocol.text(in, "KeyId");
        ValidationErrors v = new ValidationErrors()
                .notNull("encryptionType", type)
                .oneOf("encryptionType", type, ENCRYPTION_TYPES)
                .notNull("keyId", keyId)
                .string("keyId", keyId, null, 1, 2048);
        kinesis.startEncryption(streamRef(in, v), type, keyId);
        return JsonProtocol.ok(request, encoding, EMPTY);
    }

    private AwsResponse updateShardCount(AwsRequest request, Encoding encoding, ObjectNode in) throws IOException {
        Integer target = JsonProtocol.integer(in, "TargetShardCount");
        String scalingType = JsonProtocol.text(in, "ScalingType");
        ValidationErrors v = new ValidationErrors()
                .notNull("targetShardCount", target)
                .range("targetShardCount", target, 1, UNBOUNDED)
                .notNull("scalingType", scalingType)
                .oneOf("scalingType", scalingType, SCALING_TYPES);
        KinesisService.ShardCountUpdate update = kinesis.updateShardCount(streamRef(in, v), target, region(request));
        return write(request, encoding, new UpdateShardCountOutput(update.stream().name, update.current(),
                update.target(), update.stream().arn));
    }

    private AwsResponse updateStreamMode(AwsRequest request, Encoding encoding, ObjectNode in) {
        String arn = JsonProtocol.text(in, "StreamARN");
        JsonNode modeDetails = structure(in, "StreamModeDetails");
        String mode = modeDetails == null ? null : JsonProtocol.text(modeDetails, "StreamMode");
        Integer warmThroughput = JsonProtocol.integer(in, "WarmThroughputMiBps");
        ValidationErrors v = new ValidationErrors()
                .notNull("streamARN", arn)
                .notNull("streamModeDetails", modeDetails);
        if (modeDetails != null) {
            v.notNull("streamModeDetails.streamMode", mode).oneOf("streamModeDetails.streamMode", mode, STREAM_MODES);
        }
        v.range("warmThroughputMiBps", warmThroughput, 0, UNBOUNDED);
        StreamRef ref = streamRef(null, arn, v);
        if (warmThroughput != null) {
            throw KinesisErrors.invalidArgument("Warm throughput requires MinimumThroughputBillingCommitment to be enabled"
                    + " for the account " + config.accountId() + ".");
        }
        kinesis.updateStreamMode(ref, mode);
        return JsonProtocol.ok(request, encoding, EMPTY);
    }

    // ---- data plane ---------------------------------------------------------------------------

    private AwsResponse putRecord(AwsRequest request, Encoding encoding, ObjectNode in) throws IOException {
        byte[] data = JsonProtocol.blob(in, "Data");
        String partitionKey = JsonProtocol.text(in, "PartitionKey");
        String explicitHashKey = JsonProtocol.text(in, "ExplicitHashKey");
        String ordering = JsonProtocol.text(in, "SequenceNumberForOrdering");
        ValidationErrors v = new ValidationErrors()
                .notNull("data", data)
                .blob("data", data, MAX_DATA)
                .string("explicitHashKey", explicitHashKey, HASH_KEY, 0, UNBOUNDED)
                .notNull("partitionKey", partitionKey)
                .string("partitionKey", partitionKey, null, 1, 256)
                .string("sequenceNumberForOrdering", ordering, SEQUENCE_NUMBER, 0, UNBOUNDED);
        StreamRef ref = streamRef(in, v);
        KinesisService.Written written = kinesis.putRecord(ref, partitionKey.getBytes(StandardCharsets.UTF_8), data,
                explicitHashKey, ordering);
        return write(request, encoding, new PutRecordOutput(written.shard().shardId,
                written.shard().sequenceNumber(written.index()), written.encrypted() ? "KMS" : "NONE"));
    }

    private AwsResponse putRecords(AwsRequest request, Encoding encoding) throws IOException {
        PutRecordsInput in = PutRecordsInput.read(factory(encoding), request.body());
        ValidationErrors v = new ValidationErrors().notNull("records", in.records);
        if (in.records != null) {
            v.size("records", in.records.isEmpty() ? "[]" : "[" + in.records.size() + " PutRecordsRequestEntry]",
                    in.records.size(), 1, 500);
            for (int i = 0; i < in.records.size(); i++) {
                in.records.get(i).validate(v, i);
            }
        }
        StreamRef ref = streamRef(in.streamName, in.streamArn, v);
        int n = in.records.size();
        byte[][] keys = new byte[n][];
        byte[][] data = new byte[n][];
        String[] explicit = new String[n];
        for (int i = 0; i < n; i++) {
            PutRecordsInput.Entry e = in.records.get(i);
            keys[i] = e.partitionKey.getBytes(StandardCharsets.UTF_8);
            data[i] = e.data;
            explicit[i] = e.explicitHashKey;
        }
        PutBatch batch = new PutBatch(keys, data, explicit);
        KinesisStream stream = kinesis.putRecords(ref, batch);

        ByteArrayBuilder out = new ByteArrayBuilder(64 + n * 120);
        byte[] sequence = new byte[SequenceNumber.LENGTH];
        int failed = 0;
        boolean encrypted = false;
        for (int i = 0; i < n; i++) {
            failed += batch.written(i) ? 0 : 1;
            encrypted |= batch.written(i) && stream.shard(batch.shard[i]).encrypted(batch.index[i]);
        }
        try (JsonGenerator gen = factory(encoding).createGenerator(out)) {
            gen.writeStartObject();
            gen.writeFieldName(FAILED_RECORD_COUNT);
            gen.writeNumber(failed);
            gen.writeFieldName(RECORDS);
            gen.writeStartArray();
            for (int i = 0; i < n; i++) {
                StreamShard shard = stream.shard(batch.shard[i]);
                gen.writeStartObject();
                if (batch.written(i)) {
                    SequenceNumber.write(shard.sequenceTemplate, batch.index[i] + 1, sequence);
                    gen.writeFieldName(SEQUENCE);
                    gen.writeUTF8String(sequence, 0, sequence.length);
                    gen.writeFieldName(SHARD_ID);
                    gen.writeString(shard.shardId);
                } else {
                    gen.writeFieldName(ERROR_CODE);
                    gen.writeString("ProvisionedThroughputExceededException");
                    gen.writeFieldName(ERROR_MESSAGE);
                    gen.writeString(kinesis.throughputMessage(shard, stream));
                }
                gen.writeEndObject();
            }
            gen.writeEndArray();
            gen.writeFieldName(ENCRYPTION_TYPE);
            gen.writeString(encrypted ? "KMS" : "NONE");
            gen.writeEndObject();
        }
        return JsonProtocol.ok(request, encoding, out.toByteArray());
    }

    private AwsResponse getShardIterator(AwsRequest request, Encoding encoding, ObjectNode in) throws IOException {
        String shardId = JsonProtocol.text(in, "ShardId");
        String type = JsonProtocol.text(in, "ShardIteratorType");
        String startingSequenceNumber = JsonProtocol.text(in, "StartingSequenceNumber");
        Long timestamp = JsonProtocol.timestamp(in, "Timestamp", encoding);
        ValidationErrors v = new ValidationErrors()
                .notNull("shardId", shardId)
                .string("shardId", shardId, NAME, 1, 128)
                .notNull("shardIteratorType", type)
                .oneOf("shardIteratorType", type, ITERATOR_TYPES)
                .string("startingSequenceNumber", startingSequenceNumber, SEQUENCE_NUMBER, 0, UNBOUNDED);
        StreamRef ref = streamRef(in, v);
        String iterator = kinesis.shardIterator(ref, shardId, type, startingSequenceNumber, timestamp);
        return write(request, encoding, new GetShardIteratorOutput(iterator));
    }

    private AwsResponse getRecords(AwsRequest request, Encoding encoding, ObjectNode in) throws IOException {
        String iterator = JsonProtocol.text(in, "ShardIterator");
        Integer limit = JsonProtocol.integer(in, "Limit");
        String streamArn = JsonProtocol.text(in, "StreamARN");
        new ValidationErrors()
                .notNull("shardIterator", iterator)
                .string("shardIterator", iterator, null, 1, 512)
                .range("limit", limit, 1, 10000)
                .string("streamARN", streamArn, STREAM_ARN, 1, 2048)
                .throwIfAny();
        ByteArrayBuilder out = new ByteArrayBuilder(16 * 1024);
        try (JsonGenerator gen = factory(encoding).createGenerator(out)) {
            gen.writeStartObject();
            gen.writeFieldName(RECORDS);
            gen.writeStartArray();
            KinesisService.RecordsRead read = kinesis.getRecords(iterator, limit == null ? 10000 : limit, streamArn,
                    (sequence, arrival, bytes, keyOffset, keyLength, dataLength, encrypted) -> {
                        gen.writeStartObject();
                        gen.writeFieldName(SEQUENCE);
                        gen.writeUTF8String(sequence, 0, sequence.length);
                        gen.writeFieldName(ARRIVAL);
                        JsonProtocol.writeTimestamp(gen, arrival);
                        gen.writeFieldName(DATA);
                        gen.writeBinary(bytes, keyOffset + keyLength, dataLength);
                        gen.writeFieldName(PARTITION_KEY);
                        gen.writeUTF8String(bytes, keyOffset, keyLength);
                        if (encrypted) {
                            gen.writeFieldName(ENCRYPTION_TYPE);
                            gen.writeString("KMS");
                        }
                        gen.writeEndObject();
                    });
            gen.writeEndArray();
            if (read.nextShardIterator() != null) {
                gen.writeFieldName(NEXT_SHARD_ITERATOR);
                gen.writeString(read.nextShardIterator());
            }
            gen.writeFieldName(MILLIS_BEHIND_LATEST);
            gen.writeNumber(read.millisBehindLatest());
            if (read.childShards() != null) {
                gen.writeFieldName(CHILD_SHARDS);
                gen.writeStartArray();
                for (StreamShard child : read.childShards()) {
                    KinesisShapes.ChildShard c = KinesisShapes.ChildShard.of(child);
                    gen.writeStartObject();
                    gen.writeStringField("ShardId", c.shardId());
                    gen.writeArrayFieldStart("ParentShards");
                    for (String parent : c.parentShards()) {
                        gen.writeString(parent);
                    }
                    gen.writeEndArray();
                    gen.writeObjectFieldStart("HashKeyRange");
                    gen.writeStringField("StartingHashKey", c.hashKeyRange().startingHashKey());
                    gen.writeStringField("EndingHashKey", c.hashKeyRange().endingHashKey());
                    gen.writeEndObject();
                    gen.writeEndObject();
                }
                gen.writeEndArray();
            }
            gen.writeEndObject();
        }
        return JsonProtocol.ok(request, encoding, out.toByteArray());
    }

    // ---- input helpers ------------------------------------------------------------------------

    /** StreamName and/or StreamARN, validated with the operation's other members. */
    private static StreamRef streamRef(ObjectNode in, ValidationErrors v) {
        return streamRef(JsonProtocol.text(in, "StreamName"), JsonProtocol.text(in, "StreamARN"), v);
    }

    private static StreamRef streamRef(String name, String arn, ValidationErrors v) {
        v.string("streamName", name, NAME, 1, 128)
                .string("streamARN", arn, STREAM_ARN, 1, 2048)
                .throwIfAny();
        return new StreamRef(name, arn);
    }

    private String region(AwsRequest request) {
        return request.region(config.defaultRegion());
    }

    private static JsonNode structure(ObjectNode in, String field) {
        JsonNode v = in.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw JsonProtocol.serialization("Expected a structure for " + field);
        }
        return v;
    }

    private static Map<String, String> tagMap(ObjectNode in, String field) {
        JsonNode v = structure(in, field);
        if (v == null) {
            return null;
        }
        Map<String, String> tags = new LinkedHashMap<>();
        v.fields().forEachRemaining(e -> {
            if (!e.getValue().isTextual()) {
                throw JsonProtocol.serialization("Expected a string for a value of " + field);
            }
            tags.put(e.getKey(), e.getValue().textValue());
        });
        return tags;
    }

    private static void checkTagMap(ValidationErrors v, Map<String, String> tags) {
        if (tags == null) {
            return;
        }
        String rendered = tags.toString();
        v.size("tags", rendered, tags.size(), 1, 200);
        if (tags.keySet().stream().anyMatch(k -> k.isEmpty() || k.length() > 128)) {
            v.constraint("tags", rendered, "Map keys must satisfy constraint: [Member must have length less than or equal"
                    + " to 128, Member must have length greater than or equal to 1]");
        }
        if (tags.values().stream().anyMatch(t -> t.length() > 256)) {
            v.constraint("tags", rendered, "Map value must satisfy constraint: [Member must have length less than or equal"
                    + " to 256, Member must have length greater than or equal to 0]");
        }
    }

    private static List<String> stringList(ObjectNode in, String field) {
        JsonNode v = in.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray()) {
            throw JsonProtocol.serialization("Expected list or null");
        }
        List<String> items = new ArrayList<>();
        for (JsonNode item : v) {
            if (!item.isTextual()) {
                throw JsonProtocol.serialization("Expected a string in " + field);
            }
            items.add(item.textValue());
        }
        return items;
    }

    private static ObjectMapper mapper(Encoding encoding) {
        return encoding.cbor() ? CBOR : JSON;
    }

    private static JsonFactory factory(Encoding encoding) {
        return mapper(encoding).getFactory();
    }

    private static AwsResponse write(AwsRequest request, Encoding encoding, Object output) throws JsonProcessingException {
        return JsonProtocol.ok(request, encoding, mapper(encoding).writeValueAsBytes(output));
    }

    private static ObjectMapper shapes(ObjectMapper base) {
        return base.copy()
                .setPropertyNamingStrategy(PropertyNamingStrategies.UPPER_CAMEL_CASE)
                .setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL);
    }

    /** PutRecords' input, read token by token so record data goes straight from the body into byte arrays. */
    static final class PutRecordsInput {

        /** One request entry; members are null when absent. */
        static final class Entry {
            byte[] data;
            String partitionKey;
            String explicitHashKey;

            /** Adds the model's complaints about entry {@code i}; the paths are only built for an invalid entry. */
            void validate(ValidationErrors v, int i) {
                boolean valid = data != null && data.length <= MAX_DATA && partitionKey != null && !partitionKey.isEmpty()
                        && partitionKey.length() <= 256 && (explicitHashKey == null || HASH_KEY.matcher(explicitHashKey).matches());
                if (valid) {
                    return;
                }
                String path = "records." + (i + 1) + ".member.";
                v.notNull(path + "data", data)
                        .blob(path + "data", data, MAX_DATA)
                        .string(path + "explicitHashKey", explicitHashKey, HASH_KEY, 0, UNBOUNDED)
                        .notNull(path + "partitionKey", partitionKey)
                        .string(path + "partitionKey", partitionKey, null, 1, 256);
            }
        }

        String streamName;
        String streamArn;
        List<Entry> records;

        static PutRecordsInput read(JsonFactory factory, byte[] body) throws IOException {
            PutRecordsInput in = new PutRecordsInput();
            if (body.length == 0) {
                return in;
            }
            try (JsonParser p = factory.createParser(body)) {
                JsonToken t = p.nextToken();
                if (t != JsonToken.START_OBJECT) {
                    throw JsonProtocol.serialization("Start of structure or map found where not expected.");
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    t = p.nextToken();
                    switch (field) {
                        case "StreamName" -> in.streamName = string(p, t, field);
                        case "StreamARN" -> in.streamArn = string(p, t, field);
                        case "Records" -> in.records = entries(p, t);
                        default -> p.skipChildren();
                    }
                }
            }
            return in;
        }

        private static List<Entry> entries(JsonParser p, JsonToken t) throws IOException {
            if (t == JsonToken.VALUE_NULL) {
                return null;
            }
            if (t != JsonToken.START_ARRAY) {
                throw JsonProtocol.serialization("Expected list or null");
            }
            List<Entry> entries = new ArrayList<>();
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t != JsonToken.START_OBJECT) {
                    throw JsonProtocol.serialization("Expected a PutRecordsRequestEntry structure");
                }
                Entry e = new Entry();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    t = p.nextToken();
                    switch (field) {
                        case "Data" -> e.data = blob(p, t);
                        case "PartitionKey" -> e.partitionKey = string(p, t, field);
                        case "ExplicitHashKey" -> e.explicitHashKey = string(p, t, field);
                        default -> p.skipChildren();
                    }
                }
                entries.add(e);
            }
            return entries;
        }

        private static String string(JsonParser p, JsonToken t, String field) throws IOException {
            if (t == JsonToken.VALUE_NULL) {
                return null;
            }
            if (t != JsonToken.VALUE_STRING) {
                throw JsonProtocol.serialization("Expected a string for " + field);
            }
            return p.getText();
        }

        /** CBOR carries a byte string; JSON base64 text, which the parser decodes. */
        private static byte[] blob(JsonParser p, JsonToken t) throws IOException {
            if (t == JsonToken.VALUE_NULL) {
                return null;
            }
            if (t != JsonToken.VALUE_STRING && t != JsonToken.VALUE_EMBEDDED_OBJECT) {
                throw JsonProtocol.serialization("Expected a blob for Data");
            }
            return p.getBinaryValue();
        }
    }
}
