package dev.clicklog.localaws.apigateway;

import dev.clicklog.localaws.apigateway.invoke.AccessLogFormat;
import dev.clicklog.localaws.apigateway.invoke.ApiGatewayMetrics;
import dev.clicklog.localaws.apigateway.invoke.DeployedApi;
import dev.clicklog.localaws.apigateway.invoke.GatewayResponses;
import dev.clicklog.localaws.apigateway.invoke.Invocation;
import dev.clicklog.localaws.apigateway.invoke.KeyAccess;
import dev.clicklog.localaws.apigateway.invoke.LiveStage;
import dev.clicklog.localaws.apigateway.invoke.ModelSchemas;
import dev.clicklog.localaws.apigateway.template.MappingTemplates;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import jakarta.inject.Singleton;

import dev.clicklog.localaws.LocalAwsConfig;
import dev.clicklog.localaws.protocol.AwsServiceException;
import dev.clicklog.localaws.spi.RoleAccess;
import dev.clicklog.localaws.storage.Journal;
import dev.clicklog.localaws.storage.JsonCodec;
import dev.clicklog.localaws.storage.Storage;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;

/**
 * API Gateway's REST APIs, API keys and usage plans, and the stages the data plane serves. Control
 * plane changes are serialised on this object; the data plane reads immutable snapshots
 * ({@link #liveStage}, {@link #keyAccess}) without locking.
 *
 * <p>Durable through the {@code apigateway} journal: every control plane change is recorded, once
 * checked, as the whole value it changed (an API's definition, a deployment with the definition it
 * froze, a stage, a key, a plan), so replay puts each back and the data plane serves the same
 * stages at the same URLs after a restart. Quota counters are written behind: each changed counter
 * is logged as its absolute value once a second and at an orderly stop, so a kill -9 loses at most
 * the last second of counts.
 */
@Singleton
@Startup(Storage.REGISTER_PRIORITY)
public class ApiGatewayService {

    static final String BAD_REQUEST = "BadRequestException";
    static final String NOT_FOUND = "NotFoundException";
    static final String CONFLICT = "ConflictException";
    static final String VALIDATION = "ValidationException";

    static final Set<String> HTTP_METHODS = Set.of("GET", "PUT", "POST", "DELETE", "PATCH", "OPTIONS", "HEAD", "ANY");
    private static final Set<String> INTEGRATION_TYPES = Set.of("HTTP", "MOCK", "AWS_PROXY", "HTTP_PROXY", "AWS");
    private static final Set<String> PASSTHROUGH = Set.of("WHEN_NO_MATCH", "WHEN_NO_TEMPLATES", "NEVER");
    /** The AWS services an AWS integration can call in-process, by URI service name → JSON target prefix. */
    public static final Map<String, String> AWS_INTEGRATION_TARGETS = Map.of(
            "kinesis", "Kinesis_20131202",
            "firehose", "Firehose_20150804");

    private static final Pattern PATH_PART = Pattern.compile("[a-zA-Z0-9._-]+|\\{[a-zA-Z0-9._-]+\\+?}");
    private static final Pattern STAGE_NAME = Pattern.compile("[a-zA-Z0-9_-]+");
    private static final Pattern MODEL_NAME = Pattern.compile("[a-zA-Z0-9]+");
    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::(\\d{12}|\\*):(role|user)/[\\w+=,.@/-]+");
    public static final Pattern INTEGRATION_URI =
            Pattern.compile("arn:aws[a-z-]*:apigateway:([a-z0-9-]+):([a-z0-9-]+)(?:\\.[a-z0-9.-]+)?:(action|path)/(.+)");
    private static final Pattern METHOD_REQUEST_PARAM =
            Pattern.compile("method\\.request\\.(header|querystring|path|multivalueheader|multivaluequerystring)\\.[^\\s]+");
    private static final Pattern INTEGRATION_REQUEST_PARAM =
            Pattern.compile("integration\\.request\\.(header|querystring|path|multivaluequerystring)\\.[^\\s]+");
    private static final Pattern RESPONSE_HEADER_PARAM = Pattern.compile("method\\.response\\.header\\.([^\\s]+)");
    private static final Pattern REQUEST_MAPPING = Pattern.compile(
            "'[^']*'|method\\.request\\.(header|querystring|path|multivalueheader|multivaluequerystring)\\.[^\\s]+"
                    + "|method\\.request\\.body(\\..+)?|context\\.[\\w.]+|stageVariables\\.\\w+");
    private static final Pattern RESPONSE_MAPPING = Pattern.compile(
            "'[^']*'|integration\\.response\\.(header|multivalueheader)\\.[^\\s]+|integration\\.response\\.body(\\..+)?"
                    + "|context\\.[\\w.]+|stageVariables\\.\\w+");
    private static final Pattern GATEWAY_RESPONSE_HEADER = Pattern.compile("gatewayresponse\\.header\\.[^\\s]+");
    private static final Pattern GATEWAY_RESPONSE_MAPPING = Pattern.compile(
            "'[^']*'|method\\.request\\.(header|querystring|path|multivalueheader|multivaluequerystring)\\.[^\\s]+"
                    + "|context\\.[\\w.]+|stageVariables\\.\\w+");
    private static final Pattern LOG_GROUP_ARN =
            Pattern.compile("arn:aws[a-z-]*:logs:[a-z0-9-]+:\\d{12}:log-group:[\\.\\-_/#A-Za-z0-9]+(:\\*)?");
    private static final Pattern FIREHOSE_ARN = Pattern.compile("arn:aws[a-z-]*:firehose:.*");
    /** The service that assumes the account's CloudWatch role to write logs. */
    public static final String PRINCIPAL = "apigateway.amazonaws.com";
    private static final Pattern TAG_ARN =
            Pattern.compile("arn:aws[a-z-]*:apigateway:[a-z0-9-]+::/(restapis/([^/]+)(/stages/([^/]+))?|apikeys/([^/]+)|usageplans/([^/]+))");

    /** PutMethod's input. */
    record MethodSpec(String authorizationType, String authorizerId, boolean apiKeyRequired, String requestValidatorId,
            String operationName, Map<String, Boolean> requestParameters, Map<String, String> requestModels) {
    }

    /** PutIntegration's input. */
    record IntegrationSpec(String type, String httpMethod, String uri, String credentials,
            Map<String, String> requestParameters, Map<String, String> requestTemplates, String passthroughBehavior,
            String contentHandling, Integer timeoutInMillis) {
    }

    /** A patch operation of UpdateStage. */
    record PatchOperation(String op, String path, String value) {
    }

    /** The account's API Gateway settings (GetAccount): the role API Gateway writes CloudWatch logs with. */
    record Account(String cloudwatchRoleArn) {
    }

    private final LocalAwsConfig config;
    private final MappingTemplates templates = new MappingTemplates();
    private final Map<String, RestApi> apis = new LinkedHashMap<>();
    private final Map<String, ApiKey> apiKeys = new LinkedHashMap<>();
    private final Map<String, UsagePlan> usagePlans = new LinkedHashMap<>();
    /** Usage plan counters per "planId/keyId/apiId/stage", kept across index rebuilds. */
    private final Map<String, KeyAccess.PlanLimits> planLimits = new ConcurrentHashMap<>();
    private volatile Map<String, LiveStage> liveStages = Map.of();
    private volatile Map<String, KeyAccess> keysByValue = Map.of();
    private volatile String cloudwatchRoleArn;
    private final RoleAccess iam;
    private final Journal<ApiGatewayChange> journal;
    /** The deployment being recorded, compiled already by the request: its change need not compile it again. */
    private Deployment recording;

    ApiGatewayService(LocalAwsConfig config, RoleAccess iam, Storage storage) {
        this.config = config;
        this.iam = iam;
        this.journal = storage.journal(ApiGatewayChange.STORE,
                JsonCodec.of(ApiGatewayChange.class, ApiGatewayChange.VERSION), this, this::apply, this::snapshot);
        journal.beforeClose(this::flushQuotas);
    }

    /** Everything, in an order replay can apply: deployments before the stages that serve them, counters last. */
    private void snapshot(Consumer<ApiGatewayChange> out) {
        if (cloudwatchRoleArn != null) {
            out.accept(new ApiGatewayChange.AccountPut(cloudwatchRoleArn));
        }
        for (RestApi api : apis.values()) {
            out.accept(new ApiGatewayChange.ApiPut(ApiGatewayChange.Definition.of(api)));
            api.deployments.values().forEach(d -> out.accept(deploymentPut(api.id, d)));
            api.stages.values().forEach(st -> out.accept(new ApiGatewayChange.StagePut(api.id,
                    ApiGatewayChange.StageState.of(st))));
        }
        apiKeys.values().forEach(k -> out.accept(new ApiGatewayChange.KeyPut(k)));
        usagePlans.values().forEach(p -> out.accept(new ApiGatewayChange.PlanPut(ApiGatewayChange.PlanState.of(p), false)));
        planLimits.forEach((counter, limits) -> {
            KeyAccess.QuotaUsage usage = limits.quotaUsage();
            if (usage != null) {
                out.accept(new ApiGatewayChange.QuotaUsed(counter, usage.window(), usage.used()));
            }
        });
    }

