package dev.clicklog.localaws.firehose;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.clicklog.localaws.LocalAwsConfig;
import dev.clicklog.localaws.firehose.FirehoseInput.Describe;
import dev.clicklog.localaws.firehose.FirehoseInput.ListStreams;
import dev.clicklog.localaws.firehose.FirehoseInput.ListTags;
import dev.clicklog.localaws.firehose.FirehoseInput.Put;
import dev.clicklog.localaws.firehose.FirehoseInput.Tagging;
import dev.clicklog.localaws.firehose.FirehoseInput.Untagging;
import dev.clicklog.localaws.firehose.FirehoseInput.UpdateDestination;
import dev.clicklog.localaws.firehose.FirehoseService.NamePage;
import dev.clicklog.localaws.firehose.FirehoseService.TagPage;
import dev.clicklog.localaws.firehose.S3Destination.Logging;
import dev.clicklog.localaws.firehose.S3Destination.Processing;
import dev.clicklog.localaws.firehose.S3Destination.Processor;
import dev.clicklog.localaws.http.AwsRequest;
import dev.clicklog.localaws.http.AwsResponse;
import dev.clicklog.localaws.http.BodyLimit;
import dev.clicklog.localaws.http.RouteTable;
import dev.clicklog.localaws.http.ServiceHandler;
import dev.clicklog.localaws.protocol.AwsServiceException;
import dev.clicklog.localaws.protocol.JsonProtocol;
import dev.clicklog.localaws.protocol.JsonProtocol.RegionalAction;

/**
 * Kinesis Data Firehose over its JSON 1.1 wire (target prefix Firehose_20150804, signing name
 * firehose): reads requests, calls {@link FirehoseService}, and writes the answers in the shapes of
 * the botocore model. Serves delivery streams to S3 (DirectPut or Kinesis-sourced): create,
 * describe, list, delete, update the destination, tags, and records put directly. Refuses the
 * encryption operations with UnknownOperationException, as Firehose answers an operation it does
 * not know; destinations other than S3 and features it does not have are refused by
 * {@link FirehoseInput} with InvalidArgumentException rather than ignored.
 */
@ApplicationScoped
public class FirehoseHandler implements ServiceHandler {

    static final String TARGET_PREFIX = "Firehose_20150804";


    private final FirehoseService service;
    private final LocalAwsConfig config;
    private final RouteTable<RegionalAction> routes = new RouteTable<RegionalAction>()
            .serve("CreateDeliveryStream", this::create)
            .serve("DescribeDeliveryStream", this::describe)
            .serve("ListDeliveryStreams", this::list)
            .serve("DeleteDeliveryStream", this::delete)
            .serve("PutRecord", this::putRecord)
            .serve("PutRecordBatch", this::putRecordBatch)
            .serve("TagDeliveryStream", this::tag)
            .serve("UntagDeliveryStream", this::untag)
            .serve("ListTagsForDeliveryStream", this::listTags)
            .serve("UpdateDestination", this::updateDestination);

    FirehoseHandler(FirehoseService service, LocalAwsConfig config) {
        this.service = service;
        this.config = config;
    }

    /**
     * PutRecordBatch takes up to 4 MiB of records (500 of up to 1,000 KiB), base64-encoded in JSON.
     * A batch somewhat over that is read and answered with Firehose's own "Records size exceeds"
     * (InvalidArgumentException), as AWS answers it; only a body far beyond it is refused unread.
     */
    static final long MAX_REQUEST_BYTES = 16L * 1024 * 1024;

    @Override
    public BodyLimit bodyLimit(AwsRequest head) {
        return BodyLimit.inMemory(MAX_REQUEST_BYTES);
    }

    @Override
    public Route route() {
        return Route.signingName("firehose").withTargetPrefix(TARGET_PREFIX);
    }

