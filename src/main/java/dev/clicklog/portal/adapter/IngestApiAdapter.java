package dev.clicklog.portal.adapter;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.clicklog.portal.adapter.IngestApiDefinition.Integration;
import dev.clicklog.portal.adapter.IngestApiDefinition.IntegrationResponse;
import dev.clicklog.portal.adapter.IngestApiDefinition.MethodSpec;
import dev.clicklog.portal.adapter.IngestApiDefinition.Model;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.EndpointType;
import software.amazon.awssdk.services.apigateway.model.Method;
import software.amazon.awssdk.services.apigateway.model.Op;
import software.amazon.awssdk.services.apigateway.model.PatchOperation;
import software.amazon.awssdk.services.apigateway.model.QuotaPeriodType;

/**
 * API Gateway REST APIs: the API, its resources, methods, models and validator, the deployed stage,
 * and the API key with its usage plan.
 */
@ApplicationScoped
public class IngestApiAdapter {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The largest page API Gateway's list operations return. */
    private static final int PAGE = 500;
    /** What API Gateway reports as the throttling of methods without any. */
    private static final double UNTHROTTLED_RATE = -1.0;
    private static final int UNTHROTTLED_BURST = -1;

    public record RestApi(String id, String name, Instant createdAt, Map<String, String> tags) {
    }

    /** A resource (path) of an API with the methods it has, described as {@link MethodSpec}s. */
    public record ApiResource(String id, String path, Map<String, MethodSpec> methods) {
    }

    /**
     * A deployed stage: its deployment, tags and the method throttling that applies to all methods
     * (-1, as AWS reports it, when it has none). Null where the endpoint does not report them.
     */
    public record Stage(String name, String deploymentId, Map<String, String> tags, Double rateLimit, Integer burstLimit) {
    }

    public record ApiKey(String id, String name, String value, Map<String, String> tags) {
    }

    /** A usage plan; {@code apiStages} as "apiId:stage"; null where the endpoint does not report a field. */
    public record UsagePlan(String id, String name, List<String> apiStages, Double rateLimit, Integer burstLimit,
            Integer quotaLimit, String quotaPeriod, Map<String, String> tags) {
    }

    /** A request validator and whether it validates bodies. */
    public record Validator(String id, boolean validatesBody) {
    }

    /** Request throttling: steady requests per second, and the burst above it. */
    public record Throttle(double rateLimit, int burstLimit) {
    }

    private final ApiGatewayClient apiGateway;
    private final Arns arns;

    IngestApiAdapter(ApiGatewayClient apiGateway, Arns arns) {
        this.apiGateway = apiGateway;
        this.arns = arns;
    }

    // --- the API ---

    public Optional<RestApi> get(String id) {
        return AwsErrors.find(() -> apiGateway.getRestApi(r -> r.restApiId(id)))
                .map(a -> new RestApi(a.id(), a.name(), a.createdDate(), new TreeMap<>(a.tags())));
    }

    /** Every API with this name, oldest first (API Gateway does not keep names unique). */
    public List<RestApi> findByName(String name) {
        return AwsErrors.call(() -> apiGateway.getRestApisPaginator(r -> r.limit(PAGE)).items().stream()
                .filter(a -> name.equals(a.name()))
                .map(a -> new RestApi(a.id(), a.name(), a.createdDate(), new TreeMap<>(a.tags())))
                .sorted(Comparator.comparing(RestApi::createdAt, Comparator.nullsLast(Comparator.naturalOrder())))
                .toList());
    }

    public RestApi create(String name, String description, Map<String, String> tags) {
        var a = AwsErrors.call(() -> apiGateway.createRestApi(r -> r.name(name).description(description).tags(tags)
                .endpointConfiguration(e -> e.types(EndpointType.REGIONAL))));
        return new RestApi(a.id(), a.name(), a.createdDate(), new TreeMap<>(a.tags()));
    }

    /** Deletes the API with its resources, deployments and stages; false when it was already gone. */
    public boolean delete(String id) {
        return AwsErrors.delete(() -> apiGateway.deleteRestApi(r -> r.restApiId(id)));
    }

    public void tag(String resourcePath, Map<String, String> tags) {
        AwsErrors.run(() -> apiGateway.tagResource(r -> r.resourceArn(arns.apiGateway(resourcePath)).tags(tags)));
    }

    public static String apiPath(String apiId) {
        return "/restapis/" + apiId;
    }

    public static String stagePath(String apiId, String stage) {
        return apiPath(apiId) + "/stages/" + stage;
    }