    private static ApiGatewayChange.DeploymentPut deploymentPut(String apiId, Deployment d) {
        return new ApiGatewayChange.DeploymentPut(apiId, d.id(), d.description(), d.createdDate(), d.definition());
    }

    /** The one way API Gateway's state changes, live and when the journal is replayed. */
    private void apply(ApiGatewayChange change) {
        if (change instanceof ApiGatewayChange.ApiPut put) {
            RestApi api = put.api().restApi();
            RestApi previous = apis.get(api.id);
            if (previous != null) {
                api.deployments.putAll(previous.deployments);
                api.stages.putAll(previous.stages);
            }
            apis.put(api.id, api);
        } else if (change instanceof ApiGatewayChange.ApiDeleted deleted) {
            apis.remove(deleted.apiId());
            publishStages();
        } else if (change instanceof ApiGatewayChange.DeploymentPut put) {
            Deployment d = recording != null && recording.id().equals(put.id()) ? recording
                    : new Deployment(put.id(), put.description(), put.createdDate(),
                            DeployedApi.compile(put.definition().restApi(), templates), put.definition());
            recording = null;
            apis.get(put.apiId()).deployments.put(d.id(), d);
        } else if (change instanceof ApiGatewayChange.DeploymentDeleted deleted) {
            apis.get(deleted.apiId()).deployments.remove(deleted.id());
        } else if (change instanceof ApiGatewayChange.StagePut put) {
            Stage stage = put.stage().stage();
            apis.get(put.apiId()).stages.put(stage.name, stage);
            publishStages();
        } else if (change instanceof ApiGatewayChange.StageDeleted deleted) {
            apis.get(deleted.apiId()).stages.remove(deleted.name());
            publishStages();
        } else if (change instanceof ApiGatewayChange.KeyPut put) {
            apiKeys.put(put.key().id(), put.key());
            publishKeys();
        } else if (change instanceof ApiGatewayChange.KeyDeleted deleted) {
            apiKeys.remove(deleted.id());
            usagePlans.values().forEach(p -> p.keyIds.remove(deleted.id()));
            planLimits.keySet().removeIf(k -> k.split("/")[1].equals(deleted.id()));
            publishKeys();
        } else if (change instanceof ApiGatewayChange.PlanPut put) {
            UsagePlan plan = put.plan().plan();
            usagePlans.put(plan.id, plan);
            // A key no longer in the plan loses its counters; new limits restart every counter.
            planLimits.keySet().removeIf(k -> k.startsWith(plan.id + "/")
                    && (put.countersReset() || !plan.keyIds.contains(k.split("/")[1])));
            publishKeys();
        } else if (change instanceof ApiGatewayChange.PlanDeleted deleted) {
            usagePlans.remove(deleted.id());
            planLimits.keySet().removeIf(k -> k.startsWith(deleted.id() + "/"));
            publishKeys();
        } else if (change instanceof ApiGatewayChange.AccountPut account) {
            cloudwatchRoleArn = account.cloudwatchRoleArn();
        } else if (change instanceof ApiGatewayChange.QuotaUsed used) {
            KeyAccess.PlanLimits limits = planLimits.get(used.counter());
            if (limits != null) {
                limits.restoreQuota(new KeyAccess.QuotaUsage(used.window(), used.used()));
            }
        }
    }

    /**
     * Logs every quota counter changed since the last flush, as it now is: written behind, as
     * CloudWatch's minutes are, since every invocation of a metered key counts.
     */
    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    synchronized void flushQuotas() {
        planLimits.forEach((counter, limits) -> {
            KeyAccess.QuotaUsage usage = limits.takeChangedQuota();
            if (usage != null && journal.persistent()) {
                journal.append(new ApiGatewayChange.QuotaUsed(counter, usage.window(), usage.used()));
            }
        });
    }

    /** Records an API's definition as it now is, after a change to it in place. */
    private void putApi(RestApi api) {
        journal.record(new ApiGatewayChange.ApiPut(ApiGatewayChange.Definition.of(api)));
    }

    private void putStage(String apiId, Stage stage) {
        journal.record(new ApiGatewayChange.StagePut(apiId, ApiGatewayChange.StageState.of(stage)));
    }

    private void putPlan(UsagePlan plan, boolean countersReset) {
        journal.record(new ApiGatewayChange.PlanPut(ApiGatewayChange.PlanState.of(plan), countersReset));
    }

    String accountId() {
        return config.accountId();
    }

    // ---- data plane views ----

    /** The stage serving "apiId/stage" invocations, or null. */
    public LiveStage liveStage(String apiId, String stage) {
        return liveStages.get(apiId + "/" + stage);
    }

    /** The role API Gateway assumes to write the account's logs to CloudWatch Logs; null when none is set. */
    public String cloudwatchRoleArn() {
        return cloudwatchRoleArn;
    }

    /** What an API key value may do, or null for an unknown value. */
    public KeyAccess keyAccess(String value) {
        return keysByValue.get(value);
    }

    // ---- the account ----

    synchronized Account account() {
        return new Account(cloudwatchRoleArn);
    }

    /**
     * UpdateAccount: {@code replace /cloudwatchRoleArn} sets the role API Gateway writes logs with
     * (an empty value clears it). API Gateway checks the role's trust at once: it must let
     * apigateway.amazonaws.com assume it.
     */
    synchronized Account updateAccount(List<PatchOperation> operations) {
        String role = cloudwatchRoleArn;
        for (PatchOperation op : operations) {
            if (!"replace".equals(op.op()) || !"/cloudwatchRoleArn".equals(op.path())) {
                throw badRequest("Invalid patch path " + op.path() + " specified for op " + op.op()
                        + ". Must be one of: [/cloudwatchRoleArn]");
            }
            role = op.value() == null || op.value().isEmpty() ? null : op.value();
        }
        if (role != null && (!ROLE_ARN.matcher(role).matches()
                || !iam.mayAssume(PRINCIPAL, role, Map.of("aws:SourceAccount", accountId())))) {
            throw badRequest("The role ARN does not have required permissions set to API Gateway");
        }
        journal.record(new ApiGatewayChange.AccountPut(role));
        return account();
    }

    // ---- REST APIs ----

    synchronized RestApi createRestApi(String name, String description, List<String> endpointTypes,
            String ipAddressType, Map<String, String> tags) {
        if (name == null || name.isEmpty()) {
            throw badRequest("Invalid API name specified");
        }
        if (description != null && description.isEmpty()) {
            throw badRequest("Description cannot be an empty string");
        }
        List<String> types = endpointTypes == null || endpointTypes.isEmpty() ? List.of("EDGE") : endpointTypes;
        for (String t : types) {
            if (!Set.of("EDGE", "REGIONAL", "PRIVATE").contains(t)) {
                throw validation("Value '" + types + "' at 'createRestApiInput.endpointConfiguration.types' failed to "
                        + "satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: "
                        + "[PRIVATE, EDGE, REGIONAL]]");
            }
        }
        if (types.size() > 1) {
            throw badRequest("Cannot create an api with multiple Endpoint Types.");
        }
        String ip = ipAddressType != null ? ipAddressType : types.get(0).equals("PRIVATE") ? "dualstack" : "ipv4";
        if (!ip.equals("ipv4") && !ip.equals("dualstack")) {
            throw validation("Value '" + ip + "' at 'createRestApiInput.endpointConfiguration.ipAddressType' failed to "
                    + "satisfy constraint: Member must satisfy enum value set: [ipv4, dualstack]");
        }
        if (types.get(0).equals("PRIVATE") && ip.equals("ipv4")) {
            throw badRequest("Only dualstack ipAddressType is supported for Private APIs.");
        }
        RestApi api = new RestApi(newId(apis.keySet(), 10), name, description, Instant.now(), types, ip,
                Ids.id(10));
        api.resources.put(api.rootResourceId, new ApiResource(api.rootResourceId, null, null, "/"));
        // Every new API comes with the two models AWS creates.
        api.models.put("Empty", new Model(Ids.id(6), "Empty", "This is a default empty schema model",
                "{\n  \"$schema\": \"http://json-schema.org/draft-04/schema#\",\n  \"title\" : \"Empty Schema\",\n"
                        + "  \"type\" : \"object\"\n}",
                "application/json"));
        api.models.put("Error", new Model(Ids.id(6), "Error", "This is a default error schema model",
                "{\n  \"$schema\" : \"http://json-schema.org/draft-04/schema#\",\n  \"title\" : \"Error Schema\",\n"
                        + "  \"type\" : \"object\",\n  \"properties\" : {\n    \"message\" : { \"type\" : \"string\" }\n  }\n}",
                "application/json"));
        if (tags != null) {
            api.tags.putAll(tags);
        }
        putApi(api);
        return apis.get(api.id);
    }

