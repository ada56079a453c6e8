package dev.clicklog.localaws.s3;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import dev.clicklog.localaws.http.AwsRequest;
import dev.clicklog.localaws.http.AwsResponse;
import dev.clicklog.localaws.protocol.RestXmlProtocol;
import dev.clicklog.localaws.protocol.XmlWriter;

/** The wire side of S3's single-object operations: PutObject, GetObject, HeadObject, DeleteObject, CopyObject. */
@ApplicationScoped
class ObjectHandler {

    static final int MAX_KEY_BYTES = 1024;
    static final int MAX_USER_METADATA_BYTES = 2048;
    private static final String META_PREFIX = "x-amz-meta-";
    /** Storage classes whose objects can be read at once. */
    private static final Set<String> INSTANT_CLASSES = Set.of("STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA", "ONEZONE_IA",
            "INTELLIGENT_TIERING", "GLACIER_IR");
    /** Archive classes: accepted on write, but reading needs a restore first. */
    static final Set<String> ARCHIVE_CLASSES = Set.of("GLACIER", "DEEP_ARCHIVE");
    /** Request headers that ask for object features localaws does not have; S3 would act on them. */
    private static final Set<String> UNSUPPORTED_HEADERS = Set.of("x-amz-tagging", "x-amz-object-lock-mode",
            "x-amz-object-lock-retain-until-date", "x-amz-object-lock-legal-hold", "x-amz-website-redirect-location",
            "x-amz-server-side-encryption-customer-algorithm", "x-amz-write-offset-bytes");
    private static final Set<String> SSE = Set.of("AES256", "aws:kms", "aws:kms:dsse");
    /** How many times a read retries when an overwrite replaced the object between lookup and read. */
    private static final int READ_ATTEMPTS = 5;

    private final S3Service store;

    ObjectHandler(S3Service store) {
        this.store = store;
    }

    AwsResponse put(AwsRequest request, String bucketName, String key) {
        checkKey(key);
        Bucket bucket = store.bucket(bucketName);
        ObjectMetadata metadata = metadata(request);
        S3Service.WriteCondition condition = writeCondition(request);
        Payload payload = Payload.read(request, true);
        // Without a checksum from the client, S3 computes a CRC64NVME of its own.
        ChecksumAlgorithm.Value checksum = payload.checksum() != null ? payload.checksum()
                : new ChecksumAlgorithm.Value(ChecksumAlgorithm.CRC64NVME, payload.compute(ChecksumAlgorithm.CRC64NVME),
                        ChecksumAlgorithm.Type.FULL_OBJECT);
        S3Object object = store.putObject(bucket, key, payload.content(), payload.etag(), metadata, checksum, condition);
        return RestXmlProtocol.empty(request, 200)
                .header("ETag", object.etag())
                .header("x-amz-server-side-encryption", object.serverSideEncryption())
                .header("x-amz-expiration", expiration(bucket, object))
                .header(checksum.header(), checksum.base64())
                .header("x-amz-checksum-type", checksum.type().name());
    }

