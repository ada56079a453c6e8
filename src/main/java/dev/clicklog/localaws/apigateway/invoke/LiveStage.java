package dev.clicklog.localaws.apigateway.invoke;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A stage as the data plane serves it: the deployed API, the stage variables and the method
 * throttles from its method settings. Rebuilt on every control-plane change; the throttles' token
 * buckets outlive it (a new LiveStage of the same stage takes them over), so a change elsewhere
 * does not refill them, and a bucket is replaced only when its own limits change.
 */
public final class LiveStage {

    /** Rate and burst from a method setting. */
    public record Throttle(double rateLimit, int burstLimit) {
    }

    /** Where the stage writes its access logs, and their format. */
    public record AccessLog(String destinationArn, AccessLogFormat format) {
    }

    /** A method's token bucket and the limits it was made with. */
    record Limiter(Throttle limits, TokenBucket bucket) {
    }

    public final DeployedApi api;
    final String stageName;
    final Map<String, String> variables;
    public final ApiGatewayMetrics.StageMetrics metrics;
    /** Null when the stage writes no access logs. */
    final AccessLog accessLog;
    private final Throttle defaultThrottle;
    private final Map<String, Throttle> methodThrottles;
    /** One bucket per method: the stage default ("*&#47;*") limits each method, as on AWS. */
    public final Map<String, Limiter> buckets;

    /** {@code buckets}: the previous LiveStage's of this stage, or null for a new stage. */
    public LiveStage(DeployedApi api, String stageName, Map<String, String> variables, Throttle defaultThrottle,
            Map<String, Throttle> methodThrottles, ApiGatewayMetrics.StageMetrics metrics, Map<String, Limiter> buckets,
            AccessLog accessLog) {
        this.buckets = buckets != null ? buckets : new ConcurrentHashMap<>();
        this.api = api;
        this.stageName = stageName;
        this.variables = Map.copyOf(variables);
        this.defaultThrottle = defaultThrottle;
        this.methodThrottles = Map.copyOf(methodThrottles);
        this.metrics = metrics;
        this.accessLog = accessLog;
    }

    /** False when the method's throttle has no token left; true when it has one or none is set. */
    boolean admit(DeployedMethod method) {
        Throttle t = methodThrottles.getOrDefault(method.settingsKey, defaultThrottle);
        if (t == null) {
            return true;
        }
        Limiter limiter = buckets.get(method.settingsKey);
        if (limiter == null || !limiter.limits().equals(t)) {
            limiter = buckets.compute(method.settingsKey, (k, old) -> old != null && old.limits().equals(t) ? old
                    : new Limiter(t, new TokenBucket(t.rateLimit(), t.burstLimit())));
        }
        return limiter.bucket().tryAcquire();
    }
}
