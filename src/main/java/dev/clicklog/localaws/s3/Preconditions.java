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

    private Preconditions() {
    }

    static Outcome evaluate(AwsRequest request, S3Object object) {
        String ifMatch = request.header("If-Match");
        if (ifMatch != null) {
            if (!etagMatches(ifMatch, object.etag())) {
                throw S3Exception.preconditionFailed("If-Match");
            }
        } else {
            Instant unmodifiedSince = RestXmlProtocol.parseHttpDate(request.header("If-Unmodified-Since"));
            if (unmodifiedSince != null && object.lastModified().isAfter(unmodifiedSince)) {
                throw S3Exception.preconditionFailed("If-Unmodified-Since");
            }
        }
        String ifNoneMatch = request.header("If-None-Match");
        if (ifNoneMatch != null) {
            return etagMatches(ifNoneMatch, object.etag()) ? Outcome.NOT_MODIFIED : Outcome.PROCEED;
        }
        Instant modifiedSince = RestXmlProtocol.parseHttpDate(request.header("If-Modified-Since"));
        // A date in the future is invalid and ignored.
        if (modifiedSince != null && !modifiedSince.isAfter(Instant.now()) && !object.lastModified().isAfter(modifiedSince)) {
            return Outcome.NOT_MODIFIED;
        }
        return Outcome.PROCEED;
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
