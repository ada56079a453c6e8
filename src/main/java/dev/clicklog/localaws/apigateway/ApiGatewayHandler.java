package dev.clicklog.localaws.apigateway;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.clicklog.localaws.LocalAwsConfig;
import dev.clicklog.localaws.fault.FaultInjector;
import dev.clicklog.localaws.http.AwsRequest;
import dev.clicklog.localaws.http.AwsResponse;
import dev.clicklog.localaws.http.BodyLimit;
import dev.clicklog.localaws.http.CallerErrors;
import dev.clicklog.localaws.http.RouteTable;
import dev.clicklog.localaws.http.ServiceHandler;
import dev.clicklog.localaws.protocol.AwsServiceException;
import dev.clicklog.localaws.protocol.JsonProtocol;
import dev.clicklog.localaws.protocol.RestJsonProtocol;
import dev.clicklog.localaws.protocol.RestJsonProtocol.HttpBinding;
import dev.clicklog.localaws.protocol.RestXmlProtocol;

/**
 * API Gateway's control plane over REST-JSON (signing name {@code apigateway}). Serves REST APIs and
 * their resources, methods, method and integration responses, integrations, models, request
 * validators, deployments, stages (their access logging included) and gateway responses; API keys,
 * usage plans and their keys; tags; the account's CloudWatch role (GetAccount, UpdateAccount).
 * Stages, methods, method responses, integrations, integration responses, usage plans and the account change
 * through patch operations, as on AWS. Refuses the rest — other updates, imports and exports,
 * authorizers, domain names, VPC links, documentation, client certificates — with 404
 * UnknownOperationException, as API Gateway answers a route it does not know.
 */
@Singleton
public class ApiGatewayHandler implements ServiceHandler {

    private static final int DEFAULT_PAGE = 25;
    private static final int MAX_PAGE = 500;
    private static final String METHOD = "/restapis/{restapi_id}/resources/{resource_id}/methods/{http_method}";

    /** One operation: the bound path members in, the wire response out. */
    private interface Action {
        AwsResponse handle(AwsRequest request, Map<String, String> path);
    }

    private record BoundAction(HttpBinding http, Action action) {
    }

    /** The part of a path that names what carries tags: an API, a stage, an API key, a usage plan. */
    private static final Pattern OWNER = Pattern.compile("^/(restapis/[^/]+|apikeys/[^/]+|usageplans/[^/]+)(/stages/[^/]+)?");

    private final ApiGatewayService state;
    private final String defaultRegion;
    private final FaultInjector faults;
    private final RouteTable<BoundAction> routes = new RouteTable<>();
    /** The table's rows in the order requests try them: those with a literal query parameter first. */
    private final List<BoundAction> dispatch;

