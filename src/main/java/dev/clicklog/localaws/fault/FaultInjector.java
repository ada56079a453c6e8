package dev.clicklog.localaws.fault;

import java.io.IOException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.runtime.Startup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.clicklog.localaws.LocalAwsConfig;
import dev.clicklog.localaws.http.AwsResponse;
import dev.clicklog.localaws.protocol.AwsServiceException;

/**
 * A switch for reproducing the failures real AWS produces (IAM roles not yet usable, throttling,
 * slow activation), so the portal's retry paths can be exercised locally; and what other
 * AWS-compatible endpoints do (operations they do not serve, answers that leave fields out), so
 * the portal's way with them can be too. Off unless something arms it (a test, or
 * {@code clicklog.localaws.faults.*} from the start); every failure armed by a test is counted down
 * and then disappears. Made at start, so a configured fault that is not understood stops the start.
 */
@ApplicationScoped
@Startup
public class FaultInjector {

    /** The code an operation that is not served answers with. */
    public static final String UNKNOWN_OPERATION = "UnknownOperationException";
    /**
     * The delays the services read through {@link #delayOr}, which a test or the configuration may
     * shorten (AWS's are hours: a stream's retention, an iterator's life).
     */
    public static final Set<String> DELAYS = Set.of("kinesis.stream-activation", "kinesis.stream-deletion",
            "kinesis.shard-iterator-expiry", "kinesis.retention-period", "firehose.delivery-stream-activation",
            "firehose.delivery-stream-deletion", "firehose.delivery-stream-drain");
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Failure(AtomicInteger remaining, int status, String code, String message) {
    }

    private final Map<String, Failure> failures = new ConcurrentHashMap<>();
    private final Map<String, Duration> delays = new ConcurrentHashMap<>();
    private final Set<String> unserved = ConcurrentHashMap.newKeySet();
    private final Map<String, Set<String>> omitted = new ConcurrentHashMap<>();
    /** What the configuration armed: kept by {@link #clear()}. */
    private final Set<String> configuredUnserved = new HashSet<>();
    private final Map<String, Set<String>> configuredOmitted = new ConcurrentHashMap<>();
    private final Map<String, Duration> configuredDelays = new ConcurrentHashMap<>();

    FaultInjector(LocalAwsConfig config) {
        config.faults().unserved().orElse(List.of()).forEach(entry -> {
            String[] parts = split(entry, 2);
            configuredUnserved.add(key(parts[0], parts[1]));
        });
        config.faults().omittedFields().orElse(List.of()).forEach(entry -> {
            String[] parts = split(entry, 3);
            configuredOmitted.computeIfAbsent(key(parts[0], parts[1]), k -> ConcurrentHashMap.newKeySet()).add(parts[2]);
        });
        config.faults().delays().orElse(List.of()).forEach(entry -> {
            String[] parts = entry.strip().split("=", 2);
            if (parts.length != 2) {
                throw new IllegalArgumentException("clicklog.localaws.faults.delays: '" + entry
                        + "' is not name=duration (e.g. kinesis.retention-period=PT30S)");
            }
            String name = parts[0].strip();
            if (!DELAYS.contains(name)) {
                throw unknownDelay("clicklog.localaws.faults.delays: '" + entry + "' names no delay");
            }
            configuredDelays.put(name, duration(parts[1].strip(), entry));
        });
        clear();
    }

    /** Answers every call of the operation as the service answers one it does not serve, until {@link #clear()}. */
    public void unserve(String service, String operation) {
        unserved.add(key(service, operation));
    }

    /** Leaves these fields out of the operation's JSON answers, at any depth, until {@link #clear()}. */
    public void omitFields(String service, String operation, String... fields) {
        omitted.computeIfAbsent(key(service, operation), k -> ConcurrentHashMap.newKeySet()).addAll(List.of(fields));
    }