    synchronized RestApi restApi(String apiId) {
        RestApi api = apis.get(apiId);
        if (api == null) {
            throw notFound("Invalid API identifier specified " + accountId() + ":" + apiId);
        }
        return api;
    }

    synchronized List<RestApi> restApis() {
        return new ArrayList<>(apis.values());
    }

    synchronized void deleteRestApi(String apiId) {
        restApi(apiId);
        for (UsagePlan plan : List.copyOf(usagePlans.values())) {
            if (plan.apiStages.stream().anyMatch(s -> s.apiId().equals(apiId))) {
                List<UsagePlan.ApiStage> kept = plan.apiStages.stream().filter(s -> !s.apiId().equals(apiId)).toList();
                replacePlan(plan, kept);
            }
        }
        journal.record(new ApiGatewayChange.ApiDeleted(apiId));
    }

    // ---- resources ----

    synchronized ApiResource createResource(String apiId, String parentId, String pathPart) {
        RestApi api = restApi(apiId);
        ApiResource parent = api.resources.get(parentId);
        if (parent == null) {
            throw notFound("Invalid Resource identifier specified");
        }
        if (pathPart == null || !PATH_PART.matcher(pathPart).matches()) {
            throw badRequest("Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the "
                    + "end and an optional plus sign before the closing brace.");
        }
        if (parent.greedy()) {
            throw badRequest("Cannot create a child of a resource with a greedy path variable: " + parent.pathPart);
        }
        for (ApiResource sibling : children(api, parent.id)) {
            if (sibling.pathPart.equals(pathPart)) {
                throw conflict("Another resource with the same parent already has this name: " + pathPart);
            }
            if (pathPart.startsWith("{") && sibling.variable()) {
                throw badRequest("A sibling (" + sibling.pathPart
                        + ") of this resource already has a variable path part -- only one is allowed");
            }
        }
        String path = (parent.path.equals("/") ? "" : parent.path) + "/" + pathPart;
        ApiResource resource = new ApiResource(newId(api.resources.keySet(), 10), parent.id, pathPart, path);
        api.resources.put(resource.id, resource);
        putApi(api);
        return resource;
    }

    private static List<ApiResource> children(RestApi api, String parentId) {
        return api.resources.values().stream().filter(r -> parentId.equals(r.parentId)).toList();
    }

    /** A resource of an API; an unknown API reads as an unknown resource, as AWS answers. */
    synchronized ApiResource resource(String apiId, String resourceId) {
        RestApi api = apis.get(apiId);
        ApiResource r = api == null ? null : api.resources.get(resourceId);
        if (r == null) {
            throw notFound("Invalid Resource identifier specified");
        }
        return r;
    }

    /** The API's resources ordered by path, as AWS lists them. */
    synchronized List<ApiResource> resources(String apiId) {
        return restApi(apiId).resources.values().stream().sorted(Comparator.comparing(r -> r.path)).toList();
    }

    synchronized void deleteResource(String apiId, String resourceId) {
        RestApi api = apis.get(apiId);
        ApiResource r = resource(apiId, resourceId);
        if (r.parentId == null) {
            throw badRequest("Cannot delete the root resource");
        }
        List<String> doomed = new ArrayList<>(List.of(r.id));
        for (int i = 0; i < doomed.size(); i++) {
            for (ApiResource child : children(api, doomed.get(i))) {
                doomed.add(child.id);
            }
        }
        doomed.forEach(api.resources::remove);
        putApi(api);
    }

    // ---- methods ----

    synchronized ApiMethod putMethod(String apiId, String resourceId, String httpMethod, MethodSpec spec) {
        ApiResource r = resource(apiId, resourceId);
        checkHttpMethod(httpMethod);
        ApiMethod m = checkedMethod(apis.get(apiId), httpMethod, spec);
        r.methods.put(httpMethod, m);
        putApi(apis.get(apiId));
        return m;
    }

    /**
     * UpdateMethod: replaces its settings ({@code /apiKeyRequired}, {@code /authorizationType},
     * {@code /requestValidatorId}, {@code /operationName}) and entries of its request parameters and
     * models; its responses and integration stay. Checked as PutMethod checks, before it changes.
     */
    synchronized ApiMethod updateMethod(String apiId, String resourceId, String httpMethod, List<PatchOperation> ops) {
        ApiMethod current = method(apiId, resourceId, httpMethod);
        Map<String, Map<String, String>> maps = new LinkedHashMap<>();
        maps.put("/requestParameters", Patch.text(current.requestParameters));
        maps.put("/requestModels", current.requestModels);
        Patch patch = new Patch("Method", Set.of("/apiKeyRequired", "/authorizationType", "/requestValidatorId",
                "/operationName", "/authorizerId"), maps).apply(ops);
        String validator = patch.scalar("/requestValidatorId", current.requestValidatorId);
        MethodSpec spec = new MethodSpec(patch.scalar("/authorizationType", current.authorizationType),
                patch.scalar("/authorizerId", null),
                Boolean.parseBoolean(patch.scalar("/apiKeyRequired", Boolean.toString(current.apiKeyRequired))),
                validator == null || validator.isEmpty() ? null : validator,
                patch.scalar("/operationName", current.operationName), patch.booleans("/requestParameters"),
                patch.map("/requestModels"));
        ApiMethod updated = checkedMethod(apis.get(apiId), httpMethod, spec);
        updated.responses.putAll(current.responses);
        updated.integration = current.integration;
        resource(apiId, resourceId).methods.put(httpMethod, updated);
        putApi(apis.get(apiId));
        return updated;
    }

    private ApiMethod checkedMethod(RestApi api, String httpMethod, MethodSpec spec) {
        String auth = spec.authorizationType();
        if ("CUSTOM".equals(auth) || "COGNITO_USER_POOLS".equals(auth)) {
            // No authorizers exist here, so no authorizer id can be valid.
            throw badRequest("Invalid authorizer ID specified. Setting the authorization type to CUSTOM or "
                    + "COGNITO_USER_POOLS requires a valid authorizer.");
        }
        if (!"NONE".equals(auth) && !"AWS_IAM".equals(auth)) {
            throw badRequest("Invalid authorization type specified. Valid options are NONE,AWS_IAM,CUSTOM,COGNITO_USER_POOLS");
        }
        if (spec.requestValidatorId() != null && !api.validators.containsKey(spec.requestValidatorId())) {
            throw badRequest("Invalid Request Validator identifier specified");
        }
        Map<String, Boolean> params = spec.requestParameters() == null ? Map.of() : spec.requestParameters();
        Set<String> names = new HashSet<>();
        for (String p : params.keySet()) {
            if (!METHOD_REQUEST_PARAM.matcher(p).matches()) {
                throw invalidMapping(p);
            }
            if (!names.add(p.substring(p.lastIndexOf('.') + 1))) {
                throw badRequest("Parameter names must be unique across querystring, header and path");
            }
        }
        Map<String, String> models = spec.requestModels() == null ? Map.of() : spec.requestModels();
        for (String model : models.values()) {
            if (!api.models.containsKey(model)) {
                throw badRequest("Invalid model identifier specified: " + model);
            }
        }
        return new ApiMethod(httpMethod, auth, spec.apiKeyRequired(), spec.requestValidatorId(),
                spec.operationName(), new LinkedHashMap<>(params), new LinkedHashMap<>(models));
    }

    private static void checkHttpMethod(String httpMethod) {
        if (!HTTP_METHODS.contains(httpMethod)) {
            throw badRequest("Invalid HttpMethod specified. Valid options are GET,PUT,POST,DELETE,PATCH,OPTIONS,HEAD,ANY");
        }
    }

    synchronized ApiMethod method(String apiId, String resourceId, String httpMethod) {
        ApiMethod m = resource(apiId, resourceId).methods.get(httpMethod);
        if (m == null) {
            throw notFound("Invalid Method identifier specified");
        }
        return m;
    }

    synchronized void deleteMethod(String apiId, String resourceId, String httpMethod) {
        method(apiId, resourceId, httpMethod);
        resource(apiId, resourceId).methods.remove(httpMethod);
        putApi(apis.get(apiId));
    }

