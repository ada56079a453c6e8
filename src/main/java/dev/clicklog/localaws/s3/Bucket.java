package dev.clicklog.localaws.s3;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

import dev.clicklog.localaws.protocol.XmlReader;

/**
 * One bucket: its objects sorted in S3's listing order (so listings page in O(log n) per step),
 * its multipart uploads in progress, and its configuration sub-resources. Changed only by
 * {@link S3Service}'s journal (see {@link S3Change}).
 */
final class Bucket {

    /** The four Block Public Access switches. */
    record PublicAccessBlock(boolean blockPublicAcls, boolean ignorePublicAcls, boolean blockPublicPolicy,
            boolean restrictPublicBuckets) {
        /** New buckets have every switch on, as on S3 since April 2023. */
        static final PublicAccessBlock ALL_ON = new PublicAccessBlock(true, true, true, true);
    }

    /** Default encryption: SSE-S3 (AES256) unless configured otherwise, as on S3 since January 2023. */
    record Encryption(String algorithm, String kmsMasterKeyId, boolean bucketKeyEnabled) {
        static final Encryption SSE_S3 = new Encryption("AES256", null, false);
    }

    /** A completed multipart upload, remembered a while so that a repeated completion gets the same answer. */
    record CompletedUpload(String key, List<MultipartUploads.RequestedPart> parts, S3Object object, Instant at) {
    }

    final String name;
    final String region;
    final Instant created;
    final Path dir;
    final ConcurrentSkipListMap<String, S3Object> objects = new ConcurrentSkipListMap<>(KeyOrder.INSTANCE);
    final Map<String, MultipartUpload> uploads = new ConcurrentHashMap<>();
    final Map<String, CompletedUpload> completed = new ConcurrentHashMap<>();

    /** Set under the service's lock when it is deleted, so a racing write fails instead of landing nowhere. */
    boolean deleted;

    volatile Map<String, String> tags;
    volatile PublicAccessBlock publicAccessBlock = PublicAccessBlock.ALL_ON;
    volatile Encryption encryption = Encryption.SSE_S3;
    /** Lifecycle rules as the caller's validated {@code <Rule>} elements; null when none. */
    volatile List<XmlReader.Element> lifecycleRules;

    Bucket(String name, String region, Instant created, Path dir) {
        this.name = name;
        this.region = region;
        this.created = created;
        this.dir = dir;
    }
}
