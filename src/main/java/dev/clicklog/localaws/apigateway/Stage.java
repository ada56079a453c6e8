package dev.clicklog.localaws.apigateway;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A named snapshot reference (the deployment it serves) with its variables and per-method settings. */
public final class Stage {

    final String name;
    final Instant createdDate;
    String deploymentId;
    String description;
    Instant lastUpdatedDate;
    final Map<String, String> variables = new LinkedHashMap<>();
    /** "*&#47;*" or "{resourcePath with / as ~1}/{METHOD}" → settings, as UpdateStage's patch paths name them. */
    final Map<String, MethodSetting> methodSettings = new LinkedHashMap<>();
    final Map<String, String> tags = new LinkedHashMap<>();
    /** Null when the stage writes no access logs. */
    AccessLogSettings accessLogSettings;

    Stage(String name, String deploymentId, String description, Instant createdDate) {
        this.name = name;
        this.deploymentId = deploymentId;
        this.description = description;
        this.createdDate = createdDate;
        this.lastUpdatedDate = createdDate;
    }
}