    /**
     * CopyObject: the source's bytes under a new key, with the source's metadata (COPY, the default)
     * or the request's (REPLACE). Copying an object onto itself must change something, as on S3.
     */
    AwsResponse copy(AwsRequest request, String bucketName, String key) {
        checkKey(key);
        checkVersionId(request);
        CopySource from = CopySource.of(request);
        String directive = directive(request, "x-amz-metadata-directive", "Unknown metadata directive.");
        directive(request, "x-amz-tagging-directive", "Unknown tagging directive.");
        Bucket bucket = store.bucket(bucketName);
        ObjectMetadata requested = metadata(request);
        S3Service.WriteCondition condition = writeCondition(request);
        boolean replace = directive.equals("REPLACE");
        if (from.bucket().equals(bucketName) && from.key().equals(key) && !replace
                && request.header("x-amz-storage-class") == null && request.header("x-amz-server-side-encryption") == null) {
            throw S3Exception.invalidRequest("This copy request is illegal because it is trying to copy an object to itself "
                    + "without changing the object's metadata, storage class, website redirect location or encryption "
                    + "attributes.");
        }
        ChecksumAlgorithm asked = checksumAlgorithm(request);
        for (int attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
            S3Object source = from.object(store, request);
            if (source.size() > CopySource.MAX_SIZE) {
                throw CopySource.tooLarge();
            }
            ObjectMetadata m = source.metadata();
            ObjectMetadata metadata = replace ? requested
                    : new ObjectMetadata(m.contentType(), m.contentEncoding(), m.contentDisposition(), m.contentLanguage(),
                            m.cacheControl(), m.expires(), m.userMetadata(), requested.storageClass(),
                            requested.serverSideEncryption());
            // The copy keeps the source's checksum algorithm unless another is asked for; S3's default otherwise.
            ChecksumAlgorithm algorithm = asked != null ? asked
                    : source.checksum() != null ? source.checksum().algorithm() : ChecksumAlgorithm.CRC64NVME;
            S3Object copy = store.copyObject(source, bucket, key, metadata, algorithm, condition);
            if (copy == null) {
                continue;
            }
            XmlWriter xml = new XmlWriter().start("CopyObjectResult", S3Handler.XMLNS)
                    .element("ETag", copy.etag())
                    .element("LastModified", copy.lastModified())
                    .element("ChecksumType", copy.checksum().type().name())
                    .element(copy.checksum().algorithm().element(), copy.checksum().base64())
                    .end();
            return RestXmlProtocol.xml(request, 200, xml)
                    .header("x-amz-server-side-encryption", copy.serverSideEncryption())
                    .header("x-amz-expiration", expiration(bucket, copy));
        }
        throw S3Exception.noSuchKey(from.key());
    }

    /** COPY (the default) or REPLACE; anything else is refused as S3 refuses it. */
    private static String directive(AwsRequest request, String header, String message) {
        String value = request.header(header);
        if (value == null) {
            return "COPY";
        }
        if (!value.equals("COPY") && !value.equals("REPLACE")) {
            throw S3Exception.invalidArgument(message, header, value);
        }
        return value;
    }

    /** The algorithm of x-amz-checksum-algorithm; null when absent. */
    static ChecksumAlgorithm checksumAlgorithm(AwsRequest request) {
        String name = request.header("x-amz-checksum-algorithm");
        if (name == null) {
            return null;
        }
        ChecksumAlgorithm algorithm = ChecksumAlgorithm.named(name);
        if (algorithm == null) {
            throw S3Exception.invalidRequest("Checksum algorithm provided is unsupported. Please try again with any of the "
                    + "valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256, SHA512, MD5]");
        }
        return algorithm;
    }

    /** The x-amz-expiration S3 announces for an object under an expiration rule of its bucket; null otherwise. */
    static String expiration(Bucket bucket, S3Object object) {
        return LifecycleRule.expiry(LifecycleRule.enabled(bucket.lifecycleRules), object)
                .map(LifecycleRule.Expiry::header)
                .orElse(null);
    }

    /** GetObject and HeadObject: preconditions, then a Range or a part, then the bytes (not for HEAD). */
    AwsResponse get(AwsRequest request, String bucketName, String key) {
        checkVersionId(request);
        boolean head = request.method().equals("HEAD");
        Integer partNumber = partNumber(request);
        if (partNumber != null && request.header("Range") != null) {
            throw S3Exception.invalidRequest("Cannot specify both Range header and partNumber query parameter");
        }
        Bucket bucket = store.bucket(bucketName);
        for (int attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
            S3Object object = store.object(bucketName, key);
            if (!head && ARCHIVE_CLASSES.contains(object.metadata().storageClass())) {
                throw new S3Exception(403, "InvalidObjectState", "The operation is not valid for the object's storage class")
                        .with("StorageClass", object.metadata().storageClass());
            }
            if (Preconditions.evaluate(request, object) == Preconditions.Outcome.NOT_MODIFIED) {
                return RestXmlProtocol.empty(request, 304)
                        .header("ETag", object.etag())
                        .header("Last-Modified", RestXmlProtocol.httpDate(object.lastModified()));
            }
            ByteRange range = partNumber != null ? partRange(object, partNumber)
                    : ByteRange.parse(request.header("Range"), object.size());
            long offset = range == null ? 0 : range.first();
            long length = range == null ? object.size() : range.length();
            byte[] body = new byte[0];
            if (!head) {
                body = store.read(object, offset, Math.toIntExact(length));
                if (body == null) {
                    continue;
                }
            }
            AwsResponse response = RestXmlProtocol.withRequestId(new AwsResponse(range == null ? 200 : 206, body), request);
            objectHeaders(request, response, object, partNumber);
            response.header("x-amz-expiration", expiration(bucket, object));
            response.header("Content-Length", Long.toString(length));
            if (range != null) {
                response.header("Content-Range", range.contentRange(object.size()));
            }
            boolean whole = range == null || (partNumber != null && object.partsCount() == 1);
            if (whole && "ENABLED".equalsIgnoreCase(request.header("x-amz-checksum-mode")) && object.checksum() != null) {
                response.header(object.checksum().header(), object.checksum().base64())
                        .header("x-amz-checksum-type", object.checksum().type().name());
            }
            return response;
        }
        throw S3Exception.noSuchKey(key);
    }

