package dev.clicklog.localaws.firehose;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;

/**
 * Where and how a delivery stream writes its objects: the settings of an
 * ExtendedS3DestinationConfiguration (or the older S3DestinationConfiguration) that localaws honours.
 */
record S3Destination(
        String roleArn,
        String bucketArn,
        String prefix,
        String errorOutputPrefix,
        int sizeInMBs,
        int intervalInSeconds,
        String compressionFormat,
        Processing processing,
        Logging logging,
        String fileExtension,
        String customTimeZone) {

    /** Firehose's buffering defaults: 5 MiB or 300 seconds, whichever comes first. */
    static final int DEFAULT_SIZE_MB = 5;
    static final int DEFAULT_INTERVAL_SECONDS = 300;
    static final String UNCOMPRESSED = "UNCOMPRESSED";
    static final String GZIP = "GZIP";
    static final String APPEND_DELIMITER = "AppendDelimiterToRecord";
    private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss");

    /** ProcessingConfiguration, kept as given so that describe answers it back. */
    record Processing(Boolean enabled, List<Processor> processors) {
    }

    record Processor(String type, List<Parameter> parameters) {
    }

    record Parameter(String name, String value) {
    }

    /** CloudWatchLoggingOptions, kept for the description (localaws writes no delivery logs). */
    record Logging(Boolean enabled, String logGroupName, String logStreamName) {
        static final Logging DISABLED = new Logging(false, null, null);
    }

    String bucket() {
        return bucketArn.substring(bucketArn.indexOf(":::") + 3);
    }

    long sizeThresholdBytes() {
        return sizeInMBs * 1024L * 1024L;
    }

    boolean gzip() {
        return GZIP.equals(compressionFormat);
    }

    /** Whether a newline follows every record (processing enabled with the AppendDelimiterToRecord processor). */
    boolean appendDelimiter() {
        return processing != null && !Boolean.FALSE.equals(processing.enabled()) && processing.processors() != null
                && processing.processors().stream().anyMatch(p -> APPEND_DELIMITER.equals(p.type()));
    }

    /** The time zone prefixes and object names are evaluated in: UTC unless CustomTimeZone says otherwise. */
    ZoneId zone() {
        return customTimeZone == null || customTimeZone.isEmpty() ? ZoneOffset.UTC : ZoneId.of(customTimeZone);
    }

    /** The object name's extension: FileExtension when set, else ".gz" for GZIP and nothing otherwise. */
    String extension() {
        if (fileExtension != null && !fileExtension.isEmpty()) {
            return fileExtension;
        }
        return gzip() ? ".gz" : "";
    }

    /**
     * The key of a new object, as Firehose names it: the evaluated prefix, then
     * {@code <stream>-<version>-<yyyy-MM-dd-HH-mm-ss>-<uuid><extension>}, timestamps taken from the
     * arrival of the oldest record in the object.
     */
    String objectKey(String streamName, int version, Instant oldestArrival) {
        ZonedDateTime at = oldestArrival.atZone(zone());
        String evaluated = S3Prefix.parse(prefix, "Prefix").forObjects().evaluate(at);
        return evaluated + streamName + "-" + version + "-" + NAME_TIME.format(at) + "-" + UUID.randomUUID() + extension();
    }
}
