package dev.clicklog.localaws.apigateway.invoke;

import dev.clicklog.localaws.apigateway.UsagePlan;

import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;

/**
 * What an API key value may do on the data plane: whether it is enabled and, per API stage
 * ("apiId/stage"), the usage plan limits that meter it.
 */
public record KeyAccess(String keyId, boolean enabled, Map<String, PlanLimits> stages) {

    /** Requests counted against a quota in the period beginning {@code window}. */
    public record QuotaUsage(LocalDate window, long used) {
    }

    /** One usage plan's throttles and quota for one key. Counters live as long as the plan and the key. */
    public static final class PlanLimits {

        private final TokenBucket throttle;
        private final Map<String, TokenBucket> methodThrottles;
        private final QuotaCounter quota;

        public PlanLimits(UsagePlan plan, UsagePlan.ApiStage stage) {
            this.throttle = bucket(plan.throttle);
            Map<String, TokenBucket> methods = new HashMap<>();
            if (stage.throttle() != null) {
                stage.throttle().forEach((method, t) -> methods.put(method, bucket(t)));
            }
            this.methodThrottles = Map.copyOf(methods);
            this.quota = plan.quota == null ? null : new QuotaCounter(plan.quota);
        }

        private static TokenBucket bucket(UsagePlan.Throttle t) {
            if (t == null || (t.rateLimit() == null && t.burstLimit() == null)) {
                return null;
            }
            return new TokenBucket(t.rateLimit() == null ? 0 : t.rateLimit(), t.burstLimit() == null ? 0 : t.burstLimit());
        }

        /** The per-method throttle of the plan's API stage when one is set, else the plan's. */
        boolean admit(DeployedMethod method) {
            TokenBucket b = methodThrottles.getOrDefault(method.planThrottleKey, throttle);
            return b == null || b.tryAcquire();
        }

        /** The quota's count once after each change, null when unchanged or without a quota. */
        public QuotaUsage takeChangedQuota() {
            return quota == null ? null : quota.takeChanged();
        }

        /** The quota's count as it now is, null without a quota or before its first request. */
        public QuotaUsage quotaUsage() {
            return quota == null ? null : quota.usage();
        }

        /** Puts back a quota count kept across a restart. */
        public void restoreQuota(QuotaUsage usage) {
            if (quota != null) {
                quota.restore(usage);
            }
        }

        /** Counts one request against the quota; false when the period's quota is used up. */
        public boolean withinQuota(Instant now) {
            return quota == null || quota.tryConsume(now);
        }
    }
}
