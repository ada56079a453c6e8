package dev.clicklog.localaws.s3;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import dev.clicklog.localaws.http.AwsRequest;
import dev.clicklog.localaws.http.AwsResponse;
import dev.clicklog.localaws.protocol.RestXmlProtocol;
import dev.clicklog.localaws.protocol.XmlReader.Element;
import dev.clicklog.localaws.protocol.XmlWriter;
import dev.clicklog.localaws.s3.ChecksumAlgorithm.Type;

/**
 * The wire side of multipart uploads (what {@code aws s3 cp} uses above 8 MiB): create, upload
 * part, complete, abort.
 */
@ApplicationScoped
class MultipartHandler {

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
        String algorithmName = request.header("x-amz-checksum-algorithm");
        String typeName = request.header("x-amz-checksum-type");
        ChecksumAlgorithm algorithm = null;
        if (algorithmName != null) {
            algorithm = ChecksumAlgorithm.named(algorithmName);
            if (algorithm == null) {
                throw S3Exception.invalidRequest("Checksum algorithm provided is unsupported. Please try again with any of "
                        + "the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256, SHA512, MD5]");
            }
        }
        Type type = checksumType(algorithm, typeName);
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
                        upload.checksumAlgorithm.compute(payload.data()), upload.checksumType);
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

    AwsResponse complete(AwsRequest request, String bucketName, String key) {
        Bucket bucket = store.bucket(bucketName);
        MultipartUpload upload = uploads.upload(bucket, request.queryParam("uploadId"), key);
        S3Service.WriteCondition condition = ObjectHandler.writeCondition(request);
        Element root = BucketHandler.parse(Payload.read(request, false).data(), "CompleteMultipartUpload");
        List<MultipartUploads.RequestedPart> requested = new ArrayList<>();
        for (Element part : root.children("Part")) {
            String number = part.childText("PartNumber");
            if (number == null) {
                throw S3Exception.malformedXml();
            }
            String checksum = upload.checksumAlgorithm == null ? null : part.childText(upload.checksumAlgorithm.element());
            try {
                requested.add(new MultipartUploads.RequestedPart(Integer.parseInt(number.trim()), part.childText("ETag"),
                        checksum == null ? null : checksum.trim()));
            } catch (NumberFormatException e) {
                throw S3Exception.malformedXml();
            }
        }
        S3Object object = uploads.complete(bucket, upload, requested, condition);
        XmlWriter xml = new XmlWriter().start("CompleteMultipartUploadResult", S3Handler.XMLNS)
                .element("Location", location(request, bucketName, key))
                .element("Bucket", bucketName)
                .element("Key", key)
                .element("ETag", object.etag());
        if (upload.checksumAlgorithm != null) {
            xml.element(object.checksum().algorithm().element(), object.checksum().base64())
                    .element("ChecksumType", object.checksum().type().name());
        }
        return RestXmlProtocol.xml(request, 200, xml.end())
                .header("x-amz-server-side-encryption", object.serverSideEncryption());
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
