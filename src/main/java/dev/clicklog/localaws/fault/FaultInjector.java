package dev.clicklog.localaws.fault;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import dev.clicklog.localaws.protocol.AwsServiceException;

/**
 * A switch for reproducing the failures real AWS produces (IAM roles not yet usable, throttling,
 * slow activation), so the portal's retry paths can be exercised locally. Off unless something
 * arms it; every armed fault is counted down and then disappears.
 */
@ApplicationScoped
public class FaultInjector {

    private record Failure(AtomicInteger remaining, int status, String code, String message) {
    }

    private final Map<String, Failure> failures = new ConcurrentHashMap<>();
    private final Map<String, Duration> delays = new ConcurrentHashMap<>();

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
        if (failures.isEmpty()) {
            return;
        }
        Failure f = failures.get(key(service, operation));
        if (f != null && f.remaining().getAndDecrement() > 0) {
            throw new AwsServiceException(f.status(), f.code(), f.message());
        }
    }

    /** Overrides a named delay, e.g. "kinesis.stream-activation" or "firehose.delivery-stream-activation". */
    public void overrideDelay(String name, Duration delay) {
        delays.put(name, delay);
    }

    /** The overridden delay, or the configured default. */
    public Duration delayOr(String name, Duration configured) {
        return Optional.ofNullable(delays.get(name)).orElse(configured);
    }

    public void clear() {
        failures.clear();
        delays.clear();
    }

    private static String key(String service, String operation) {
        return service.toLowerCase() + "/" + operation;
    }
}
