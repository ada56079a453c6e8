package dev.clicklog.localaws.s3;

import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.ConcurrentSkipListMap;

/** A multipart upload in progress: what CreateMultipartUpload said, and the parts received so far. */
final class MultipartUpload {

    /** One uploaded part; a part uploaded again under the same number replaces it. */
    record Part(int number, long size, String etag, ChecksumAlgorithm.Value checksum, Instant lastModified, Path blob) {
    }

    final String id;
    final String key;
    final Instant initiated;
    final ObjectMetadata metadata;
    /** The checksum every part carries, from x-amz-checksum-algorithm; null when none was asked for. */
    final ChecksumAlgorithm checksumAlgorithm;
    final ChecksumAlgorithm.Type checksumType;
    final Path dir;
    final ConcurrentSkipListMap<Integer, Part> parts = new ConcurrentSkipListMap<>();

    MultipartUpload(String id, String key, Instant initiated, ObjectMetadata metadata, ChecksumAlgorithm checksumAlgorithm,
            ChecksumAlgorithm.Type checksumType, Path dir) {
        this.id = id;
        this.key = key;
        this.initiated = initiated;
        this.metadata = metadata;
        this.checksumAlgorithm = checksumAlgorithm;
        this.checksumType = checksumType;
        this.dir = dir;
    }
}