    // --- resources and methods ---

    public List<ApiResource> resources(String apiId) {
        return AwsErrors.call(() -> apiGateway.getResourcesPaginator(r -> r.restApiId(apiId).limit(PAGE).embed("methods"))
                .items().stream()
                .map(res -> {
                    Map<String, MethodSpec> methods = new TreeMap<>();
                    res.resourceMethods().forEach((verb, m) -> methods.put(verb, describe(res.path(), verb, m)));
                    return new ApiResource(res.id(), res.path(), methods);
                })
                .toList());
    }

    public String createResource(String apiId, String parentId, String pathPart) {
        return AwsErrors.call(() -> apiGateway.createResource(r -> r.restApiId(apiId).parentId(parentId).pathPart(pathPart))).id();
    }

    /** Creates the method with its responses and integration, exactly as specified. */
    public void putMethod(String apiId, String resourceId, MethodSpec spec) {
        AwsErrors.run(() -> apiGateway.putMethod(r -> r.restApiId(apiId).resourceId(resourceId)
                .httpMethod(spec.httpMethod()).authorizationType("NONE").apiKeyRequired(spec.apiKeyRequired())
                .requestValidatorId(spec.requestValidatorId()).requestModels(spec.requestModels())));
        spec.methodResponses().forEach((status, headers) -> AwsErrors.run(() -> apiGateway.putMethodResponse(r -> r
                .restApiId(apiId).resourceId(resourceId).httpMethod(spec.httpMethod()).statusCode(status)
                .responseParameters(headers))));
        Integration i = spec.integration();
        AwsErrors.run(() -> apiGateway.putIntegration(r -> r.restApiId(apiId).resourceId(resourceId)
                .httpMethod(spec.httpMethod()).type(i.type()).integrationHttpMethod(i.httpMethod()).uri(i.uri())
                .credentials(i.credentials()).requestParameters(i.requestParameters())
                .requestTemplates(i.requestTemplates()).passthroughBehavior(i.passthroughBehavior())));
        i.responses().forEach((status, response) -> putIntegrationResponse(apiId, resourceId, spec.httpMethod(), status,
                response));
    }

    /**
     * Brings a method to {@code wanted} by the patch: its settings, responses and integration are
     * updated in place (new method responses first, header declarations removed last, once nothing
     * maps them), or the method is replaced whole when the patch says so. Clients see it with the
     * next deployment.
     */
    public void patchMethod(String apiId, String resourceId, MethodSpec wanted, MethodPatch patch) {
        String verb = wanted.httpMethod();
        if (patch.replace()) {
            deleteMethod(apiId, resourceId, verb);
            putMethod(apiId, resourceId, wanted);
            return;
        }
        if (!patch.method().isEmpty()) {
            AwsErrors.run(() -> apiGateway.updateMethod(r -> r.restApiId(apiId).resourceId(resourceId).httpMethod(verb)
                    .patchOperations(operations(patch.method()))));
        }
        patch.putMethodResponses().forEach(status -> AwsErrors.run(() -> apiGateway.putMethodResponse(r -> r
                .restApiId(apiId).resourceId(resourceId).httpMethod(verb).statusCode(status)
                .responseParameters(wanted.methodResponses().get(status)))));
        patch.methodResponses().forEach((status, ops) -> updateMethodResponse(apiId, resourceId, verb, status, ops));
        if (!patch.integration().isEmpty()) {
            AwsErrors.run(() -> apiGateway.updateIntegration(r -> r.restApiId(apiId).resourceId(resourceId)
                    .httpMethod(verb).patchOperations(operations(patch.integration()))));
        }
        patch.putIntegrationResponses().forEach(status -> putIntegrationResponse(apiId, resourceId, verb, status,
                wanted.integration().responses().get(status)));
        patch.integrationResponses().forEach((status, ops) -> AwsErrors.run(() -> apiGateway.updateIntegrationResponse(
                r -> r.restApiId(apiId).resourceId(resourceId).httpMethod(verb).statusCode(status)
                        .patchOperations(operations(ops)))));
        patch.deleteIntegrationResponses().forEach(status -> AwsErrors.delete(() -> apiGateway.deleteIntegrationResponse(
                r -> r.restApiId(apiId).resourceId(resourceId).httpMethod(verb).statusCode(status))));
        patch.methodResponseRemovals().forEach((status, ops) -> updateMethodResponse(apiId, resourceId, verb, status, ops));
        patch.deleteMethodResponses().forEach(status -> AwsErrors.delete(() -> apiGateway.deleteMethodResponse(
                r -> r.restApiId(apiId).resourceId(resourceId).httpMethod(verb).statusCode(status))));
    }

