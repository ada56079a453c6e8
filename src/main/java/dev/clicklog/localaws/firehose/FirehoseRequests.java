package dev.clicklog.localaws.firehose;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import dev.clicklog.localaws.firehose.FirehoseService.NewDeliveryStream;
import dev.clicklog.localaws.firehose.S3Destination.Logging;
import dev.clicklog.localaws.firehose.S3Destination.Parameter;
import dev.clicklog.localaws.firehose.S3Destination.Processing;
import dev.clicklog.localaws.firehose.S3Destination.Processor;
import dev.clicklog.localaws.protocol.JsonProtocol;

/**
 * Reads Firehose's request shapes (botocore model firehose/2015-08-04): the API model's
 * constraints first, reported together as ValidationException, then the rules Firehose applies to
 * the combination of members (InvalidArgumentException), and what localaws does not implement.
 */
final class FirehoseRequests {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_.-]+");
    private static final Pattern KINESIS_STREAM_ARN = Pattern.compile("arn:.*:kinesis:[a-zA-Z0-9\\-]+:\\d{12}:stream/[a-zA-Z0-9_.-]+");
    private static final Pattern ROLE_ARN = Pattern.compile("arn:.*:iam::\\d{12}:role/[a-zA-Z_0-9+=,.@\\-_/]+");
    private static final Pattern BUCKET_ARN = Pattern.compile("arn:.*:s3:::[\\w\\.\\-]{1,255}");
    private static final Pattern TAG_KEY = Pattern.compile("^(?!aws:)[\\p{L}\\p{Z}\\p{N}_.:\\/=+\\-@%]*$");
    private static final Pattern TAG_VALUE = Pattern.compile("^[\\p{L}\\p{Z}\\p{N}_.:\\/=+\\-@%]*$");
    private static final Pattern DESTINATION_ID = Pattern.compile("[a-zA-Z0-9-]+");
    private static final Pattern VERSION_ID = Pattern.compile("[0-9]+");
    private static final Pattern NON_BLANK = Pattern.compile("^(?!\\s*$).+");
    private static final Pattern FILE_EXTENSION = Pattern.compile("^$|\\.[0-9a-z!\\-_.*'()]+");
    private static final Pattern TIME_ZONE = Pattern.compile("^$|[a-zA-Z/_]+");
    private static final Pattern LOG_GROUP = Pattern.compile("[\\.\\-_/#A-Za-z0-9]*");
    private static final Pattern LOG_STREAM = Pattern.compile("[^:*]*");
    private static final List<String> TYPES = List.of("DirectPut", "KinesisStreamAsSource", "MSKAsSource", "DatabaseAsSource");
    private static final List<String> COMPRESSION = List.of("UNCOMPRESSED", "GZIP", "ZIP", "Snappy", "HADOOP_SNAPPY");
    private static final List<String> PROCESSOR_TYPES = List.of("RecordDeAggregation", "Decompression",
            "CloudWatchLogProcessing", "Lambda", "MetadataExtraction", "AppendDelimiterToRecord");
    private static final List<String> PARAMETER_NAMES = List.of("LambdaArn", "NumberOfRetries", "MetadataExtractionQuery",
            "JsonParsingEngine", "RoleArn", "BufferSizeInMBs", "BufferIntervalInSeconds", "SubRecordType",
            "Delimiter", "CompressionFormat", "DataMessageExtraction");
    private static final int MAX_RECORD_BYTES = 1_024_000;
    private static final int MAX_BATCH_RECORDS = 500;

    /** Destinations and sources that AWS offers and localaws does not implement. */
    private static final List<String> UNSUPPORTED_CREATE_MEMBERS = List.of("RedshiftDestinationConfiguration",
            "ElasticsearchDestinationConfiguration", "AmazonopensearchserviceDestinationConfiguration",
            "SplunkDestinationConfiguration", "HttpEndpointDestinationConfiguration",
            "AmazonOpenSearchServerlessDestinationConfiguration", "SnowflakeDestinationConfiguration",
            "IcebergDestinationConfiguration", "MSKSourceConfiguration", "DatabaseSourceConfiguration",
            "DeliveryStreamEncryptionConfigurationInput");
    private static final List<String> UNSUPPORTED_UPDATE_MEMBERS = List.of("RedshiftDestinationUpdate",
            "ElasticsearchDestinationUpdate", "AmazonopensearchserviceDestinationUpdate", "SplunkDestinationUpdate",
            "HttpEndpointDestinationUpdate", "AmazonOpenSearchServerlessDestinationUpdate",
            "SnowflakeDestinationUpdate", "IcebergDestinationUpdate");

    record UpdateDestination(String name, String currentVersionId, String destinationId, S3DestinationInput update) {
    }

    record ListTags(String name, String exclusiveStartKey, Integer limit) {
    }

    record Describe(String name, String exclusiveStartDestinationId) {
    }

    record ListStreams(String type, String exclusiveStart, Integer limit) {
    }

    record Put(String name, List<byte[]> records) {
    }

    record Tagging(String name, Map<String, String> tags) {
    }

    record Untagging(String name, List<String> keys) {
    }

    private FirehoseRequests() {
    }

    static NewDeliveryStream create(JsonNode in, String region) {
        ModelConstraints c = new ModelConstraints();
        String name = name(in, c);
        String type = JsonProtocol.text(in, "DeliveryStreamType");
        c.oneOf("deliveryStreamType", type, TYPES);
        KinesisSource source = null;
        JsonNode kinesis = struct(in, "KinesisStreamSourceConfiguration");
        if (kinesis != null) {
            String streamArn = JsonProtocol.text(kinesis, "KinesisStreamARN");
            String roleArn = JsonProtocol.text(kinesis, "RoleARN");
            String path = "kinesisStreamSourceConfiguration.";
            if (c.required(path + "kinesisStreamARN", streamArn)) {
                c.string(path + "kinesisStreamARN", streamArn, 1, 512, KINESIS_STREAM_ARN);
            }
            if (c.required(path + "roleARN", roleArn)) {
                c.string(path + "roleARN", roleArn, 1, 512, ROLE_ARN);
            }
            source = new KinesisSource(streamArn, roleArn);
        }
        Integer throughputHint = null;
        JsonNode directPut = struct(in, "DirectPutSourceConfiguration");
        if (directPut != null) {
            throughputHint = JsonProtocol.integer(directPut, "ThroughputHintInMBs");
            if (c.required("directPutSourceConfiguration.throughputHintInMBs", throughputHint)) {
                c.range("directPutSourceConfiguration.throughputHintInMBs", throughputHint, 1, 100);
            }
        }
        JsonNode extended = struct(in, "ExtendedS3DestinationConfiguration");
        JsonNode plain = struct(in, "S3DestinationConfiguration");
        S3DestinationInput destination = null;
        if (extended != null) {
            destination = destination(extended, "extendedS3DestinationConfiguration", true, true, c);
        }
        if (plain != null) {
            destination = destination(plain, "s3DestinationConfiguration", false, true, c);
        }
        Map<String, String> tags = tags(in, "Tags", c);
        c.check();

        for (String member : UNSUPPORTED_CREATE_MEMBERS) {
            if (struct(in, member) != null) {
                throw FirehoseErrors.unsupported(member);
            }
        }
        if ("MSKAsSource".equals(type) || "DatabaseAsSource".equals(type)) {
            throw FirehoseErrors.unsupported("DeliveryStreamType " + type);
        }
        if (extended != null && plain != null) {
            throw FirehoseErrors.invalidArgument("Only one destination configuration can be specified: "
                    + "ExtendedS3DestinationConfiguration or S3DestinationConfiguration.");
        }
        if (destination == null) {
            throw FirehoseErrors.invalidArgument("A destination configuration is required: "
                    + "ExtendedS3DestinationConfiguration or S3DestinationConfiguration.");
        }
        destinationRules(extended != null ? extended : plain);
        return new NewDeliveryStream(region, name, type == null ? DeliveryStream.DIRECT_PUT : type, source,
                throughputHint, destination, tags);
    }

    static Describe describe(JsonNode in) {
        ModelConstraints c = new ModelConstraints();
        String name = name(in, c);
        c.range("limit", JsonProtocol.integer(in, "Limit"), 1, 10_000);
        String start = JsonProtocol.text(in, "ExclusiveStartDestinationId");
        c.string("exclusiveStartDestinationId", start, 1, 100, DESTINATION_ID);
        c.check();
        return new Describe(name, start);
    }

    static ListStreams list(JsonNode in) {
        ModelConstraints c = new ModelConstraints();
        Integer limit = JsonProtocol.integer(in, "Limit");
        c.range("limit", limit, 1, 10_000);
        String type = JsonProtocol.text(in, "DeliveryStreamType");
        c.oneOf("deliveryStreamType", type, TYPES);
        String start = JsonProtocol.text(in, "ExclusiveStartDeliveryStreamName");
        c.string("exclusiveStartDeliveryStreamName", start, 1, 64, NAME);
        c.check();
        return new ListStreams(type, start, limit);
    }

    /** DeleteDeliveryStream; AllowForceDelete only matters for KMS failures, which localaws has none of. */
    static String delete(JsonNode in) {
        ModelConstraints c = new ModelConstraints();
        String name = name(in, c);
        bool(in, "AllowForceDelete");
        c.check();
        return name;
    }

    static Put putRecord(JsonNode in) {
        ModelConstraints c = new ModelConstraints();
        String name = name(in, c);
        JsonNode record = struct(in, "Record");
        byte[] data = null;
        if (c.required("record", record)) {
            data = JsonProtocol.blob(record, "Data");
            if (c.required("record.data", data)) {
                c.blob("record.data", data, MAX_RECORD_BYTES);
            }
        }
        c.check();
        return new Put(name, List.of(data));
    }

    static Put putRecordBatch(JsonNode in) {
        ModelConstraints c = new ModelConstraints();
        String name = name(in, c);
        List<JsonNode> records = array(in, "Records");
        List<byte[]> data = new ArrayList<>();
        if (c.required("records", records)) {
            c.size("records", records, 1, MAX_BATCH_RECORDS);
            for (int i = 0; i < records.size(); i++) {
                String path = "records." + (i + 1) + ".member.data";
                byte[] bytes = records.get(i).isObject() ? JsonProtocol.blob(records.get(i), "Data") : null;
                if (c.required(path, bytes)) {
                    c.blob(path, bytes, MAX_RECORD_BYTES);
                }
                data.add(bytes);
            }
        }
        c.check();
        return new Put(name, data);
    }

    static Tagging tag(JsonNode in) {
        ModelConstraints c = new ModelConstraints();
        String name = name(in, c);
        c.required("tags", array(in, "Tags"));
        Map<String, String> tags = tags(in, "Tags", c);
        c.check();
        return new Tagging(name, tags);
    }

    static Untagging untag(JsonNode in) {
        ModelConstraints c = new ModelConstraints();
        String name = name(in, c);
        List<JsonNode> keys = array(in, "TagKeys");
        List<String> out = new ArrayList<>();
        if (c.required("tagKeys", keys)) {
            c.size("tagKeys", keys, 1, 50);
            for (int i = 0; i < keys.size(); i++) {
                if (!keys.get(i).isTextual()) {
                    throw JsonProtocol.serialization("Expected a string in TagKeys");
                }
                String key = keys.get(i).textValue();
                c.string("tagKeys." + (i + 1) + ".member", key, 1, 128, TAG_KEY);
                out.add(key);
            }
        }
        c.check();
        return new Untagging(name, out);
    }

    static ListTags listTags(JsonNode in) {
        ModelConstraints c = new ModelConstraints();
        String name = name(in, c);
        String start = JsonProtocol.text(in, "ExclusiveStartTagKey");
        c.string("exclusiveStartTagKey", start, 1, 128, TAG_KEY);
        Integer limit = JsonProtocol.integer(in, "Limit");
        c.range("limit", limit, 1, 50);
        c.check();
        return new ListTags(name, start, limit);
    }

    static UpdateDestination updateDestination(JsonNode in) {
        ModelConstraints c = new ModelConstraints();
        String name = name(in, c);
        String version = JsonProtocol.text(in, "CurrentDeliveryStreamVersionId");
        if (c.required("currentDeliveryStreamVersionId", version)) {
            c.string("currentDeliveryStreamVersionId", version, 1, 50, VERSION_ID);
        }
        String destinationId = JsonProtocol.text(in, "DestinationId");
        if (c.required("destinationId", destinationId)) {
            c.string("destinationId", destinationId, 1, 100, DESTINATION_ID);
        }
        JsonNode extended = struct(in, "ExtendedS3DestinationUpdate");
        JsonNode plain = struct(in, "S3DestinationUpdate");
        S3DestinationInput update = new S3DestinationInput(null, null, null, null, null, null, null, null, null, null, null);
        if (extended != null) {
            update = destination(extended, "extendedS3DestinationUpdate", true, false, c);
        }
        if (plain != null) {
            update = destination(plain, "s3DestinationUpdate", false, false, c);
        }
        c.check();
        for (String member : UNSUPPORTED_UPDATE_MEMBERS) {
            if (struct(in, member) != null) {
                throw FirehoseErrors.unsupported(member);
            }
        }
        if (extended != null && plain != null) {
            throw FirehoseErrors.invalidArgument(
                    "Only one destination update can be specified: ExtendedS3DestinationUpdate or S3DestinationUpdate.");
        }
        if (extended != null || plain != null) {
            destinationRules(extended != null ? extended : plain);
        }
        return new UpdateDestination(name, version, destinationId, update);
    }

    private static String name(JsonNode in, ModelConstraints c) {
        String name = JsonProtocol.text(in, "DeliveryStreamName");
        if (c.required("deliveryStreamName", name)) {
            c.string("deliveryStreamName", name, 1, 64, NAME);
        }
        return name;
    }

    /** An S3 destination's members; {@code extended} adds the members only the extended shape has. */
    private static S3DestinationInput destination(JsonNode d, String path, boolean extended, boolean create,
            ModelConstraints c) {
        String roleArn = JsonProtocol.text(d, "RoleARN");
        String bucketArn = JsonProtocol.text(d, "BucketARN");
        if (!create || c.required(path + ".roleARN", roleArn)) {
            c.string(path + ".roleARN", roleArn, 1, 512, ROLE_ARN);
        }
        if (!create || c.required(path + ".bucketARN", bucketArn)) {
            c.string(path + ".bucketARN", bucketArn, 1, 2048, BUCKET_ARN);
        }
        String prefix = JsonProtocol.text(d, "Prefix");
        c.string(path + ".prefix", prefix, 0, 1024);
        String errorPrefix = JsonProtocol.text(d, "ErrorOutputPrefix");
        c.string(path + ".errorOutputPrefix", errorPrefix, 0, 1024);
        Integer size = null;
        Integer interval = null;
        JsonNode hints = struct(d, "BufferingHints");
        if (hints != null) {
            size = JsonProtocol.integer(hints, "SizeInMBs");
            interval = JsonProtocol.integer(hints, "IntervalInSeconds");
            c.range(path + ".bufferingHints.sizeInMBs", size, 1, 128);
            c.range(path + ".bufferingHints.intervalInSeconds", interval, 0, 900);
        }
        String compression = JsonProtocol.text(d, "CompressionFormat");
        c.oneOf(path + ".compressionFormat", compression, COMPRESSION);
        Logging logging = logging(struct(d, "CloudWatchLoggingOptions"), path + ".cloudWatchLoggingOptions", c);
        Processing processing = null;
        String fileExtension = null;
        String timeZone = null;
        if (extended) {
            processing = processing(struct(d, "ProcessingConfiguration"), path + ".processingConfiguration", c);
            c.oneOf(path + ".s3BackupMode", JsonProtocol.text(d, "S3BackupMode"), List.of("Disabled", "Enabled"));
            fileExtension = JsonProtocol.text(d, "FileExtension");
            c.string(path + ".fileExtension", fileExtension, 0, 128, FILE_EXTENSION);
            timeZone = JsonProtocol.text(d, "CustomTimeZone");
            c.string(path + ".customTimeZone", timeZone, 0, 50, TIME_ZONE);
        }
        return new S3DestinationInput(roleArn, bucketArn, prefix, errorPrefix, size, interval, compression, processing,
                logging, fileExtension, timeZone);
    }

    /** Rules on a destination's members together, checked once the model's constraints hold. */
    private static void destinationRules(JsonNode d) {
        JsonNode hints = struct(d, "BufferingHints");
        if (hints != null && (hints.hasNonNull("SizeInMBs") != hints.hasNonNull("IntervalInSeconds"))) {
            throw FirehoseErrors.invalidArgument(
                    "BufferingHints: if you specify SizeInMBs or IntervalInSeconds, you must also specify the other.");
        }
        if ("Enabled".equals(JsonProtocol.text(d, "S3BackupMode"))) {
            throw FirehoseErrors.unsupported("S3BackupMode Enabled");
        }
        JsonNode encryption = struct(d, "EncryptionConfiguration");
        if (encryption != null && struct(encryption, "KMSEncryptionConfig") != null) {
            throw FirehoseErrors.unsupported("KMSEncryptionConfig");
        }
        JsonNode conversion = struct(d, "DataFormatConversionConfiguration");
        if (conversion != null && !Boolean.FALSE.equals(bool(conversion, "Enabled"))) {
            throw FirehoseErrors.unsupported("DataFormatConversionConfiguration");
        }
        JsonNode partitioning = struct(d, "DynamicPartitioningConfiguration");
        if (partitioning != null && Boolean.TRUE.equals(bool(partitioning, "Enabled"))) {
            throw FirehoseErrors.unsupported("DynamicPartitioningConfiguration");
        }
    }

    private static Processing processing(JsonNode p, String path, ModelConstraints c) {
        if (p == null) {
            return null;
        }
        List<JsonNode> items = array(p, "Processors");
        List<Processor> processors = null;
        if (items != null) {
            processors = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                String at = path + ".processors." + (i + 1) + ".member";
                JsonNode item = items.get(i);
                String type = JsonProtocol.text(item, "Type");
                if (c.required(at + ".type", type)) {
                    c.oneOf(at + ".type", type, PROCESSOR_TYPES);
                }
                processors.add(new Processor(type, parameters(item, at + ".parameters", c)));
            }
        }
        return new Processing(bool(p, "Enabled"), processors);
    }

    private static List<Parameter> parameters(JsonNode processor, String path, ModelConstraints c) {
        List<JsonNode> items = array(processor, "Parameters");
        if (items == null) {
            return null;
        }
        List<Parameter> parameters = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String at = path + "." + (i + 1) + ".member";
            String name = JsonProtocol.text(items.get(i), "ParameterName");
            String value = JsonProtocol.text(items.get(i), "ParameterValue");
            if (c.required(at + ".parameterName", name)) {
                c.oneOf(at + ".parameterName", name, PARAMETER_NAMES);
            }
            if (c.required(at + ".parameterValue", value)) {
                c.string(at + ".parameterValue", value, 1, 5120, NON_BLANK);
            }
            parameters.add(new Parameter(name, value));
        }
        return parameters;
    }

    private static Logging logging(JsonNode l, String path, ModelConstraints c) {
        if (l == null) {
            return null;
        }
        String group = JsonProtocol.text(l, "LogGroupName");
        String stream = JsonProtocol.text(l, "LogStreamName");
        c.string(path + ".logGroupName", group, 0, 512, LOG_GROUP);
        c.string(path + ".logStreamName", stream, 0, 512, LOG_STREAM);
        return new Logging(bool(l, "Enabled"), group, stream);
    }

    private static Map<String, String> tags(JsonNode in, String field, ModelConstraints c) {
        List<JsonNode> items = array(in, field);
        Map<String, String> tags = new LinkedHashMap<>();
        if (items == null) {
            return tags;
        }
        c.size("tags", items, 1, 50);
        for (int i = 0; i < items.size(); i++) {
            String at = "tags." + (i + 1) + ".member";
            String key = JsonProtocol.text(items.get(i), "Key");
            String value = JsonProtocol.text(items.get(i), "Value");
            if (c.required(at + ".key", key)) {
                c.string(at + ".key", key, 1, 128, TAG_KEY);
            }
            c.string(at + ".value", value, 0, 256, TAG_VALUE);
            if (key != null) {
                tags.put(key, value == null ? "" : value);
            }
        }
        return tags;
    }

    private static JsonNode struct(JsonNode node, String field) {
        return member(node, field, JsonNode::isObject, "a structure");
    }

    private static List<JsonNode> array(JsonNode node, String field) {
        JsonNode v = member(node, field, JsonNode::isArray, "a list");
        if (v == null) {
            return null;
        }
        List<JsonNode> items = new ArrayList<>();
        v.forEach(items::add);
        return items;
    }

    private static Boolean bool(JsonNode node, String field) {
        JsonNode v = member(node, field, JsonNode::isBoolean, "a boolean");
        return v == null ? null : v.booleanValue();
    }

    /** A member of the expected JSON kind, or null when absent; any other kind is a SerializationException. */
    private static JsonNode member(JsonNode node, String field, Predicate<JsonNode> kind, String expected) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!kind.test(v)) {
            throw JsonProtocol.serialization("Expected " + expected + " for " + field);
        }
        return v;
    }
}