    synchronized MethodResponse putMethodResponse(String apiId, String resourceId, String httpMethod,
            String statusCode, Map<String, Boolean> responseParameters, Map<String, String> responseModels) {
        RestApi api = apis.get(apiId);
        ApiMethod m = method(apiId, resourceId, httpMethod);
        checkStatusCode(statusCode);
        if (responseParameters != null) {
            for (String p : responseParameters.keySet()) {
                if (!RESPONSE_HEADER_PARAM.matcher(p).matches()) {
                    throw invalidMapping(p);
                }
            }
        }
        if (responseModels != null) {
            for (String model : responseModels.values()) {
                if (!api.models.containsKey(model)) {
                    throw badRequest("Invalid model identifier specified: " + model);
                }
            }
        }
        MethodResponse response = new MethodResponse(statusCode, copy(responseParameters), copy(responseModels));
        m.responses.put(statusCode, response);
        putApi(api);
        return response;
    }

    /** UpdateMethodResponse: adds, replaces or removes its header declarations and response models. */
    synchronized MethodResponse updateMethodResponse(String apiId, String resourceId, String httpMethod,
            String statusCode, List<PatchOperation> ops) {
        MethodResponse current = methodResponse(apiId, resourceId, httpMethod, statusCode);
        Map<String, Map<String, String>> maps = new LinkedHashMap<>();
        maps.put("/responseParameters", Patch.text(current.responseParameters()));
        maps.put("/responseModels", current.responseModels());
        Patch patch = new Patch("MethodResponse", Set.of(), maps).apply(ops);
        return putMethodResponse(apiId, resourceId, httpMethod, statusCode, patch.booleans("/responseParameters"),
                patch.map("/responseModels"));
    }

    synchronized MethodResponse methodResponse(String apiId, String resourceId, String httpMethod, String statusCode) {
        return byStatus(method(apiId, resourceId, httpMethod).responses, statusCode);
    }

    synchronized void deleteMethodResponse(String apiId, String resourceId, String httpMethod, String statusCode) {
        Map<String, MethodResponse> responses = method(apiId, resourceId, httpMethod).responses;
        byStatus(responses, statusCode);
        responses.remove(statusCode);
        putApi(apis.get(apiId));
    }

    /** A method's or an integration's response for a status code. */
    private static <T> T byStatus(Map<String, T> responses, String statusCode) {
        checkStatusCode(statusCode);
        T r = responses.get(statusCode);
        if (r == null) {
            throw notFound("Invalid Response status code specified");
        }
        return r;
    }

    private static void checkStatusCode(String statusCode) {
        if (statusCode == null || !statusCode.matches("[1-5]\\d\\d")) {
            throw validation("Value '" + statusCode + "' at 'statusCode' failed to satisfy constraint: Member must "
                    + "satisfy regular expression pattern: [1-5]\\d\\d");
        }
    }

    // ---- integrations ----

    synchronized Integration putIntegration(String apiId, String resourceId, String httpMethod, IntegrationSpec spec) {
        ApiMethod m = method(apiId, resourceId, httpMethod);
        String type = spec.type();
        if (type == null || !INTEGRATION_TYPES.contains(type)) {
            throw validation("Value '" + type + "' at 'putIntegrationInput.type' failed to satisfy constraint: Member "
                    + "must satisfy enum value set: [HTTP, MOCK, AWS_PROXY, HTTP_PROXY, AWS]");
        }
        if (!type.equals("AWS") && !type.equals("MOCK")) {
            throw badRequest("Integrations of type " + type + " are not supported by this endpoint; use AWS or MOCK");
        }
        String integrationMethod = spec.httpMethod();
        if (type.equals("AWS")) {
            if (integrationMethod == null || integrationMethod.isEmpty()) {
                throw badRequest("Enumeration value for HttpMethod must be non-empty");
            }
            checkHttpMethod(integrationMethod);
            if (spec.uri() == null || spec.uri().isEmpty()) {
                throw badRequest("Invalid integration URI specified");
            }
            Matcher uri = INTEGRATION_URI.matcher(spec.uri());
            if (!uri.matches()) {
                throw badRequest("AWS ARN for integration must contain path or action");
            }
            if (!uri.group(3).equals("action") || !AWS_INTEGRATION_TARGETS.containsKey(uri.group(2))) {
                throw badRequest("AWS integrations with " + uri.group(2) + ":" + uri.group(3)
                        + " are not supported by this endpoint; supported: action-style URIs for "
                        + String.join(", ", new TreeSet<>(AWS_INTEGRATION_TARGETS.keySet())));
            }
        }
        if (spec.credentials() != null && !ROLE_ARN.matcher(spec.credentials()).matches()) {
            throw badRequest("Invalid ARN specified in the request");
        }
        String passthrough = spec.passthroughBehavior() == null ? "WHEN_NO_MATCH" : spec.passthroughBehavior();
        if (!PASSTHROUGH.contains(passthrough)) {
            throw badRequest("Invalid passthrough behavior specified: " + passthrough
                    + ". Valid values are WHEN_NO_MATCH, WHEN_NO_TEMPLATES and NEVER");
        }
        int timeout = spec.timeoutInMillis() == null ? 29000 : spec.timeoutInMillis();
        if (timeout < 50 || timeout > 29000) {
            throw badRequest("Timeout should be between 50 ms and 29000 ms");
        }
        if (spec.requestParameters() != null) {
            spec.requestParameters().forEach((target, source) -> {
                if (!INTEGRATION_REQUEST_PARAM.matcher(target).matches()) {
                    throw invalidMapping(target);
                }
                if (source == null || !REQUEST_MAPPING.matcher(source).matches()) {
                    throw invalidMapping(source);
                }
            });
        }
        Integration integration = new Integration(type, type.equals("AWS") ? integrationMethod : null,
                type.equals("AWS") ? spec.uri() : null, spec.credentials(), copy(spec.requestParameters()),
                copy(spec.requestTemplates()), passthrough, spec.contentHandling(), timeout, resourceId);
        if (m.integration != null) {
            // Re-putting an integration keeps its responses.
            integration.responses.putAll(m.integration.responses);
        }
        m.integration = integration;
        putApi(apis.get(apiId));
        return integration;
    }

    /**
     * UpdateIntegration: replaces its URI, HTTP method, credentials, passthrough behaviour, content
     * handling or timeout, and entries of its request parameters and templates; its responses stay.
     */
    synchronized Integration updateIntegration(String apiId, String resourceId, String httpMethod,
            List<PatchOperation> ops) {
        Integration current = integration(apiId, resourceId, httpMethod);
        Map<String, Map<String, String>> maps = new LinkedHashMap<>();
        maps.put("/requestParameters", current.requestParameters);
        maps.put("/requestTemplates", current.requestTemplates);
        Patch patch = new Patch("Integration", Set.of("/uri", "/httpMethod", "/credentials", "/passthroughBehavior",
                "/contentHandling", "/timeoutInMillis"), maps).apply(ops);
        String timeout = patch.scalar("/timeoutInMillis", Integer.toString(current.timeoutInMillis));
        Integer millis;
        try {
            millis = Integer.valueOf(timeout);
        } catch (NumberFormatException e) {
            throw badRequest("Invalid timeout specified: " + timeout);
        }
        IntegrationSpec spec = new IntegrationSpec(current.type, patch.scalar("/httpMethod", current.httpMethod),
                patch.scalar("/uri", current.uri), patch.scalar("/credentials", current.credentials),
                patch.map("/requestParameters"), patch.map("/requestTemplates"),
                patch.scalar("/passthroughBehavior", current.passthroughBehavior),
                patch.scalar("/contentHandling", current.contentHandling), millis);
        return putIntegration(apiId, resourceId, httpMethod, spec);
    }

    synchronized Integration integration(String apiId, String resourceId, String httpMethod) {
        Integration i = method(apiId, resourceId, httpMethod).integration;
        if (i == null) {
            throw notFound("Invalid Integration identifier specified");
        }
        return i;
    }

    synchronized void deleteIntegration(String apiId, String resourceId, String httpMethod) {
        integration(apiId, resourceId, httpMethod);
        method(apiId, resourceId, httpMethod).integration = null;
        putApi(apis.get(apiId));
    }

    synchronized IntegrationResponse putIntegrationResponse(String apiId, String resourceId, String httpMethod,
            String statusCode, String selectionPattern, Map<String, String> responseParameters,
            Map<String, String> responseTemplates, String contentHandling) {
        checkStatusCode(statusCode);
        ApiMethod m = method(apiId, resourceId, httpMethod);
        Integration integration = integration(apiId, resourceId, httpMethod);
        MethodResponse declared = m.responses.get(statusCode);
        if (declared == null) {
            throw notFound("Invalid Response status code specified");
        }
        if (selectionPattern != null && !selectionPattern.isEmpty()) {
            try {
                Pattern.compile(selectionPattern);
            } catch (PatternSyntaxException e) {
                throw badRequest("Invalid selection pattern specified: " + selectionPattern);
            }
        }
        if (responseParameters != null) {
            Map<String, Boolean> headers = declared.responseParameters() == null ? Map.of() : declared.responseParameters();
            responseParameters.forEach((target, source) -> {
                if (!headers.containsKey(target)) {
                    throw badRequest("Invalid mapping expression specified: Validation Result: warnings : [], errors : "
                            + "[Invalid mapping expression parameter specified: " + target + "]");
                }
                if (source == null || !RESPONSE_MAPPING.matcher(source).matches()) {
                    throw invalidMapping(source);
                }
            });
        }
        IntegrationResponse r = new IntegrationResponse(statusCode, selectionPattern, copy(responseParameters),
                copy(responseTemplates), contentHandling);
        integration.responses.put(statusCode, r);
        putApi(apis.get(apiId));
        return r;
    }