    private void updateMethodResponse(String apiId, String resourceId, String verb, String status,
            List<MethodPatch.Op> ops) {
        AwsErrors.run(() -> apiGateway.updateMethodResponse(r -> r.restApiId(apiId).resourceId(resourceId)
                .httpMethod(verb).statusCode(status).patchOperations(operations(ops))));
    }

    private void putIntegrationResponse(String apiId, String resourceId, String verb, String status,
            IntegrationResponse response) {
        AwsErrors.run(() -> apiGateway.putIntegrationResponse(r -> r.restApiId(apiId).resourceId(resourceId)
                .httpMethod(verb).statusCode(status).selectionPattern(response.selectionPattern())
                .responseParameters(response.responseParameters()).responseTemplates(response.responseTemplates())));
    }

    private static List<PatchOperation> operations(List<MethodPatch.Op> ops) {
        return ops.stream().map(o -> PatchOperation.builder().op(o.op()).path(o.path()).value(o.value()).build()).toList();
    }

    public void deleteMethod(String apiId, String resourceId, String httpMethod) {
        AwsErrors.delete(() -> apiGateway.deleteMethod(r -> r.restApiId(apiId).resourceId(resourceId).httpMethod(httpMethod)));
    }

    // --- models and validators ---

    /** The API's models: name → schema. */
    public Map<String, String> models(String apiId) {
        Map<String, String> models = new TreeMap<>();
        AwsErrors.call(() -> apiGateway.getModelsPaginator(r -> r.restApiId(apiId).limit(PAGE)).items().stream().toList())
                .forEach(m -> models.put(m.name(), m.schema()));
        return models;
    }

    public void createModel(String apiId, Model model) {
        AwsErrors.create(() -> apiGateway.createModel(r -> r.restApiId(apiId).name(model.name())
                .contentType("application/json").schema(model.schema())));
    }

    public void updateModel(String apiId, Model model) {
        AwsErrors.run(() -> apiGateway.updateModel(r -> r.restApiId(apiId).modelName(model.name())
                .patchOperations(replace("/schema", model.schema()))));
    }

    /** Whether two JSON schemas say the same (API Gateway may reformat them). */
    public static boolean sameSchema(String a, String b) {
        try {
            return a != null && b != null && JSON.readTree(a).equals(JSON.readTree(b));
        } catch (IOException e) {
            return false;
        }
    }

    /** The API's request validator with this name, if it has one. */
    public Optional<Validator> validator(String apiId, String name) {
        return AwsErrors.call(() -> apiGateway.getRequestValidators(r -> r.restApiId(apiId).limit(PAGE))).items()
                .stream().filter(v -> name.equals(v.name())).findFirst()
                .map(v -> new Validator(v.id(), Boolean.TRUE.equals(v.validateRequestBody())));
    }

    /** Creates a validator of request bodies (not parameters); returns its id. */
    public String createBodyValidator(String apiId, String name) {
        return AwsErrors.call(() -> apiGateway.createRequestValidator(r -> r.restApiId(apiId).name(name)
                .validateRequestBody(true).validateRequestParameters(false))).id();
    }

    /** Makes the validator validate request bodies. */
    public void validateBodies(String apiId, String validatorId) {
        AwsErrors.run(() -> apiGateway.updateRequestValidator(r -> r.restApiId(apiId).requestValidatorId(validatorId)
                .patchOperations(replace("/validateRequestBody", "true"))));
    }

    // --- gateway responses ---

    /**
     * The response parameters of each of these gateway response types: empty where not customised
     * (AWS's default response; a NotFoundException for a type never set means the same, as AWS
     * documents), null where the endpoint does not report them.
     */
    public Map<String, Map<String, String>> gatewayResponses(String apiId, List<String> types) {
        Map<String, Map<String, String>> responses = new TreeMap<>();
        for (String type : types) {
            responses.put(type, AwsErrors.find(() -> apiGateway.getGatewayResponse(r -> r.restApiId(apiId).responseType(type)))
                    .map(g -> Boolean.TRUE.equals(g.defaultResponse()) ? Map.<String, String>of()
                            : g.hasResponseParameters() ? new TreeMap<>(g.responseParameters()) : null)
                    .orElse(Map.of()));
        }
        return responses;
    }

