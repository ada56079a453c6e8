package dev.clicklog.portal.adapter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamDescription;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamType;
import software.amazon.awssdk.services.firehose.model.DestinationDescription;
import software.amazon.awssdk.services.firehose.model.ExtendedS3DestinationDescription;
import software.amazon.awssdk.services.firehose.model.ListTagsForDeliveryStreamResponse;
import software.amazon.awssdk.services.firehose.model.ProcessingConfiguration;
import software.amazon.awssdk.services.firehose.model.Processor;
import software.amazon.awssdk.services.firehose.model.ProcessorType;
import software.amazon.awssdk.services.firehose.model.Tag;

/** Firehose delivery streams reading a Kinesis stream and writing S3 objects. */
@ApplicationScoped
public class DeliveryStreamAdapter {

    /**
     * Where and how a delivery stream writes: the part of it that UpdateDestination can change. Read
     * back from an endpoint, a field it does not report is null (see {@link ReadBack}).
     */
    public record S3Destination(String roleArn, String bucketArn, String prefix, String errorPrefix, Integer bufferSizeMb,
            Integer bufferIntervalSeconds, String compression, Boolean appendNewline) {
    }

    /**
     * A delivery stream as Firehose reports it; {@code status} is CREATING, CREATING_FAILED, ACTIVE,
     * DELETING or DELETING_FAILED, and {@code failure} says why when it failed. The source and the
     * destination are null when the endpoint does not report them.
     */
    public record DeliveryStream(String name, String arn, String status, String failure, String versionId,
            String destinationId, String sourceStreamArn, String sourceRoleArn, S3Destination destination) {

        public boolean active() {
            return "ACTIVE".equals(status);
        }

        public boolean failed() {
            return status != null && status.endsWith("_FAILED");
        }
    }

    private final FirehoseClient firehose;

    DeliveryStreamAdapter(FirehoseClient firehose) {
        this.firehose = firehose;
    }

    public Optional<DeliveryStream> describe(String name) {
        return AwsErrors.find(() -> firehose.describeDeliveryStream(r -> r.deliveryStreamName(name)).deliveryStreamDescription())
                .map(DeliveryStreamAdapter::toDeliveryStream);
    }

    /** Creates a delivery stream with the Kinesis stream as its source; an existing one is left alone. */
    public void create(String name, String sourceStreamArn, String sourceRoleArn, S3Destination destination,
            Map<String, String> tags) {
        AwsErrors.create(() -> firehose.createDeliveryStream(r -> r
                .deliveryStreamName(name)
                .deliveryStreamType(DeliveryStreamType.KINESIS_STREAM_AS_SOURCE)
                .kinesisStreamSourceConfiguration(k -> k.kinesisStreamARN(sourceStreamArn).roleARN(sourceRoleArn))
                .extendedS3DestinationConfiguration(d -> d
                        .roleARN(destination.roleArn())
                        .bucketARN(destination.bucketArn())
                        .prefix(destination.prefix())
                        .errorOutputPrefix(destination.errorPrefix())
                        .bufferingHints(b -> b.sizeInMBs(destination.bufferSizeMb())
                                .intervalInSeconds(destination.bufferIntervalSeconds()))
                        .compressionFormat(destination.compression())
                        .processingConfiguration(processing(destination.appendNewline())))
                .tags(toTags(tags))));
    }

    public void updateDestination(DeliveryStream current, S3Destination destination) {
        AwsErrors.run(() -> firehose.updateDestination(r -> r
                .deliveryStreamName(current.name())
                .currentDeliveryStreamVersionId(current.versionId())
                .destinationId(current.destinationId())
                .extendedS3DestinationUpdate(d -> d
                        .roleARN(destination.roleArn())
                        .bucketARN(destination.bucketArn())
                        .prefix(destination.prefix())
                        .errorOutputPrefix(destination.errorPrefix())
                        .bufferingHints(b -> b.sizeInMBs(destination.bufferSizeMb())
                                .intervalInSeconds(destination.bufferIntervalSeconds()))
                        .compressionFormat(destination.compression())
                        .processingConfiguration(processing(destination.appendNewline())))));
    }

    public Map<String, String> tags(String name) {
        Map<String, String> tags = new LinkedHashMap<>();
        String after = null;
        ListTagsForDeliveryStreamResponse page;
        do {
            String start = after;
            page = AwsErrors.call(() -> firehose.listTagsForDeliveryStream(r -> r.deliveryStreamName(name)
                    .exclusiveStartTagKey(start)));
            page.tags().forEach(t -> tags.put(t.key(), t.value()));
            after = page.tags().isEmpty() ? null : page.tags().get(page.tags().size() - 1).key();
        } while (Boolean.TRUE.equals(page.hasMoreTags()) && after != null);
        return tags;
    }

    public void tag(String name, Map<String, String> tags) {
        AwsErrors.run(() -> firehose.tagDeliveryStream(r -> r.deliveryStreamName(name).tags(toTags(tags))));
    }

    /** Starts deleting (DELETING, then gone); false when it was already gone. */
    public boolean delete(String name) {
        return AwsErrors.delete(() -> firehose.deleteDeliveryStream(r -> r.deliveryStreamName(name)));
    }

    /** A newline after every record, so each S3 object holds one click per line. */
    private static ProcessingConfiguration processing(boolean appendNewline) {
        if (!appendNewline) {
            return ProcessingConfiguration.builder().enabled(false).build();
        }
        return ProcessingConfiguration.builder().enabled(true)
                .processors(Processor.builder().type(ProcessorType.APPEND_DELIMITER_TO_RECORD).build())
                .build();
    }

    private static DeliveryStream toDeliveryStream(DeliveryStreamDescription d) {
        var source = d.source() == null ? null : d.source().kinesisStreamSourceDescription();
        DestinationDescription dest = d.destinations().isEmpty() ? null : d.destinations().get(0);
        ExtendedS3DestinationDescription s3 = dest == null ? null : dest.extendedS3DestinationDescription();
        String failure = d.failureDescription() == null ? null
                : d.failureDescription().typeAsString() + ": " + d.failureDescription().details();
        return new DeliveryStream(d.deliveryStreamName(), d.deliveryStreamARN(), d.deliveryStreamStatusAsString(), failure,
                d.versionId(), dest == null ? null : dest.destinationId(),
                source == null ? null : source.kinesisStreamARN(), source == null ? null : source.roleARN(),
                s3 == null ? null : toDestination(s3));
    }

    private static S3Destination toDestination(ExtendedS3DestinationDescription s3) {
        ProcessingConfiguration p = s3.processingConfiguration();
        Boolean newline = p == null ? null : Boolean.TRUE.equals(p.enabled())
                && p.processors().stream().anyMatch(x -> x.type() == ProcessorType.APPEND_DELIMITER_TO_RECORD);
        var hints = s3.bufferingHints();
        return new S3Destination(s3.roleARN(), s3.bucketARN(), s3.prefix(), s3.errorOutputPrefix(),
                hints == null ? null : hints.sizeInMBs(), hints == null ? null : hints.intervalInSeconds(),
                s3.compressionFormatAsString(), newline);
    }

    private static List<Tag> toTags(Map<String, String> tags) {
        return tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
    }
}
