package dev.clicklog.localaws.apigateway;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Throttle and quota for the API keys it holds, on the API stages it lists. */
public final class UsagePlan {

    /** Requests per second and bucket size. */
    public record Throttle(Integer burstLimit, Double rateLimit) {
    }

    /** Requests per DAY, WEEK or MONTH, the period starting {@code offset} days (or weekdays) in. */
    public record Quota(int limit, int offset, String period) {
    }

    /** An API stage the plan covers, with optional per-method throttles keyed "/resource/path/METHOD". */
    public record ApiStage(String apiId, String stage, Map<String, Throttle> throttle) {
    }

    final String id;
    final String name;
    final String description;
    final List<ApiStage> apiStages;
    public final Throttle throttle;
    public final Quota quota;
    final Map<String, String> tags = new LinkedHashMap<>();
    final Set<String> keyIds = new LinkedHashSet<>();

    UsagePlan(String id, String name, String description, List<ApiStage> apiStages, Throttle throttle, Quota quota) {
        this.id = id;
        this.name = name;
        this.description = description;
        this.apiStages = List.copyOf(apiStages);
        this.throttle = throttle;
        this.quota = quota;
    }
}