    /** Customises a gateway response type with these headers; it reaches clients with the next deployment. */
    public void putGatewayResponse(String apiId, String type, Map<String, String> responseParameters) {
        AwsErrors.run(() -> apiGateway.putGatewayResponse(r -> r.restApiId(apiId).responseType(type)
                .responseParameters(responseParameters)));
    }

    // --- stage ---

    public Optional<Stage> stage(String apiId, String stage) {
        return AwsErrors.find(() -> apiGateway.getStage(r -> r.restApiId(apiId).stageName(stage))).map(s -> {
            var all = s.methodSettings().get("*/*");
            Double rate = all != null ? all.throttlingRateLimit() : s.hasMethodSettings() ? UNTHROTTLED_RATE : null;
            Integer burst = all != null ? all.throttlingBurstLimit() : s.hasMethodSettings() ? UNTHROTTLED_BURST : null;
            return new Stage(s.stageName(), s.deploymentId(), s.hasTags() ? new TreeMap<>(s.tags()) : null, rate, burst);
        });
    }

    /** Deploys the API's current definition to the stage, creating the stage when needed. */
    public void deploy(String apiId, String stage, String description) {
        AwsErrors.run(() -> apiGateway.createDeployment(r -> r.restApiId(apiId).stageName(stage).description(description)));
    }

    /** Throttles every method of the stage. */
    public void throttle(String apiId, String stage, Throttle throttle) {
        AwsErrors.run(() -> apiGateway.updateStage(r -> r.restApiId(apiId).stageName(stage).patchOperations(
                replace("/*/*/throttling/rateLimit", Double.toString(throttle.rateLimit())),
                replace("/*/*/throttling/burstLimit", Integer.toString(throttle.burstLimit())))));
    }

    // --- API key and usage plan ---

    public Optional<ApiKey> findApiKey(String name) {
        return AwsErrors.call(() -> apiGateway.getApiKeysPaginator(r -> r.nameQuery(name).includeValues(true).limit(PAGE))
                .items().stream().filter(k -> name.equals(k.name()))
                .map(k -> new ApiKey(k.id(), k.name(), k.value(), new TreeMap<>(k.tags())))
                .findFirst());
    }

    public ApiKey createApiKey(String name, String description, Map<String, String> tags) {
        var k = AwsErrors.call(() -> apiGateway.createApiKey(r -> r.name(name).description(description).enabled(true).tags(tags)));
        return new ApiKey(k.id(), k.name(), k.value(), new TreeMap<>(k.tags()));
    }

    public boolean deleteApiKey(String id) {
        return AwsErrors.delete(() -> apiGateway.deleteApiKey(r -> r.apiKey(id)));
    }

    public Optional<UsagePlan> findUsagePlan(String name) {
        return AwsErrors.call(() -> apiGateway.getUsagePlansPaginator(r -> r.limit(PAGE)).items().stream()
                .filter(p -> name.equals(p.name()))
                .map(p -> new UsagePlan(p.id(), p.name(), !p.hasApiStages() ? null
                        : p.apiStages().stream().map(s -> s.apiId() + ":" + s.stage()).toList(),
                        p.throttle() == null ? null : p.throttle().rateLimit(),
                        p.throttle() == null ? null : p.throttle().burstLimit(),
                        p.quota() == null ? null : p.quota().limit(),
                        p.quota() == null ? null : p.quota().periodAsString(),
                        new TreeMap<>(p.tags())))
                .findFirst());
    }

    public String createUsagePlan(String name, String description, String apiId, String stage, Throttle throttle,
            int quotaPerDay, Map<String, String> tags) {
        return AwsErrors.call(() -> apiGateway.createUsagePlan(r -> r.name(name).description(description)
                .apiStages(s -> s.apiId(apiId).stage(stage))
                .throttle(t -> t.rateLimit(throttle.rateLimit()).burstLimit(throttle.burstLimit()))
                .quota(q -> q.limit(quotaPerDay).period(QuotaPeriodType.DAY))
                .tags(tags))).id();
    }