    /**
     * UpdateIntegrationResponse: replaces its selection pattern or content handling, adds, replaces
     * or removes its header mappings and body templates.
     */
    synchronized IntegrationResponse updateIntegrationResponse(String apiId, String resourceId, String httpMethod,
            String statusCode, List<PatchOperation> ops) {
        IntegrationResponse current = integrationResponse(apiId, resourceId, httpMethod, statusCode);
        Map<String, Map<String, String>> maps = new LinkedHashMap<>();
        maps.put("/responseParameters", current.responseParameters());
        maps.put("/responseTemplates", current.responseTemplates());
        Patch patch = new Patch("IntegrationResponse", Set.of("/selectionPattern", "/contentHandling"), maps).apply(ops);
        return putIntegrationResponse(apiId, resourceId, httpMethod, statusCode,
                patch.scalar("/selectionPattern", current.selectionPattern()), patch.map("/responseParameters"),
                patch.map("/responseTemplates"), patch.scalar("/contentHandling", current.contentHandling()));
    }

    synchronized IntegrationResponse integrationResponse(String apiId, String resourceId, String httpMethod,
            String statusCode) {
        return byStatus(integration(apiId, resourceId, httpMethod).responses, statusCode);
    }

    synchronized void deleteIntegrationResponse(String apiId, String resourceId, String httpMethod, String statusCode) {
        Map<String, IntegrationResponse> responses = integration(apiId, resourceId, httpMethod).responses;
        byStatus(responses, statusCode);
        responses.remove(statusCode);
        putApi(apis.get(apiId));
    }

    // ---- models and validators ----

    synchronized Model createModel(String apiId, String name, String description, String schema, String contentType) {
        RestApi api = restApi(apiId);
        if (name == null || name.isEmpty()) {
            throw badRequest("Model name must be non-empty");
        }
        if (!MODEL_NAME.matcher(name).matches()) {
            throw badRequest("Model name must be alphanumeric: " + name);
        }
        if (api.models.containsKey(name)) {
            throw conflict("Model name already exists for this REST API");
        }
        if (contentType == null || contentType.isEmpty()) {
            throw badRequest("Content type must be non-empty");
        }
        ModelSchemas.check(schema);
        Model model = new Model(newId(modelIds(api), 6), name, description, schema, contentType);
        List<Model> all = new ArrayList<>(api.models.values());
        all.add(model);
        if (ModelSchemas.compile(ModelSchemas.factory(apiId, all), schema) == null) {
            throw badRequest("Invalid model specified: Validation Result: warnings : [], errors : "
                    + "[Invalid model schema specified: unresolvable reference]");
        }
        api.models.put(name, model);
        putApi(api);
        return model;
    }

    private static Set<String> modelIds(RestApi api) {
        Set<String> ids = new HashSet<>();
        api.models.values().forEach(m -> ids.add(m.id()));
        return ids;
    }

    synchronized List<Model> models(String apiId) {
        return new ArrayList<>(restApi(apiId).models.values());
    }

    synchronized Model model(String apiId, String name) {
        Model m = restApi(apiId).models.get(name);
        if (m == null) {
            throw notFound("Invalid model name specified: " + name);
        }
        return m;
    }

    synchronized void deleteModel(String apiId, String name) {
        RestApi api = restApi(apiId);
        model(apiId, name);
        for (ApiResource r : api.resources.values()) {
            for (ApiMethod m : r.methods.values()) {
                if (m.requestModels.containsValue(name)) {
                    throw conflict("Cannot delete model '" + name + "', is referenced in method request: "
                            + (r.path.equals("/") ? "/" : r.path) + "/" + m.httpMethod);
                }
            }
        }
        api.models.remove(name);
        putApi(api);
    }

    synchronized RequestValidator createRequestValidator(String apiId, String name, boolean body, boolean parameters) {
        RestApi api = apis.get(apiId);
        if (api == null) {
            throw badRequest("Invalid REST API identifier specified");
        }
        RequestValidator v = new RequestValidator(newId(api.validators.keySet(), 6), name, body, parameters);
        api.validators.put(v.id(), v);
        putApi(api);
        return v;
    }

    synchronized List<RequestValidator> requestValidators(String apiId) {
        return new ArrayList<>(restApi(apiId).validators.values());
    }

    synchronized RequestValidator requestValidator(String apiId, String validatorId) {
        RestApi api = apis.get(apiId);
        RequestValidator v = api == null ? null : api.validators.get(validatorId);
        if (v == null) {
            throw notFound("Invalid Request Validator identifier specified");
        }
        return v;
    }

    synchronized void deleteRequestValidator(String apiId, String validatorId) {
        requestValidator(apiId, validatorId);
        apis.get(apiId).validators.remove(validatorId);
        putApi(apis.get(apiId));
    }

    // ---- deployments and stages ----

    synchronized Deployment createDeployment(String apiId, String stageName, String stageDescription,
            String description, Map<String, String> variables) {
        RestApi api = restApi(apiId);
        if (!api.hasMethods()) {
            throw badRequest("The REST API doesn't contain any methods");
        }
        for (ApiResource r : api.resources.values()) {
            for (ApiMethod m : r.methods.values()) {
                if (m.integration == null) {
                    throw badRequest("No integration defined for method");
                }
            }
        }
        if (stageName != null && !stageName.isEmpty() && !STAGE_NAME.matcher(stageName).matches()) {
            throw badRequest("Stage name only allows a-zA-Z0-9_");
        }
        Deployment d = new Deployment(newId(api.deployments.keySet(), 6), description, Instant.now(),
                DeployedApi.compile(api, templates), ApiGatewayChange.Definition.of(api));
        recording = d;
        journal.record(deploymentPut(api.id, d));
        if (stageName != null && !stageName.isEmpty()) {
            Stage stage = api.stages.get(stageName);
            if (stage == null) {
                stage = new Stage(stageName, d.id(), stageDescription, d.createdDate());
            } else {
                stage.deploymentId = d.id();
                stage.lastUpdatedDate = d.createdDate();
            }
            if (variables != null) {
                stage.variables.putAll(variables);
            }
            putStage(apiId, stage);
        }
        return d;
    }

    synchronized List<Deployment> deployments(String apiId) {
        return new ArrayList<>(restApi(apiId).deployments.values());
    }

    synchronized Deployment deployment(String apiId, String deploymentId) {
        Deployment d = restApi(apiId).deployments.get(deploymentId);
        if (d == null) {
            throw notFound("Invalid Deployment identifier specified");
        }
        return d;
    }

    synchronized void deleteDeployment(String apiId, String deploymentId) {
        RestApi api = restApi(apiId);
        deployment(apiId, deploymentId);
        if (api.stages.values().stream().anyMatch(s -> s.deploymentId.equals(deploymentId))) {
            throw badRequest("Active stages pointing to this deployment must be moved or deleted");
        }
        journal.record(new ApiGatewayChange.DeploymentDeleted(apiId, deploymentId));
    }

    synchronized Stage createStage(String apiId, String stageName, String deploymentId, String description,
            Map<String, String> variables, Map<String, String> tags) {
        RestApi api = restApi(apiId);
        if (stageName == null || !STAGE_NAME.matcher(stageName).matches()) {
            throw badRequest("Stage name only allows a-zA-Z0-9_");
        }
        if (api.stages.containsKey(stageName)) {
            throw conflict("Stage already exists");
        }
        deployment(apiId, deploymentId);
        Stage stage = new Stage(stageName, deploymentId, description, Instant.now());
        if (variables != null) {
            stage.variables.putAll(variables);
        }
        if (tags != null) {
            stage.tags.putAll(tags);
        }
        putStage(apiId, stage);
        return stage(apiId, stageName);
    }

    synchronized Stage stage(String apiId, String stageName) {
        Stage s = restApi(apiId).stages.get(stageName);
        if (s == null) {
            throw notFound("Invalid Stage identifier specified");
        }
        return s;
    }

    synchronized List<Stage> stages(String apiId, String deploymentId) {
        return restApi(apiId).stages.values().stream()
                .filter(s -> deploymentId == null || s.deploymentId.equals(deploymentId)).toList();
    }

