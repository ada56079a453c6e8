package dev.clicklog.localaws.s3;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.clicklog.localaws.http.AwsRequest;
import dev.clicklog.localaws.http.SignedRequest;
import dev.clicklog.localaws.spi.RequestSignatures;

/**
 * Query-string authentication: presigned URLs. SigV4 carries {@code X-Amz-Algorithm},
 * {@code X-Amz-Credential}, {@code X-Amz-Date}, {@code X-Amz-Expires}, {@code X-Amz-SignedHeaders}
 * and {@code X-Amz-Signature}; S3's SigV2 carries {@code AWSAccessKeyId}, {@code Expires} (epoch
 * seconds) and {@code Signature}. The parameters are checked and the expiry enforced as S3 does;
 * {@link #signed} gives what was signed, for a {@link RequestSignatures} to verify.
 */
final class QueryAuth {

    static final String V4_ALGORITHM = "AWS4-HMAC-SHA256";
    static final String V2_ALGORITHM = "HmacSHA1";
    /** SigV4 presigned URLs live at most a week. */
    static final long MAX_EXPIRES_SECONDS = 604_800;

    private static final List<String> V4_REQUIRED = List.of("X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature",
            "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Expires");
    private static final List<String> V2_REQUIRED = List.of("AWSAccessKeyId", "Expires", "Signature");
    /** The query parameters of query-string authentication: arguments of the request, never sub-resources. */
    static final Set<String> PARAMETERS = Set.of("X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires",
            "X-Amz-SignedHeaders", "X-Amz-Signature", "X-Amz-Security-Token", "X-Amz-Content-Sha256", "AWSAccessKeyId",
            "Expires", "Signature", "x-amz-security-token");
    /** The sub-resources SigV2 signs as part of the resource. */
    private static final Set<String> V2_SUBRESOURCES = Set.of("acl", "delete", "lifecycle", "location", "logging",
            "notification", "partNumber", "policy", "requestPayment", "tagging", "torrent", "uploadId", "uploads",
            "versionId", "versioning", "versions", "website", "cors", "restore", "encryption", "publicAccessBlock",
            "response-content-type", "response-content-language", "response-expires", "response-cache-control",
            "response-content-disposition", "response-content-encoding");
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT);
    private static final Pattern CREDENTIAL = Pattern.compile("^([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request$");

    private final String algorithm;
    private final String accessKeyId;
    private final RequestSignatures.Scope scope;
    private final String amzDate;
    private final Instant expiresAt;
    private final List<String> signedHeaders;
    private final String signature;

    private QueryAuth(String algorithm, String accessKeyId, RequestSignatures.Scope scope, String amzDate,
            Instant expiresAt, List<String> signedHeaders, String signature) {
        this.algorithm = algorithm;
        this.accessKeyId = accessKeyId;
        this.scope = scope;
        this.amzDate = amzDate;
        this.expiresAt = expiresAt;
        this.signedHeaders = signedHeaders;
        this.signature = signature;
    }

    /**
     * The query-string authentication of the request, checked and not expired at {@code now}; null
     * when the request carries none.
     */
    static QueryAuth read(AwsRequest request, Instant now) {
        boolean v4 = V4_REQUIRED.stream().anyMatch(request::hasQueryParam);
        boolean v2 = V2_REQUIRED.stream().anyMatch(request::hasQueryParam) && !v4;
        if (!v4 && !v2) {
            return null;
        }
        if (request.header("Authorization") != null) {
            throw S3Exception.invalidArgument("Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, "
                    + "Signature query string parameter or the Authorization header should be specified", "Authorization",
                    request.header("Authorization"));
        }
        return v4 ? v4(request, now) : v2(request, now);
    }

    private static QueryAuth v4(AwsRequest request, Instant now) {
        if (V4_REQUIRED.stream().anyMatch(p -> request.queryParam(p) == null)) {
            throw parametersError("Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, "
                    + "X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.");
        }
        if (!V4_ALGORITHM.equals(request.queryParam("X-Amz-Algorithm"))) {
            throw parametersError("X-Amz-Algorithm only supports \"" + V4_ALGORITHM + "\"");
        }
        Matcher credential = CREDENTIAL.matcher(request.queryParam("X-Amz-Credential"));
        if (!credential.matches()) {
            throw parametersError("Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting "
                    + "\"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".");
        }
        String amzDate = request.queryParam("X-Amz-Date");
        Instant signedAt;
        try {
            signedAt = LocalDateTime.parse(amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw parametersError("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
        }
        String expiresParam = request.queryParam("X-Amz-Expires");
        long expires;
        try {
            expires = Long.parseLong(expiresParam);
        } catch (NumberFormatException e) {
            throw parametersError("X-Amz-Expires should be a number");
        }
        if (expires < 0) {
            throw parametersError("X-Amz-Expires must be non-negative");
        }
        if (expires > MAX_EXPIRES_SECONDS) {
            throw parametersError("X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires "
                    + "must be less than " + MAX_EXPIRES_SECONDS + " seconds");
        }
        Instant expiresAt = signedAt.plusSeconds(expires);
        if (now.truncatedTo(ChronoUnit.SECONDS).isAfter(expiresAt)) {
            throw expired(now, expiresAt, expiresParam);
        }
        List<String> signed = List.of(request.queryParam("X-Amz-SignedHeaders").toLowerCase(Locale.ROOT).split(";"));
        return new QueryAuth(V4_ALGORITHM, credential.group(1),
                new RequestSignatures.Scope(credential.group(2), credential.group(3), credential.group(4)), amzDate,
                expiresAt, signed, request.queryParam("X-Amz-Signature"));
    }

    private static QueryAuth v2(AwsRequest request, Instant now) {
        if (V2_REQUIRED.stream().anyMatch(p -> request.queryParam(p) == null)) {
            throw new S3Exception(403, "AccessDenied",
                    "Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters");
        }
        Instant expiresAt;
        try {
            expiresAt = Instant.ofEpochSecond(Long.parseLong(request.queryParam("Expires").trim()));
        } catch (NumberFormatException | DateTimeException e) {
            throw new S3Exception(403, "AccessDenied", "Invalid date (should be seconds since epoch): "
                    + request.queryParam("Expires"));
        }
        if (now.truncatedTo(ChronoUnit.SECONDS).isAfter(expiresAt)) {
            throw expired(now, expiresAt, null);
        }
        return new QueryAuth(V2_ALGORITHM, request.queryParam("AWSAccessKeyId"), null, null, expiresAt, List.of(),
                request.queryParam("Signature"));
    }

    Instant expiresAt() {
        return expiresAt;
    }

    /** What the request signed, for {@code bucket} (null for the service) as the request addressed it. */
    RequestSignatures.Signed signed(AwsRequest request, String bucket, boolean virtualHosted) {
        String stringToSign = scope != null ? v4StringToSign(request) : v2StringToSign(request, bucket, virtualHosted);
        return new RequestSignatures.Signed(algorithm, accessKeyId, stringToSign, scope, signature);
    }

    private String v4StringToSign(AwsRequest request) {
        String payload = request.queryParam("X-Amz-Content-Sha256");
        return SignedRequest.stringToSign(request, true, "X-Amz-Signature", signedHeaders,
                payload == null ? "UNSIGNED-PAYLOAD" : payload, amzDate, scope);
    }

    private String v2StringToSign(AwsRequest request, String bucket, boolean virtualHosted) {
        StringBuilder s = new StringBuilder();
        s.append(request.method()).append('\n')
                .append(nullToEmpty(request.header("Content-MD5"))).append('\n')
                .append(nullToEmpty(request.header("Content-Type"))).append('\n')
                .append(request.queryParam("Expires")).append('\n');
        Map<String, String> amz = new TreeMap<>();
        request.headers().forEach((name, value) -> {
            String n = name.toLowerCase(Locale.ROOT);
            if (n.startsWith("x-amz-")) {
                amz.put(n, value.trim());
            }
        });
        amz.forEach((name, value) -> s.append(name).append(':').append(value).append('\n'));
        s.append(virtualHosted && bucket != null ? "/" + bucket + request.rawPath() : request.rawPath());
        TreeMap<String, String> sub = new TreeMap<>();
        request.queryParams().forEach((name, values) -> {
            if (V2_SUBRESOURCES.contains(name)) {
                sub.put(name, values.get(0));
            }
        });
        char sep = '?';
        for (Map.Entry<String, String> e : sub.entrySet()) {
            s.append(sep).append(e.getKey());
            if (!e.getValue().isEmpty()) {
                s.append('=').append(e.getValue());
            }
            sep = '&';
        }
        return s.toString();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static S3Exception parametersError(String message) {
        return new S3Exception(400, "AuthorizationQueryParametersError", message);
    }

    /** S3's answer to a presigned URL used after its expiry, with the times it compared. */
    private static S3Exception expired(Instant now, Instant expiresAt, String xAmzExpires) {
        S3Exception e = new S3Exception(403, "AccessDenied", "Request has expired");
        if (xAmzExpires != null) {
            e.with("X-Amz-Expires", xAmzExpires);
        }
        return e.with("Expires", expiresAt.toString())
                .with("ServerTime", now.truncatedTo(ChronoUnit.SECONDS).toString());
    }
}
