package dev.clicklog.localaws.s3;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.clicklog.localaws.protocol.AwsServiceException;

/**
 * An S3 error: code, status and message plus the extra elements S3 puts in its {@code <Error>}
 * document (BucketName, Key, Condition, ArgumentName, …), which clients log and some parse.
 */
public final class S3Exception extends AwsServiceException {

    private final Map<String, String> details = new LinkedHashMap<>();

    S3Exception(int status, String code, String message) {
        super(status, code, message);
    }

    S3Exception with(String element, Object value) {
        details.put(element, String.valueOf(value));
        return this;
    }

    public Map<String, String> details() {
        return Collections.unmodifiableMap(details);
    }

    static S3Exception noSuchBucket(String bucket) {
        return new S3Exception(404, "NoSuchBucket", "The specified bucket does not exist").with("BucketName", bucket);
    }

    static S3Exception noSuchKey(String key) {
        return new S3Exception(404, "NoSuchKey", "The specified key does not exist.").with("Key", key);
    }

    static S3Exception noSuchUpload(String uploadId) {
        return new S3Exception(404, "NoSuchUpload", "The specified upload does not exist. The upload ID may be invalid, "
                + "or the upload may have been aborted or completed.").with("UploadId", uploadId);
    }

    static S3Exception invalidArgument(String message, String argument, String value) {
        S3Exception e = new S3Exception(400, "InvalidArgument", message).with("ArgumentName", argument);
        return value == null ? e : e.with("ArgumentValue", value);
    }

    static S3Exception invalidRequest(String message) {
        return new S3Exception(400, "InvalidRequest", message);
    }

    static S3Exception malformedXml() {
        return new S3Exception(400, "MalformedXML",
                "The XML you provided was not well-formed or did not validate against our published schema");
    }

    static S3Exception preconditionFailed(String condition) {
        return new S3Exception(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold")
                .with("Condition", condition);
    }

    /** A request header asks for a feature this endpoint does not have. */
    static S3Exception notImplemented(String header) {
        return new S3Exception(501, "NotImplemented", "A header you provided implies functionality that is not implemented")
                .with("Header", header);
    }

    /** An S3 operation this endpoint does not serve, e.g. "GET ?acl". */
    static S3Exception operationNotImplemented(String operation) {
        return new S3Exception(501, "NotImplemented", "The operation " + operation + " is not implemented");
    }

    static S3Exception badDigest(String message) {
        return new S3Exception(400, "BadDigest", message);
    }
}