    synchronized Stage updateStage(String apiId, String stageName, List<PatchOperation> operations) {
        Stage stage = stage(apiId, stageName);
        // Validate everything before changing anything: a bad operation leaves the stage as it was.
        List<Runnable> changes = new ArrayList<>();
        AccessLogSettings accessLog = stage.accessLogSettings;
        for (PatchOperation op : operations) {
            if (op.path() != null && op.path().startsWith("/accessLogSettings")) {
                accessLog = accessLogPatch(accessLog, op);
            } else {
                changes.add(stagePatch(apiId, stage, op));
            }
        }
        if (accessLog != stage.accessLogSettings) {
            checkAccessLog(accessLog);
            AccessLogSettings settled = accessLog;
            changes.add(() -> stage.accessLogSettings = settled);
        }
        changes.forEach(Runnable::run);
        stage.lastUpdatedDate = Instant.now();
        putStage(apiId, stage);
        return stage(apiId, stageName);
    }

    private Runnable stagePatch(String apiId, Stage stage, PatchOperation op) {
        String path = op.path() == null ? "" : op.path();
        String value = op.value();
        if (!Set.of("add", "remove", "replace", "move", "copy", "test").contains(op.op())) {
            throw validation("Value '" + op.op() + "' at 'updateStageInput.patchOperations.1.member.op' failed to "
                    + "satisfy constraint: Member must satisfy enum value set: [add, remove, move, test, replace, copy]");
        }
        if (path.startsWith("/variables/")) {
            String name = path.substring("/variables/".length());
            return switch (op.op()) {
                case "replace", "add" -> () -> stage.variables.put(name, value == null ? "" : value);
                case "remove" -> () -> stage.variables.remove(name);
                default -> throw badRequest("Invalid patch operation specified. Must be one of: [add, remove, replace]");
            };
        }
        if (!op.op().equals("replace")) {
            throw badRequest("Invalid patch operation specified. Must be one of: [replace]");
        }
        switch (path) {
            case "/description":
                return () -> stage.description = value;
            case "/deploymentId":
                deployment(apiId, value);
                return () -> stage.deploymentId = value;
            case "/tracingEnabled", "/cacheClusterEnabled":
                if ("true".equalsIgnoreCase(value)) {
                    throw badRequest(path.substring(1) + " is not supported by this endpoint");
                }
                return () -> {
                };
            default:
                return methodSettingPatch(stage, path, value);
        }
    }

    /**
     * {@code replace /accessLogSettings/destinationArn} or {@code …/format} sets a part of the stage's
     * access logging; {@code remove /accessLogSettings} turns it off.
     */
    private static AccessLogSettings accessLogPatch(AccessLogSettings current, PatchOperation op) {
        AccessLogSettings now = current == null ? new AccessLogSettings(null, null) : current;
        String value = op.value() == null || op.value().isEmpty() ? null : op.value();
        return switch (op.op() + " " + op.path()) {
            case "remove /accessLogSettings" -> null;
            case "replace /accessLogSettings/destinationArn" -> new AccessLogSettings(value, now.format());
            case "replace /accessLogSettings/format" -> new AccessLogSettings(now.destinationArn(), value);
            default -> throw badRequest("Invalid patch path " + op.path() + " specified for op " + op.op()
                    + ". Must be one of: [replace /accessLogSettings/destinationArn, replace /accessLogSettings/format, "
                    + "remove /accessLogSettings]");
        };
    }

    /** What API Gateway requires of access logging: a log group, a format that identifies requests, the account's role. */
    private void checkAccessLog(AccessLogSettings settings) {
        if (settings == null) {
            return;
        }
        if (settings.destinationArn() != null) {
            if (FIREHOSE_ARN.matcher(settings.destinationArn()).matches()) {
                throw badRequest("Access logs to a Firehose delivery stream are not supported by this endpoint");
            }
            if (!LOG_GROUP_ARN.matcher(settings.destinationArn()).matches()) {
                throw badRequest("Invalid ARN specified in the request: " + settings.destinationArn());
            }
            if (cloudwatchRoleArn == null) {
                throw badRequest("CloudWatch Logs role ARN must be set in account settings to enable logging");
            }
        }
        if (settings.format() != null && !AccessLogFormat.identifiesRequests(settings.format())) {
            throw badRequest("Access Log format must contain at least one of $context.requestId or "
                    + "$context.extendedRequestId");
        }
    }

    /** {@code /{resourcePath~1}/{METHOD}/{group}/{setting}} or {@code /*}{@code /*}{@code /…}. */
    private static Runnable methodSettingPatch(Stage stage, String path, String value) {
        String[] parts = path.split("/", 4);
        if (parts.length != 4 || parts[1].isEmpty() || parts[2].isEmpty()) {
            throw invalidStagePath(path);
        }
        String key = parts[1] + "/" + parts[2];
        if (!key.equals("*/*") && !HTTP_METHODS.contains(parts[2])) {
            throw invalidStagePath(path);
        }
        Consumer<MethodSetting> change = switch (parts[3]) {
            case "throttling/rateLimit" -> {
                double rate = parseNumber(value, path);
                yield s -> s.throttlingRateLimit = rate;
            }
            case "throttling/burstLimit" -> {
                int burst = (int) parseNumber(value, path);
                yield s -> s.throttlingBurstLimit = burst;
            }
            case "metrics/enabled" -> s -> s.metricsEnabled = Boolean.parseBoolean(value);
            case "logging/loglevel" -> {
                if (!Set.of("OFF", "ERROR", "INFO").contains(value)) {
                    throw badRequest("Invalid logging level specified: " + value + ". Valid values are OFF, ERROR, INFO");
                }
                yield s -> s.loggingLevel = value;
            }
            case "logging/dataTrace" -> s -> s.dataTraceEnabled = Boolean.parseBoolean(value);
            case "caching/enabled" -> s -> s.cachingEnabled = Boolean.parseBoolean(value);
            case "caching/ttlInSeconds" -> {
                int ttl = (int) parseNumber(value, path);
                yield s -> s.cacheTtlInSeconds = ttl;
            }
            case "caching/dataEncrypted" -> s -> s.cacheDataEncrypted = Boolean.parseBoolean(value);
            case "caching/requireAuthorizationForCacheControl" ->
                s -> s.requireAuthorizationForCacheControl = Boolean.parseBoolean(value);
            case "caching/unauthorizedCacheControlHeaderStrategy" -> s -> s.unauthorizedCacheControlHeaderStrategy = value;
            default -> throw invalidStagePath(path);
        };
        return () -> change.accept(stage.methodSettings.computeIfAbsent(key, k -> new MethodSetting()));
    }