    ApiGatewayHandler(ApiGatewayService state, FaultInjector faults, LocalAwsConfig config) {
        this.state = state;
        this.defaultRegion = config.defaultRegion();
        this.faults = faults;
        bind("CreateRestApi", "POST", "/restapis", this::createRestApi);
        bind("GetRestApis", "GET", "/restapis", this::getRestApis);
        bind("GetRestApi", "GET", "/restapis/{restapi_id}",
                (r, p) -> ok(r, ApiGatewayShapes.restApi(state.restApi(p.get("restapi_id")))));
        bind("DeleteRestApi", "DELETE", "/restapis/{restapi_id}",
                (r, p) -> accepted(r, () -> state.deleteRestApi(p.get("restapi_id"))));

        bind("GetResources", "GET", "/restapis/{restapi_id}/resources", this::getResources);
        bind("GetResource", "GET", "/restapis/{restapi_id}/resources/{resource_id}",
                (r, p) -> ok(r, ApiGatewayShapes.resource(state.resource(p.get("restapi_id"), p.get("resource_id")),
                        embedsMethods(r))));
        bind("CreateResource", "POST", "/restapis/{restapi_id}/resources/{parent_id}",
                (r, p) -> created(r, ApiGatewayShapes.resource(state.createResource(p.get("restapi_id"),
                        p.get("parent_id"), JsonProtocol.text(RestJsonProtocol.body(r), "pathPart")), false)));
        bind("DeleteResource", "DELETE", "/restapis/{restapi_id}/resources/{resource_id}",
                (r, p) -> accepted(r, () -> state.deleteResource(p.get("restapi_id"), p.get("resource_id"))));

        bind("PutMethod", "PUT", METHOD, this::putMethod);
        bind("GetMethod", "GET", METHOD, (r, p) -> ok(r, ApiGatewayShapes.method(
                state.method(p.get("restapi_id"), p.get("resource_id"), p.get("http_method")))));
        bind("UpdateMethod", "PATCH", METHOD, (r, p) -> ok(r, ApiGatewayShapes.method(
                state.updateMethod(p.get("restapi_id"), p.get("resource_id"), p.get("http_method"), patchOperations(r)))));
        bind("DeleteMethod", "DELETE", METHOD, (r, p) -> noContent(r,
                () -> state.deleteMethod(p.get("restapi_id"), p.get("resource_id"), p.get("http_method"))));

        bind("PutMethodResponse", "PUT", METHOD + "/responses/{status_code}", this::putMethodResponse);
        bind("GetMethodResponse", "GET", METHOD + "/responses/{status_code}", (r, p) -> ok(r,
                ApiGatewayShapes.methodResponse(state.methodResponse(p.get("restapi_id"), p.get("resource_id"),
                        p.get("http_method"), p.get("status_code")))));
        bind("UpdateMethodResponse", "PATCH", METHOD + "/responses/{status_code}", (r, p) -> created(r,
                ApiGatewayShapes.methodResponse(state.updateMethodResponse(p.get("restapi_id"), p.get("resource_id"),
                        p.get("http_method"), p.get("status_code"), patchOperations(r)))));
        bind("DeleteMethodResponse", "DELETE", METHOD + "/responses/{status_code}", (r, p) -> noContent(r,
                () -> state.deleteMethodResponse(p.get("restapi_id"), p.get("resource_id"), p.get("http_method"),
                        p.get("status_code"))));

        bind("PutIntegration", "PUT", METHOD + "/integration", this::putIntegration);
        bind("GetIntegration", "GET", METHOD + "/integration", (r, p) -> ok(r, ApiGatewayShapes.integration(
                state.integration(p.get("restapi_id"), p.get("resource_id"), p.get("http_method")))));
        bind("UpdateIntegration", "PATCH", METHOD + "/integration", (r, p) -> ok(r, ApiGatewayShapes.integration(
                state.updateIntegration(p.get("restapi_id"), p.get("resource_id"), p.get("http_method"),
                        patchOperations(r)))));
        bind("DeleteIntegration", "DELETE", METHOD + "/integration", (r, p) -> noContent(r,
                () -> state.deleteIntegration(p.get("restapi_id"), p.get("resource_id"), p.get("http_method"))));

        bind("PutIntegrationResponse", "PUT", METHOD + "/integration/responses/{status_code}",
                this::putIntegrationResponse);
        bind("GetIntegrationResponse", "GET", METHOD + "/integration/responses/{status_code}", (r, p) -> ok(r,
                ApiGatewayShapes.integrationResponse(state.integrationResponse(p.get("restapi_id"),
                        p.get("resource_id"), p.get("http_method"), p.get("status_code")))));
        bind("UpdateIntegrationResponse", "PATCH", METHOD + "/integration/responses/{status_code}", (r, p) -> ok(r,
                ApiGatewayShapes.integrationResponse(state.updateIntegrationResponse(p.get("restapi_id"),
                        p.get("resource_id"), p.get("http_method"), p.get("status_code"), patchOperations(r)))));
        bind("DeleteIntegrationResponse", "DELETE", METHOD + "/integration/responses/{status_code}",
                (r, p) -> noContent(r, () -> state.deleteIntegrationResponse(p.get("restapi_id"),
                        p.get("resource_id"), p.get("http_method"), p.get("status_code"))));

        bind("CreateModel", "POST", "/restapis/{restapi_id}/models", this::createModel);
        bind("GetModels", "GET", "/restapis/{restapi_id}/models", (r, p) -> ok(r,
                page(r, state.models(p.get("restapi_id")), Model::id, ApiGatewayShapes::model)));
        bind("GetModel", "GET", "/restapis/{restapi_id}/models/{model_name}",
                (r, p) -> ok(r, ApiGatewayShapes.model(state.model(p.get("restapi_id"), p.get("model_name")))));
        bind("DeleteModel", "DELETE", "/restapis/{restapi_id}/models/{model_name}",
                (r, p) -> accepted(r, () -> state.deleteModel(p.get("restapi_id"), p.get("model_name"))));

        bind("CreateRequestValidator", "POST", "/restapis/{restapi_id}/requestvalidators", (r, p) -> {
            ObjectNode body = RestJsonProtocol.body(r);
            return created(r, ApiGatewayShapes.requestValidator(state.createRequestValidator(p.get("restapi_id"),
                    JsonProtocol.text(body, "name"), bool(body, "validateRequestBody", false),
                    bool(body, "validateRequestParameters", false))));
        });
        bind("GetRequestValidators", "GET", "/restapis/{restapi_id}/requestvalidators", (r, p) -> ok(r,
                page(r, state.requestValidators(p.get("restapi_id")), RequestValidator::id,
                        ApiGatewayShapes::requestValidator)));
        bind("GetRequestValidator", "GET", "/restapis/{restapi_id}/requestvalidators/{requestvalidator_id}",
                (r, p) -> ok(r, ApiGatewayShapes.requestValidator(
                        state.requestValidator(p.get("restapi_id"), p.get("requestvalidator_id")))));
        bind("DeleteRequestValidator", "DELETE", "/restapis/{restapi_id}/requestvalidators/{requestvalidator_id}",
                (r, p) -> accepted(r, () -> state.deleteRequestValidator(p.get("restapi_id"),
                        p.get("requestvalidator_id"))));

        bind("CreateDeployment", "POST", "/restapis/{restapi_id}/deployments", this::createDeployment);
        bind("GetDeployments", "GET", "/restapis/{restapi_id}/deployments", (r, p) -> ok(r,
                page(r, state.deployments(p.get("restapi_id")), Deployment::id, d -> ApiGatewayShapes.deployment(d,
                        false))));
        bind("GetDeployment", "GET", "/restapis/{restapi_id}/deployments/{deployment_id}", (r, p) -> ok(r,
                ApiGatewayShapes.deployment(state.deployment(p.get("restapi_id"), p.get("deployment_id")),
                        RestJsonProtocol.queryList(r, "embed").contains("apisummary"))));
        bind("DeleteDeployment", "DELETE", "/restapis/{restapi_id}/deployments/{deployment_id}",
                (r, p) -> accepted(r, () -> state.deleteDeployment(p.get("restapi_id"), p.get("deployment_id"))));

        bind("CreateStage", "POST", "/restapis/{restapi_id}/stages", this::createStage);
        bind("GetStages", "GET", "/restapis/{restapi_id}/stages", (r, p) -> {
            ObjectNode out = JsonProtocol.NODES.objectNode();
            var items = out.putArray("item");
            state.stages(p.get("restapi_id"), r.queryParam("deploymentId"))
                    .forEach(s -> items.add(ApiGatewayShapes.stage(s)));
            return ok(r, out);
        });
        bind("GetStage", "GET", "/restapis/{restapi_id}/stages/{stage_name}",
                (r, p) -> ok(r, ApiGatewayShapes.stage(state.stage(p.get("restapi_id"), p.get("stage_name")))));
        bind("UpdateStage", "PATCH", "/restapis/{restapi_id}/stages/{stage_name}", this::updateStage);
        bind("DeleteStage", "DELETE", "/restapis/{restapi_id}/stages/{stage_name}",
                (r, p) -> accepted(r, () -> state.deleteStage(p.get("restapi_id"), p.get("stage_name"))));

        String gatewayResponse = "/restapis/{restapi_id}/gatewayresponses/{response_type}";
        bind("PutGatewayResponse", "PUT", gatewayResponse, (r, p) -> {
            ObjectNode body = RestJsonProtocol.body(r);
            return created(r, ApiGatewayShapes.gatewayResponse(state.putGatewayResponse(p.get("restapi_id"),
                    p.get("response_type"), JsonProtocol.text(body, "statusCode"), stringMap(body, "responseParameters"),
                    stringMap(body, "responseTemplates"))));
        });
        bind("GetGatewayResponse", "GET", gatewayResponse, (r, p) -> ok(r,
                ApiGatewayShapes.gatewayResponse(state.gatewayResponse(p.get("restapi_id"), p.get("response_type")))));
        bind("GetGatewayResponses", "GET", "/restapis/{restapi_id}/gatewayresponses", (r, p) -> ok(r,
                ApiGatewayShapes.page(state.gatewayResponses(p.get("restapi_id")).stream()
                        .map(ApiGatewayShapes::gatewayResponse).toList(), null)));
        bind("DeleteGatewayResponse", "DELETE", gatewayResponse, (r, p) -> accepted(r,
                () -> state.deleteGatewayResponse(p.get("restapi_id"), p.get("response_type"))));

        bind("CreateApiKey", "POST", "/apikeys", this::createApiKey);
        bind("GetApiKeys", "GET", "/apikeys", (r, p) -> {
            boolean values = RestJsonProtocol.queryBoolean(r, "includeValues");
            return ok(r, page(r, state.apiKeys(r.queryParam("name"), r.queryParam("customerId")), ApiKey::id,
                    k -> ApiGatewayShapes.apiKey(k, values)));
        });
        bind("GetApiKey", "GET", "/apikeys/{api_Key}", (r, p) -> ok(r, ApiGatewayShapes.apiKey(
                state.apiKey(p.get("api_Key")), RestJsonProtocol.queryBoolean(r, "includeValue"))));
        bind("DeleteApiKey", "DELETE", "/apikeys/{api_Key}", (r, p) -> accepted(r, () -> state.deleteApiKey(p.get("api_Key"))));

        bind("CreateUsagePlan", "POST", "/usageplans", this::createUsagePlan);
        bind("GetUsagePlans", "GET", "/usageplans", (r, p) -> ok(r,
                page(r, state.usagePlans(r.queryParam("keyId")), u -> u.id, ApiGatewayShapes::usagePlan)));
        bind("GetUsagePlan", "GET", "/usageplans/{usageplanId}",
                (r, p) -> ok(r, ApiGatewayShapes.usagePlan(state.usagePlan(p.get("usageplanId")))));
        bind("UpdateUsagePlan", "PATCH", "/usageplans/{usageplanId}", (r, p) -> ok(r,
                ApiGatewayShapes.usagePlan(state.updateUsagePlan(p.get("usageplanId"), patchOperations(r)))));
        bind("DeleteUsagePlan", "DELETE", "/usageplans/{usageplanId}",
                (r, p) -> accepted(r, () -> state.deleteUsagePlan(p.get("usageplanId"))));
        bind("CreateUsagePlanKey", "POST", "/usageplans/{usageplanId}/keys", (r, p) -> {
            ObjectNode body = RestJsonProtocol.body(r);
            return created(r, ApiGatewayShapes.usagePlanKey(state.createUsagePlanKey(p.get("usageplanId"),
                    JsonProtocol.text(body, "keyId"), JsonProtocol.text(body, "keyType"))));
        });
        bind("GetUsagePlanKeys", "GET", "/usageplans/{usageplanId}/keys", (r, p) -> ok(r,
                page(r, state.usagePlanKeys(p.get("usageplanId"), r.queryParam("name")), ApiKey::id,
                        ApiGatewayShapes::usagePlanKey)));
        bind("GetUsagePlanKey", "GET", "/usageplans/{usageplanId}/keys/{keyId}", (r, p) -> ok(r,
                ApiGatewayShapes.usagePlanKey(state.usagePlanKey(p.get("usageplanId"), p.get("keyId")))));
        bind("DeleteUsagePlanKey", "DELETE", "/usageplans/{usageplanId}/keys/{keyId}",
                (r, p) -> accepted(r, () -> state.deleteUsagePlanKey(p.get("usageplanId"), p.get("keyId"))));

        bind("GetAccount", "GET", "/account", (r, p) -> ok(r, ApiGatewayShapes.account(state.account())));
        bind("UpdateAccount", "PATCH", "/account",
                (r, p) -> ok(r, ApiGatewayShapes.account(state.updateAccount(patchOperations(r)))));

        bind("TagResource", "PUT", "/tags/{resource_arn}", (r, p) -> noContent(r,
                () -> state.tagResource(p.get("resource_arn"), stringMap(RestJsonProtocol.body(r), "tags"))));
        bind("UntagResource", "DELETE", "/tags/{resource_arn}", (r, p) -> noContent(r,
                () -> state.untagResource(p.get("resource_arn"), RestJsonProtocol.queryList(r, "tagKeys"))));
        bind("GetTags", "GET", "/tags/{resource_arn}",
                (r, p) -> ok(r, ApiGatewayShapes.tags(state.tags(p.get("resource_arn")))));

        // Imports share CreateRestApi's and CreateApiKey's path, told apart by a query parameter.
        refuse("ImportRestApi", "POST", "/restapis?mode=import");
        refuse("ImportApiKeys", "POST", "/apikeys?mode=import");

        List<BoundAction> rows = new ArrayList<>();
        routes.rows().forEach(row -> rows.add(row.handler()));
        rows.sort(Comparator.comparing((BoundAction b) -> b.http().uri().query().isEmpty()));
        dispatch = List.copyOf(rows);
    }

