package dev.clicklog.localaws.apigateway;

import dev.clicklog.localaws.apigateway.invoke.GatewayResponses;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A REST API and everything defined in it; mutated only under the state's lock. */
public final class RestApi {

    public final String id;
    public final String name;
    final String description;
    final Instant createdDate;
    final List<String> endpointTypes;
    final String ipAddressType;
    public final String rootResourceId;
    final Map<String, String> tags = new LinkedHashMap<>();
    public final Map<String, ApiResource> resources = new LinkedHashMap<>();
    public final Map<String, Model> models = new LinkedHashMap<>();
    public final Map<String, RequestValidator> validators = new LinkedHashMap<>();
    final Map<String, Deployment> deployments = new LinkedHashMap<>();
    final Map<String, Stage> stages = new LinkedHashMap<>();
    /** The gateway responses customised with PutGatewayResponse, by type. */
    public final Map<String, GatewayResponses.GatewayResponse> gatewayResponses = new LinkedHashMap<>();

    RestApi(String id, String name, String description, Instant createdDate, List<String> endpointTypes,
            String ipAddressType, String rootResourceId) {
        this.id = id;
        this.name = name;
        this.description = description;
        this.createdDate = createdDate;
        this.endpointTypes = List.copyOf(endpointTypes);
        this.ipAddressType = ipAddressType;
        this.rootResourceId = rootResourceId;
    }

    boolean hasMethods() {
        return resources.values().stream().anyMatch(r -> !r.methods.isEmpty());
    }
}