    private static double parseNumber(String value, String path) {
        try {
            double d = Double.parseDouble(value);
            if (d < 0 || Double.isNaN(d) || Double.isInfinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException | NullPointerException e) {
            throw badRequest("Invalid value for " + path + ": " + value);
        }
    }

    private static AwsServiceException invalidStagePath(String path) {
        return badRequest("Invalid method setting path: " + path + ". Must be one of: [/deploymentId, /description, "
                + "/variables/{name}, /{resourcePath}/{httpMethod}/metrics/enabled, /{resourcePath}/{httpMethod}/logging/dataTrace, "
                + "/{resourcePath}/{httpMethod}/logging/loglevel, /{resourcePath}/{httpMethod}/throttling/burstLimit, "
                + "/{resourcePath}/{httpMethod}/throttling/rateLimit, /{resourcePath}/{httpMethod}/caching/ttlInSeconds, "
                + "/{resourcePath}/{httpMethod}/caching/enabled, /{resourcePath}/{httpMethod}/caching/dataEncrypted, "
                + "/*/*/metrics/enabled, /*/*/logging/dataTrace, /*/*/logging/loglevel, /*/*/throttling/burstLimit, "
                + "/*/*/throttling/rateLimit, /*/*/caching/ttlInSeconds, /*/*/caching/enabled, /*/*/caching/dataEncrypted]");
    }

    synchronized void deleteStage(String apiId, String stageName) {
        stage(apiId, stageName);
        journal.record(new ApiGatewayChange.StageDeleted(apiId, stageName));
    }

    /** Rebuilds the data plane's view of every stage; called after any change that affects one. */
    private void publishStages() {
        Map<String, LiveStage> live = new HashMap<>();
        for (RestApi api : apis.values()) {
            for (Stage stage : api.stages.values()) {
                Deployment d = api.deployments.get(stage.deploymentId);
                LiveStage.Throttle stageThrottle = null;
                Map<String, LiveStage.Throttle> methodThrottles = new HashMap<>();
                for (Map.Entry<String, MethodSetting> e : stage.methodSettings.entrySet()) {
                    LiveStage.Throttle t = new LiveStage.Throttle(e.getValue().throttlingRateLimit,
                            e.getValue().throttlingBurstLimit);
                    if (e.getKey().equals("*/*")) {
                        stageThrottle = t;
                    } else {
                        methodThrottles.put(e.getKey(), t);
                    }
                }
                LiveStage previous = liveStages.get(api.id + "/" + stage.name);
                ApiGatewayMetrics.StageMetrics stageMetrics = previous != null && previous.api.apiName.equals(api.name)
                        ? previous.metrics
                        : ApiGatewayMetrics.StageMetrics.of(api.name, stage.name);
                AccessLogSettings logs = stage.accessLogSettings;
                LiveStage.AccessLog accessLog = logs == null || !logs.complete() ? null
                        : new LiveStage.AccessLog(logs.destinationArn(), AccessLogFormat.compile(logs.format()));
                live.put(api.id + "/" + stage.name, new LiveStage(d.api(), stage.name, stage.variables, stageThrottle,
                        methodThrottles, stageMetrics, previous == null ? null : previous.buckets, accessLog));
            }
        }
        liveStages = Map.copyOf(live);
    }

    // ---- gateway responses ----

    /** PutGatewayResponse: replaces the type's customisation; it reaches clients with the next deployment. */
    synchronized GatewayResponses.GatewayResponse putGatewayResponse(String apiId, String type, String statusCode,
            Map<String, String> responseParameters, Map<String, String> responseTemplates) {
        checkResponseType(type);
        RestApi api = restApi(apiId);
        if (statusCode != null) {
            checkStatusCode(statusCode);
        }
        Map<String, String> parameters = responseParameters == null ? Map.of() : responseParameters;
        parameters.forEach((target, source) -> {
            if (!GATEWAY_RESPONSE_HEADER.matcher(target).matches()) {
                throw invalidMapping(target);
            }
            if (source == null || !GATEWAY_RESPONSE_MAPPING.matcher(source).matches()) {
                throw invalidMapping(source);
            }
        });
        Map<String, String> templates = responseTemplates == null
                ? Map.of(Invocation.JSON, GatewayResponses.DEFAULT_TEMPLATE) : responseTemplates;
        GatewayResponses.GatewayResponse response = new GatewayResponses.GatewayResponse(type,
                statusCode != null ? statusCode : GatewayResponses.DEFAULT_STATUS.get(type),
                Collections.unmodifiableMap(new LinkedHashMap<>(parameters)),
                Collections.unmodifiableMap(new LinkedHashMap<>(templates)), false);
        api.gatewayResponses.put(type, response);
        putApi(api);
        return response;
    }

    /** The type's response as it is defined now (customised, inherited from DEFAULT_4XX/5XX, or built in). */
    synchronized GatewayResponses.GatewayResponse gatewayResponse(String apiId, String type) {
        checkResponseType(type);
        return GatewayResponses.effective(type, restApi(apiId).gatewayResponses);
    }

    synchronized List<GatewayResponses.GatewayResponse> gatewayResponses(String apiId) {
        return GatewayResponses.all(restApi(apiId).gatewayResponses);
    }

    synchronized void deleteGatewayResponse(String apiId, String type) {
        checkResponseType(type);
        if (restApi(apiId).gatewayResponses.remove(type) == null) {
            throw notFound("Gateway response type not defined on api");
        }
        putApi(apis.get(apiId));
    }

    private static void checkResponseType(String type) {
        if (!GatewayResponses.DEFAULT_STATUS.containsKey(type)) {
            throw validation("Value '" + type + "' at 'responseType' failed to satisfy constraint: Member must satisfy "
                    + "enum value set: [" + String.join(", ", GatewayResponses.DEFAULT_STATUS.keySet()) + "]");
        }
    }

    // ---- API keys and usage plans ----

    synchronized ApiKey createApiKey(String name, String description, boolean enabled, String value,
            String customerId, Map<String, String> tags) {
        if (value != null) {
            if (value.length() < 20) {
                throw badRequest("API Key value should be at least 20 characters");
            }
            if (apiKeys.values().stream().anyMatch(k -> k.value().equals(value))) {
                throw conflict("API Key value already exists");
            }
        }
        ApiKey key = new ApiKey(newId(apiKeys.keySet(), 10), value != null ? value : Ids.apiKeyValue(), name,
                description, customerId, enabled, Instant.now(), tags == null ? new LinkedHashMap<>() : new LinkedHashMap<>(tags));
        journal.record(new ApiGatewayChange.KeyPut(key));
        return key;
    }

    synchronized ApiKey apiKey(String keyId) {
        ApiKey k = apiKeys.get(keyId);
        if (k == null) {
            throw notFound("Invalid API Key identifier specified");
        }
        return k;
    }

    synchronized List<ApiKey> apiKeys(String nameQuery, String customerId) {
        return apiKeys.values().stream()
                .filter(k -> nameQuery == null || (k.name() != null && k.name().startsWith(nameQuery)))
                .filter(k -> customerId == null || customerId.equals(k.customerId()))
                .toList();
    }

    synchronized void deleteApiKey(String keyId) {
        apiKey(keyId);
        journal.record(new ApiGatewayChange.KeyDeleted(keyId));
    }

    synchronized UsagePlan createUsagePlan(String name, String description, List<UsagePlan.ApiStage> apiStages,
            UsagePlan.Throttle throttle, UsagePlan.Quota quota, Map<String, String> tags) {
        if (name == null || name.isEmpty()) {
            throw badRequest("Invalid usage plan name specified");
        }
        List<UsagePlan.ApiStage> stages = apiStages == null ? List.of() : apiStages;
        for (UsagePlan.ApiStage s : stages) {
            RestApi api = restApi(s.apiId());
            if (!api.stages.containsKey(s.stage())) {
                throw badRequest("API Stage not found: " + s.apiId() + ":" + s.stage());
            }
        }
        validateQuota(quota);
        UsagePlan plan = new UsagePlan(newId(usagePlans.keySet(), 6), name, description, stages, throttle, quota);
        if (tags != null) {
            plan.tags.putAll(tags);
        }
        putPlan(plan, false);
        return usagePlans.get(plan.id);
    }

    private static void validateQuota(UsagePlan.Quota quota) {
        if (quota == null) {
            return;
        }
        if (!Set.of("DAY", "WEEK", "MONTH").contains(quota.period())) {
            throw badRequest("Invalid quota period specified: " + quota.period() + ". Valid values are DAY, WEEK, MONTH");
        }
        if (quota.limit() < 0) {
            throw badRequest("Quota limit must be non-negative");
        }
        int maxOffset = switch (quota.period()) {
            case "WEEK" -> 6;
            case "MONTH" -> 27;
            default -> 0;
        };
        if (quota.offset() < 0 || quota.offset() > maxOffset) {
            throw badRequest("Invalid quota offset " + quota.offset() + " for period " + quota.period());
        }
    }

    private void replacePlan(UsagePlan plan, List<UsagePlan.ApiStage> stages) {
        replacePlan(plan, plan.name, plan.description, stages, plan.throttle, plan.quota);
    }

    /** A plan's new settings; its keys' throttles and quotas start over under them. */
    private UsagePlan replacePlan(UsagePlan plan, String name, String description, List<UsagePlan.ApiStage> stages,
            UsagePlan.Throttle throttle, UsagePlan.Quota quota) {
        UsagePlan copy = new UsagePlan(plan.id, name, description, stages, throttle, quota);
        copy.tags.putAll(plan.tags);
        copy.keyIds.addAll(plan.keyIds);
        putPlan(copy, true);
        return usagePlans.get(plan.id);
    }

    /**
     * UpdateUsagePlan: replaces the name, description, throttle and quota members, adds or removes
     * API stages ("apiId:stage"). Every operation is checked before any applies.
     */
    synchronized UsagePlan updateUsagePlan(String planId, List<PatchOperation> operations) {
        UsagePlan plan = usagePlan(planId);
        String name = plan.name;
        String description = plan.description;
        List<UsagePlan.ApiStage> stages = new ArrayList<>(plan.apiStages);
        UsagePlan.Throttle throttle = plan.throttle;
        UsagePlan.Quota quota = plan.quota;
        for (PatchOperation op : operations) {
            String path = op.path() == null ? "" : op.path();
            String value = op.value();
            if (path.equals("/apiStages")) {
                String[] stage = value == null ? new String[0] : value.split(":", 2);
                if (stage.length != 2) {
                    throw badRequest("Invalid API Stage specified: " + value);
                }
                boolean present = stages.stream().anyMatch(s -> s.apiId().equals(stage[0]) && s.stage().equals(stage[1]));
                switch (op.op()) {
                    case "add" -> {
                        if (!restApi(stage[0]).stages.containsKey(stage[1])) {
                            throw badRequest("API Stage not found: " + value);
                        }
                        if (present) {
                            throw conflict("Usage Plan " + planId + " already contains API Stage " + value);
                        }
                        stages.add(new UsagePlan.ApiStage(stage[0], stage[1], Map.of()));
                    }
                    case "remove" -> {
                        if (!present) {
                            throw notFound("Usage Plan " + planId + " does not contain API Stage " + value);
                        }
                        stages.removeIf(s -> s.apiId().equals(stage[0]) && s.stage().equals(stage[1]));
                    }
                    default -> throw badRequest("Invalid patch operation specified. Must be one of: [add, remove]");
                }
                continue;
            }
            if (op.op().equals("remove") && (path.equals("/throttle") || path.equals("/quota"))) {
                if (path.equals("/throttle")) {
                    throttle = null;
                } else {
                    quota = null;
                }
                continue;
            }
            if (!"replace".equals(op.op())) {
                throw badRequest("Invalid patch operation specified. Must be one of: [replace]");
            }
            UsagePlan.Throttle t = throttle == null ? new UsagePlan.Throttle(null, null) : throttle;
            UsagePlan.Quota q = quota == null ? new UsagePlan.Quota(0, 0, "DAY") : quota;
            switch (path) {
                case "/name" -> {
                    if (value == null || value.isEmpty()) {
                        throw badRequest("Invalid usage plan name specified");
                    }
                    name = value;
                }
                case "/description" -> description = value;
                case "/throttle/rateLimit" -> throttle = new UsagePlan.Throttle(t.burstLimit(), parseNumber(value, path));
                case "/throttle/burstLimit" -> throttle = new UsagePlan.Throttle((int) parseNumber(value, path), t.rateLimit());
                case "/quota/limit" -> quota = new UsagePlan.Quota((int) parseNumber(value, path), q.offset(), q.period());
                case "/quota/offset" -> quota = new UsagePlan.Quota(q.limit(), (int) parseNumber(value, path), q.period());
                case "/quota/period" -> quota = new UsagePlan.Quota(q.limit(), q.offset(), value);
                default -> throw badRequest("Invalid patch path " + path);
            }
        }
        validateQuota(quota);
        return replacePlan(plan, name, description, stages, throttle, quota);
    }

    synchronized UsagePlan usagePlan(String planId) {
        UsagePlan p = usagePlans.get(planId);
        if (p == null) {
            throw notFound("Invalid Usage Plan ID specified");
        }
        return p;
    }

    synchronized List<UsagePlan> usagePlans(String keyId) {
        return usagePlans.values().stream().filter(p -> keyId == null || p.keyIds.contains(keyId)).toList();
    }

    synchronized void deleteUsagePlan(String planId) {
        usagePlan(planId);
        journal.record(new ApiGatewayChange.PlanDeleted(planId));
    }

    synchronized ApiKey createUsagePlanKey(String planId, String keyId, String keyType) {
        UsagePlan plan = usagePlan(planId);
        if (!"API_KEY".equals(keyType)) {
            throw badRequest("Invalid key type specified: " + keyType + ". Valid values are API_KEY");
        }
        ApiKey key = apiKey(keyId);
        if (plan.keyIds.contains(keyId)) {
            throw conflict("Usage Plan " + planId + " already contains API Key " + keyId);
        }
        for (UsagePlan other : usagePlans.values()) {
            if (other.keyIds.contains(keyId)) {
                for (UsagePlan.ApiStage s : plan.apiStages) {
                    if (other.apiStages.stream().anyMatch(o -> o.apiId().equals(s.apiId()) && o.stage().equals(s.stage()))) {
                        throw conflict("Usage Plan " + planId + " cannot be added because API Key " + keyId
                                + " cannot reference multiple Usage Plans with the same API Stage: " + s.apiId() + ":"
                                + s.stage());
                    }
                }
            }
        }
        plan.keyIds.add(keyId);
        putPlan(plan, false);
        return key;
    }

    synchronized List<ApiKey> usagePlanKeys(String planId, String nameQuery) {
        return usagePlan(planId).keyIds.stream().map(apiKeys::get)
                .filter(k -> nameQuery == null || (k.name() != null && k.name().startsWith(nameQuery))).toList();
    }

    synchronized ApiKey usagePlanKey(String planId, String keyId) {
        if (!usagePlan(planId).keyIds.contains(keyId)) {
            throw notFound("Invalid Usage Plan Key identifier specified");
        }
        return apiKeys.get(keyId);
    }

    synchronized void deleteUsagePlanKey(String planId, String keyId) {
        usagePlanKey(planId, keyId);
        UsagePlan plan = usagePlans.get(planId);
        plan.keyIds.remove(keyId);
        putPlan(plan, false);
    }

    /** Rebuilds the data plane's API key index after any change to keys or plans. */
    private void publishKeys() {
        Map<String, KeyAccess> index = new HashMap<>();
        for (ApiKey key : apiKeys.values()) {
            Map<String, KeyAccess.PlanLimits> stages = new HashMap<>();
            for (UsagePlan plan : usagePlans.values()) {
                if (plan.keyIds.contains(key.id())) {
                    for (UsagePlan.ApiStage s : plan.apiStages) {
                        stages.put(s.apiId() + "/" + s.stage(), planLimits.computeIfAbsent(
                                plan.id + "/" + key.id() + "/" + s.apiId() + "/" + s.stage(),
                                k -> new KeyAccess.PlanLimits(plan, s)));
                    }
                }
            }
            index.put(key.value(), new KeyAccess(key.id(), key.enabled(), Map.copyOf(stages)));
        }
        keysByValue = Map.copyOf(index);
    }

    // ---- tags ----

    /** The tags of the resource an ARN names, or none when it names nothing here. */
    synchronized Map<String, String> tagsIfAny(String arn) {
        try {
            return Map.copyOf(tags(arn));
        } catch (AwsServiceException e) {
            return Map.of();
        }
    }

    /** The tag map of the resource an ARN names; an ARN that names nothing here is AWS's error. */
    synchronized Map<String, String> tags(String arn) {
        Matcher m = arn == null ? null : TAG_ARN.matcher(arn);
        if (m == null || !m.matches()) {
            throw badRequest("Invalid ARN specified in the request");
        }
        if (m.group(2) != null) {
            RestApi api = restApi(m.group(2));
            return m.group(4) == null ? api.tags : stage(api.id, m.group(4)).tags;
        }
        if (m.group(5) != null) {
            return apiKey(m.group(5)).tags();
        }
        return usagePlan(m.group(6)).tags;
    }

    synchronized void tagResource(String arn, Map<String, String> tags) {
        Map<String, String> target = tags(arn);
        if (tags == null || tags.isEmpty()) {
            throw badRequest("Tags must be non-empty");
        }
        if (target.size() + tags.keySet().stream().filter(k -> !target.containsKey(k)).count() > 50) {
            throw badRequest("Too many tags: a resource can have at most 50");
        }
        target.putAll(tags);
        recordTagged(arn);
    }

    synchronized void untagResource(String arn, List<String> keys) {
        Map<String, String> target = tags(arn);
        keys.forEach(target::remove);
        recordTagged(arn);
    }

    /** Records the resource an ARN names as it now is, after its tags changed in place. */
    private void recordTagged(String arn) {
        Matcher m = TAG_ARN.matcher(arn);
        if (!m.matches()) {
            throw badRequest("Invalid ARN specified in the request");
        }
        if (m.group(2) != null && m.group(4) != null) {
            putStage(m.group(2), stage(m.group(2), m.group(4)));
        } else if (m.group(2) != null) {
            putApi(restApi(m.group(2)));
        } else if (m.group(5) != null) {
            journal.record(new ApiGatewayChange.KeyPut(apiKey(m.group(5))));
        } else {
            putPlan(usagePlan(m.group(6)), false);
        }
    }

    // ---- helpers ----

    private static String newId(Set<String> taken, int length) {
        String id;
        do {
            id = Ids.id(length);
        } while (taken.contains(id));
        return id;
    }

    private static <K, V> Map<K, V> copy(Map<K, V> m) {
        return m == null ? null : new LinkedHashMap<>(m);
    }

    static AwsServiceException badRequest(String message) {
        return AwsServiceException.badRequest(BAD_REQUEST, message);
    }

    static AwsServiceException notFound(String message) {
        return AwsServiceException.notFound(NOT_FOUND, message);
    }

    static AwsServiceException conflict(String message) {
        return AwsServiceException.conflict(CONFLICT, message);
    }

    static AwsServiceException validation(String message) {
        return AwsServiceException.badRequest(VALIDATION, "1 validation error detected: " + message);
    }

    private static AwsServiceException invalidMapping(String expression) {
        return badRequest("Invalid mapping expression specified: Validation Result: warnings : [], errors : "
                + "[Invalid mapping expression specified: " + expression + "]");
    }
}