    private void bind(String operation, String method, String uri, Action handler) {
        routes.serve(operation, method, uri, new BoundAction(HttpBinding.of(operation, method, uri), handler));
    }

    private void refuse(String operation, String method, String uri) {
        routes.refuse(operation, method, uri, new BoundAction(HttpBinding.of(operation, method, uri), (r, p) -> {
            throw unknownOperation(r);
        }));
    }

    /** API Gateway's payload limit (10 MB), for the control plane's bodies too. */
    static final long MAX_REQUEST_BYTES = 10L * 1024 * 1024;

    @Override
    public BodyLimit bodyLimit(AwsRequest head) {
        return BodyLimit.inMemory(MAX_REQUEST_BYTES);
    }

    @Override
    public Route route() {
        return Route.signingName("apigateway");
    }

    @Override
    public AwsResponse handle(AwsRequest request) {
        List<String> segments = RestJsonProtocol.segments(request.rawPath());
        for (BoundAction b : dispatch) {
            Map<String, String> path = b.http().match(request.method(), segments);
            if (path != null && b.http().queryMatches(request)) {
                faults.check("apigateway", b.http().operation());
                // One lock for the change and for writing its result, so no shape is read mid-change.
                AwsResponse response;
                synchronized (state) {
                    response = b.action().handle(request, path);
                }
                return faults.shape("apigateway", b.http().operation(), response);
            }
        }
        throw unknownOperation(request);
    }

