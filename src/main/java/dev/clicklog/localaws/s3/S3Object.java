package dev.clicklog.localaws.s3;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * One stored object: its metadata in memory and its bytes in {@code blob}, a file written once
 * and never changed (an overwrite writes a new file), so a reader never sees half an object.
 *
 * @param etag the quoted MD5 of the bytes, or of the parts' MD5s with "-N" for a multipart object
 * @param partSizes the sizes of the parts a multipart object was assembled from; empty otherwise
 * @param serverSideEncryption the algorithm the bucket's default encryption applied ("AES256", …)
 */
record S3Object(String key, long size, String etag, Instant lastModified, ObjectMetadata metadata,
        ChecksumAlgorithm.Value checksum, List<Long> partSizes, String serverSideEncryption, Path blob) {

    S3Object {
        partSizes = List.copyOf(partSizes);
    }

    int partsCount() {
        return partSizes.isEmpty() ? 1 : partSizes.size();
    }
}
