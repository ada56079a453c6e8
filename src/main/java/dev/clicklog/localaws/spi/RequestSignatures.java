package dev.clicklog.localaws.spi;

/**
 * Checks a request's signature against the caller's secret key, as AWS does before anything else.
 * The service builds what was signed (its canonical request differs per service); whoever knows
 * the callers' secret keys (IAM) decides. While callers are not held to IAM
 * ({@code clicklog.localaws.iam.enforce-callers}), every signature is valid, as every
 * Authorization header is accepted.
 */
public interface RequestSignatures {

    /** AWS's verdicts on a signature. */
    enum Verdict {
        VALID,
        /** No caller has this access key id (AWS: InvalidAccessKeyId). */
        UNKNOWN_ACCESS_KEY,
        /** The signature is not the one the caller's secret key gives (AWS: SignatureDoesNotMatch). */
        SIGNATURE_MISMATCH
    }

    /** A SigV4 credential scope: {@code <date>/<region>/<service>/aws4_request}. */
    record Scope(String date, String region, String service) {
    }

    /**
     * What a request signed: with {@code algorithm} "AWS4-HMAC-SHA256" (SigV4, {@code scope} set) or
     * "HmacSHA1" (S3's SigV2, no scope), the string to sign the service built from the request, and
     * the signature the caller sent (hex for SigV4, base64 for SigV2).
     */
    record Signed(String algorithm, String accessKeyId, String stringToSign, Scope scope, String signature) {
    }

    RequestSignatures ACCEPT_ALL = signed -> Verdict.VALID;

    Verdict verify(Signed signed);
}
