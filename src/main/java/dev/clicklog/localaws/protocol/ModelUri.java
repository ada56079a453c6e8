package dev.clicklog.localaws.protocol;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.clicklog.localaws.http.AwsRequest;

/**
 * A request URI as a service model writes one ({@code requestUri} in botocore): a path template and
 * the query parameters it names, with the value it gives them if any — {@code /{Bucket}?location},
 * {@code /{Bucket}?list-type=2}, {@code /restapis?mode=import}.
 */
public record ModelUri(String path, Map<String, String> query) {

    public static ModelUri of(String uri) {
        int q = uri.indexOf('?');
        if (q < 0) {
            return new ModelUri(uri, Map.of());
        }
        Map<String, String> query = new LinkedHashMap<>();
        for (String p : uri.substring(q + 1).split("&")) {
            int eq = p.indexOf('=');
            query.put(eq < 0 ? p : p.substring(0, eq), eq < 0 ? "" : p.substring(eq + 1));
        }
        return new ModelUri(uri.substring(0, q), Collections.unmodifiableMap(query));
    }

    /** Whether the request carries every query parameter named here, with the value given here if any. */
    public boolean queryMatches(AwsRequest request) {
        for (Map.Entry<String, String> e : query.entrySet()) {
            String value = request.queryParam(e.getKey());
            if (value == null || !e.getValue().isEmpty() && !e.getValue().equals(value)) {
                return false;
            }
        }
        return true;
    }
}