    @Override
    public List<Operation> operations() {
        return routes.operations();
    }

    private static AwsServiceException unknownOperation(AwsRequest request) {
        return new AwsServiceException(404, "UnknownOperationException",
                "Unknown operation: " + request.method() + " " + request.rawPath());
    }

    /**
     * API Gateway's control plane in IAM's terms: {@code apigateway:<HTTP method>} on
     * {@code arn:aws:apigateway:<region>::<path>}, with the tags of the API, key or usage plan the
     * path is under and the tags the request sets; and iam:PassRole, to apigateway.amazonaws.com, on
     * a role an integration's credentials or the account's CloudWatch role hands over.
     */
    @Override
    public List<Access> access(AwsRequest request) {
        String region = request.region(defaultRegion);
        String path = request.rawPath();
        String prefix = "arn:aws:apigateway:" + region + "::";
        Map<String, String> resourceTags = new HashMap<>();
        Matcher tagged = OWNER.matcher(path);
        if (path.startsWith("/tags/")) {
            resourceTags.putAll(state.tagsIfAny(RestXmlProtocol.decodePath(path.substring("/tags/".length()))));
        } else if (tagged.lookingAt()) {
            // A REST API's children inherit its tags for access control; a stage's own tags win.
            resourceTags.putAll(state.tagsIfAny(prefix + "/" + tagged.group(1)));
            if (tagged.group(2) != null) {
                resourceTags.putAll(state.tagsIfAny(prefix + tagged.group()));
            }
        }
        ObjectNode body = request.body().length == 0 || request.method().equals("GET") || request.method().equals("DELETE")
                ? JsonProtocol.NODES.objectNode() : RestJsonProtocol.body(request);
        Map<String, String> tags = new LinkedHashMap<>();
        body.path("tags").fields().forEachRemaining(e -> tags.put(e.getKey(), e.getValue().asText()));
        List<String> removed = request.queryParams().getOrDefault("tagKeys", List.of());
        List<Access> needed = new ArrayList<>();
        needed.add(Access.of("apigateway:" + request.method(), prefix + path)
                .resourceTags(resourceTags).requestTags(tags).tagKeys(removed));
        List<String> roles = new ArrayList<>();
        if (request.method().equals("PUT") && path.endsWith("/integration") && body.hasNonNull("credentials")) {
            roles.add(body.get("credentials").asText());
        }
        for (JsonNode op : body.path("patchOperations")) {
            String field = op.path("path").asText();
            if ((field.equals("/credentials") || field.equals("/cloudwatchRoleArn")) && op.hasNonNull("value")) {
                roles.add(op.get("value").asText());
            }
        }
        roles.stream().filter(r -> r.startsWith("arn:"))
                .forEach(role -> needed.add(Access.passRole(role, "apigateway.amazonaws.com")));
        return needed;
    }

