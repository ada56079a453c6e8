package dev.clicklog.localaws.apigateway;

import dev.clicklog.localaws.apigateway.invoke.GatewayResponses;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.clicklog.localaws.protocol.JsonProtocol;

/**
 * API Gateway's output shapes (botocore's RestApi, Resource, Method, Integration, Stage, ApiKey,
 * UsagePlan, …) as JSON. Members AWS leaves out when unset are left out; timestamps are epoch seconds.
 */
final class ApiGatewayShapes {

    private ApiGatewayShapes() {
    }

    static ObjectNode restApi(RestApi api) {
        ObjectNode n = obj().put("id", api.id).put("name", api.name);
        putIfSet(n, "description", api.description);
        n.put("createdDate", seconds(api.createdDate));
        n.put("apiKeySource", "HEADER");
        ObjectNode endpoint = n.putObject("endpointConfiguration");
        endpoint.put("ipAddressType", api.ipAddressType);
        strings(endpoint.putArray("types"), api.endpointTypes);
        n.put("disableExecuteApiEndpoint", false);
        n.put("rootResourceId", api.rootResourceId);
        if (!api.tags.isEmpty()) {
            n.set("tags", stringMap(api.tags));
        }
        return n;
    }

    /** A resource; with {@code embedMethods} its methods in full, otherwise each as an empty object, as AWS lists them. */
    static ObjectNode resource(ApiResource r, boolean embedMethods) {
        ObjectNode n = obj().put("id", r.id);
        putIfSet(n, "parentId", r.parentId);
        putIfSet(n, "pathPart", r.pathPart);
        n.put("path", r.path);
        if (!r.methods.isEmpty()) {
            ObjectNode methods = n.putObject("resourceMethods");
            r.methods.forEach((name, m) -> methods.set(name, embedMethods ? method(m) : obj()));
        }
        return n;
    }

    static ObjectNode method(ApiMethod m) {
        ObjectNode n = obj().put("httpMethod", m.httpMethod).put("authorizationType", m.authorizationType)
                .put("apiKeyRequired", m.apiKeyRequired);
        putIfSet(n, "requestValidatorId", m.requestValidatorId);
        putIfSet(n, "operationName", m.operationName);
        if (!m.requestParameters.isEmpty()) {
            ObjectNode params = n.putObject("requestParameters");
            m.requestParameters.forEach(params::put);
        }
        if (!m.requestModels.isEmpty()) {
            n.set("requestModels", stringMap(m.requestModels));
        }
        if (!m.responses.isEmpty()) {
            ObjectNode responses = n.putObject("methodResponses");
            m.responses.forEach((code, r) -> responses.set(code, methodResponse(r)));
        }
        if (m.integration != null) {
            n.set("methodIntegration", integration(m.integration));
        }
        return n;
    }

    static ObjectNode methodResponse(MethodResponse r) {
        ObjectNode n = obj().put("statusCode", r.statusCode());
        if (r.responseParameters() != null) {
            ObjectNode params = n.putObject("responseParameters");
            r.responseParameters().forEach(params::put);
        }
        if (r.responseModels() != null) {
            n.set("responseModels", stringMap(r.responseModels()));
        }
        return n;
    }

    static ObjectNode integration(Integration i) {
        ObjectNode n = obj().put("type", i.type);
        putIfSet(n, "httpMethod", i.httpMethod);
        putIfSet(n, "uri", i.uri);
        putIfSet(n, "credentials", i.credentials);
        if (i.requestParameters != null) {
            n.set("requestParameters", stringMap(i.requestParameters));
        }
        if (i.requestTemplates != null) {
            n.set("requestTemplates", stringMap(i.requestTemplates));
        }
        n.put("passthroughBehavior", i.passthroughBehavior);
        putIfSet(n, "contentHandling", i.contentHandling);
        n.put("timeoutInMillis", i.timeoutInMillis);
        n.put("cacheNamespace", i.cacheNamespace);
        n.putArray("cacheKeyParameters");
        if (!i.responses.isEmpty()) {
            ObjectNode responses = n.putObject("integrationResponses");
            i.responses.forEach((code, r) -> responses.set(code, integrationResponse(r)));
        }
        return n;
    }

