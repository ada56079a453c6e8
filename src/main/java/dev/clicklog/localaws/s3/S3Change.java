package dev.clicklog.localaws.s3;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.clicklog.localaws.protocol.XmlReader;

/**
 * What changes S3's state, as its journal {@code s3} records it: a bucket as it now is (created, or
 * any of its settings changed), an object as it now is (written, copied, moved to another storage
 * class, or assembled from a multipart upload, which that change also ends), a multipart upload
 * begun and each part it receives, and their removals. Whole values rather than edits, so replaying
 * a change is putting it back. An object's or part's bytes are in a file under the {@code s3} area,
 * named relative to it: the file is forced before the change naming it is recorded.
 */
sealed interface S3Change permits S3Change.BucketPut, S3Change.BucketDeleted, S3Change.ObjectPut,
        S3Change.ObjectDeleted, S3Change.UploadPut, S3Change.PartPut, S3Change.UploadRemoved {

    /** The store's name and codec version: its files' names and on-disk format. */
    String STORE = "s3";
    int VERSION = 1;

    record BucketPut(BucketState bucket) implements S3Change {
    }

    record BucketDeleted(String name) implements S3Change {
    }

    /**
     * An object under its key in the bucket; {@code completes} when it is the result of a multipart
     * upload, which ends with it (null otherwise).
     */
    record ObjectPut(String bucket, ObjectState object, Completion completes) implements S3Change {
    }

    record ObjectDeleted(String bucket, String key) implements S3Change {
    }

    /** A multipart upload begun (or, in a snapshot, as it is with its parts). */
    record UploadPut(String bucket, UploadState upload) implements S3Change {
    }

    /** A part received, replacing any earlier one of that number. */
    record PartPut(String bucket, String uploadId, PartState part) implements S3Change {
    }

    /** An upload aborted (by a client or a lifecycle rule). */
    record UploadRemoved(String bucket, String uploadId) implements S3Change {
    }

    /** A bucket and its settings; {@code lifecycleRules}, {@code tags} and {@code publicAccessBlock} null when none. */
    record BucketState(String name, String region, Instant created, Map<String, String> tags,
            Bucket.PublicAccessBlock publicAccessBlock, Bucket.Encryption encryption,
            List<XmlReader.Element> lifecycleRules) {

        BucketState withTags(Map<String, String> value) {
            return new BucketState(name, region, created, value, publicAccessBlock, encryption, lifecycleRules);
        }

        BucketState withPublicAccessBlock(Bucket.PublicAccessBlock value) {
            return new BucketState(name, region, created, tags, value, encryption, lifecycleRules);
        }

        BucketState withEncryption(Bucket.Encryption value) {
            return new BucketState(name, region, created, tags, publicAccessBlock, value, lifecycleRules);
        }

        BucketState withLifecycleRules(List<XmlReader.Element> value) {
            return new BucketState(name, region, created, tags, publicAccessBlock, encryption, value);
        }
    }

    /** An object's metadata; {@code blob} its file, relative to the {@code s3} area. */
    record ObjectState(String key, long size, String etag, Instant lastModified, ObjectMetadata metadata,
            ChecksumAlgorithm.Value checksum, List<Long> partSizes, String serverSideEncryption, String blob) {
    }

    /** What CreateMultipartUpload said; {@code parts} empty when it begins. */
    record UploadState(String id, String key, ObjectMetadata metadata, ChecksumAlgorithm checksumAlgorithm,
            ChecksumAlgorithm.Type checksumType, Instant initiated, List<PartState> parts) {
    }

    /** One part; {@code blob} its file, relative to the {@code s3} area. */
    record PartState(int number, long size, String etag, ChecksumAlgorithm.Value checksum, String blob) {
    }

    /** The upload an object completed, with the parts it was completed with (a repeated completion gets the same answer). */
    record Completion(String uploadId, List<MultipartUploads.RequestedPart> parts, Instant at) {
    }
}