    @Override
    public CallerErrors callerErrors() {
        return CallerErrors.REST_JSON;
    }

    @Override
    public AwsResponse error(AwsRequest request, AwsServiceException error) {
        return RestJsonProtocol.error(request, error);
    }

    // ---- operations with inputs worth a method ----

    private AwsResponse createRestApi(AwsRequest r, Map<String, String> p) {
        ObjectNode body = RestJsonProtocol.body(r);
        JsonNode endpoint = body.path("endpointConfiguration");
        List<String> types = endpoint.isObject() ? stringList(endpoint, "types") : null;
        String ip = endpoint.isObject() ? JsonProtocol.text(endpoint, "ipAddressType") : null;
        return created(r, ApiGatewayShapes.restApi(state.createRestApi(JsonProtocol.text(body, "name"),
                JsonProtocol.text(body, "description"), types, ip, stringMap(body, "tags"))));
    }

    private AwsResponse getRestApis(AwsRequest r, Map<String, String> p) {
        return ok(r, page(r, state.restApis(), a -> a.id, ApiGatewayShapes::restApi));
    }

    private AwsResponse getResources(AwsRequest r, Map<String, String> p) {
        boolean embed = embedsMethods(r);
        return ok(r, page(r, state.resources(p.get("restapi_id")), res -> res.id,
                res -> ApiGatewayShapes.resource(res, embed)));
    }

