package dev.clicklog.localaws.firehose;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import dev.clicklog.localaws.http.AwsRequest;
import dev.clicklog.localaws.http.AwsResponse;
import dev.clicklog.localaws.http.LocalAwsClient;
import dev.clicklog.localaws.protocol.AwsServiceException;

/** Writes delivered objects with S3's PutObject, in-process over S3's REST wire (path-style). */
@ApplicationScoped
class S3WireClient {

    private static final Pattern ERROR_CODE = Pattern.compile("<Code>([^<]*)</Code>");
    private static final Pattern ERROR_MESSAGE = Pattern.compile("<Message>([^<]*)</Message>");
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final LocalAwsClient client;

    S3WireClient(LocalAwsClient client) {
        this.client = client;
    }

    /** PUT /bucket/key; a non-2xx answer becomes S3's error (NoSuchBucket, an injected fault, …). */
    void putObject(String bucket, String key, byte[] body) {
        AwsRequest request = new AwsRequest("PUT", "/" + bucket + "/" + encodeKey(key), "", Map.of(
                "Content-Type", "application/octet-stream",
                "Content-Length", Integer.toString(body.length)), body, "127.0.0.1");
        AwsResponse response = client.call(request);
        if (response.status() / 100 != 2) {
            String xml = response.bodyAsString();
            throw new AwsServiceException(response.status(), first(ERROR_CODE, xml, "HTTP " + response.status()),
                    first(ERROR_MESSAGE, xml, ""));
        }
    }

    /** Percent-encodes a key for the request path as the SDKs do: every byte but unreserved ones and '/'. */
    static String encodeKey(String key) {
        StringBuilder out = new StringBuilder(key.length() + 16);
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~' || c == '/') {
                out.append(c);
            } else {
                out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
            }
        }
        return out.toString();
    }

    private static String first(Pattern pattern, String text, String fallback) {
        Matcher m = pattern.matcher(text);
        return m.find() ? m.group(1) : fallback;
    }
}
