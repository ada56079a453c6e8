package dev.clicklog.localaws.apigateway;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A stage as the data plane serves it: the deployed API, the stage variables and the method
 * throttles from its method settings. Rebuilt whenever the stage changes.
 */
final class LiveStage {

    /** Rate and burst from a method setting. */
    record Throttle(double rateLimit, int burstLimit) {
    }

    final DeployedApi api;
    final String stageName;
    final Map<String, String> variables;
    final ApiGatewayMetrics.StageMetrics metrics;
    private final Throttle defaultThrottle;
    private final Map<String, Throttle> methodThrottles;
    /** One bucket per method: the stage default ("*&#47;*") limits each method, as on AWS. */
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    LiveStage(DeployedApi api, String stageName, Map<String, String> variables, Throttle defaultThrottle,
            Map<String, Throttle> methodThrottles, ApiGatewayMetrics.StageMetrics metrics) {
        this.api = api;
        this.stageName = stageName;
        this.variables = Map.copyOf(variables);
        this.defaultThrottle = defaultThrottle;
        this.methodThrottles = Map.copyOf(methodThrottles);
        this.metrics = metrics;
    }

    /** False when the method's throttle has no token left; true when it has one or none is set. */
    boolean admit(DeployedMethod method) {
        Throttle t = methodThrottles.getOrDefault(method.settingsKey, defaultThrottle);
        if (t == null) {
            return true;
        }
        return buckets.computeIfAbsent(method.settingsKey, k -> new TokenBucket(t.rateLimit(), t.burstLimit()))
                .tryAcquire();
    }
}
