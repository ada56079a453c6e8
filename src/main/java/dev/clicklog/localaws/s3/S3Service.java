package dev.clicklog.localaws.s3;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.clicklog.localaws.LocalAwsConfig;
import dev.clicklog.localaws.http.Body;
import dev.clicklog.localaws.storage.Storage;

/**
 * S3's buckets and objects: metadata in memory, bodies on disk under the storage's {@code s3}
 * area ({@code <data-dir>/s3/<bucket>/}, see {@link Storage#area}). S3's metadata does not go
 * through a journal yet, so at start nothing in the area is referenced: what an earlier run left is
 * moved aside at once and deleted in the background (that can take a while after a large run, so
 * it never delays a request). Once S3 keeps its state in a journal, only unreferenced files go.
 */
@ApplicationScoped
public class S3Service {

    /** The region whose endpoint keeps S3's legacy behaviours (200 for re-creating your own bucket). */
    static final String US_EAST_1 = "us-east-1";

    /** What must hold for a write to happen (If-None-Match / If-Match on PUT and multipart completion). */
    record WriteCondition(boolean mustNotExist, String ifMatch) {
        static final WriteCondition NONE = new WriteCondition(false, null);
    }

    private static final Logger LOG = Logger.getLogger(S3Service.class);
    /** Where files no object references wait to be deleted. */
    private static final String DISCARDED = ".discarded-";

    private final Path root;
    private final String ownerId;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    S3Service(LocalAwsConfig config, Storage storage) throws IOException {
        this.root = storage.area("s3");
        this.ownerId = sha256Hex(config.accountId());
        discardUnreferenced();
    }

    /** Moves what no object references out of the way, then deletes it in the background. */
    private void discardUnreferenced() throws IOException {
        Path discarded = root.resolve(DISCARDED + UUID.randomUUID());
        List<Path> stale = new ArrayList<>();
        try (Stream<Path> entries = Files.list(root)) {
            for (Path entry : entries.toList()) {
                if (entry.getFileName().toString().startsWith(DISCARDED)) {
                    stale.add(entry);
                } else {
                    Files.createDirectories(discarded);
                    Files.move(entry, discarded.resolve(entry.getFileName()), StandardCopyOption.ATOMIC_MOVE);
                }
            }
        }
        if (Files.exists(discarded)) {
            stale.add(discarded);
        }
        if (stale.isEmpty()) {
            return;
        }
        Thread cleaner = new Thread(() -> stale.forEach(dir -> {
            try {
                BlobFiles.deleteTree(dir);
            } catch (UncheckedIOException e) {
                LOG.debugf(e, "localaws: could not remove %s", dir);
            }
        }), "localaws-s3-cleanup");
        cleaner.setDaemon(true);
        cleaner.start();
    }

    /** The canonical user id of the account, as S3 shows it in Owner elements. */
    String ownerId() {
        return ownerId;
    }

    /**
     * Creates the bucket in {@code region}. Re-creating a bucket you own is BucketAlreadyOwnedByYou,
     * except that S3 answers 200 and changes nothing when both the bucket and the request are in
     * us-east-1 (its documented legacy behaviour).
     */
    Bucket createBucket(String name, String region) {
        Bucket fresh = new Bucket(name, region, Instant.now().truncatedTo(ChronoUnit.MILLIS), root.resolve(name));
        Bucket existing = buckets.putIfAbsent(name, fresh);
        if (existing == null) {
            return fresh;
        }
        if (US_EAST_1.equals(existing.region) && US_EAST_1.equals(region)) {
            return existing;
        }
        throw new S3Exception(409, "BucketAlreadyOwnedByYou",
                "Your previous request to create the named bucket succeeded and you already own it.").with("BucketName", name);
    }

    Bucket bucket(String name) {
        Bucket b = buckets.get(name);
        if (b == null) {
            throw S3Exception.noSuchBucket(name);
        }
        return b;
    }

    List<Bucket> buckets() {
        return buckets.values().stream().sorted(Comparator.comparing(b -> b.name)).toList();
    }

    void deleteBucket(String name) {
        Bucket b = bucket(name);
        synchronized (b) {
            if (!b.objects.isEmpty()) {
                throw new S3Exception(409, "BucketNotEmpty", "The bucket you tried to delete is not empty")
                        .with("BucketName", name);
            }
            b.deleted = true;
            buckets.remove(name, b);
        }
        BlobFiles.deleteTree(b.dir);
    }

    S3Object object(String bucket, String key) {
        S3Object o = bucket(bucket).objects.get(key);
        if (o == null) {
            throw S3Exception.noSuchKey(key);
        }
        return o;
    }

    /** Bytes of an object; null when it was overwritten or deleted after {@code object} was looked up. */
    byte[] read(S3Object object, long offset, int length) {
        return BlobFiles.read(object.blob(), offset, length);
    }

