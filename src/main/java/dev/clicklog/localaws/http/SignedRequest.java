package dev.clicklog.localaws.http;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.clicklog.localaws.protocol.RestXmlProtocol;
import dev.clicklog.localaws.spi.RequestSignatures;

/**
 * What a SigV4 request signed, rebuilt from the request as AWS rebuilds it: the canonical request
 * (method, URI, query, the signed headers, the payload's hash) and the string to sign, for the
 * Authorization header form and for the presigned query form ({@code X-Amz-Algorithm} …). The URI
 * is encoded twice, except for S3, which encodes it once (SigV4's one exception).
 */
public final class SignedRequest {

    public static final String ALGORITHM = "AWS4-HMAC-SHA256";

    private static final Pattern AUTHORIZATION = Pattern.compile(
            "^AWS4-HMAC-SHA256\\s+Credential=([^/,\\s]+)/(\\d{8})/([^/,\\s]+)/([^/,\\s]+)/aws4_request\\s*,\\s*"
                    + "SignedHeaders=([^,\\s]+)\\s*,\\s*Signature=([0-9a-fA-F]+)\\s*$");
    private static final Pattern CREDENTIAL = Pattern.compile("^([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request$");

    private SignedRequest() {
    }

    /**
     * What the request signed, from its Authorization header or its presigned query parameters;
     * null when it carries no SigV4 signature that can be read (unsigned, or signed otherwise).
     */
    public static RequestSignatures.Signed of(AwsRequest request, boolean s3) {
        String authorization = request.header("Authorization");
        if (authorization != null) {
            Matcher m = AUTHORIZATION.matcher(authorization.trim());
            if (!m.matches()) {
                return null;
            }
            String amzDate = request.header("X-Amz-Date") != null ? request.header("X-Amz-Date") : request.header("Date");
            String payload = request.header("X-Amz-Content-Sha256");
            if (payload == null) {
                payload = payloadHash(request);
            }
            RequestSignatures.Scope scope = new RequestSignatures.Scope(m.group(2), m.group(3), m.group(4));
            List<String> signedHeaders = List.of(m.group(5).toLowerCase(Locale.ROOT).split(";"));
            return new RequestSignatures.Signed(ALGORITHM, m.group(1),
                    stringToSign(request, s3, null, signedHeaders, payload, amzDate, scope), scope, m.group(6).toLowerCase(Locale.ROOT));
        }
        String credential = request.queryParam("X-Amz-Credential");
        if (!ALGORITHM.equals(request.queryParam("X-Amz-Algorithm")) || credential == null
                || request.queryParam("X-Amz-Signature") == null || request.queryParam("X-Amz-SignedHeaders") == null) {
            return null;
        }
        Matcher m = CREDENTIAL.matcher(credential);
        if (!m.matches()) {
            return null;
        }
        RequestSignatures.Scope scope = new RequestSignatures.Scope(m.group(2), m.group(3), m.group(4));
        List<String> signedHeaders = List.of(request.queryParam("X-Amz-SignedHeaders").toLowerCase(Locale.ROOT).split(";"));
        String payload = request.queryParam("X-Amz-Content-Sha256");
        if (payload == null) {
            payload = s3 ? "UNSIGNED-PAYLOAD" : payloadHash(request);
        }
        return new RequestSignatures.Signed(ALGORITHM, m.group(1),
                stringToSign(request, s3, "X-Amz-Signature", signedHeaders, payload, request.queryParam("X-Amz-Date"), scope),
                scope, request.queryParam("X-Amz-Signature"));
    }

    /**
     * SigV4's string to sign: the algorithm, the request time, the scope and the hash of the
     * canonical request. {@code excluded} is the query parameter left out (the presigned signature).
     */
    public static String stringToSign(AwsRequest request, boolean s3, String excluded, List<String> signedHeaders,
            String payloadHash, String amzDate, RequestSignatures.Scope scope) {
        String path = s3 ? UriEncoding.encode(decodedPath(request.rawPath()), true) : UriEncoding.encode(request.rawPath(), true);
        TreeMap<String, List<String>> query = new TreeMap<>();
        request.queryParams().forEach((name, values) -> {
            if (!name.equals(excluded)) {
                query.put(UriEncoding.encode(name, false),
                        values.stream().map(v -> UriEncoding.encode(v, false)).sorted().toList());
            }
        });
        List<String> pairs = new ArrayList<>();
        query.forEach((name, values) -> values.forEach(v -> pairs.add(name + "=" + v)));
        StringBuilder headers = new StringBuilder();
        for (String name : signedHeaders) {
            String value = request.header(name);
            headers.append(name).append(':').append(value == null ? "" : value.trim().replaceAll(" +", " ")).append('\n');
        }
        String canonical = request.method() + "\n" + path + "\n" + String.join("&", pairs) + "\n" + headers + "\n"
                + String.join(";", signedHeaders) + "\n" + payloadHash;
        return ALGORITHM + "\n" + amzDate + "\n" + scope.date() + "/" + scope.region() + "/" + scope.service()
                + "/aws4_request\n" + HexFormat.of().formatHex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
    }

    private static String decodedPath(String rawPath) {
        try {
            return RestXmlProtocol.decodePath(rawPath);
        } catch (IllegalArgumentException e) {
            return rawPath;
        }
    }

    /** The hash of the body as received: in memory, or read back from the file an S3 body went into. */
    private static String payloadHash(AwsRequest request) {
        Body body = request.content();
        if (!body.inFile()) {
            return HexFormat.of().formatHex(sha256(body.bytes()));
        }
        try (DigestInputStream in = new DigestInputStream(body.open(), sha256())) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256(byte[] data) {
        return sha256().digest(data);
    }
}