    AwsResponse delete(AwsRequest request, String bucketName, String key) {
        checkVersionId(request);
        store.deleteObject(bucketName, key);
        // Deleting a version by its id (here only "null") names the version deleted.
        return RestXmlProtocol.empty(request, 204).header("x-amz-version-id", request.queryParam("versionId"));
    }

    private static void objectHeaders(AwsRequest request, AwsResponse response, S3Object object, Integer partNumber) {
        ObjectMetadata m = object.metadata();
        response.header("Content-Type", override(request, "response-content-type", m.contentType()))
                .header("Content-Encoding", override(request, "response-content-encoding", m.contentEncoding()))
                .header("Content-Disposition", override(request, "response-content-disposition", m.contentDisposition()))
                .header("Content-Language", override(request, "response-content-language", m.contentLanguage()))
                .header("Cache-Control", override(request, "response-cache-control", m.cacheControl()))
                .header("Expires", override(request, "response-expires", m.expires()))
                .header("ETag", object.etag())
                .header("Last-Modified", RestXmlProtocol.httpDate(object.lastModified()))
                .header("Accept-Ranges", "bytes")
                .header("x-amz-server-side-encryption", object.serverSideEncryption());
        if (!m.storageClass().equals("STANDARD")) {
            response.header("x-amz-storage-class", m.storageClass());
        }
        if (partNumber != null && !object.partSizes().isEmpty()) {
            response.header("x-amz-mp-parts-count", Integer.toString(object.partsCount()));
        }
        m.userMetadata().forEach((name, value) -> response.header(META_PREFIX + name, MetadataValues.shown(value)));
    }

    private static String override(AwsRequest request, String param, String stored) {
        String v = request.queryParam(param);
        return v != null ? v : stored;
    }

    /** The byte range of one part; a single-part object has one part, the whole object. */
    private static ByteRange partRange(S3Object object, int partNumber) {
        if (partNumber > object.partsCount()) {
            throw new S3Exception(416, "InvalidPartNumber", "The requested partnumber is not satisfiable")
                    .with("PartNumberRequested", partNumber).with("ActualPartCount", object.partsCount());
        }
        if (object.partSizes().isEmpty()) {
            return object.size() == 0 ? null : new ByteRange(0, object.size() - 1);
        }
        long first = 0;
        for (int i = 0; i < partNumber - 1; i++) {
            first += object.partSizes().get(i);
        }
        long size = object.partSizes().get(partNumber - 1);
        return new ByteRange(first, first + size - 1);
    }

    static Integer partNumber(AwsRequest request) {
        String value = request.queryParam("partNumber");
        if (value == null) {
            return null;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1 && n <= MultipartUploads.MAX_PART_NUMBER) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw S3Exception.invalidArgument("Part number must be an integer between 1 and 10000, inclusive", "partNumber", value);
    }

