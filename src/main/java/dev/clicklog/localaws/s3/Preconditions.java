package dev.clicklog.localaws.s3;

import java.time.Instant;

import dev.clicklog.localaws.http.AwsRequest;
import dev.clicklog.localaws.protocol.RestXmlProtocol;

/**
 * The conditional headers of GET and HEAD, evaluated in RFC 9110's order as S3 does: If-Match
 * (else If-Unmodified-Since) can fail with 412; If-None-Match (else If-Modified-Since) answers 304.
 */
final class Preconditions {

    enum Outcome {
        PROCEED, NOT_MODIFIED
    }

    private static final String COPY_SOURCE = "x-amz-copy-source-";

    private Preconditions() {
    }

    static Outcome evaluate(AwsRequest request, S3Object object) {
        return unchangedBy(request, object, "") == null ? Outcome.PROCEED : Outcome.NOT_MODIFIED;
    }

    /**
     * The x-amz-copy-source-if-* conditions of a copy: the same rules on the source object, but a
     * copy has no 304, so every failing condition answers 412.
     */
    static void evaluateCopySource(AwsRequest request, S3Object source) {
        String condition = unchangedBy(request, source, COPY_SOURCE);
        if (condition != null) {
            throw S3Exception.preconditionFailed(condition);
        }
    }

    /**
     * Fails with 412 when {@code <prefix>If-Match} (else If-Unmodified-Since) does not hold; then
     * names the condition, {@code <prefix>If-None-Match} (else If-Modified-Since), that finds the
     * object unchanged, or null when none does.
     */
    private static String unchangedBy(AwsRequest request, S3Object object, String prefix) {
        String ifMatch = request.header(prefix + "If-Match");
        if (ifMatch != null) {
            if (!etagMatches(ifMatch, object.etag())) {
                throw S3Exception.preconditionFailed(prefix + "If-Match");
            }
        } else {
            Instant unmodifiedSince = RestXmlProtocol.parseHttpDate(request.header(prefix + "If-Unmodified-Since"));
            if (unmodifiedSince != null && object.lastModified().isAfter(unmodifiedSince)) {
                throw S3Exception.preconditionFailed(prefix + "If-Unmodified-Since");
            }
        }
        String ifNoneMatch = request.header(prefix + "If-None-Match");
        if (ifNoneMatch != null) {
            return etagMatches(ifNoneMatch, object.etag()) ? prefix + "If-None-Match" : null;
        }
        Instant modifiedSince = RestXmlProtocol.parseHttpDate(request.header(prefix + "If-Modified-Since"));
        // A date in the future is invalid and ignored.
        if (modifiedSince != null && !modifiedSince.isAfter(Instant.now()) && !object.lastModified().isAfter(modifiedSince)) {
            return prefix + "If-Modified-Since";
        }
        return null;
    }

    /** Whether an If-Match / If-None-Match list ({@code *}, quoted, weak or bare ETags) names the ETag. */
    static boolean etagMatches(String header, String etag) {
        String bare = unquote(etag);
        for (String candidate : header.split(",")) {
            String c = candidate.trim();
            if (c.equals("*") || unquote(c.startsWith("W/") ? c.substring(2) : c).equals(bare)) {
                return true;
            }
        }
        return false;
    }

    static String unquote(String etag) {
        String e = etag.trim();
        return e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"") ? e.substring(1, e.length() - 1) : e;
    }
}
