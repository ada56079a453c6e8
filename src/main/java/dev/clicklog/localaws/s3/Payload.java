package dev.clicklog.localaws.s3;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.clicklog.localaws.http.AwsRequest;

/**
 * A request body as S3 accepts it: aws-chunked framing removed, and every integrity claim the
 * client made checked before anything is stored — x-amz-content-sha256, Content-MD5, and one
 * x-amz-checksum-* value sent as a header or as a trailer of the chunked body.
 */
record Payload(byte[] data, byte[] md5, ChecksumAlgorithm.Value checksum, boolean integrityClaimed) {

    private static final Set<String> CHECKSUM_HEADERS_NOT_VALUES = Set.of("x-amz-checksum-algorithm",
            "x-amz-checksum-mode", "x-amz-checksum-type");
    private static final Set<String> UNSUPPORTED_CHECKSUMS = Set.of("xxhash64", "xxhash3", "xxhash128");

    /** The quoted MD5 hex digest, S3's ETag of a single-part object. */
    String etag() {
        return "\"" + HexFormat.of().formatHex(md5) + "\"";
    }

    /**
     * Reads and checks the body. {@code headerChecksumsDescribeBody} is false only where
     * x-amz-checksum-* headers describe something else (CompleteMultipartUpload: the whole object).
     */
    static Payload read(AwsRequest request, boolean headerChecksumsDescribeBody) {
        byte[] body = request.body();
        String contentSha256 = request.header("x-amz-content-sha256");
        if (contentSha256 != null && contentSha256.matches("[0-9a-fA-F]{64}")) {
            String computed = HexFormat.of().formatHex(digest("SHA-256", body));
            if (!computed.equalsIgnoreCase(contentSha256)) {
                throw new S3Exception(400, "XAmzContentSHA256Mismatch",
                        "The provided 'x-amz-content-sha256' header does not match what was computed.")
                        .with("ClientComputedContentSHA256", contentSha256).with("S3ComputedContentSHA256", computed);
            }
        }
        byte[] data = body;
        Map<String, String> claims = new LinkedHashMap<>();
        if (chunked(request)) {
            String declared = request.header("x-amz-decoded-content-length");
            AwsChunked.Decoded decoded = AwsChunked.decode(body, declared == null ? body.length : parseLength(declared));
            data = decoded.data();
            if (declared != null && parseLength(declared) != data.length) {
                throw new S3Exception(400, "IncompleteBody",
                        "You did not provide the number of bytes specified by the x-amz-decoded-content-length HTTP header");
            }
            decoded.trailers().forEach((name, value) -> {
                if (name.startsWith("x-amz-checksum-")) {
                    claims.put(name, value);
                }
            });
            String trailer = request.header("x-amz-trailer");
            if (trailer != null && !decoded.trailers().containsKey(trailer.trim().toLowerCase(Locale.ROOT))) {
                throw S3Exception.invalidRequest("The x-amz-trailer header named " + trailer.trim()
                        + " but the request body carried no such trailer.");
            }
        }
        if (headerChecksumsDescribeBody) {
            request.headers().forEach((name, value) -> {
                String n = name.toLowerCase(Locale.ROOT);
                if (n.startsWith("x-amz-checksum-") && !CHECKSUM_HEADERS_NOT_VALUES.contains(n)) {
                    claims.put(n, value);
                }
            });
        }
        byte[] md5 = digest("MD5", data);
        String contentMd5 = request.header("Content-MD5");
        if (contentMd5 != null) {
            checkMd5(contentMd5, md5);
        }
        return new Payload(data, md5, checksum(claims, data), contentMd5 != null || !claims.isEmpty());
    }

    /** Operations whose model requires an integrity header (Content-MD5 or a checksum) on the body. */
    Payload requireIntegrity() {
        if (!integrityClaimed) {
            throw S3Exception.invalidRequest("Missing required header for this request: Content-MD5 OR x-amz-checksum-*");
        }
        return this;
    }

    static boolean chunked(AwsRequest request) {
        String sha = request.header("x-amz-content-sha256");
        String encoding = request.header("Content-Encoding");
        return (sha != null && sha.startsWith("STREAMING-"))
                || (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("aws-chunked"));
    }

    private static void checkMd5(String contentMd5, byte[] md5) {
        byte[] claimed;
        try {
            claimed = Base64.getDecoder().decode(contentMd5.trim());
        } catch (IllegalArgumentException e) {
            claimed = null;
        }
        if (claimed == null || claimed.length != 16) {
            throw new S3Exception(400, "InvalidDigest", "The Content-MD5 you specified was invalid.")
                    .with("Content-MD5", contentMd5);
        }
        if (!MessageDigest.isEqual(claimed, md5)) {
            throw S3Exception.badDigest("The Content-MD5 you specified did not match what we received.")
                    .with("ExpectedDigest", contentMd5).with("CalculatedDigest", Base64.getEncoder().encodeToString(md5));
        }
    }

    /** The one checksum claimed, verified; null when none was sent. */
    private static ChecksumAlgorithm.Value checksum(Map<String, String> claims, byte[] data) {
        if (claims.isEmpty()) {
            return null;
        }
        if (claims.size() > 1) {
            throw S3Exception.invalidRequest("Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.");
        }
        Map.Entry<String, String> claim = claims.entrySet().iterator().next();
        String name = claim.getKey().substring("x-amz-checksum-".length());
        if (UNSUPPORTED_CHECKSUMS.contains(name)) {
            throw S3Exception.notImplemented(claim.getKey());
        }
        ChecksumAlgorithm algorithm = ChecksumAlgorithm.named(name);
        if (algorithm == null || !algorithm.wellFormed(claim.getValue().trim())) {
            throw S3Exception.invalidRequest("Value for " + claim.getKey() + " header is invalid.");
        }
        String computed = algorithm.compute(data);
        if (!computed.equals(claim.getValue().trim())) {
            throw S3Exception.badDigest("The " + algorithm.name() + " you specified did not match the calculated checksum.");
        }
        return new ChecksumAlgorithm.Value(algorithm, computed, ChecksumAlgorithm.Type.FULL_OBJECT);
    }

    private static int parseLength(String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw S3Exception.invalidArgument("x-amz-decoded-content-length is not a valid length",
                    "x-amz-decoded-content-length", value);
        }
    }

    static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