    /** Sets the plan's stage, throttle and quota; a stage of another API is removed. */
    public void updateUsagePlan(UsagePlan plan, String apiId, String stage, Throttle throttle, int quotaPerDay) {
        List<PatchOperation> ops = new ArrayList<>();
        String wanted = apiId + ":" + stage;
        List<String> current = plan.apiStages() == null ? List.of() : plan.apiStages();
        for (String s : current) {
            if (!s.equals(wanted)) {
                ops.add(PatchOperation.builder().op(Op.REMOVE).path("/apiStages").value(s).build());
            }
        }
        if (!current.contains(wanted)) {
            ops.add(PatchOperation.builder().op(Op.ADD).path("/apiStages").value(wanted).build());
        }
        ops.add(replace("/throttle/rateLimit", Double.toString(throttle.rateLimit())));
        ops.add(replace("/throttle/burstLimit", Integer.toString(throttle.burstLimit())));
        ops.add(replace("/quota/limit", Integer.toString(quotaPerDay)));
        ops.add(replace("/quota/period", QuotaPeriodType.DAY.toString()));
        AwsErrors.run(() -> apiGateway.updateUsagePlan(r -> r.usagePlanId(plan.id()).patchOperations(ops)));
    }

    /** Adds the key to the plan unless it is in it already; returns whether it added it. */
    public boolean addKey(String usagePlanId, String keyId) {
        boolean present = AwsErrors.call(() -> apiGateway.getUsagePlanKeysPaginator(r -> r.usagePlanId(usagePlanId).limit(PAGE))
                .items().stream().anyMatch(k -> keyId.equals(k.id())));
        if (!present) {
            AwsErrors.create(() -> apiGateway.createUsagePlanKey(r -> r.usagePlanId(usagePlanId).keyId(keyId).keyType("API_KEY")));
        }
        return !present;
    }

    /**
     * Deletes the plan. API Gateway may refuse to delete a plan still attached to stages; then the
     * stages are detached first and the delete repeated.
     */
    public boolean deleteUsagePlan(UsagePlan plan) {
        try {
            return AwsErrors.delete(() -> apiGateway.deleteUsagePlan(r -> r.usagePlanId(plan.id())));
        } catch (AwsException e) {
            if (e.failure().retryable() || plan.apiStages() == null || plan.apiStages().isEmpty()) {
                throw e;
            }
        }
        List<PatchOperation> ops = plan.apiStages().stream()
                .map(s -> PatchOperation.builder().op(Op.REMOVE).path("/apiStages").value(s).build()).toList();
        AwsErrors.delete(() -> apiGateway.updateUsagePlan(r -> r.usagePlanId(plan.id()).patchOperations(ops)));
        return AwsErrors.delete(() -> apiGateway.deleteUsagePlan(r -> r.usagePlanId(plan.id())));
    }

    // --- describing what API Gateway reports in the shape of the definition ---

    /** A field the endpoint leaves out of its answer is null: unknown (see {@link ReadBack}). */
    private static MethodSpec describe(String path, String verb, Method m) {
        Map<String, Map<String, Boolean>> responses = null;
        if (m.hasMethodResponses()) {
            responses = new TreeMap<>();
            for (var e : m.methodResponses().entrySet()) {
                responses.put(e.getKey(), e.getValue().hasResponseParameters() ? new TreeMap<>(e.getValue().responseParameters()) : null);
            }
        }
        return new MethodSpec(path, verb, m.apiKeyRequired(), m.requestValidatorId(),
                m.hasRequestModels() ? new TreeMap<>(m.requestModels()) : null, responses, describe(m.methodIntegration()));
    }

    private static Integration describe(software.amazon.awssdk.services.apigateway.model.Integration i) {
        if (i == null) {
            return Integration.none();
        }
        Map<String, IntegrationResponse> responses = null;
        if (i.hasIntegrationResponses()) {
            responses = new TreeMap<>();
            for (var e : i.integrationResponses().entrySet()) {
                var r = e.getValue();
                responses.put(e.getKey(), new IntegrationResponse(
                        r.selectionPattern() == null || r.selectionPattern().isEmpty() ? null : r.selectionPattern(),
                        r.hasResponseParameters() ? new TreeMap<>(r.responseParameters()) : null,
                        r.hasResponseTemplates() ? new TreeMap<>(r.responseTemplates()) : null));
            }
        }
        boolean mock = "MOCK".equals(i.typeAsString());
        // A MOCK integration calls nothing: whatever API Gateway reports as its method or URI is irrelevant.
        return new Integration(i.typeAsString(), mock ? null : i.httpMethod(), mock ? null : i.uri(),
                mock ? null : i.credentials(), i.hasRequestParameters() ? new TreeMap<>(i.requestParameters()) : null,
                i.hasRequestTemplates() ? new TreeMap<>(i.requestTemplates()) : null, i.passthroughBehavior(), responses);
    }

    private static PatchOperation replace(String path, String value) {
        return PatchOperation.builder().op(Op.REPLACE).path(path).value(value).build();
    }
}