    /** Stores an object's bytes and publishes it, replacing any object under the same key. */
    S3Object putObject(Bucket bucket, String key, Body data, String etag, ObjectMetadata metadata,
            ChecksumAlgorithm.Value checksum, WriteCondition condition) {
        Path blob = BlobFiles.write(bucket.dir, blobPrefix(key), data);
        return publish(bucket, key, data.length(), etag, metadata, checksum, List.of(), blob, condition);
    }

    /**
     * Copies the bytes of {@code source} (of this or another bucket) to {@code key}, with the
     * metadata given, computing its ETag and a whole-object checksum with {@code algorithm}; null
     * when the source was overwritten or deleted before its bytes could be read.
     */
    S3Object copyObject(S3Object source, Bucket bucket, String key, ObjectMetadata metadata, ChecksumAlgorithm algorithm,
            WriteCondition condition) {
        ChecksumAlgorithm.Hasher md5 = ChecksumAlgorithm.MD5.hasher();
        ChecksumAlgorithm.Hasher sum = algorithm.hasher();
        Path blob = BlobFiles.copy(source.blob(), 0, source.size(), bucket.dir, blobPrefix(key), List.of(md5, sum));
        if (blob == null) {
            return null;
        }
        String etag = "\"" + HexFormat.of().formatHex(md5.digest()) + "\"";
        ChecksumAlgorithm.Value checksum = new ChecksumAlgorithm.Value(algorithm,
                Base64.getEncoder().encodeToString(sum.digest()), ChecksumAlgorithm.Type.FULL_OBJECT);
        return publish(bucket, key, source.size(), etag, metadata, checksum, List.of(), blob, condition);
    }

    /**
     * Publishes an object whose bytes are already in a file of the bucket (an assembled multipart
     * upload). The condition is checked at the moment of publishing, so check-and-write is atomic.
     */
    S3Object publish(Bucket bucket, String key, long size, String etag, ObjectMetadata metadata,
            ChecksumAlgorithm.Value checksum, List<Long> partSizes, Path blob, WriteCondition condition) {
        S3Object object = new S3Object(key, size, etag, Instant.now().truncatedTo(ChronoUnit.SECONDS), metadata, checksum,
                partSizes, encryption(bucket, metadata), blob);
        S3Object previous;
        synchronized (bucket) {
            try {
                if (bucket.deleted) {
                    throw S3Exception.noSuchBucket(bucket.name);
                }
                S3Object current = bucket.objects.get(key);
                if (condition.mustNotExist() && current != null) {
                    throw S3Exception.preconditionFailed("If-None-Match");
                }
                if (condition.ifMatch() != null) {
                    if (current == null) {
                        throw S3Exception.noSuchKey(key);
                    }
                    if (!Preconditions.etagMatches(condition.ifMatch(), current.etag())) {
                        throw S3Exception.preconditionFailed("If-Match");
                    }
                }
            } catch (S3Exception e) {
                BlobFiles.delete(blob);
                throw e;
            }
            previous = bucket.objects.put(key, object);
        }
        if (previous != null) {
            BlobFiles.delete(previous.blob());
        }
        return object;
    }

    /** The server-side encryption an object gets: the one asked for, else the bucket's default. */
    static String encryption(Bucket bucket, ObjectMetadata metadata) {
        return metadata.serverSideEncryption() != null ? metadata.serverSideEncryption() : bucket.encryption.algorithm();
    }

    void deleteObject(String bucketName, String key) {
        S3Object removed = bucket(bucketName).objects.remove(key);
        if (removed != null) {
            BlobFiles.delete(removed.blob());
        }
    }

    /** Removes the object if it is still the current one under its key (a lifecycle expiration). */
    boolean expire(Bucket bucket, S3Object object) {
        if (bucket.objects.remove(object.key(), object)) {
            BlobFiles.delete(object.blob());
            return true;
        }
        return false;
    }

    /** Moves the object to another storage class, keeping its bytes, unless it was replaced meanwhile. */
    void changeStorageClass(Bucket bucket, S3Object object, String storageClass) {
        ObjectMetadata m = object.metadata();
        ObjectMetadata moved = new ObjectMetadata(m.contentType(), m.contentEncoding(), m.contentDisposition(),
                m.contentLanguage(), m.cacheControl(), m.expires(), m.userMetadata(), storageClass, m.serverSideEncryption());
        bucket.objects.replace(object.key(), object, new S3Object(object.key(), object.size(), object.etag(),
                object.lastModified(), moved, object.checksum(), object.partSizes(), object.serverSideEncryption(),
                object.blob()));
    }

    /** Aborts an upload left incomplete, as AbortMultipartUpload would. */
    void abortUpload(Bucket bucket, MultipartUpload upload) {
        synchronized (upload) {
            bucket.uploads.remove(upload.id);
            BlobFiles.deleteTree(upload.dir);
        }
    }

    /** A short stable file-name prefix per key, so a bucket's directory tells which files belong together. */
    static String blobPrefix(String key) {
        return sha256Hex(key).substring(0, 24);
    }

    private static String sha256Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
