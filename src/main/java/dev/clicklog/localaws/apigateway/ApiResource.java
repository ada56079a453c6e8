package dev.clicklog.localaws.apigateway;

import java.util.LinkedHashMap;
import java.util.Map;

/** A resource (path) of a REST API and its methods; the root has no parent and no path part. */
public final class ApiResource {

    public final String id;
    public final String parentId;
    public final String pathPart;
    public final String path;
    public final Map<String, ApiMethod> methods = new LinkedHashMap<>();

    ApiResource(String id, String parentId, String pathPart, String path) {
        this.id = id;
        this.parentId = parentId;
        this.pathPart = pathPart;
        this.path = path;
    }

    /** A {param} or {param+} path part. */
    public boolean variable() {
        return pathPart != null && pathPart.startsWith("{");
    }

    public boolean greedy() {
        return pathPart != null && pathPart.endsWith("+}");
    }
}
