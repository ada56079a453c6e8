package dev.clicklog.localaws.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One HTTP request as a service handler sees it: independent of the HTTP server, so handlers can
 * also be invoked in-process (API Gateway calls Kinesis this way).
 */
public final class AwsRequest {

    private static final Pattern CREDENTIAL = Pattern.compile("Credential=([^/,\\s]+)/(\\d{8})/([^/,\\s]+)/([^/,\\s]+)/aws4_request");

    private final String method;
    private final String rawPath;
    private final String rawQuery;
    private final Map<String, String> headers;
    private final Map<String, List<String>> queryParams;
    private final Body content;
    private final String remoteAddress;
    private final String requestId;
    private final SigningScope scope;

    /** The parts of a SigV4 credential scope that tell who is calling which service where. */
    public record SigningScope(String accessKeyId, String region, String service) {
    }

    public AwsRequest(String method, String rawPath, String rawQuery, Map<String, String> headers, byte[] body,
            String remoteAddress) {
        this(method, rawPath, rawQuery, headers, Body.of(body), remoteAddress);
    }

    public AwsRequest(String method, String rawPath, String rawQuery, Map<String, String> headers, Body content,
            String remoteAddress) {
        this.method = method;
        this.rawPath = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
        this.rawQuery = rawQuery == null ? "" : rawQuery;
        TreeMap<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.putAll(headers);
        this.headers = Collections.unmodifiableMap(h);
        this.queryParams = parseForm(this.rawQuery);
        this.content = content == null ? Body.EMPTY : content;
        this.remoteAddress = remoteAddress == null ? "127.0.0.1" : remoteAddress;
        this.requestId = UUID.randomUUID().toString();
        this.scope = parseScope(h.get("Authorization"), queryParams);
    }

    private AwsRequest(AwsRequest head, Body content) {
        this.method = head.method;
        this.rawPath = head.rawPath;
        this.rawQuery = head.rawQuery;
        this.headers = head.headers;
        this.queryParams = head.queryParams;
        this.content = content;
        this.remoteAddress = head.remoteAddress;
        this.requestId = head.requestId;
        this.scope = head.scope;
    }

    /** The same request (same id) with its body, once received: the server routes on the head alone first. */
    public AwsRequest withContent(Body body) {
        return new AwsRequest(this, body);
    }

    public String method() {
        return method;
    }

    /** The path as sent, still percent-encoded. */
    public String rawPath() {
        return rawPath;
    }

    public String rawQuery() {
        return rawQuery;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public String header(String name) {
        return headers.get(name);
    }

    /** Decoded query-string parameters, in order; a parameter without a value maps to "". */
    public Map<String, List<String>> queryParams() {
        return queryParams;
    }

    public String queryParam(String name) {
        List<String> values = queryParams.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public boolean hasQueryParam(String name) {
        return queryParams.containsKey(name);
    }

    /** The body's bytes; for a body received into a file (S3 objects), use {@link #content()}. */
    public byte[] body() {
        return content.bytes();
    }

    public String bodyAsString() {
        return new String(content.bytes(), StandardCharsets.UTF_8);
    }

    /** The body, in memory or in the file it was received into. */
    public Body content() {
        return content;
    }

    public String remoteAddress() {
        return remoteAddress;
    }

    /** A fresh id per request, returned in the response headers as AWS does. */
    public String requestId() {
        return requestId;
    }

    /** The SigV4 scope of the Authorization header or of a presigned URL; null when unsigned. */
    public SigningScope scope() {
        return scope;
    }

    /** The region the request is signed for; {@code fallback} when it is unsigned. */
    public String region(String fallback) {
        return scope != null ? scope.region() : fallback;
    }

    public String host() {
        String host = headers.get("Host");
        return host == null ? "" : host;
    }

    public String contentType() {
        String ct = headers.get("Content-Type");
        return ct == null ? "" : ct;
    }

    public static Map<String, List<String>> parseForm(String form) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (form == null || form.isEmpty()) {
            return params;
        }
        for (String pair : form.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return params;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static SigningScope parseScope(String authorization, Map<String, List<String>> query) {
        String credential = null;
        if (authorization != null) {
            credential = authorization;
        } else if (query.containsKey("X-Amz-Credential")) {
            credential = "Credential=" + query.get("X-Amz-Credential").get(0);
        }
        if (credential == null) {
            return null;
        }
        Matcher m = CREDENTIAL.matcher(credential);
        return m.find() ? new SigningScope(m.group(1), m.group(3), m.group(4)) : null;
    }
}
