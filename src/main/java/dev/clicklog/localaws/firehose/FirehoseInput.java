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
import dev.clicklog.localaws.protocol.ValidationErrors;

/**
 * Reads Firehose's request shapes (botocore model firehose/2015-08-04): the API model's
 * constraints first, reported together as ValidationException, then the rules Firehose applies to
 * the combination of members (InvalidArgumentException), and what localaws does not implement.
 */
final class FirehoseInput {

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

    private FirehoseInput() {
    }

    static NewDeliveryStream create(JsonNode in, String region) {
        ValidationErrors c = new ValidationErrors();
        String name = name(in, c);
        String type = JsonProtocol.text(in, "DeliveryStreamType");
        c.oneOf("deliveryStreamType", type, TYPES);
        KinesisSource source = null;
        JsonNode kinesis = struct(in, "KinesisStreamSourceConfiguration");
        if (kinesis != null) {
            String streamArn = JsonProtocol.text(kinesis, "KinesisStreamARN");
            String roleArn = JsonProtocol.text(kinesis, "RoleARN");
            String path = "kinesisStreamSourceConfiguration.";
            c.notNull(path + "kinesisStreamARN", streamArn).string(path + "kinesisStreamARN", streamArn, KINESIS_STREAM_ARN, 1, 512);
            c.notNull(path + "roleARN", roleArn).string(path + "roleARN", roleArn, ROLE_ARN, 1, 512);
            source = new KinesisSource(streamArn, roleArn);
        }
        Integer throughputHint = null;
        JsonNode directPut = struct(in, "DirectPutSourceConfiguration");
        if (directPut != null) {
            throughputHint = JsonProtocol.integer(directPut, "ThroughputHintInMBs");
            c.notNull("directPutSourceConfiguration.throughputHintInMBs", throughputHint).range("directPutSourceConfiguration.throughputHintInMBs", throughputHint, 1, 100);
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
        c.throwIfAny();

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
        ValidationErrors c = new ValidationErrors();
        String name = name(in, c);
        c.range("limit", JsonProtocol.integer(in, "Limit"), 1, 10_000);
        String start = JsonProtocol.text(in, "ExclusiveStartDestinationId");
        c.string("exclusiveStartDestinationId", start, DESTINATION_ID, 1, 100);
        c.throwIfAny();
        return new Describe(name, start);
    }

    static ListStreams list(JsonNode in) {
        ValidationErrors c = new ValidationErrors();
        Integer limit = JsonProtocol.integer(in, "Limit");
        c.range("limit", limit, 1, 10_000);
        String type = JsonProtocol.text(in, "DeliveryStreamType");
        c.oneOf("deliveryStreamType", type, TYPES);
        String start = JsonProtocol.text(in, "ExclusiveStartDeliveryStreamName");
        c.string("exclusiveStartDeliveryStreamName", start, NAME, 1, 64);
        c.throwIfAny();
        return new ListStreams(type, start, limit);
    }

    /** DeleteDeliveryStream; AllowForceDelete only matters for KMS failures, which localaws has none of. */
    static String delete(JsonNode in) {
        ValidationErrors c = new ValidationErrors();
        String name = name(in, c);
        JsonProtocol.bool(in, "AllowForceDelete");
        c.throwIfAny();
        return name;
    }

    static Put putRecord(JsonNode in) {
        ValidationErrors c = new ValidationErrors();
        String name = name(in, c);
        JsonNode record = struct(in, "Record");
        byte[] data = null;
        c.notNull("record", record);
        if (record != null) {
            data = JsonProtocol.blob(record, "Data");
            c.notNull("record.data", data).blob("record.data", data, MAX_RECORD_BYTES);
        }
        c.throwIfAny();
        return new Put(name, List.of(data));
    }

    static Put putRecordBatch(JsonNode in) {
        ValidationErrors c = new ValidationErrors();
        String name = name(in, c);
        List<JsonNode> records = array(in, "Records");
        List<byte[]> data = new ArrayList<>();
        c.notNull("records", records);
        if (records != null) {
            c.size("records", records.toString(), records.size(), 1, MAX_BATCH_RECORDS);
            for (int i = 0; i < records.size(); i++) {
                String path = "records." + (i + 1) + ".member.data";
                byte[] bytes = records.get(i).isObject() ? JsonProtocol.blob(records.get(i), "Data") : null;
                c.notNull(path, bytes).blob(path, bytes, MAX_RECORD_BYTES);
                data.add(bytes);
            }
        }
        c.throwIfAny();
        return new Put(name, data);
    }

    static Tagging tag(JsonNode in) {
        ValidationErrors c = new ValidationErrors();
        String name = name(in, c);
        c.notNull("tags", array(in, "Tags"));
        Map<String, String> tags = tags(in, "Tags", c);
        c.throwIfAny();
        return new Tagging(name, tags);
    }

    static Untagging untag(JsonNode in) {
        ValidationErrors c = new ValidationErrors();
        String name = name(in, c);
        List<JsonNode> keys = array(in, "TagKeys");
        List<String> out = new ArrayList<>();
        c.notNull("tagKeys", keys);
        if (keys != null) {
            c.size("tagKeys", keys.toString(), keys.size(), 1, 50);
            for (int i = 0; i < keys.size(); i++) {
                if (!keys.get(i).isTextual()) {
                    throw JsonProtocol.serialization("Expected a string in TagKeys");
                }
                String key = keys.get(i).textValue();
                c.string("tagKeys." + (i + 1) + ".member", key, TAG_KEY, 1, 128);
                out.add(key);
            }
        }
        c.throwIfAny();
        return new Untagging(name, out);
    }

    static ListTags listTags(JsonNode in) {
        ValidationErrors c = new ValidationErrors();
        String name = name(in, c);
        String start = JsonProtocol.text(in, "ExclusiveStartTagKey");
        c.string("exclusiveStartTagKey", start, TAG_KEY, 1, 128);
        Integer limit = JsonProtocol.integer(in, "Limit");
        c.range("limit", limit, 1, 50);
        c.throwIfAny();
        return new ListTags(name, start, limit);
    }

    static UpdateDestination updateDestination(JsonNode in) {
        ValidationErrors c = new ValidationErrors();
        String name = name(in, c);
        String version = JsonProtocol.text(in, "CurrentDeliveryStreamVersionId");
        c.notNull("currentDeliveryStreamVersionId", version).string("currentDeliveryStreamVersionId", version, VERSION_ID, 1, 50);
        String destinationId = JsonProtocol.text(in, "DestinationId");
        c.notNull("destinationId", destinationId).string("destinationId", destinationId, DESTINATION_ID, 1, 100);
        JsonNode extended = struct(in, "ExtendedS3DestinationUpdate");
        JsonNode plain = struct(in, "S3DestinationUpdate");
        S3DestinationInput update = new S3DestinationInput(null, null, null, null, null, null, null, null, null, null, null);
        if (extended != null) {
            update = destination(extended, "extendedS3DestinationUpdate", true, false, c);
        }
        if (plain != null) {
            update = destination(plain, "s3DestinationUpdate", false, false, c);
        }
        c.throwIfAny();
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

    private static String name(JsonNode in, ValidationErrors c) {
        String name = JsonProtocol.text(in, "DeliveryStreamName");
        c.notNull("deliveryStreamName", name).string("deliveryStreamName", name, NAME, 1, 64);
        return name;
    }

    /** An S3 destination's members; {@code extended} adds the members only the extended shape has. */
    private static S3DestinationInput destination(JsonNode d, String path, boolean extended, boolean create,
            ValidationErrors c) {
        String roleArn = JsonProtocol.text(d, "RoleARN");
        String bucketArn = JsonProtocol.text(d, "BucketARN");
        if (create) {
            c.notNull(path + ".roleARN", roleArn).notNull(path + ".bucketARN", bucketArn);
        }
        c.string(path + ".roleARN", roleArn, ROLE_ARN, 1, 512).string(path + ".bucketARN", bucketArn, BUCKET_ARN, 1, 2048);
        String prefix = JsonProtocol.text(d, "Prefix");
        c.string(path + ".prefix", prefix, null, 0, 1024);
        String errorPrefix = JsonProtocol.text(d, "ErrorOutputPrefix");
        c.string(path + ".errorOutputPrefix", errorPrefix, null, 0, 1024);
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
            c.string(path + ".fileExtension", fileExtension, FILE_EXTENSION, 0, 128);
            timeZone = JsonProtocol.text(d, "CustomTimeZone");
            c.string(path + ".customTimeZone", timeZone, TIME_ZONE, 0, 50);
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
        if (conversion != null && !Boolean.FALSE.equals(JsonProtocol.bool(conversion, "Enabled"))) {
            throw FirehoseErrors.unsupported("DataFormatConversionConfiguration");
        }
        JsonNode partitioning = struct(d, "DynamicPartitioningConfiguration");
        if (partitioning != null && Boolean.TRUE.equals(JsonProtocol.bool(partitioning, "Enabled"))) {
            throw FirehoseErrors.unsupported("DynamicPartitioningConfiguration");
        }
    }

    private static Processing processing(JsonNode p, String path, ValidationErrors c) {
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
                c.notNull(at + ".type", type).oneOf(at + ".type", type, PROCESSOR_TYPES);
                processors.add(new Processor(type, parameters(item, at + ".parameters", c)));
            }
        }
        return new Processing(JsonProtocol.bool(p, "Enabled"), processors);
    }

