package dev.clicklog.localaws.s3;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.clicklog.endpoint.LocalEndpoint;
import dev.clicklog.localaws.LocalAwsConfig;
import dev.clicklog.localaws.http.Body;
import dev.clicklog.localaws.s3.S3Change.BucketDeleted;
import dev.clicklog.localaws.s3.S3Change.BucketPut;
import dev.clicklog.localaws.s3.S3Change.ObjectDeleted;
import dev.clicklog.localaws.s3.S3Change.ObjectPut;
import dev.clicklog.localaws.s3.S3Change.PartPut;
import dev.clicklog.localaws.s3.S3Change.UploadPut;
import dev.clicklog.localaws.s3.S3Change.UploadRemoved;
import dev.clicklog.localaws.storage.Durability;
import dev.clicklog.localaws.storage.Journal;
import dev.clicklog.localaws.storage.JsonCodec;
import dev.clicklog.localaws.storage.Storage;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.StartupEvent;

/**
 * S3's buckets and objects: metadata in memory, bodies on disk under the storage's {@code s3}
 * area ({@code <data-dir>/s3/<bucket>/}, see {@link Storage#area}).
 *
 * <p>Durable through the journal {@code s3} ({@link S3Change}): every change to a bucket, an object
 * or a multipart upload is recorded under this service's lock, after every check, as the bucket,
 * object or upload now is. A body's file is written first, and forced when the durability is
 * {@code fsync}, so a recorded object always has its bytes; a file an overwrite or a delete no
 * longer needs is deleted once that change is recorded. At start, files no object or part
 * references (a crash between writing a body and recording it) are deleted.
 */
@ApplicationScoped
@Startup(Storage.REGISTER_PRIORITY)
public class S3Service {

    /** The region whose endpoint keeps S3's legacy behaviours (200 for re-creating your own bucket). */
    static final String US_EAST_1 = "us-east-1";

    /** What must hold for a write to happen (If-None-Match / If-Match on PUT and multipart completion). */
    record WriteCondition(boolean mustNotExist, String ifMatch) {
        static final WriteCondition NONE = new WriteCondition(false, null);
    }

    private static final Logger LOG = Logger.getLogger(S3Service.class);
    /** Where files of an earlier layout, or of buckets that are gone, wait to be deleted. */
    private static final String DISCARDED = ".discarded-";

    private final Storage storage;
    private final String ownerId;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final Journal<S3Change> journal;
    /** Whether a body's file is forced before the change naming it is recorded. */
    private final boolean force;
    /** Files written before this are an earlier run's: only those can be garbage at start. */
    private final FileTime started = FileTime.from(Instant.now());
    private volatile Path root;

    S3Service(LocalAwsConfig config, Storage storage) {
        this.storage = storage;
        this.ownerId = sha256Hex(config.accountId());
        this.force = storage.durability() == Durability.FSYNC;
        this.journal = storage.journal(S3Change.STORE, JsonCodec.of(S3Change.class, S3Change.VERSION), this, this::apply,
                out -> buckets.values().forEach(b -> {
                    out.accept(new BucketPut(state(b)));
                    b.objects.values().forEach(o -> out.accept(new ObjectPut(b.name, state(o), null)));
                    b.uploads.values().forEach(u -> out.accept(new UploadPut(b.name, state(u))));
                }));
    }

    /** The area of object bodies; asked for once the storage is open (a replay resolves files against it). */
    private Path root() {
        Path r = root;
        if (r == null) {
            r = storage.area("s3");
            root = r;
        }
        return r;
    }

