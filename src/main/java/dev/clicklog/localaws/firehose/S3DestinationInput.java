package dev.clicklog.localaws.firehose;

import dev.clicklog.localaws.firehose.S3Destination.Logging;
import dev.clicklog.localaws.firehose.S3Destination.Processing;

/**
 * An S3 destination as a request gives it: every member optional. CreateDeliveryStream applies it
 * to Firehose's defaults, UpdateDestination to the current destination (members not given are kept).
 */
record S3DestinationInput(
        String roleArn,
        String bucketArn,
        String prefix,
        String errorOutputPrefix,
        Integer sizeInMBs,
        Integer intervalInSeconds,
        String compressionFormat,
        Processing processing,
        Logging logging,
        String fileExtension,
        String customTimeZone) {

    /** What CreateDeliveryStream starts from; RoleARN and BucketARN are required there. */
    static final S3Destination DEFAULTS = new S3Destination(null, null, null, null, S3Destination.DEFAULT_SIZE_MB,
            S3Destination.DEFAULT_INTERVAL_SECONDS, S3Destination.UNCOMPRESSED, null, Logging.DISABLED, null, null);

    S3Destination applyTo(S3Destination base) {
        return new S3Destination(
                roleArn != null ? roleArn : base.roleArn(),
                bucketArn != null ? bucketArn : base.bucketArn(),
                prefix != null ? prefix : base.prefix(),
                errorOutputPrefix != null ? errorOutputPrefix : base.errorOutputPrefix(),
                sizeInMBs != null ? sizeInMBs : base.sizeInMBs(),
                intervalInSeconds != null ? intervalInSeconds : base.intervalInSeconds(),
                compressionFormat != null ? compressionFormat : base.compressionFormat(),
                processing != null ? processing : base.processing(),
                logging != null ? logging : base.logging(),
                fileExtension != null ? fileExtension : base.fileExtension(),
                customTimeZone != null ? customTimeZone : base.customTimeZone());
    }
}
