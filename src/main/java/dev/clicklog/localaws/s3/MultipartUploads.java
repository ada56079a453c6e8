package dev.clicklog.localaws.s3;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import dev.clicklog.localaws.s3.MultipartUpload.Part;

/**
 * S3's multipart uploads: parts stored as they arrive, then assembled into one object by
 * CompleteMultipartUpload under S3's rules (ascending part numbers, matching ETags and
 * checksums, every part but the last at least 5 MiB).
 */
@ApplicationScoped
public class MultipartUploads {

    static final long MIN_PART_SIZE = 5L * 1024 * 1024;
    static final int MAX_PART_NUMBER = 10_000;

    /** How long a completed upload answers a repeated CompleteMultipartUpload with its result, as S3 does for a while. */
    static final Duration COMPLETED_RETENTION = Duration.ofHours(1);

    /** A part as CompleteMultipartUpload lists it. */
    record RequestedPart(int number, String etag, String checksum) {

        /** Whether two lists name the same parts (numbers and ETags, quoted or not). */
        static boolean same(List<RequestedPart> a, List<RequestedPart> b) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (a.get(i).number() != b.get(i).number() || a.get(i).etag() == null || b.get(i).etag() == null
                        || !Preconditions.unquote(a.get(i).etag()).equals(Preconditions.unquote(b.get(i).etag()))) {
                    return false;
                }
            }
            return true;
        }
    }

    /** A whole-object checksum (or the composite checksum) the completing client computed itself. */
    record ExpectedChecksum(ChecksumAlgorithm algorithm, String value) {
    }

    private final S3Service store;
    private final SecureRandom random = new SecureRandom();

    MultipartUploads(S3Service store) {
        this.store = store;
    }

    MultipartUpload create(Bucket bucket, String key, ObjectMetadata metadata, ChecksumAlgorithm algorithm,
            ChecksumAlgorithm.Type type) {
        // Hex, not base64url: an id that starts with '-' reads as an option to the AWS CLI's --upload-id.
        byte[] id = new byte[32];
        random.nextBytes(id);
        String uploadId = HexFormat.of().formatHex(id);
        return store.createUpload(bucket, uploadId, key, metadata, algorithm, type);
    }

    /** The upload with this id for this key; NoSuchUpload otherwise. */
    MultipartUpload upload(Bucket bucket, String uploadId, String key) {
        MultipartUpload upload = find(bucket, uploadId, key);
        if (upload == null) {
            throw S3Exception.noSuchUpload(uploadId);
        }
        return upload;
    }

    /** The upload in progress with this id for this key; null when there is none. */
    MultipartUpload find(Bucket bucket, String uploadId, String key) {
        MultipartUpload upload = uploadId == null ? null : bucket.uploads.get(uploadId);
        return upload == null || !upload.key.equals(key) ? null : upload;
    }

    /**
     * The object an upload completed with the same parts created: what a repeated
     * CompleteMultipartUpload (an SDK retrying after a lost answer) receives. NoSuchUpload when the
     * upload was not completed, completed with other parts, or too long ago.
     */
    S3Object completed(Bucket bucket, String uploadId, String key, List<RequestedPart> requested) {
        Bucket.CompletedUpload done = uploadId == null ? null : bucket.completed.get(uploadId);
        if (done == null || !done.key().equals(key) || !RequestedPart.same(done.parts(), requested)
                || done.at().plus(COMPLETED_RETENTION).isBefore(Instant.now())) {
            throw S3Exception.noSuchUpload(uploadId);
        }
        return done.object();
    }

    /**
     * Copies a byte range of an object into a part (UploadPartCopy), with the upload's checksum
     * when it has one; null when the source was overwritten or deleted before it could be read.
     */
    Part copyPart(Bucket bucket, MultipartUpload upload, int number, S3Object source, ByteRange range) {
        ChecksumAlgorithm.Hasher md5 = ChecksumAlgorithm.MD5.hasher();
        ChecksumAlgorithm.Hasher sum = upload.checksumAlgorithm == null ? null : upload.checksumAlgorithm.hasher();
        long offset = range == null ? 0 : range.first();
        long length = range == null ? source.size() : range.length();
        Path blob = BlobFiles.copy(source.blob(), offset, length, upload.dir, Integer.toString(number),
                sum == null ? List.of(md5) : List.of(md5, sum));
        if (blob == null) {
            return null;
        }
        ChecksumAlgorithm.Value checksum = sum == null ? null
                : new ChecksumAlgorithm.Value(upload.checksumAlgorithm, Base64.getEncoder().encodeToString(sum.digest()),
                        upload.checksumType);
        return addPart(bucket, upload, new Part(number, length, "\"" + HexFormat.of().formatHex(md5.digest()) + "\"",
                checksum, blob));
    }

    Part putPart(Bucket bucket, MultipartUpload upload, int number, Payload payload, ChecksumAlgorithm.Value checksum) {
        Path blob = BlobFiles.write(upload.dir, Integer.toString(number), payload.content());
        return addPart(bucket, upload, new Part(number, payload.length(), payload.etag(), checksum, blob));
    }

    /** Records a part whose file is written, forced first; the part it replaces loses its file. */
    private Part addPart(Bucket bucket, MultipartUpload upload, Part part) {
        try {
            store.forceIfDurable(part.blob());
        } catch (RuntimeException e) {
            BlobFiles.delete(part.blob());
            throw e;
        }
        Part previous;
        synchronized (upload) {
            previous = store.addPart(bucket, upload, part);
        }
        if (previous != null && !previous.blob().equals(part.blob())) {
            BlobFiles.delete(previous.blob());
        }
        return part;
    }

    /**
     * Assembles the parts into the object. The checksum and size the client computed, when given,
     * must match what the parts make (BadDigest otherwise; the upload stays, as on S3). The result
     * is kept a while for {@link #completed}.
     */
    S3Object complete(Bucket bucket, MultipartUpload upload, List<RequestedPart> requested, S3Service.WriteCondition condition,
            ExpectedChecksum expected, Long expectedSize) {
        synchronized (upload) {
            if (bucket.uploads.get(upload.id) != upload) {
                throw S3Exception.noSuchUpload(upload.id);
            }
            List<Part> parts = chosenParts(upload, requested);
            Path assembled = BlobFiles.temp(bucket.dir);
            ChecksumAlgorithm.Hasher fullObject = fullObjectHasher(upload);
            ByteArrayOutputStream md5s = new ByteArrayOutputStream();
            ByteArrayOutputStream partChecksums = new ByteArrayOutputStream();
            List<Long> sizes = new ArrayList<>();
            long size = 0;
            try (OutputStream out = Files.newOutputStream(assembled)) {
                for (Part part : parts) {
                    append(part.blob(), out, fullObject);
                    md5s.writeBytes(HexFormat.of().parseHex(Preconditions.unquote(part.etag())));
                    if (part.checksum() != null) {
                        partChecksums.writeBytes(Base64.getDecoder().decode(part.checksum().base64()));
                    }
                    sizes.add(part.size());
                    size += part.size();
                }
            } catch (IOException e) {
                BlobFiles.delete(assembled);
                throw new UncheckedIOException(e);
            }
            String suffix = "-" + parts.size();
            String etag = "\"" + HexFormat.of().formatHex(Payload.digest("MD5", md5s.toByteArray())) + suffix + "\"";
            ChecksumAlgorithm.Value checksum = fullObject != null
                    ? new ChecksumAlgorithm.Value(fullObjectAlgorithm(upload),
                            Base64.getEncoder().encodeToString(fullObject.digest()), ChecksumAlgorithm.Type.FULL_OBJECT)
                    : new ChecksumAlgorithm.Value(upload.checksumAlgorithm,
                            upload.checksumAlgorithm.compute(partChecksums.toByteArray()) + suffix,
                            ChecksumAlgorithm.Type.COMPOSITE);
            try {
                verify(checksum, parts.size(), expected);
                if (expectedSize != null && expectedSize != size) {
                    throw S3Exception.invalidRequest("The provided 'x-amz-mp-object-size' header value " + expectedSize
                            + " does not match what was computed: " + size);
                }
            } catch (S3Exception e) {
                BlobFiles.delete(assembled);
                throw e;
            }
            Path blob = BlobFiles.publish(assembled, bucket.dir.resolve(S3Service.blobPrefix(upload.key) + "-" + upload.id));
            // The object and the end of its upload are one change: after a crash, either is there, never both.
            S3Object object = store.publish(bucket, upload.key, size, etag, upload.metadata, checksum, sizes, blob, condition,
                    new S3Change.Completion(upload.id, List.copyOf(requested), Instant.now()));
            BlobFiles.deleteTree(upload.dir);
            return object;
        }
    }

    /** The client's checksum against the object's: same algorithm, same value (a composite's "-N" optional). */
    private static void verify(ChecksumAlgorithm.Value computed, int partCount, ExpectedChecksum expected) {
        if (expected == null) {
            return;
        }
        if (expected.algorithm() != computed.algorithm()) {
            throw S3Exception.invalidRequest("Checksum Type mismatch occurred, expected checksum Type: "
                    + computed.algorithm().name().toLowerCase(Locale.ROOT) + ", actual checksum Type: "
                    + expected.algorithm().name().toLowerCase(Locale.ROOT));
        }
        String value = expected.value().trim();
        String suffix = "-" + partCount;
        boolean matches = computed.type() == ChecksumAlgorithm.Type.COMPOSITE
                ? value.equals(computed.base64()) || (value + suffix).equals(computed.base64())
                : value.equals(computed.base64());
        if (!matches) {
            throw S3Exception.badDigest("The " + expected.algorithm().name() + " you specified did not match the "
                    + "calculated checksum.");
        }
    }

    void abort(Bucket bucket, MultipartUpload upload) {
        store.abortUpload(bucket, upload);
    }

    private static List<Part> chosenParts(MultipartUpload upload, List<RequestedPart> requested) {
        if (requested.isEmpty()) {
            throw S3Exception.malformedXml();
        }
        List<Part> parts = new ArrayList<>();
        int previous = 0;
        for (RequestedPart r : requested) {
            if (r.number() <= previous) {
                throw new S3Exception(400, "InvalidPartOrder", "The list of parts was not in ascending order. "
                        + "The parts list must be specified in order by part number.");
            }
            previous = r.number();
            Part part = upload.parts.get(r.number());
            if (part == null || r.etag() == null || !Preconditions.unquote(r.etag()).equals(Preconditions.unquote(part.etag()))
                    || (r.checksum() != null && (part.checksum() == null || !r.checksum().equals(part.checksum().base64())))) {
                throw invalidPart(r);
            }
            if (upload.checksumType == ChecksumAlgorithm.Type.COMPOSITE && r.checksum() == null) {
                throw S3Exception.invalidRequest("The upload was created using a " + upload.checksumAlgorithm.name().toLowerCase(Locale.ROOT)
                        + " checksum. The complete request must include the checksum for each part. It was missing for part "
                        + r.number() + " in the request.");
            }
            parts.add(part);
        }
        for (int i = 0; i < parts.size() - 1; i++) {
            if (parts.get(i).size() < MIN_PART_SIZE) {
                throw new S3Exception(400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed object size.")
                        .with("ProposedSize", parts.get(i).size()).with("MinSizeAllowed", MIN_PART_SIZE)
                        .with("PartNumber", parts.get(i).number()).with("ETag", parts.get(i).etag());
            }
        }
        return parts;
    }

    /** The algorithm of a whole-object checksum: the one asked for, or S3's default CRC64NVME. */
    private static ChecksumAlgorithm fullObjectAlgorithm(MultipartUpload upload) {
        return upload.checksumAlgorithm == null ? ChecksumAlgorithm.CRC64NVME : upload.checksumAlgorithm;
    }

    private static ChecksumAlgorithm.Hasher fullObjectHasher(MultipartUpload upload) {
        return upload.checksumType == ChecksumAlgorithm.Type.COMPOSITE ? null : fullObjectAlgorithm(upload).hasher();
    }

    private static void append(Path file, OutputStream out, ChecksumAlgorithm.Hasher hasher) throws IOException {
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buf); n > 0; n = in.read(buf)) {
                out.write(buf, 0, n);
                if (hasher != null) {
                    hasher.update(buf, 0, n);
                }
            }
        }
    }

    private static S3Exception invalidPart(RequestedPart r) {
        S3Exception e = new S3Exception(400, "InvalidPart", "One or more of the specified parts could not be found. "
                + "The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.")
                .with("PartNumber", r.number());
        return r.etag() == null ? e : e.with("ETag", r.etag());
    }
}
