package dev.clicklog.localaws.http;

import dev.clicklog.localaws.protocol.AwsServiceException;

/**
 * How a service answers callers it cannot serve, by the family of its wire protocol, as AWS does:
 * the JSON services (Kinesis, Firehose, CloudWatch Logs) answer 400 with exception names, the query
 * services (IAM, STS, CloudWatch) 403 with short codes, S3 403 with its own codes and API Gateway's
 * REST control plane 403 with exception names.
 */
public enum CallerErrors {

    JSON(400, "MissingAuthenticationTokenException", "UnrecognizedClientException", "InvalidSignatureException",
            "AccessDeniedException"),
    QUERY(403, "MissingAuthenticationToken", "InvalidClientTokenId", "SignatureDoesNotMatch", "AccessDenied"),
    S3(403, "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied"),
    REST_JSON(403, "MissingAuthenticationTokenException", "UnrecognizedClientException", "InvalidSignatureException",
            "AccessDeniedException");

    private static final String INVALID_TOKEN = "The security token included in the request is invalid.";
    private static final String SIGNATURE = "The request signature we calculated does not match the signature you "
            + "provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

    private final int status;
    private final String missing;
    private final String unknownKey;
    private final String badSignature;
    private final String denied;

    CallerErrors(int status, String missing, String unknownKey, String badSignature, String denied) {
        this.status = status;
        this.missing = missing;
        this.unknownKey = unknownKey;
        this.badSignature = badSignature;
        this.denied = denied;
    }

    /** A request without a signature this endpoint can read. */
    public AwsServiceException missing() {
        return new AwsServiceException(status, missing, this == S3 ? "Access Denied" : "Missing Authentication Token");
    }

    /** A signature with an access key nobody owns. */
    public AwsServiceException unknownKey() {
        return new AwsServiceException(status, unknownKey,
                this == S3 ? "The AWS Access Key Id you provided does not exist in our records." : INVALID_TOKEN);
    }

    /** A signature the caller's secret key does not give. */
    public AwsServiceException badSignature() {
        return new AwsServiceException(status, badSignature, this == S3
                ? "The request signature we calculated does not match the signature you provided. Check your key and "
                        + "signing method."
                : SIGNATURE);
    }

    /** A request the caller's policies do not allow; the message in AWS's words. */
    public AwsServiceException denied(String message) {
        return new AwsServiceException(status, denied, message);
    }
}