    private static boolean embedsMethods(AwsRequest r) {
        return RestJsonProtocol.queryList(r, "embed").contains("methods");
    }

    private AwsResponse putMethod(AwsRequest r, Map<String, String> p) {
        ObjectNode body = RestJsonProtocol.body(r);
        ApiGatewayService.MethodSpec spec = new ApiGatewayService.MethodSpec(
                JsonProtocol.text(body, "authorizationType"), JsonProtocol.text(body, "authorizerId"),
                bool(body, "apiKeyRequired", false), JsonProtocol.text(body, "requestValidatorId"),
                JsonProtocol.text(body, "operationName"), boolMap(body, "requestParameters"),
                stringMap(body, "requestModels"));
        return created(r, ApiGatewayShapes.method(
                state.putMethod(p.get("restapi_id"), p.get("resource_id"), p.get("http_method"), spec)));
    }

    private AwsResponse putMethodResponse(AwsRequest r, Map<String, String> p) {
        ObjectNode body = RestJsonProtocol.body(r);
        return created(r, ApiGatewayShapes.methodResponse(state.putMethodResponse(p.get("restapi_id"),
                p.get("resource_id"), p.get("http_method"), p.get("status_code"), boolMap(body, "responseParameters"),
                stringMap(body, "responseModels"))));
    }

    private AwsResponse putIntegration(AwsRequest r, Map<String, String> p) {
        ObjectNode body = RestJsonProtocol.body(r);
        ApiGatewayService.IntegrationSpec spec = new ApiGatewayService.IntegrationSpec(JsonProtocol.text(body, "type"),
                JsonProtocol.text(body, "httpMethod"), JsonProtocol.text(body, "uri"),
                JsonProtocol.text(body, "credentials"), stringMap(body, "requestParameters"),
                stringMap(body, "requestTemplates"), JsonProtocol.text(body, "passthroughBehavior"),
                JsonProtocol.text(body, "contentHandling"), JsonProtocol.integer(body, "timeoutInMillis"));
        return created(r, ApiGatewayShapes.integration(
                state.putIntegration(p.get("restapi_id"), p.get("resource_id"), p.get("http_method"), spec)));
    }

