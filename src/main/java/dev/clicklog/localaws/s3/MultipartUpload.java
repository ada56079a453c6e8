package dev.clicklog.localaws.s3;

import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.ConcurrentSkipListMap;

/** A multipart upload in progress: what CreateMultipartUpload said, and the parts received so far. */
final class MultipartUpload {

    /** One uploaded part; a part uploaded again under the same number replaces it. */
    record Part(int number, long size, String etag, ChecksumAlgorithm.Value checksum, Path blob) {
    }

    final String id;
    final String key;
    final ObjectMetadata metadata;
    /** The checksum every part carries, from x-amz-checksum-algorithm; null when none was asked for. */
    final ChecksumAlgorithm checksumAlgorithm;
    final ChecksumAlgorithm.Type checksumType;
    final Path dir;
    /** When CreateMultipartUpload began it (lifecycle rules abort uploads left incomplete for days). */
    final Instant initiated;
    final ConcurrentSkipListMap<Integer, Part> parts = new ConcurrentSkipListMap<>();

    MultipartUpload(String id, String key, ObjectMetadata metadata, ChecksumAlgorithm checksumAlgorithm,
            ChecksumAlgorithm.Type checksumType, Path dir, Instant initiated) {
        this.id = id;
        this.initiated = initiated;
        this.key = key;
        this.metadata = metadata;
        this.checksumAlgorithm = checksumAlgorithm;
        this.checksumType = checksumType;
        this.dir = dir;
    }
}