    /** The one way S3's state changes, live (after the change is logged) and at replay. */
    private void apply(S3Change change) {
        if (change instanceof BucketPut put) {
            S3Change.BucketState s = put.bucket();
            Bucket b = buckets.get(s.name());
            if (b == null || !b.created.equals(s.created())) {
                b = new Bucket(s.name(), s.region(), s.created(), root().resolve(s.name()));
                buckets.put(s.name(), b);
            }
            b.tags = s.tags() == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(s.tags()));
            b.publicAccessBlock = s.publicAccessBlock();
            b.encryption = s.encryption() == null ? Bucket.Encryption.SSE_S3 : s.encryption();
            b.lifecycleRules = s.lifecycleRules() == null ? null : List.copyOf(s.lifecycleRules());
            return;
        }
        if (change instanceof BucketDeleted deleted) {
            Bucket b = buckets.remove(deleted.name());
            if (b != null) {
                b.deleted = true;
            }
            return;
        }
        if (change instanceof ObjectPut put) {
            Bucket b = buckets.get(put.bucket());
            if (b == null) {
                return;
            }
            S3Object object = object(put.object());
            b.objects.put(object.key(), object);
            S3Change.Completion done = put.completes();
            if (done != null) {
                b.uploads.remove(done.uploadId());
                b.completed.values().removeIf(c -> c.at().plus(MultipartUploads.COMPLETED_RETENTION).isBefore(done.at()));
                b.completed.put(done.uploadId(), new Bucket.CompletedUpload(object.key(), List.copyOf(done.parts()),
                        object, done.at()));
            }
        } else if (change instanceof ObjectDeleted deleted) {
            Bucket b = buckets.get(deleted.bucket());
            if (b != null) {
                b.objects.remove(deleted.key());
            }
        } else if (change instanceof UploadPut put) {
            Bucket b = buckets.get(put.bucket());
            if (b == null) {
                return;
            }
            S3Change.UploadState s = put.upload();
            MultipartUpload upload = new MultipartUpload(s.id(), s.key(), s.metadata(), s.checksumAlgorithm(),
                    s.checksumType(), b.dir.resolve(".uploads").resolve(s.id()), s.initiated());
            s.parts().forEach(p -> upload.parts.put(p.number(), part(p)));
            b.uploads.put(s.id(), upload);
        } else if (change instanceof PartPut put) {
            Bucket b = buckets.get(put.bucket());
            MultipartUpload upload = b == null ? null : b.uploads.get(put.uploadId());
            if (upload != null) {
                upload.parts.put(put.part().number(), part(put.part()));
            }
        } else if (change instanceof UploadRemoved removed) {
            Bucket b = buckets.get(removed.bucket());
            if (b != null) {
                b.uploads.remove(removed.uploadId());
            }
        }
    }

    private static S3Change.BucketState state(Bucket b) {
        return new S3Change.BucketState(b.name, b.region, b.created, b.tags, b.publicAccessBlock, b.encryption,
                b.lifecycleRules);
    }

    private S3Change.ObjectState state(S3Object o) {
        return new S3Change.ObjectState(o.key(), o.size(), o.etag(), o.lastModified(), o.metadata(), o.checksum(),
                o.partSizes(), o.serverSideEncryption(), relative(o.blob()));
    }

    private S3Change.UploadState state(MultipartUpload u) {
        return new S3Change.UploadState(u.id, u.key, u.metadata, u.checksumAlgorithm, u.checksumType, u.initiated,
                u.parts.values().stream().map(this::state).toList());
    }

    private S3Change.PartState state(MultipartUpload.Part p) {
        return new S3Change.PartState(p.number(), p.size(), p.etag(), p.checksum(), relative(p.blob()));
    }

    private S3Object object(S3Change.ObjectState s) {
        return new S3Object(s.key(), s.size(), s.etag(), s.lastModified(), s.metadata(), s.checksum(), s.partSizes(),
                s.serverSideEncryption(), root().resolve(s.blob()));
    }

    private MultipartUpload.Part part(S3Change.PartState s) {
        return new MultipartUpload.Part(s.number(), s.size(), s.etag(), s.checksum(), root().resolve(s.blob()));
    }

    /** A body's file as the journal names it: relative to the area, with forward slashes. */
    private String relative(Path blob) {
        return root().relativize(blob).toString().replace('\\', '/');
    }

    /**
     * Once the storage is open (replayed): the files no object or upload references are deleted,
     * left by a crash between writing a body and recording it, or by an earlier layout.
     */
    void onStart(@Observes StartupEvent event, LocalEndpoint endpoint) {
        if (endpoint.embedded()) {
            removeUnreferenced();
        }
    }

    /**
     * Deletes what no recorded object or part references and this run did not write: whole
     * directories of buckets that are gone (moved aside at once, deleted in the background, as
     * those can be large) and single files in the buckets' directories.
     */
    void removeUnreferenced() {
        Set<Path> referenced = new HashSet<>();
        Set<String> live;
        synchronized (this) {
            live = new HashSet<>(buckets.keySet());
            for (Bucket b : buckets.values()) {
                b.objects.values().forEach(o -> referenced.add(o.blob()));
                b.uploads.values().forEach(u -> u.parts.values().forEach(p -> referenced.add(p.blob())));
            }
        }
        Path area = root();
        Path discarded = area.resolve(DISCARDED + UUID.randomUUID());
        List<Path> stale = new ArrayList<>();
        int removed = 0;
        try (Stream<Path> entries = Files.list(area)) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (name.startsWith(DISCARDED)) {
                    stale.add(entry);
                } else if (live.contains(name) && Files.isDirectory(entry)) {
                    removed += removeUnreferenced(entry, referenced);
                } else if (earlier(entry)) {
                    Files.createDirectories(discarded);
                    Files.move(entry, discarded.resolve(name), StandardCopyOption.ATOMIC_MOVE);
                }
            }
        } catch (IOException e) {
            LOG.warnf("localaws s3: could not look for unreferenced files in %s: %s", area, e);
        }
        if (removed > 0) {
            LOG.infof("localaws s3: removed %d file(s) that no object or upload references (left by an interrupted write)",
                    removed);
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

    /**
     * Deletes a bucket directory's files that are unreferenced and older than this run, then the
     * directories of uploads that are gone (a file deleted there made the directory look new).
     */
    private int removeUnreferenced(Path bucketDir, Set<Path> referenced) throws IOException {
        int removed = 0;
        try (Stream<Path> files = Files.walk(bucketDir)) {
            for (Path file : files.toList()) {
                if (!Files.isDirectory(file) && !referenced.contains(file) && earlier(file)) {
                    Files.deleteIfExists(file);
                    removed++;
                }
            }
        }
        Bucket bucket = buckets.get(bucketDir.getFileName().toString());
        Path uploads = bucketDir.resolve(".uploads");
        if (bucket != null && Files.isDirectory(uploads)) {
            try (Stream<Path> dirs = Files.list(uploads)) {
                for (Path upload : dirs.toList()) {
                    if (!bucket.uploads.containsKey(upload.getFileName().toString())) {
                        try {
                            Files.deleteIfExists(upload);
                        } catch (DirectoryNotEmptyException e) {
                            // written by this run: an upload begun since
                        }
                    }
                }
            }
        }
        return removed;
    }

    /** Whether a file was last written before this run began (so no write of this run can be under way into it). */
    private boolean earlier(Path file) {
        try {
            return Files.getLastModifiedTime(file).compareTo(started) < 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** The canonical user id of the account, as S3 shows it in Owner elements. */
    String ownerId() {
        return ownerId;
    }

    /**
     * Creates the bucket in {@code region}, with its tags (null: none). Re-creating a bucket you own
     * is BucketAlreadyOwnedByYou, except that S3 answers 200 when both the bucket and the request
     * are in us-east-1 (its documented legacy behaviour); tags given then replace the bucket's.
     */
    synchronized Bucket createBucket(String name, String region, Map<String, String> tags) {
        Bucket existing = buckets.get(name);
        if (existing == null) {
            journal.record(new BucketPut(new S3Change.BucketState(name, region,
                    Instant.now().truncatedTo(ChronoUnit.MILLIS), tags, Bucket.PublicAccessBlock.ALL_ON,
                    Bucket.Encryption.SSE_S3, null)));
            return buckets.get(name);
        }
        if (US_EAST_1.equals(existing.region) && US_EAST_1.equals(region)) {
            if (tags != null) {
                configure(existing, s -> s.withTags(tags));
            }
            return existing;
        }
        throw new S3Exception(409, "BucketAlreadyOwnedByYou",
                "Your previous request to create the named bucket succeeded and you already own it.").with("BucketName", name);
    }

    /** Changes a bucket's settings (tags, public access block, encryption, lifecycle rules). */
    synchronized void configure(Bucket bucket, UnaryOperator<S3Change.BucketState> change) {
        if (bucket.deleted) {
            throw S3Exception.noSuchBucket(bucket.name);
        }
        journal.record(new BucketPut(change.apply(state(bucket))));
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
        Bucket b;
        Path discarded;
        synchronized (this) {
            b = bucket(name);
            if (!b.objects.isEmpty()) {
                throw new S3Exception(409, "BucketNotEmpty", "The bucket you tried to delete is not empty")
                        .with("BucketName", name);
            }
            journal.record(new BucketDeleted(name));
            // Moved aside before the name is free again: a bucket made under it at once gets a directory of its own.
            discarded = discard(b.dir);
        }
        if (discarded != null) {
            BlobFiles.deleteTree(discarded);
        }
    }

    /** Moves a deleted bucket's directory out of the way (null when it has none); a crash leaves it to the start-up clean-up. */
    private Path discard(Path dir) {
        Path aside = root().resolve(DISCARDED + UUID.randomUUID());
        try {
            Files.move(dir, aside, StandardCopyOption.ATOMIC_MOVE);
            return aside;
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            LOG.warnf("localaws s3: could not move %s aside (%s); deleting it in place", dir, e);
            BlobFiles.deleteTree(dir);
            return null;
        }
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
        return publish(bucket, key, data.length(), etag, metadata, checksum, List.of(), blob, condition, null);
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
        return publish(bucket, key, source.size(), etag, metadata, checksum, List.of(), blob, condition, null);
    }

    /**
     * Publishes an object whose bytes are already in a file of the bucket. The condition is checked
     * at the moment of publishing, so check-and-write is atomic. {@code completes}: the multipart
     * upload this object completes, which ends in the same change (null for other writes).
     */
    S3Object publish(Bucket bucket, String key, long size, String etag, ObjectMetadata metadata,
            ChecksumAlgorithm.Value checksum, List<Long> partSizes, Path blob, WriteCondition condition,
            S3Change.Completion completes) {
        S3Object object = new S3Object(key, size, etag, Instant.now().truncatedTo(ChronoUnit.SECONDS), metadata, checksum,
                partSizes, encryption(bucket, metadata), blob);
        S3Object previous;
        try {
            forceIfDurable(blob);
            synchronized (this) {
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
                if (completes != null && !bucket.uploads.containsKey(completes.uploadId())) {
                    throw S3Exception.noSuchUpload(completes.uploadId());
                }
                journal.record(new ObjectPut(bucket.name, state(object), completes));
                previous = current;
            }
        } catch (RuntimeException e) {
            BlobFiles.delete(blob);
            throw e;
        }
        if (previous != null && !previous.blob().equals(blob)) {
            BlobFiles.delete(previous.blob());
        }
        return object;
    }

    /** Forces a body's file (and the directories naming it) to disk when the durability is fsync. */
    void forceIfDurable(Path blob) {
        if (force) {
            BlobFiles.force(blob, root());
        }
    }

    /** The server-side encryption an object gets: the one asked for, else the bucket's default. */
    static String encryption(Bucket bucket, ObjectMetadata metadata) {
        return metadata.serverSideEncryption() != null ? metadata.serverSideEncryption() : bucket.encryption.algorithm();
    }

    void deleteObject(String bucketName, String key) {
        S3Object removed;
        synchronized (this) {
            removed = bucket(bucketName).objects.get(key);
            if (removed != null) {
                journal.record(new ObjectDeleted(bucketName, key));
            }
        }
        if (removed != null) {
            BlobFiles.delete(removed.blob());
        }
    }

    /** Removes the object if it is still the current one under its key (a lifecycle expiration). */
    boolean expire(Bucket bucket, S3Object object) {
        synchronized (this) {
            if (bucket.deleted || !object.equals(bucket.objects.get(object.key()))) {
                return false;
            }
            journal.record(new ObjectDeleted(bucket.name, object.key()));
        }
        BlobFiles.delete(object.blob());
        return true;
    }

    /** Moves the object to another storage class, keeping its bytes, unless it was replaced meanwhile. */
    synchronized void changeStorageClass(Bucket bucket, S3Object object, String storageClass) {
        if (bucket.deleted || !object.equals(bucket.objects.get(object.key()))) {
            return;
        }
        ObjectMetadata m = object.metadata();
        ObjectMetadata moved = new ObjectMetadata(m.contentType(), m.contentEncoding(), m.contentDisposition(),
                m.contentLanguage(), m.cacheControl(), m.expires(), m.userMetadata(), storageClass, m.serverSideEncryption());
        journal.record(new ObjectPut(bucket.name, state(new S3Object(object.key(), object.size(), object.etag(),
                object.lastModified(), moved, object.checksum(), object.partSizes(), object.serverSideEncryption(),
                object.blob())), null));
    }

    /** Begins a multipart upload with this id. */
    synchronized MultipartUpload createUpload(Bucket bucket, String id, String key, ObjectMetadata metadata,
            ChecksumAlgorithm algorithm, ChecksumAlgorithm.Type type) {
        if (bucket.deleted) {
            throw S3Exception.noSuchBucket(bucket.name);
        }
        journal.record(new UploadPut(bucket.name, new S3Change.UploadState(id, key, metadata, algorithm, type, Instant.now(),
                List.of())));
        return bucket.uploads.get(id);
    }

    /**
     * Records a part whose file is written (and forced); returns the part it replaced, whose file the
     * caller deletes. NoSuchUpload (and the file deleted) when the upload ended meanwhile.
     */
    MultipartUpload.Part addPart(Bucket bucket, MultipartUpload upload, MultipartUpload.Part part) {
        synchronized (this) {
            if (bucket.deleted || bucket.uploads.get(upload.id) != upload) {
                BlobFiles.delete(part.blob());
                throw S3Exception.noSuchUpload(upload.id);
            }
            MultipartUpload.Part previous = upload.parts.get(part.number());
            try {
                journal.record(new PartPut(bucket.name, upload.id, state(part)));
            } catch (RuntimeException e) {
                BlobFiles.delete(part.blob());
                throw e;
            }
            return previous;
        }
    }

    /** Aborts an upload (AbortMultipartUpload, or a lifecycle rule for uploads left incomplete). */
    void abortUpload(Bucket bucket, MultipartUpload upload) {
        synchronized (upload) {
            synchronized (this) {
                if (bucket.uploads.get(upload.id) != upload) {
                    return;
                }
                journal.record(new UploadRemoved(bucket.name, upload.id));
            }
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
