package dev.clicklog.portal.adapter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;

/** Reading S3: one folder of a listing at a time, and the first bytes of an object. */
@ApplicationScoped
public class ObjectReader {

    /** An object as a listing shows it. */
    public record Listed(String key, long size, Instant lastModified) {
    }

    /**
     * One page of a delimited listing: the common prefixes ("folders"), the objects, and the token
     * of the next page (null on the last).
     */
    public record Folder(List<String> prefixes, List<Listed> objects, String nextToken) {
    }

    /** The first bytes of an object, its full size and its last change. */
    public record Head(byte[] bytes, long size, Instant lastModified) {
    }

    private final S3Client s3;

    ObjectReader(S3Client s3) {
        this.s3 = s3;
    }

    /** Up to {@code limit} folders and objects directly under {@code prefix}, from {@code token} (null: the start). */
    public Folder list(String bucket, String prefix, String delimiter, int limit, String token) {
        ListObjectsV2Response page = AwsErrors.call(() -> s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix)
                .delimiter(delimiter).maxKeys(limit).continuationToken(token)));
        List<String> prefixes = page.commonPrefixes().stream().map(p -> p.prefix()).toList();
        List<Listed> objects = page.contents().stream()
                .map(o -> new Listed(o.key(), o.size(), o.lastModified()))
                .toList();
        String next = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        return new Folder(prefixes, objects, next);
    }

    /**
     * The first {@code max} bytes of an object (a ranged GET, so a large object is not downloaded).
     * An empty object, which has no byte 0 to range over, is asked for its size instead.
     */
    public Head head(String bucket, String key, int max) {
        try {
            ResponseInputStream<GetObjectResponse> in = AwsErrors.call(() -> s3.getObject(b -> b.bucket(bucket).key(key)
                    .range("bytes=0-" + (max - 1))));
            try (in) {
                GetObjectResponse response = in.response();
                byte[] bytes = in.readNBytes(max);
                if (in.read() >= 0) {
                    // An endpoint that ignored the range: stop downloading the rest.
                    in.abort();
                }
                return new Head(bytes, size(response, bytes.length), response.lastModified());
            } catch (IOException e) {
                throw new UncheckedIOException("reading s3://" + bucket + "/" + key + " failed: " + e.getMessage(), e);
            }
        } catch (AwsException e) {
            if (!"InvalidRange".equals(e.failure().code())) {
                throw e;
            }
            HeadObjectResponse head = AwsErrors.call(() -> s3.headObject(b -> b.bucket(bucket).key(key)));
            return new Head(new byte[0], head.contentLength(), head.lastModified());
        }
    }

    /** The object's size (a HeadObject): whether it exists, without reading it. */
    public long size(String bucket, String key) {
        return AwsErrors.call(() -> s3.headObject(b -> b.bucket(bucket).key(key))).contentLength();
    }

    /** The object's full size: after the slash of {@code Content-Range: bytes 0-262143/1048576}. */
    private static long size(GetObjectResponse response, int read) {
        String range = response.contentRange();
        if (range != null && range.lastIndexOf('/') >= 0) {
            String total = range.substring(range.lastIndexOf('/') + 1);
            if (!total.equals("*")) {
                return Long.parseLong(total);
            }
        }
        return response.contentLength() == null ? read : Math.max(read, response.contentLength());
    }
}