    @Override
    public AwsResponse handle(AwsRequest request) {
        return JsonProtocol.dispatch(request, routes, config.defaultRegion());
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
     * {@code firehose:<operation>} on the delivery stream the request names, with its tags and the
     * tags the request sets (a CreateDeliveryStream that tags also needs firehose:TagDeliveryStream);
     * and iam:PassRole, to firehose.amazonaws.com, on every role a create or an update hands over.
     */
    @Override
    public List<Access> access(AwsRequest request) {
        String operation = JsonProtocol.operation(request);
        ObjectNode in = JsonProtocol.read(request, JsonProtocol.encoding(request));
        String region = request.region(config.defaultRegion());
        String name = JsonProtocol.text(in, "DeliveryStreamName");
        String arn = name == null ? "*" : "arn:aws:firehose:" + region + ":" + config.accountId() + ":deliverystream/" + name;
        Map<String, String> tags = new LinkedHashMap<>();
        in.path("Tags").forEach(t -> tags.put(t.path("Key").asText(), t.path("Value").asText()));
        List<String> keys = JsonProtocol.texts(in, "TagKeys");
        List<Access> needed = new ArrayList<>();
        needed.add(Access.of("firehose:" + operation, arn).resourceTags(service.tagsIfAny(region, name)).requestTags(tags)
                .tagKeys(keys));
        if (operation.equals("CreateDeliveryStream") && !tags.isEmpty()) {
            needed.add(Access.of("firehose:TagDeliveryStream", arn).requestTags(tags));
        }
        if (operation.equals("CreateDeliveryStream") || operation.equals("UpdateDestination")) {
            in.findValuesAsText("RoleARN").stream().distinct()
                    .forEach(role -> needed.add(Access.passRole(role, "firehose.amazonaws.com")));
        }
        return needed;
    }

    private ObjectNode create(ObjectNode in, String region) {
        DeliveryStream stream = service.create(FirehoseInput.create(in, region));
        return object().put("DeliveryStreamARN", stream.arn());
    }

    private ObjectNode delete(ObjectNode in, String region) {
        service.delete(region, FirehoseInput.delete(in));
        return object();
    }

    private ObjectNode tag(ObjectNode in, String region) {
        Tagging tagging = FirehoseInput.tag(in);
        service.tag(region, tagging.name(), tagging.tags());
        return object();
    }

    private ObjectNode untag(ObjectNode in, String region) {
        Untagging untagging = FirehoseInput.untag(in);
        service.untag(region, untagging.name(), untagging.keys());
        return object();
    }

    private ObjectNode updateDestination(ObjectNode in, String region) {
        UpdateDestination u = FirehoseInput.updateDestination(in);
        service.updateDestination(region, u.name(), u.currentVersionId(), u.destinationId(), u.update());
        return object();
    }

    private ObjectNode describe(ObjectNode in, String region) {
        Describe request = FirehoseInput.describe(in);
        DeliveryStream stream = service.describe(region, request.name());
        Instant now = Instant.now();
        ObjectNode d = object()
                .put("DeliveryStreamName", stream.name())
                .put("DeliveryStreamARN", stream.arn())
                .put("DeliveryStreamStatus", stream.status(now))
                .put("DeliveryStreamType", stream.type())
                .put("VersionId", Integer.toString(stream.version()))
                .put("CreateTimestamp", epochSeconds(stream.created()));
        d.putObject("DeliveryStreamEncryptionConfiguration").put("Status", "DISABLED");
        if (stream.lastUpdated() != null) {
            d.put("LastUpdateTimestamp", epochSeconds(stream.lastUpdated()));
        }
        if (stream.source() != null) {
            d.putObject("Source").putObject("KinesisStreamSourceDescription")
                    .put("KinesisStreamARN", stream.source().streamArn())
                    .put("RoleARN", stream.source().roleArn())
                    .put("DeliveryStartTimestamp", epochSeconds(stream.created()));
        } else if (stream.throughputHintInMBs() != null) {
            d.putObject("Source").putObject("DirectPutSourceDescription")
                    .put("ThroughputHintInMBs", stream.throughputHintInMBs());
        }
        ArrayNode destinations = d.putArray("Destinations");
        if (request.exclusiveStartDestinationId() == null
                || request.exclusiveStartDestinationId().compareTo(DeliveryStream.DESTINATION_ID) < 0) {
            S3Destination s3 = stream.destination();
            ObjectNode destination = destinations.addObject().put("DestinationId", DeliveryStream.DESTINATION_ID);
            // Firehose describes an S3 destination in both shapes, whichever one created it.
            destination.set("S3DestinationDescription", s3Description(s3));
            destination.set("ExtendedS3DestinationDescription", extendedS3Description(s3));
        }
        d.put("HasMoreDestinations", false);
        ObjectNode out = object();
        out.set("DeliveryStreamDescription", d);
        return out;
    }

    private ObjectNode list(ObjectNode in, String region) {
        ListStreams request = FirehoseInput.list(in);
        NamePage page = service.list(region, request.type(), request.exclusiveStart(), request.limit());
        ObjectNode out = object();
        ArrayNode names = out.putArray("DeliveryStreamNames");
        page.names().forEach(names::add);
        return out.put("HasMoreDeliveryStreams", page.hasMore());
    }

    private ObjectNode putRecord(ObjectNode in, String region) {
        Put put = FirehoseInput.putRecord(in);
        List<String> ids = service.put(region, put.name(), put.records());
        return object().put("RecordId", ids.get(0)).put("Encrypted", false);
    }

    private ObjectNode putRecordBatch(ObjectNode in, String region) {
        Put put = FirehoseInput.putRecordBatch(in);
        List<String> ids = service.put(region, put.name(), put.records());
        ObjectNode out = object().put("FailedPutCount", 0).put("Encrypted", false);
        ArrayNode responses = out.putArray("RequestResponses");
        ids.forEach(id -> responses.addObject().put("RecordId", id));
        return out;
    }

    private ObjectNode listTags(ObjectNode in, String region) {
        ListTags request = FirehoseInput.listTags(in);
        TagPage page = service.listTags(region, request.name(), request.exclusiveStartKey(), request.limit());
        ObjectNode out = object();
        ArrayNode tags = out.putArray("Tags");
        for (Map.Entry<String, String> tag : page.tags()) {
            tags.addObject().put("Key", tag.getKey()).put("Value", tag.getValue());
        }
        return out.put("HasMoreTags", page.hasMore());
    }

    private static ObjectNode s3Description(S3Destination s3) {
        ObjectNode d = object().put("RoleARN", s3.roleArn()).put("BucketARN", s3.bucketArn());
        optional(d, "Prefix", s3.prefix());
        optional(d, "ErrorOutputPrefix", s3.errorOutputPrefix());
        d.putObject("BufferingHints").put("SizeInMBs", s3.sizeInMBs()).put("IntervalInSeconds", s3.intervalInSeconds());
        d.put("CompressionFormat", s3.compressionFormat());
        d.putObject("EncryptionConfiguration").put("NoEncryptionConfig", "NoEncryption");
        d.set("CloudWatchLoggingOptions", logging(s3.logging()));
        return d;
    }

    private static ObjectNode extendedS3Description(S3Destination s3) {
        ObjectNode d = s3Description(s3);
        if (s3.processing() != null) {
            d.set("ProcessingConfiguration", processing(s3.processing()));
        }
        d.put("S3BackupMode", "Disabled");
        optional(d, "FileExtension", s3.fileExtension());
        optional(d, "CustomTimeZone", s3.customTimeZone());
        return d;
    }

    private static ObjectNode logging(Logging logging) {
        ObjectNode l = object().put("Enabled", Boolean.TRUE.equals(logging.enabled()));
        optional(l, "LogGroupName", logging.logGroupName());
        optional(l, "LogStreamName", logging.logStreamName());
        return l;
    }

    private static ObjectNode processing(Processing processing) {
        ObjectNode p = object();
        if (processing.enabled() != null) {
            p.put("Enabled", processing.enabled());
        }
        if (processing.processors() != null) {
            ArrayNode processors = p.putArray("Processors");
            for (Processor processor : processing.processors()) {
                ObjectNode item = processors.addObject().put("Type", processor.type());
                if (processor.parameters() != null) {
                    ArrayNode parameters = item.putArray("Parameters");
                    processor.parameters().forEach(param -> parameters.addObject()
                            .put("ParameterName", param.name()).put("ParameterValue", param.value()));
                }
            }
        }
        return p;
    }

    /** AWS's JSON answers leave out absent members rather than send null. */
    private static void optional(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    /** JSON protocol timestamps: epoch seconds with milliseconds. */
    private static BigDecimal epochSeconds(Instant instant) {
        return BigDecimal.valueOf(instant.toEpochMilli(), 3);
    }

    private static ObjectNode object() {
        return JsonProtocol.NODES.objectNode();
    }
}
