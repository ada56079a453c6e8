package dev.clicklog.localaws.apigateway;

import dev.clicklog.localaws.apigateway.invoke.GatewayResponses;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What changes API Gateway's state, as its journal records it. Whole values rather than edits, so
 * replaying a change is putting it back: an API's definition as it now is (resources, methods,
 * integrations, models, validators, gateway responses, tags), a deployment with the definition it
 * froze, a stage, an API key, a usage plan, the account's role. Quota counters are logged written
 * behind, as absolute values.
 */
sealed interface ApiGatewayChange permits ApiGatewayChange.ApiPut, ApiGatewayChange.ApiDeleted,
        ApiGatewayChange.DeploymentPut, ApiGatewayChange.DeploymentDeleted, ApiGatewayChange.StagePut,
        ApiGatewayChange.StageDeleted, ApiGatewayChange.KeyPut, ApiGatewayChange.KeyDeleted,
        ApiGatewayChange.PlanPut, ApiGatewayChange.PlanDeleted, ApiGatewayChange.AccountPut,
        ApiGatewayChange.QuotaUsed {

    /** The store's name and codec version: its files' names and on-disk format. */
    String STORE = "apigateway";
    int VERSION = 1;

    /** An API's definition as it now is; its deployments and stages are changes of their own. */
    record ApiPut(Definition api) implements ApiGatewayChange {
    }

    record ApiDeleted(String apiId) implements ApiGatewayChange {
    }

    /** A deployment and the definition it froze, which its stages serve. */
    record DeploymentPut(String apiId, String id, String description, Instant createdDate, Definition definition)
            implements ApiGatewayChange {
    }

    record DeploymentDeleted(String apiId, String id) implements ApiGatewayChange {
    }

    record StagePut(String apiId, StageState stage) implements ApiGatewayChange {
    }

    record StageDeleted(String apiId, String name) implements ApiGatewayChange {
    }

    /** An API key, its value included (callers keep sending it). */
    record KeyPut(ApiKey key) implements ApiGatewayChange {
    }

    record KeyDeleted(String id) implements ApiGatewayChange {
    }

    /**
     * A usage plan as it now is. With {@code countersReset} its keys' quota counters start over (its
     * limits changed), as they do live.
     */
    record PlanPut(PlanState plan, boolean countersReset) implements ApiGatewayChange {
    }

    record PlanDeleted(String id) implements ApiGatewayChange {
    }

    record AccountPut(String cloudwatchRoleArn) implements ApiGatewayChange {
    }

    /**
     * A quota counter's absolute value: requests {@code used} in the period beginning {@code window},
     * for counter "planId/keyId/apiId/stage".
     */
    record QuotaUsed(String counter, LocalDate window, long used) implements ApiGatewayChange {
    }

    // ---- the values the changes carry ----

    /** A REST API's definition: what a deployment freezes, and what the control plane lists. */
    record Definition(String id, String name, String description, Instant createdDate, List<String> endpointTypes,
            String ipAddressType, String rootResourceId, Map<String, String> tags, List<ResourceState> resources,
            List<Model> models, List<RequestValidator> validators,
            List<GatewayResponses.GatewayResponse> gatewayResponses) {

        static Definition of(RestApi api) {
            return new Definition(api.id, api.name, api.description, api.createdDate, api.endpointTypes,
                    api.ipAddressType, api.rootResourceId, new LinkedHashMap<>(api.tags),
                    api.resources.values().stream().map(ResourceState::of).toList(),
                    new ArrayList<>(api.models.values()), new ArrayList<>(api.validators.values()),
                    new ArrayList<>(api.gatewayResponses.values()));
        }

        /** The API as it was defined, without deployments or stages. */
        RestApi restApi() {
            RestApi api = new RestApi(id, name, description, createdDate, endpointTypes, ipAddressType, rootResourceId);
            api.tags.putAll(tags);
            resources.forEach(r -> api.resources.put(r.id(), r.resource()));
            models.forEach(m -> api.models.put(m.name(), m));
            validators.forEach(v -> api.validators.put(v.id(), v));
            gatewayResponses.forEach(g -> api.gatewayResponses.put(g.responseType(), g));
            return api;
        }
    }

    record ResourceState(String id, String parentId, String pathPart, String path, List<MethodState> methods) {

        static ResourceState of(ApiResource r) {
            return new ResourceState(r.id, r.parentId, r.pathPart, r.path,
                    r.methods.values().stream().map(MethodState::of).toList());
        }

        ApiResource resource() {
            ApiResource r = new ApiResource(id, parentId, pathPart, path);
            methods.forEach(m -> r.methods.put(m.httpMethod(), m.method()));
            return r;
        }
    }

    record MethodState(String httpMethod, String authorizationType, boolean apiKeyRequired, String requestValidatorId,
            String operationName, Map<String, Boolean> requestParameters, Map<String, String> requestModels,
            List<MethodResponse> responses, IntegrationState integration) {

        static MethodState of(ApiMethod m) {
            return new MethodState(m.httpMethod, m.authorizationType, m.apiKeyRequired, m.requestValidatorId,
                    m.operationName, m.requestParameters, m.requestModels, new ArrayList<>(m.responses.values()),
                    m.integration == null ? null : IntegrationState.of(m.integration));
        }

        ApiMethod method() {
            ApiMethod m = new ApiMethod(httpMethod, authorizationType, apiKeyRequired, requestValidatorId, operationName,
                    new LinkedHashMap<>(requestParameters), new LinkedHashMap<>(requestModels));
            responses.forEach(r -> m.responses.put(r.statusCode(), r));
            m.integration = integration == null ? null : integration.integration();
            return m;
        }
    }

    record IntegrationState(String type, String httpMethod, String uri, String credentials,
            Map<String, String> requestParameters, Map<String, String> requestTemplates, String passthroughBehavior,
            String contentHandling, int timeoutInMillis, String cacheNamespace, List<IntegrationResponse> responses) {

        static IntegrationState of(Integration i) {
            return new IntegrationState(i.type, i.httpMethod, i.uri, i.credentials, i.requestParameters,
                    i.requestTemplates, i.passthroughBehavior, i.contentHandling, i.timeoutInMillis, i.cacheNamespace,
                    new ArrayList<>(i.responses.values()));
        }

        Integration integration() {
            Integration i = new Integration(type, httpMethod, uri, credentials, copy(requestParameters),
                    copy(requestTemplates), passthroughBehavior, contentHandling, timeoutInMillis, cacheNamespace);
            responses.forEach(r -> i.responses.put(r.statusCode(), r));
            return i;
        }
    }

    /** A stage's settings for one method key ("*&#47;*" or "path/METHOD"). */
    record MethodSettingState(boolean metricsEnabled, String loggingLevel, boolean dataTraceEnabled,
            int throttlingBurstLimit, double throttlingRateLimit, boolean cachingEnabled, int cacheTtlInSeconds,
            boolean cacheDataEncrypted, boolean requireAuthorizationForCacheControl,
            String unauthorizedCacheControlHeaderStrategy) {

        static MethodSettingState of(MethodSetting s) {
            return new MethodSettingState(s.metricsEnabled, s.loggingLevel, s.dataTraceEnabled, s.throttlingBurstLimit,
                    s.throttlingRateLimit, s.cachingEnabled, s.cacheTtlInSeconds, s.cacheDataEncrypted,
                    s.requireAuthorizationForCacheControl, s.unauthorizedCacheControlHeaderStrategy);
        }

        MethodSetting setting() {
            MethodSetting s = new MethodSetting();
            s.metricsEnabled = metricsEnabled;
            s.loggingLevel = loggingLevel;
            s.dataTraceEnabled = dataTraceEnabled;
            s.throttlingBurstLimit = throttlingBurstLimit;
            s.throttlingRateLimit = throttlingRateLimit;
            s.cachingEnabled = cachingEnabled;
            s.cacheTtlInSeconds = cacheTtlInSeconds;
            s.cacheDataEncrypted = cacheDataEncrypted;
            s.requireAuthorizationForCacheControl = requireAuthorizationForCacheControl;
            s.unauthorizedCacheControlHeaderStrategy = unauthorizedCacheControlHeaderStrategy;
            return s;
        }
    }

    record StageState(String name, Instant createdDate, String deploymentId, String description,
            Instant lastUpdatedDate, Map<String, String> variables, Map<String, MethodSettingState> methodSettings,
            Map<String, String> tags, AccessLogSettings accessLogSettings) {

        static StageState of(Stage s) {
            Map<String, MethodSettingState> settings = new LinkedHashMap<>();
            s.methodSettings.forEach((key, m) -> settings.put(key, MethodSettingState.of(m)));
            return new StageState(s.name, s.createdDate, s.deploymentId, s.description, s.lastUpdatedDate,
                    new LinkedHashMap<>(s.variables), settings, new LinkedHashMap<>(s.tags), s.accessLogSettings);
        }

        Stage stage() {
            Stage s = new Stage(name, deploymentId, description, createdDate);
            s.lastUpdatedDate = lastUpdatedDate;
            s.variables.putAll(variables);
            methodSettings.forEach((key, m) -> s.methodSettings.put(key, m.setting()));
            s.tags.putAll(tags);
            s.accessLogSettings = accessLogSettings;
            return s;
        }
    }

    record PlanState(String id, String name, String description, List<UsagePlan.ApiStage> apiStages,
            UsagePlan.Throttle throttle, UsagePlan.Quota quota, Map<String, String> tags, List<String> keyIds) {

        static PlanState of(UsagePlan p) {
            return new PlanState(p.id, p.name, p.description, p.apiStages, p.throttle, p.quota,
                    new LinkedHashMap<>(p.tags), new ArrayList<>(p.keyIds));
        }

        UsagePlan plan() {
            UsagePlan p = new UsagePlan(id, name, description, apiStages, throttle, quota);
            p.tags.putAll(tags);
            p.keyIds.addAll(keyIds);
            return p;
        }
    }

    private static <K, V> Map<K, V> copy(Map<K, V> m) {
        return m == null ? null : new LinkedHashMap<>(m);
    }
}
