package dev.clicklog.localaws.apigateway.invoke;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The method request's path, query-string and header parameters, as templates and mappings read them. */
public final class RequestParameters {

    private final Map<String, String> path;
    private final Map<String, List<String>> query;
    private final Map<String, String> headers;
    private Map<String, Object> all;

    /** Headers must be case-insensitive (as HTTP header names are). */
    RequestParameters(Map<String, String> path, Map<String, List<String>> query, Map<String, String> headers) {
        this.path = path;
        this.query = query;
        this.headers = headers;
    }

    String path(String name) {
        return path.get(name);
    }

    /** The last value of a repeated query-string parameter, as API Gateway's single-value view keeps it. */
    String query(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(values.size() - 1);
    }

    String header(String name) {
        return headers.get(name);
    }

    public String find(String name) {
        String v = path(name);
        if (v == null) {
            v = query(name);
        }
        if (v == null) {
            v = header(name);
        }
        return v == null ? "" : v;
    }

    public Map<String, Object> all() {
        if (all == null) {
            Map<String, String> q = new LinkedHashMap<>();
            query.forEach((k, v) -> q.put(k, v.isEmpty() ? "" : v.get(v.size() - 1)));
            Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            h.putAll(headers);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", Collections.unmodifiableMap(path));
            m.put("querystring", Collections.unmodifiableMap(q));
            m.put("header", Collections.unmodifiableMap(h));
            all = Collections.unmodifiableMap(m);
        }
        return all;
    }
}