    private AwsResponse putIntegrationResponse(AwsRequest r, Map<String, String> p) {
        ObjectNode body = RestJsonProtocol.body(r);
        return created(r, ApiGatewayShapes.integrationResponse(state.putIntegrationResponse(p.get("restapi_id"),
                p.get("resource_id"), p.get("http_method"), p.get("status_code"),
                JsonProtocol.text(body, "selectionPattern"), stringMap(body, "responseParameters"),
                stringMap(body, "responseTemplates"), JsonProtocol.text(body, "contentHandling"))));
    }

    private AwsResponse createModel(AwsRequest r, Map<String, String> p) {
        ObjectNode body = RestJsonProtocol.body(r);
        return created(r, ApiGatewayShapes.model(state.createModel(p.get("restapi_id"),
                JsonProtocol.text(body, "name"), JsonProtocol.text(body, "description"),
                JsonProtocol.text(body, "schema"), JsonProtocol.text(body, "contentType"))));
    }

    private AwsResponse createDeployment(AwsRequest r, Map<String, String> p) {
        ObjectNode body = RestJsonProtocol.body(r);
        return created(r, ApiGatewayShapes.deployment(state.createDeployment(p.get("restapi_id"),
                JsonProtocol.text(body, "stageName"), JsonProtocol.text(body, "stageDescription"),
                JsonProtocol.text(body, "description"), stringMap(body, "variables")), false));
    }

    private AwsResponse createStage(AwsRequest r, Map<String, String> p) {
        ObjectNode body = RestJsonProtocol.body(r);
        return created(r, ApiGatewayShapes.stage(state.createStage(p.get("restapi_id"),
                JsonProtocol.text(body, "stageName"), JsonProtocol.text(body, "deploymentId"),
                JsonProtocol.text(body, "description"), stringMap(body, "variables"), stringMap(body, "tags"))));
    }

    private AwsResponse updateStage(AwsRequest r, Map<String, String> p) {
        return ok(r, ApiGatewayShapes.stage(state.updateStage(p.get("restapi_id"), p.get("stage_name"), patchOperations(r))));
    }

    /** The patchOperations of an Update… request. */
    private static List<ApiGatewayService.PatchOperation> patchOperations(AwsRequest r) {
        ObjectNode body = RestJsonProtocol.body(r);
        List<ApiGatewayService.PatchOperation> ops = new ArrayList<>();
        for (JsonNode op : body.path("patchOperations")) {
            ops.add(new ApiGatewayService.PatchOperation(JsonProtocol.text(op, "op"), JsonProtocol.text(op, "path"),
                    JsonProtocol.text(op, "value")));
        }
        return ops;
    }

    private AwsResponse createApiKey(AwsRequest r, Map<String, String> p) {
        ObjectNode body = RestJsonProtocol.body(r);
        return created(r, ApiGatewayShapes.apiKey(state.createApiKey(JsonProtocol.text(body, "name"),
                JsonProtocol.text(body, "description"), bool(body, "enabled", false), JsonProtocol.text(body, "value"),
                JsonProtocol.text(body, "customerId"), stringMap(body, "tags")), true));
    }