    static ObjectNode integrationResponse(IntegrationResponse r) {
        ObjectNode n = obj().put("statusCode", r.statusCode());
        putIfSet(n, "selectionPattern", r.selectionPattern());
        if (r.responseParameters() != null) {
            n.set("responseParameters", stringMap(r.responseParameters()));
        }
        if (r.responseTemplates() != null) {
            n.set("responseTemplates", stringMap(r.responseTemplates()));
        }
        putIfSet(n, "contentHandling", r.contentHandling());
        return n;
    }

    static ObjectNode model(Model m) {
        ObjectNode n = obj().put("id", m.id()).put("name", m.name());
        putIfSet(n, "description", m.description());
        putIfSet(n, "schema", m.schema());
        return n.put("contentType", m.contentType());
    }

    static ObjectNode requestValidator(RequestValidator v) {
        ObjectNode n = obj().put("id", v.id());
        putIfSet(n, "name", v.name());
        return n.put("validateRequestBody", v.validateRequestBody())
                .put("validateRequestParameters", v.validateRequestParameters());
    }

    /** A deployment; with {@code embedSummary} its apiSummary (path → method → authorization). */
    static ObjectNode deployment(Deployment d, boolean embedSummary) {
        ObjectNode n = obj().put("id", d.id());
        putIfSet(n, "description", d.description());
        n.put("createdDate", seconds(d.createdDate()));
        if (embedSummary) {
            ObjectNode summary = n.putObject("apiSummary");
            d.api().summary.forEach((path, methods) -> {
                ObjectNode byMethod = summary.putObject(path);
                methods.forEach((name, m) -> byMethod.putObject(name).put("authorizationType", m.authorizationType)
                        .put("apiKeyRequired", m.apiKeyRequired));
            });
        }
        return n;
    }

    static ObjectNode stage(Stage s) {
        ObjectNode n = obj().put("deploymentId", s.deploymentId).put("stageName", s.name);
        putIfSet(n, "description", s.description);
        n.put("cacheClusterEnabled", false).put("cacheClusterStatus", "NOT_AVAILABLE");
        ObjectNode settings = n.putObject("methodSettings");
        s.methodSettings.forEach((key, m) -> settings.putObject(key)
                .put("metricsEnabled", m.metricsEnabled)
                .put("loggingLevel", m.loggingLevel)
                .put("dataTraceEnabled", m.dataTraceEnabled)
                .put("throttlingBurstLimit", m.throttlingBurstLimit)
                .put("throttlingRateLimit", m.throttlingRateLimit)
                .put("cachingEnabled", m.cachingEnabled)
                .put("cacheTtlInSeconds", m.cacheTtlInSeconds)
                .put("cacheDataEncrypted", m.cacheDataEncrypted)
                .put("requireAuthorizationForCacheControl", m.requireAuthorizationForCacheControl)
                .put("unauthorizedCacheControlHeaderStrategy", m.unauthorizedCacheControlHeaderStrategy));
        if (!s.variables.isEmpty()) {
            n.set("variables", stringMap(s.variables));
        }
        if (s.accessLogSettings != null) {
            ObjectNode logs = n.putObject("accessLogSettings");
            putIfSet(logs, "format", s.accessLogSettings.format());
            putIfSet(logs, "destinationArn", s.accessLogSettings.destinationArn());
        }
        n.put("tracingEnabled", false);
        if (!s.tags.isEmpty()) {
            n.set("tags", stringMap(s.tags));
        }
        return n.put("createdDate", seconds(s.createdDate)).put("lastUpdatedDate", seconds(s.lastUpdatedDate));
    }

