package dev.clicklog.localaws.apigateway;

import java.time.Instant;
import java.util.Map;

/** An API key: callers send its value in {@code x-api-key}; usage plans meter it. */
record ApiKey(String id, String value, String name, String description, String customerId, boolean enabled,
        Instant createdDate, Map<String, String> tags) {
}