    private AwsResponse createUsagePlan(AwsRequest r, Map<String, String> p) {
        ObjectNode body = RestJsonProtocol.body(r);
        List<UsagePlan.ApiStage> stages = new ArrayList<>();
        for (JsonNode s : body.path("apiStages")) {
            Map<String, UsagePlan.Throttle> methodThrottles = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = s.path("throttle").fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                methodThrottles.put(e.getKey(), throttle(e.getValue()));
            }
            stages.add(new UsagePlan.ApiStage(JsonProtocol.text(s, "apiId"), JsonProtocol.text(s, "stage"),
                    methodThrottles));
        }
        JsonNode q = body.get("quota");
        UsagePlan.Quota quota = q == null || q.isNull() ? null : new UsagePlan.Quota(
                orZero(JsonProtocol.integer(q, "limit")), orZero(JsonProtocol.integer(q, "offset")),
                JsonProtocol.text(q, "period"));
        JsonNode t = body.get("throttle");
        return created(r, ApiGatewayShapes.usagePlan(state.createUsagePlan(JsonProtocol.text(body, "name"),
                JsonProtocol.text(body, "description"), stages, t == null || t.isNull() ? null : throttle(t), quota,
                stringMap(body, "tags"))));
    }

    private static UsagePlan.Throttle throttle(JsonNode t) {
        JsonNode rate = t.get("rateLimit");
        if (rate != null && !rate.isNull() && !rate.isNumber()) {
            throw JsonProtocol.serialization("Expected a number for rateLimit");
        }
        return new UsagePlan.Throttle(JsonProtocol.integer(t, "burstLimit"),
                rate == null || rate.isNull() ? null : rate.doubleValue());
    }

    private static int orZero(Integer i) {
        return i == null ? 0 : i;
    }

    // ---- responses ----

    private static AwsResponse ok(AwsRequest r, JsonNode body) {
        return RestJsonProtocol.json(r, 200, body);
    }

    private static AwsResponse created(AwsRequest r, JsonNode body) {
        return RestJsonProtocol.json(r, 201, body);
    }

    private static AwsResponse accepted(AwsRequest r, Runnable change) {
        change.run();
        return RestJsonProtocol.empty(r, 202);
    }

    private static AwsResponse noContent(AwsRequest r, Runnable change) {
        change.run();
        return RestJsonProtocol.empty(r, 204);
    }

    /**
     * A page of a collection in AWS's order: {@code limit} (1–500, default 25) items from
     * {@code position}, an opaque token that is the id of the first item of the page.
     */
    private static <T> ObjectNode page(AwsRequest r, List<T> all, Function<T, String> id,
            Function<T, ObjectNode> shape) {
        Integer limit = RestJsonProtocol.queryInt(r, "limit");
        int size = limit == null ? DEFAULT_PAGE : limit;
        if (size < 1 || size > MAX_PAGE) {
            throw ApiGatewayService.badRequest("Invalid limit " + size + ": must be between 1 and " + MAX_PAGE);
        }
        String position = r.queryParam("position");
        int from = 0;
        if (position != null && !position.isEmpty()) {
            from = -1;
            for (int i = 0; i < all.size(); i++) {
                if (id.apply(all.get(i)).equals(position)) {
                    from = i;
                    break;
                }
            }
            if (from < 0) {
                throw ApiGatewayService.badRequest("Invalid position parameter");
            }
        }
        int to = Math.min(all.size(), from + size);
        List<ObjectNode> items = all.subList(from, to).stream().map(shape).toList();
        return ApiGatewayShapes.page(items, to < all.size() ? id.apply(all.get(to)) : null);
    }

    // ---- input members ----

    private static boolean bool(JsonNode node, String field, boolean absent) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return absent;
        }
        if (!v.isBoolean()) {
            throw JsonProtocol.serialization("class " + javaType(v) + " can not be converted to an Boolean");
        }
        return v.booleanValue();
    }

    private static Map<String, String> stringMap(JsonNode node, String field) {
        return map(node, field, value -> {
            if (!value.isNull() && !value.isTextual()) {
                throw JsonProtocol.serialization("class " + javaType(value) + " can not be converted to an String");
            }
            return value.isNull() ? null : value.textValue();
        });
    }

    /** Maps of name → required flag (method parameters); a non-boolean flag is AWS's mapping error. */
    private static Map<String, Boolean> boolMap(JsonNode node, String field) {
        return map(node, field, value -> {
            if (!value.isBoolean()) {
                throw ApiGatewayService.badRequest("Invalid mapping expression specified: Validation Result: warnings : "
                        + "[], errors : [Invalid mapping expression specified: " + value.asText() + "]");
            }
            return value.booleanValue();
        });
    }

    private static <V> Map<String, V> map(JsonNode node, String field, Function<JsonNode, V> value) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        Map<String, V> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), value.apply(e.getValue()));
        }
        return out;
    }

    private static List<String> stringList(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        v.forEach(item -> out.add(item.asText()));
        return out;
    }

    /** The Java class AWS's deserialiser names in its SerializationException messages. */
    private static String javaType(JsonNode v) {
        if (v.isBoolean()) {
            return "java.lang.Boolean";
        }
        if (v.isNumber()) {
            return "com.amazon.coral.value.json.numbers.TruncatingBigNumber";
        }
        return v.isArray() ? "java.util.ArrayList" : "java.util.LinkedHashMap";
    }
}