    /**
     * The answer as the endpoint gives it: without the fields armed for the operation, when it is
     * JSON. Handlers of REST-style services call this themselves; the router does it for the JSON
     * and query protocols.
     */
    public AwsResponse shape(String service, String operation, AwsResponse response) {
        Set<String> fields = omitted.get(key(service, operation));
        if (fields == null || fields.isEmpty() || response.body().length == 0) {
            return response;
        }
        try {
            JsonNode json = JSON.readTree(response.body());
            if (json == null || !json.isContainerNode()) {
                return response;
            }
            strip(json, fields);
            return response.withBody(JSON.writeValueAsBytes(json));
        } catch (IOException notJson) {
            return response;
        }
    }

    /** Fails the next {@code times} calls of {@code service}/{@code operation} with the given AWS error. */
    public void failNext(String service, String operation, int times, int status, String code, String message) {
        failures.put(key(service, operation), new Failure(new AtomicInteger(times), status, code, message));
    }

    /** Fails every call of the operation until {@link #clear()}. */
    public void failAlways(String service, String operation, int status, String code, String message) {
        failNext(service, operation, Integer.MAX_VALUE, status, code, message);
    }

    /**
     * Throws the armed error for this call, if any. Handlers of REST-style services (S3, API
     * Gateway) call this themselves; the router does it for the JSON and query protocols.
     */
    public void check(String service, String operation) {
        if (!unserved.isEmpty() && unserved.contains(key(service, operation))) {
            // What API Gateway answers a route it does not know; the router turns it into the
            // answer of the JSON and query protocols (400 UnknownOperationException, InvalidAction).
            throw new AwsServiceException(404, UNKNOWN_OPERATION, "Unknown operation " + operation);
        }
        if (failures.isEmpty()) {
            return;
        }
        Failure f = failures.get(key(service, operation));
        if (f != null && f.remaining().getAndDecrement() > 0) {
            throw new AwsServiceException(f.status(), f.code(), f.message());
        }
    }

    /**
     * Overrides a named delay (one of {@link #DELAYS}, e.g. "kinesis.stream-activation") until
     * {@link #clear()}, which puts back what the configuration set.
     */
    public void overrideDelay(String name, Duration delay) {
        delays.put(known(name), delay);
    }

    /** The overridden delay, or the configured default. */
    public Duration delayOr(String name, Duration configured) {
        return Optional.ofNullable(delays.get(known(name))).orElse(configured);
    }

    public void clear() {
        failures.clear();
        delays.clear();
        delays.putAll(configuredDelays);
        unserved.clear();
        unserved.addAll(configuredUnserved);
        omitted.clear();
        configuredOmitted.forEach((k, v) -> omitted.computeIfAbsent(k, x -> ConcurrentHashMap.newKeySet()).addAll(v));
    }

    private static void strip(JsonNode node, Set<String> fields) {
        if (node instanceof ObjectNode object) {
            object.remove(fields);
        }
        node.forEach(child -> strip(child, fields));
    }

    private static String[] split(String entry, int parts) {
        String[] split = entry.strip().split(":", parts);
        if (split.length != parts) {
            throw new IllegalArgumentException("clicklog.localaws.faults: '" + entry + "' is not "
                    + (parts == 2 ? "service:Operation" : "service:Operation:Field"));
        }
        return split;
    }

    /** A name that is not among {@link #DELAYS} would arm or read nothing: refused, so a misspelling shows. */
    private static String known(String name) {
        if (!DELAYS.contains(name)) {
            throw unknownDelay("no delay is named '" + name + "'");
        }
        return name;
    }

    private static IllegalArgumentException unknownDelay(String what) {
        return new IllegalArgumentException(what + "; the delays are " + String.join(", ", DELAYS.stream().sorted().toList()));
    }

    private static Duration duration(String value, String entry) {
        try {
            Duration d = Duration.parse(value);
            if (!d.isNegative()) {
                return d;
            }
        } catch (DateTimeParseException e) {
            // refused below, with the entry named
        }
        throw new IllegalArgumentException("clicklog.localaws.faults.delays: '" + entry
                + "' does not end in an ISO-8601 duration of zero or more (e.g. PT30S, PT0.5S, PT2M)");
    }

    private static String key(String service, String operation) {
        return service.toLowerCase() + "/" + operation;
    }
}
