package dev.clicklog.localaws.apigateway.invoke;

import dev.clicklog.localaws.apigateway.ApiMethod;
import dev.clicklog.localaws.apigateway.ApiResource;
import dev.clicklog.localaws.apigateway.RequestValidator;
import dev.clicklog.localaws.apigateway.RestApi;
import dev.clicklog.localaws.apigateway.template.MappingTemplates;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;

import dev.clicklog.localaws.apigateway.template.MappingTemplates.MappingTemplate;

/**
 * What a deployment froze of an API: its resource tree, ready for routing, with every method's
 * templates and models compiled. Immutable, so the data plane reads it without locks; later changes
 * to the API reach clients only through a new deployment, as on AWS.
 */
public final class DeployedApi {

    /** A resource in the routing tree: literal children first, then one {param} or {param+} child. */
    private static final class Node {
        final ApiResource resource;
        final Map<String, Node> literals = new HashMap<>();
        Node variable;
        Node greedy;
        final Map<String, DeployedMethod> methods = new HashMap<>();

        Node(ApiResource resource) {
            this.resource = resource;
        }

        String paramName() {
            String p = resource.pathPart;
            return p.substring(1, p.length() - (resource.greedy() ? 2 : 1));
        }
    }

    /** A request's method and the path parameters its resource path bound. */
    record Match(DeployedMethod method, Map<String, String> pathParameters) {
    }

    /**
     * A gateway response as deployed: its status (null: the error's own), header mappings and
     * compiled templates; {@code builtIn} when nothing customises it, so the error's plain message answers.
     */
    record GatewayResponseMapping(Integer status, Map<String, String> headers, Map<String, MappingTemplate> templates,
            boolean builtIn) {
    }

    final String apiId;
    public final String apiName;
    /** resource path → method → {authorizationType, apiKeyRequired}, as GetDeployment embeds it. */
    public final Map<String, Map<String, DeployedMethod>> summary;
    private final Node root;
    private final Map<String, GatewayResponseMapping> gatewayResponses;

    private DeployedApi(String apiId, String apiName, Node root, Map<String, Map<String, DeployedMethod>> summary,
            Map<String, GatewayResponseMapping> gatewayResponses) {
        this.apiId = apiId;
        this.apiName = apiName;
        this.root = root;
        this.summary = summary;
        this.gatewayResponses = gatewayResponses;
    }

    /** The deployed gateway response of a type (one of {@link GatewayResponses#DEFAULT_STATUS}). */
    GatewayResponseMapping gatewayResponse(String type) {
        return gatewayResponses.get(type);
    }

    /** Compiles the API as it is now; the caller holds the state's lock. */
    public static DeployedApi compile(RestApi api, MappingTemplates templates) {
        JsonSchemaFactory schemas = ModelSchemas.factory(api.id, api.models.values());
        Map<String, JsonSchema> compiledModels = new HashMap<>();
        api.models.values().forEach(m -> compiledModels.put(m.name(), ModelSchemas.compile(schemas, m.schema())));

        Map<String, Node> nodes = new HashMap<>();
        api.resources.values().forEach(r -> nodes.put(r.id, new Node(r)));
        Map<String, Map<String, DeployedMethod>> summary = new TreeMap<>();
        for (Node node : nodes.values()) {
            ApiResource r = node.resource;
            if (r.parentId != null) {
                Node parent = nodes.get(r.parentId);
                if (r.greedy()) {
                    parent.greedy = node;
                } else if (r.variable()) {
                    parent.variable = node;
                } else {
                    parent.literals.put(r.pathPart, node);
                }
            }
            for (ApiMethod m : r.methods.values()) {
                RequestValidator validator = m.requestValidatorId == null ? null : api.validators.get(m.requestValidatorId);
                Map<String, JsonSchema> models = new LinkedHashMap<>();
                m.requestModels.forEach((contentType, model) -> models.put(contentType, compiledModels.get(model)));
                DeployedMethod deployed = new DeployedMethod(r, m, validator, models, templates);
                node.methods.put(m.httpMethod, deployed);
                summary.computeIfAbsent(r.path, k -> new TreeMap<>()).put(m.httpMethod, deployed);
            }
        }
        return new DeployedApi(api.id, api.name, nodes.get(api.rootResourceId), Collections.unmodifiableMap(summary),
                compileGatewayResponses(api, templates));
    }

    /** Gateway responses take effect when deployed, as on AWS: each type's as the API defines it now. */
    private static Map<String, GatewayResponseMapping> compileGatewayResponses(RestApi api, MappingTemplates templates) {
        Map<String, GatewayResponseMapping> compiled = new HashMap<>();
        for (GatewayResponses.GatewayResponse r : GatewayResponses.all(api.gatewayResponses)) {
            String type = r.responseType();
            compiled.put(type, new GatewayResponseMapping(r.statusCode() == null ? null : Integer.valueOf(r.statusCode()),
                    Map.copyOf(r.responseParameters()),
                    DeployedMethod.compileAll(templates, "gateway response " + type, r.responseTemplates()),
                    r.equals(GatewayResponses.builtIn(type))));
        }
        return Map.copyOf(compiled);
    }

    /**
     * Resolves a request path (decoded segments) as API Gateway does: at each level a literal path
     * part wins over a {param}, which wins over a greedy {param+}; then the method, or ANY.
     */
    Match match(String httpMethod, List<String> segments) {
        Map<String, String> params = new HashMap<>();
        Node node = resolve(root, segments, 0, params);
        if (node == null) {
            return null;
        }
        DeployedMethod method = node.methods.get(httpMethod);
        if (method == null) {
            method = node.methods.get("ANY");
        }
        return method == null ? null : new Match(method, params);
    }

    private static Node resolve(Node node, List<String> segments, int i, Map<String, String> params) {
        if (i == segments.size()) {
            return node;
        }
        String segment = segments.get(i);
        Node literal = node.literals.get(segment);
        if (literal != null) {
            Node found = resolve(literal, segments, i + 1, params);
            if (found != null) {
                return found;
            }
        }
        if (node.variable != null && !segment.isEmpty()) {
            Node found = resolve(node.variable, segments, i + 1, params);
            if (found != null) {
                params.put(node.variable.paramName(), segment);
                return found;
            }
        }
        if (node.greedy != null) {
            params.put(node.greedy.paramName(), String.join("/", segments.subList(i, segments.size())));
            return node.greedy;
        }
        return null;
    }
}
