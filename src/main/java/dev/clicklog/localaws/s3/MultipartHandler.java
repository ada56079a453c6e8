package dev.clicklog.localaws.s3;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import dev.clicklog.localaws.http.AwsRequest;
import dev.clicklog.localaws.http.AwsResponse;
import dev.clicklog.localaws.protocol.RestXmlProtocol;
import dev.clicklog.localaws.protocol.XmlReader.Element;
import dev.clicklog.localaws.protocol.XmlWriter;
import dev.clicklog.localaws.s3.ChecksumAlgorithm.Type;

/**
 * The wire side of multipart uploads (what {@code aws s3 cp} uses above 8 MiB): create, upload
 * part, upload part copy, complete, abort.
 */
@ApplicationScoped
class MultipartHandler {

    private static final String COPY_SOURCE_RANGE = "x-amz-copy-source-range";
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d+)");
    /** How many times a copy retries when the source was replaced between lookup and read. */
    private static final int READ_ATTEMPTS = 5;

    private final S3Service store;
    private final MultipartUploads uploads;

    MultipartHandler(S3Service store, MultipartUploads uploads) {
        this.store = store;
        this.uploads = uploads;
    }

    AwsResponse create(AwsRequest request, String bucketName, String key) {
        ObjectHandler.checkKey(key);
        Bucket bucket = store.bucket(bucketName);
        ObjectMetadata metadata = ObjectHandler.metadata(request);
        ChecksumAlgorithm algorithm = ObjectHandler.checksumAlgorithm(request);
        Type type = checksumType(algorithm, request.header("x-amz-checksum-type"));
        MultipartUpload upload = uploads.create(bucket, key, metadata, algorithm, type);
        XmlWriter xml = new XmlWriter().start("InitiateMultipartUploadResult", S3Handler.XMLNS)
                .element("Bucket", bucketName)
                .element("Key", key)
                .element("UploadId", upload.id)
                .end();
        return RestXmlProtocol.xml(request, 200, xml)
                .header("x-amz-server-side-encryption", S3Service.encryption(bucket, metadata))
                .header("x-amz-checksum-algorithm", algorithm == null ? null : algorithm.name())
                .header("x-amz-checksum-type", algorithm == null ? null : type.name());
    }

    /**
     * S3's defaults and rules for the checksum of a multipart object: CRC64NVME is whole-object
     * only, the SHA and MD5 digests composite only, CRC32/CRC32C composite unless asked otherwise.
     * Null when no algorithm was asked for (the object then gets S3's default CRC64NVME).
     */
    private static Type checksumType(ChecksumAlgorithm algorithm, String typeName) {
        if (algorithm == null) {
            if (typeName != null) {
                throw S3Exception.invalidRequest(
                        "The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.");
            }
            return null;
        }
        Type type;
        try {
            type = typeName == null ? null : Type.valueOf(typeName.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw S3Exception.invalidRequest("Value for x-amz-checksum-type header is invalid.");
        }
        boolean crc = algorithm == ChecksumAlgorithm.CRC32 || algorithm == ChecksumAlgorithm.CRC32C;
        if (type == null) {
            return algorithm == ChecksumAlgorithm.CRC64NVME ? Type.FULL_OBJECT : Type.COMPOSITE;
        }
        if ((type == Type.COMPOSITE && algorithm == ChecksumAlgorithm.CRC64NVME)
                || (type == Type.FULL_OBJECT && !crc && algorithm != ChecksumAlgorithm.CRC64NVME)) {
            throw S3Exception.invalidRequest("The " + type.name() + " checksum type cannot be used with the "
                    + algorithm.name().toLowerCase(Locale.ROOT) + " checksum algorithm.");
        }
        return type;
    }

    AwsResponse uploadPart(AwsRequest request, String bucketName, String key) {
        Integer number = ObjectHandler.partNumber(request);
        if (number == null) {
            throw S3Exception.invalidArgument("Part number must be an integer between 1 and 10000, inclusive", "partNumber", null);
        }
        Bucket bucket = store.bucket(bucketName);
        MultipartUpload upload = uploads.upload(bucket, request.queryParam("uploadId"), key);
        Payload payload = Payload.read(request, true);
        ChecksumAlgorithm.Value checksum = null;
        if (upload.checksumAlgorithm != null) {
            checksum = payload.checksum();
            if (checksum == null) {
                checksum = new ChecksumAlgorithm.Value(upload.checksumAlgorithm,
                        payload.compute(upload.checksumAlgorithm), upload.checksumType);
            } else if (checksum.algorithm() != upload.checksumAlgorithm) {
                throw S3Exception.invalidRequest("Checksum Type mismatch occurred, expected checksum Type: "
                        + upload.checksumAlgorithm.name().toLowerCase(Locale.ROOT) + ", actual checksum Type: "
                        + checksum.algorithm().name().toLowerCase(Locale.ROOT));
            }
        }
        MultipartUpload.Part part = uploads.putPart(bucket, upload, number, payload, checksum);
        AwsResponse response = RestXmlProtocol.empty(request, 200)
                .header("ETag", part.etag())
                .header("x-amz-server-side-encryption", S3Service.encryption(bucket, upload.metadata));
        if (checksum != null) {
            response.header(checksum.header(), checksum.base64());
        }
        return response;
    }

    /**
     * UploadPartCopy: a part made of a byte range ({@code x-amz-copy-source-range}, else the whole
     * object) of an existing object.
     */
    AwsResponse uploadPartCopy(AwsRequest request, String bucketName, String key) {
        Integer number = ObjectHandler.partNumber(request);
        if (number == null) {
            throw S3Exception.invalidArgument("Part number must be an integer between 1 and 10000, inclusive", "partNumber", null);
        }
        CopySource from = CopySource.of(request);
        Bucket bucket = store.bucket(bucketName);
        MultipartUpload upload = uploads.upload(bucket, request.queryParam("uploadId"), key);
        for (int attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
            S3Object source = from.object(store, request);
            ByteRange range = copySourceRange(request.header(COPY_SOURCE_RANGE), source.size());
            if ((range == null ? source.size() : range.length()) > CopySource.MAX_SIZE) {
                throw CopySource.tooLarge();
            }
            MultipartUpload.Part part = uploads.copyPart(bucket, upload, number, source, range);
            if (part == null) {
                continue;
            }
            XmlWriter xml = new XmlWriter().start("CopyPartResult", S3Handler.XMLNS)
                    .element("ETag", part.etag())
                    .element("LastModified", Instant.now().truncatedTo(ChronoUnit.SECONDS));
            if (part.checksum() != null) {
                xml.element(part.checksum().algorithm().element(), part.checksum().base64());
            }
            return RestXmlProtocol.xml(request, 200, xml.end())
                    .header("x-amz-server-side-encryption", S3Service.encryption(bucket, upload.metadata));
        }
        throw S3Exception.noSuchKey(from.key());
    }

    /** {@code bytes=first-last} within the source; null (the whole object) when absent. */
    private static ByteRange copySourceRange(String header, long size) {
        if (header == null) {
            return null;
        }
        Matcher m = RANGE.matcher(header.trim());
        if (!m.matches()) {
            throw S3Exception.invalidArgument("The x-amz-copy-source-range value must be of the form bytes=first-last where "
                    + "first and last are the zero-based offsets of the first and last bytes to copy", COPY_SOURCE_RANGE, header);
        }
        long first;
        long last;
        try {
            first = Long.parseLong(m.group(1));
            last = Long.parseLong(m.group(2));
        } catch (NumberFormatException e) {
            throw S3Exception.invalidArgument("Range specified is not valid for source object of size: " + size,
                    COPY_SOURCE_RANGE, header);
        }
        if (first > last || last >= size) {
            throw S3Exception.invalidArgument("Range specified is not valid for source object of size: " + size,
                    COPY_SOURCE_RANGE, header);
        }
        return new ByteRange(first, last);
    }

    /**
     * CompleteMultipartUpload. A repeat for an upload already completed with the same parts answers
     * the same result (SDKs retry when an answer is lost); x-amz-checksum-* and x-amz-mp-object-size
     * headers are what the client computed for the whole object, and are checked.
     */
    AwsResponse complete(AwsRequest request, String bucketName, String key) {
        Bucket bucket = store.bucket(bucketName);
        String uploadId = request.queryParam("uploadId");
        MultipartUpload upload = uploads.find(bucket, uploadId, key);
        S3Service.WriteCondition condition = ObjectHandler.writeCondition(request);
        Element root = BucketHandler.parse(Payload.read(request, false).data(), "CompleteMultipartUpload");
        ChecksumAlgorithm algorithm = upload == null ? null : upload.checksumAlgorithm;
        List<MultipartUploads.RequestedPart> requested = new ArrayList<>();
        for (Element part : root.children("Part")) {
            String number = part.childText("PartNumber");
            if (number == null) {
                throw S3Exception.malformedXml();
            }
            String checksum = algorithm == null ? null : part.childText(algorithm.element());
            try {
                requested.add(new MultipartUploads.RequestedPart(Integer.parseInt(number.trim()), part.childText("ETag"),
                        checksum == null ? null : checksum.trim()));
            } catch (NumberFormatException e) {
                throw S3Exception.malformedXml();
            }
        }
        S3Object object = upload == null ? uploads.completed(bucket, uploadId, key, requested)
                : uploads.complete(bucket, upload, requested, condition, expectedChecksum(request), objectSize(request));
        XmlWriter xml = new XmlWriter().start("CompleteMultipartUploadResult", S3Handler.XMLNS)
                .element("Location", location(request, bucketName, key))
                .element("Bucket", bucketName)
                .element("Key", key)
                .element("ETag", object.etag());
        if (object.checksum() != null) {
            xml.element(object.checksum().algorithm().element(), object.checksum().base64())
                    .element("ChecksumType", object.checksum().type().name());
        }
        return RestXmlProtocol.xml(request, 200, xml.end())
                .header("x-amz-server-side-encryption", object.serverSideEncryption())
                .header("x-amz-expiration", ObjectHandler.expiration(bucket, object));
    }

    /** The one x-amz-checksum-<algorithm> header of a completion; null when none. */
    private static MultipartUploads.ExpectedChecksum expectedChecksum(AwsRequest request) {
        MultipartUploads.ExpectedChecksum expected = null;
        for (ChecksumAlgorithm algorithm : ChecksumAlgorithm.values()) {
            String value = request.header(algorithm.header());
            if (value != null) {
                if (expected != null) {
                    throw S3Exception.invalidRequest(
                            "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.");
                }
                expected = new MultipartUploads.ExpectedChecksum(algorithm, value);
            }
        }
        return expected;
    }

    private static Long objectSize(AwsRequest request) {
        String value = request.header("x-amz-mp-object-size");
        if (value == null) {
            return null;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw S3Exception.invalidArgument("x-amz-mp-object-size must be a number", "x-amz-mp-object-size", value);
        }
    }

    AwsResponse abort(AwsRequest request, String bucketName, String key) {
        Bucket bucket = store.bucket(bucketName);
        uploads.abort(bucket, uploads.upload(bucket, request.queryParam("uploadId"), key));
        return RestXmlProtocol.empty(request, 204);
    }

    private static String location(AwsRequest request, String bucket, String key) {
        String encoded = URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20").replace("%2F", "/");
        return "http://" + request.host() + "/" + bucket + "/" + encoded;
    }
}