    private static List<Parameter> parameters(JsonNode processor, String path, ValidationErrors c) {
        List<JsonNode> items = array(processor, "Parameters");
        if (items == null) {
            return null;
        }
        List<Parameter> parameters = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String at = path + "." + (i + 1) + ".member";
            String name = JsonProtocol.text(items.get(i), "ParameterName");
            String value = JsonProtocol.text(items.get(i), "ParameterValue");
            c.notNull(at + ".parameterName", name).oneOf(at + ".parameterName", name, PARAMETER_NAMES);
            c.notNull(at + ".parameterValue", value).string(at + ".parameterValue", value, NON_BLANK, 1, 5120);
            parameters.add(new Parameter(name, value));
        }
        return parameters;
    }

    private static Logging logging(JsonNode l, String path, ValidationErrors c) {
        if (l == null) {
            return null;
        }
        String group = JsonProtocol.text(l, "LogGroupName");
        String stream = JsonProtocol.text(l, "LogStreamName");
        c.string(path + ".logGroupName", group, LOG_GROUP, 0, 512);
        c.string(path + ".logStreamName", stream, LOG_STREAM, 0, 512);
        return new Logging(JsonProtocol.bool(l, "Enabled"), group, stream);
    }

    private static Map<String, String> tags(JsonNode in, String field, ValidationErrors c) {
        List<JsonNode> items = array(in, field);
        Map<String, String> tags = new LinkedHashMap<>();
        if (items == null) {
            return tags;
        }
        c.size("tags", items.toString(), items.size(), 1, 50);
        for (int i = 0; i < items.size(); i++) {
            String at = "tags." + (i + 1) + ".member";
            String key = JsonProtocol.text(items.get(i), "Key");
            String value = JsonProtocol.text(items.get(i), "Value");
            c.notNull(at + ".key", key).string(at + ".key", key, TAG_KEY, 1, 128);
            c.string(at + ".value", value, TAG_VALUE, 0, 256);
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