    /**
     * The account's settings: its CloudWatch role, and the account-level throttle and features every
     * account has (AWS's defaults, which localaws does not enforce beyond the stage's own throttles).
     */
    static ObjectNode account(ApiGatewayService.Account a) {
        ObjectNode n = obj();
        putIfSet(n, "cloudwatchRoleArn", a.cloudwatchRoleArn());
        n.putObject("throttleSettings").put("burstLimit", 5000).put("rateLimit", 10000.0);
        n.putArray("features").add("UsagePlans");
        return n.put("apiKeyVersion", "4");
    }

    /** An API key; its secret value only when asked for (CreateApiKey always shows it). */
    static ObjectNode apiKey(ApiKey k, boolean includeValue) {
        ObjectNode n = obj().put("id", k.id());
        if (includeValue) {
            n.put("value", k.value());
        }
        putIfSet(n, "name", k.name());
        putIfSet(n, "customerId", k.customerId());
        putIfSet(n, "description", k.description());
        n.put("enabled", k.enabled()).put("createdDate", seconds(k.createdDate()))
                .put("lastUpdatedDate", seconds(k.createdDate()));
        n.putArray("stageKeys");
        if (!k.tags().isEmpty()) {
            n.set("tags", stringMap(k.tags()));
        }
        return n;
    }

    static ObjectNode usagePlan(UsagePlan p) {
        ObjectNode n = obj().put("id", p.id).put("name", p.name);
        putIfSet(n, "description", p.description);
        ArrayNode stages = n.putArray("apiStages");
        for (UsagePlan.ApiStage s : p.apiStages) {
            ObjectNode stage = stages.addObject().put("apiId", s.apiId()).put("stage", s.stage());
            if (s.throttle() != null && !s.throttle().isEmpty()) {
                ObjectNode throttles = stage.putObject("throttle");
                s.throttle().forEach((method, t) -> throttles.set(method, throttle(t)));
            }
        }
        if (p.throttle != null) {
            n.set("throttle", throttle(p.throttle));
        }
        if (p.quota != null) {
            n.putObject("quota").put("limit", p.quota.limit()).put("offset", p.quota.offset())
                    .put("period", p.quota.period());
        }
        if (!p.tags.isEmpty()) {
            n.set("tags", stringMap(p.tags));
        }
        return n;
    }

    private static ObjectNode throttle(UsagePlan.Throttle t) {
        ObjectNode n = obj();
        if (t.burstLimit() != null) {
            n.put("burstLimit", t.burstLimit());
        }
        if (t.rateLimit() != null) {
            n.put("rateLimit", t.rateLimit());
        }
        return n;
    }

    static ObjectNode usagePlanKey(ApiKey k) {
        ObjectNode n = obj().put("id", k.id()).put("type", "API_KEY").put("value", k.value());
        putIfSet(n, "name", k.name());
        return n;
    }

    /** A GatewayResponse; DEFAULT_4XX and DEFAULT_5XX have no status code until one is put. */
    static ObjectNode gatewayResponse(GatewayResponses.GatewayResponse r) {
        ObjectNode n = obj().put("responseType", r.responseType());
        putIfSet(n, "statusCode", r.statusCode());
        n.set("responseParameters", stringMap(r.responseParameters()));
        n.set("responseTemplates", stringMap(r.responseTemplates()));
        return n.put("defaultResponse", r.defaultResponse());
    }

    static ObjectNode tags(Map<String, String> tags) {
        ObjectNode n = obj();
        n.set("tags", stringMap(tags));
        return n;
    }

    /** A page of a collection: {@code {"item": […], "position": …}} (the wire name of "items" is "item"). */
    static ObjectNode page(Collection<ObjectNode> items, String position) {
        ObjectNode n = obj();
        putIfSet(n, "position", position);
        ArrayNode array = n.putArray("item");
        items.forEach(array::add);
        return n;
    }

    private static ObjectNode obj() {
        return JsonProtocol.NODES.objectNode();
    }

    private static long seconds(Instant t) {
        return t.getEpochSecond();
    }

    private static void putIfSet(ObjectNode n, String field, String value) {
        if (value != null) {
            n.put(field, value);
        }
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    private static ObjectNode stringMap(Map<String, String> m) {
        ObjectNode n = obj();
        m.forEach(n::put);
        return n;
    }
}