    /** Buckets here keep no versions: only the "null" version id names an object. */
    private static void checkVersionId(AwsRequest request) {
        String versionId = request.queryParam("versionId");
        if (versionId != null && !versionId.equals("null")) {
            throw S3Exception.invalidArgument("Invalid version id specified", "versionId", versionId);
        }
    }

    static void checkKey(String key) {
        int bytes = key.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_KEY_BYTES) {
            throw new S3Exception(400, "KeyTooLongError", "Your key is too long").with("Size", bytes)
                    .with("MaxSizeAllowed", MAX_KEY_BYTES);
        }
    }

    /** If-None-Match: * and If-Match on a write, checked atomically with the write. */
    static S3Service.WriteCondition writeCondition(AwsRequest request) {
        String ifNoneMatch = request.header("If-None-Match");
        if (ifNoneMatch != null && !ifNoneMatch.trim().equals("*")) {
            throw S3Exception.notImplemented("If-None-Match");
        }
        return new S3Service.WriteCondition(ifNoneMatch != null, request.header("If-Match"));
    }

    /** The stored metadata of a new object, from the request's headers, checked as S3 checks it. */
    static ObjectMetadata metadata(AwsRequest request) {
        for (String name : request.headers().keySet()) {
            if (UNSUPPORTED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                throw S3Exception.notImplemented(name.toLowerCase(Locale.ROOT));
            }
        }
        String acl = request.header("x-amz-acl");
        if ((acl != null && !acl.equals("bucket-owner-full-control")) || BucketHandler.hasGrantHeader(request)) {
            throw new S3Exception(400, "AccessControlListNotSupported", "The bucket does not allow ACLs");
        }
        String storageClass = request.header("x-amz-storage-class");
        if (storageClass == null) {
            storageClass = "STANDARD";
        } else if (!INSTANT_CLASSES.contains(storageClass) && !ARCHIVE_CLASSES.contains(storageClass)) {
            throw new S3Exception(400, "InvalidStorageClass", "The storage class you specified is not valid")
                    .with("StorageClassRequested", storageClass);
        }
        String sse = request.header("x-amz-server-side-encryption");
        if (sse != null && !SSE.contains(sse)) {
            throw S3Exception.invalidArgument("The encryption method specified is not supported",
                    "x-amz-server-side-encryption", sse);
        }
        Map<String, String> user = new TreeMap<>();
        int userBytes = 0;
        for (Map.Entry<String, String> h : request.headers().entrySet()) {
            if (h.getKey().toLowerCase(Locale.ROOT).startsWith(META_PREFIX)) {
                String name = h.getKey().substring(META_PREFIX.length()).toLowerCase(Locale.ROOT);
                String value = MetadataValues.stored(h.getValue());
                user.put(name, value);
                userBytes += name.getBytes(StandardCharsets.UTF_8).length + value.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        if (userBytes > MAX_USER_METADATA_BYTES) {
            throw new S3Exception(400, "MetadataTooLarge", "Your metadata headers exceed the maximum allowed metadata size.")
                    .with("Size", userBytes).with("MaxSizeAllowed", MAX_USER_METADATA_BYTES);
        }
        String contentType = request.header("Content-Type");
        return new ObjectMetadata(contentType == null || contentType.isBlank() ? ObjectMetadata.DEFAULT_CONTENT_TYPE : contentType,
                contentEncoding(request.header("Content-Encoding")), request.header("Content-Disposition"),
                request.header("Content-Language"), request.header("Cache-Control"), request.header("Expires"), new TreeMap<>(user),
                storageClass, sse);
    }

    /**
     * The Content-Encoding to store: the client's header as sent, less the aws-chunked coding that
     * only framed the upload (S3 drops it and keeps the rest byte for byte).
     */
    static String contentEncoding(String header) {
        if (header == null) {
            return null;
        }
        List<String> codings = Arrays.asList(header.split(",", -1));
        if (codings.stream().noneMatch(c -> c.trim().equalsIgnoreCase("aws-chunked"))) {
            return header;
        }
        String rest = codings.stream()
                .filter(c -> !c.trim().equalsIgnoreCase("aws-chunked"))
                .collect(Collectors.joining(","))
                .trim();
        return rest.isEmpty() ? null : rest;
    }
}
