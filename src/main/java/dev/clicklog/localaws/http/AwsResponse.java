package dev.clicklog.localaws.http;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** A status, headers and a body: what a service handler answers. */
public final class AwsResponse {

    private final int status;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final byte[] body;

    public AwsResponse(int status, byte[] body) {
        this.status = status;
        this.body = body == null ? new byte[0] : body;
    }

    public static AwsResponse of(int status, String contentType, byte[] body) {
        return new AwsResponse(status, body).header("Content-Type", contentType);
    }

    public static AwsResponse of(int status, String contentType, String body) {
        return of(status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    public static AwsResponse empty(int status) {
        return new AwsResponse(status, null);
    }

    public AwsResponse header(String name, String value) {
        if (value != null) {
            headers.put(name, value);
        }
        return this;
    }

    public int status() {
        return status;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public String header(String name) {
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    public byte[] body() {
        return body;
    }

    /** The same answer with another body (its length follows). */
    public AwsResponse withBody(byte[] newBody) {
        AwsResponse copy = new AwsResponse(status, newBody);
        headers.forEach((name, value) -> {
            if (!name.equalsIgnoreCase("Content-Length")) {
                copy.header(name, value);
            }
        });
        return copy;
    }

    public String bodyAsString() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
