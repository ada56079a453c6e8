package dev.clicklog.localaws.s3;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a writer says about an object besides its bytes: the HTTP entity headers S3 stores and
 * returns, user metadata ({@code x-amz-meta-*}, names lower-cased as S3 keeps them), the storage
 * class, and the server-side encryption asked for (null: the bucket's default).
 */
record ObjectMetadata(String contentType, String contentEncoding, String contentDisposition, String contentLanguage,
        String cacheControl, String expires, SortedMap<String, String> userMetadata, String storageClass,
        String serverSideEncryption) {

    /** The Content-Type S3 gives objects stored without one. */
    static final String DEFAULT_CONTENT_TYPE = "binary/octet-stream";

    ObjectMetadata {
        userMetadata = Collections.unmodifiableSortedMap(new TreeMap<>(userMetadata));
    }
}
