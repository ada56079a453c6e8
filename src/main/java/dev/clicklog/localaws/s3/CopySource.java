package dev.clicklog.localaws.s3;

import java.util.List;
import java.util.Map;

import dev.clicklog.localaws.http.AwsRequest;
import dev.clicklog.localaws.protocol.RestXmlProtocol;

/**
 * The object a CopyObject or UploadPartCopy reads: {@code x-amz-copy-source} as S3 takes it,
 * {@code [/]bucket/key} URL-encoded, optionally {@code ?versionId=…} (only the "null" version exists
 * here).
 */
record CopySource(String bucket, String key) {

    static final String HEADER = "x-amz-copy-source";
    /** CopyObject and UploadPartCopy copy at most 5 GiB in one request. */
    static final long MAX_SIZE = 5L * 1024 * 1024 * 1024;

    static CopySource of(AwsRequest request) {
        String header = request.header(HEADER);
        String raw = header == null ? "" : header.trim();
        int query = raw.indexOf('?');
        if (query >= 0) {
            Map<String, List<String>> params = AwsRequest.parseForm(raw.substring(query + 1));
            List<String> version = params.get("versionId");
            if (version != null && !version.isEmpty() && !version.get(0).equals(BucketHandler.NULL_VERSION)) {
                throw S3Exception.invalidArgument("Invalid version id specified", HEADER, header);
            }
            raw = raw.substring(0, query);
        }
        String decoded;
        try {
            decoded = RestXmlProtocol.decodePath(raw);
        } catch (IllegalArgumentException e) {
            throw S3Exception.invalidArgument("Invalid copy source encoding", HEADER, header);
        }
        if (decoded.startsWith("/")) {
            decoded = decoded.substring(1);
        }
        int slash = decoded.indexOf('/');
        if (slash <= 0 || slash == decoded.length() - 1) {
            throw S3Exception.invalidArgument("Copy Source must mention the source bucket and key: sourcebucket/sourcekey",
                    HEADER, header);
        }
        return new CopySource(decoded.substring(0, slash), decoded.substring(slash + 1));
    }

    /** The source object, readable and passing the request's x-amz-copy-source-if-* conditions. */
    S3Object object(S3Service store, AwsRequest request) {
        S3Object source = store.object(bucket, key);
        if (ObjectHandler.ARCHIVE_CLASSES.contains(source.metadata().storageClass())) {
            throw new S3Exception(403, "InvalidObjectState", "Operation is not valid for the source object's storage class")
                    .with("StorageClass", source.metadata().storageClass());
        }
        Preconditions.evaluateCopySource(request, source);
        return source;
    }

    static S3Exception tooLarge() {
        return S3Exception.invalidRequest("The specified copy source is larger than the maximum allowable size for a copy "
                + "source: " + MAX_SIZE);
    }
}
