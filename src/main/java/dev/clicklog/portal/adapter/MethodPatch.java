package dev.clicklog.portal.adapter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import dev.clicklog.portal.adapter.IngestApiDefinition.Integration;
import dev.clicklog.portal.adapter.IngestApiDefinition.IntegrationResponse;
import dev.clicklog.portal.adapter.IngestApiDefinition.MethodSpec;

/**
 * How a method of the ingest API gets from what API Gateway has to what the definition says, as
 * API Gateway's patch operations (UpdateMethod, UpdateMethodResponse, UpdateIntegration,
 * UpdateIntegrationResponse) and the responses to put or delete — so a change of the allowed
 * origins or of the API key touches only what differs. Worked out without AWS: plain data in,
 * plain data out. A method whose integration is of another kind (type, or none) is replaced whole.
 *
 * @param replace                 the method must be deleted and put again
 * @param method                  UpdateMethod's operations
 * @param putMethodResponses      method responses to create (status codes)
 * @param methodResponses         UpdateMethodResponse's operations that add or replace, by status
 * @param integration             UpdateIntegration's operations
 * @param putIntegrationResponses integration responses to create
 * @param integrationResponses    UpdateIntegrationResponse's operations, by status
 * @param deleteIntegrationResponses integration responses to delete
 * @param methodResponseRemovals  UpdateMethodResponse's operations that remove, by status — applied
 *                                last, once no integration response maps those headers any more
 * @param deleteMethodResponses   method responses to delete, last
 */
public record MethodPatch(boolean replace, List<Op> method, Set<String> putMethodResponses,
        Map<String, List<Op>> methodResponses, List<Op> integration, Set<String> putIntegrationResponses,
        Map<String, List<Op>> integrationResponses, Set<String> deleteIntegrationResponses,
        Map<String, List<Op>> methodResponseRemovals, Set<String> deleteMethodResponses) {

    /** One patch operation: add, replace or remove, at a JSON Pointer path. */
    public record Op(String op, String path, String value) {
    }

    /** Nothing to do. */
    public boolean none() {
        return !replace && method.isEmpty() && putMethodResponses.isEmpty() && methodResponses.isEmpty()
                && integration.isEmpty() && putIntegrationResponses.isEmpty() && integrationResponses.isEmpty()
                && deleteIntegrationResponses.isEmpty() && methodResponseRemovals.isEmpty()
                && deleteMethodResponses.isEmpty();
    }

    /** What takes {@code current} (as API Gateway describes it) to {@code wanted}. */
    public static MethodPatch between(MethodSpec current, MethodSpec wanted) {
        Integration is = current.integration();
        Integration should = wanted.integration();
        if (is == null || !Objects.equals(is.type(), should.type())) {
            return replaceWhole();
        }
        List<Op> method = new ArrayList<>();
        if (current.apiKeyRequired() != wanted.apiKeyRequired()) {
            method.add(new Op("replace", "/apiKeyRequired", Boolean.toString(wanted.apiKeyRequired())));
        }
        if (!Objects.equals(current.requestValidatorId(), wanted.requestValidatorId())) {
            method.add(new Op("replace", "/requestValidatorId", wanted.requestValidatorId() == null ? ""
                    : wanted.requestValidatorId()));
        }
        method.addAll(mapOps("/requestModels", current.requestModels(), wanted.requestModels()));

        Set<String> putMethodResponses = new TreeSet<>();
        Map<String, List<Op>> methodResponses = new TreeMap<>();
        Map<String, List<Op>> removals = new TreeMap<>();
        wanted.methodResponses().forEach((status, headers) -> {
            Map<String, Boolean> have = current.methodResponses().get(status);
            if (have == null) {
                putMethodResponses.add(status);
                return;
            }
            List<Op> ops = mapOps("/responseParameters", text(have), text(headers));
            addNonEmpty(methodResponses, status, ops.stream().filter(o -> !o.op().equals("remove")).toList());
            addNonEmpty(removals, status, ops.stream().filter(o -> o.op().equals("remove")).toList());
        });
        Set<String> deleteMethodResponses = new TreeSet<>(current.methodResponses().keySet());
        deleteMethodResponses.removeAll(wanted.methodResponses().keySet());

        List<Op> integration = new ArrayList<>();
        scalar(integration, "/httpMethod", is.httpMethod(), should.httpMethod());
        scalar(integration, "/uri", is.uri(), should.uri());
        scalar(integration, "/credentials", is.credentials(), should.credentials());
        scalar(integration, "/passthroughBehavior", is.passthroughBehavior(), should.passthroughBehavior());
        integration.addAll(mapOps("/requestParameters", is.requestParameters(), should.requestParameters()));
        integration.addAll(mapOps("/requestTemplates", is.requestTemplates(), should.requestTemplates()));

        Set<String> putIntegrationResponses = new TreeSet<>();
        Map<String, List<Op>> integrationResponses = new TreeMap<>();
        should.responses().forEach((status, response) -> {
            IntegrationResponse have = is.responses().get(status);
            if (have == null) {
                putIntegrationResponses.add(status);
                return;
            }
            List<Op> ops = new ArrayList<>();
            scalar(ops, "/selectionPattern", have.selectionPattern(), response.selectionPattern());
            ops.addAll(mapOps("/responseParameters", have.responseParameters(), response.responseParameters()));
            ops.addAll(mapOps("/responseTemplates", have.responseTemplates(), response.responseTemplates()));
            addNonEmpty(integrationResponses, status, ops);
        });
        Set<String> deleteIntegrationResponses = new TreeSet<>(is.responses().keySet());
        deleteIntegrationResponses.removeAll(should.responses().keySet());

        return new MethodPatch(false, method, putMethodResponses, methodResponses, integration, putIntegrationResponses,
                integrationResponses, deleteIntegrationResponses, removals, deleteMethodResponses);
    }

    private static MethodPatch replaceWhole() {
        return new MethodPatch(true, List.of(), Set.of(), Map.of(), List.of(), Set.of(), Map.of(), Set.of(), Map.of(),
                Set.of());
    }

    /** JSON Pointer escapes "~" as "~0" and "/" as "~1" in a path segment (a content type, a header). */
    static String segment(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    private static List<Op> mapOps(String member, Map<String, String> current, Map<String, String> wanted) {
        Map<String, String> is = current == null ? Map.of() : current;
        Map<String, String> should = wanted == null ? Map.of() : wanted;
        List<Op> ops = new ArrayList<>();
        should.forEach((key, value) -> {
            if (!is.containsKey(key)) {
                ops.add(new Op("add", member + "/" + segment(key), value));
            } else if (!Objects.equals(is.get(key), value)) {
                ops.add(new Op("replace", member + "/" + segment(key), value));
            }
        });
        is.keySet().stream().filter(k -> !should.containsKey(k))
                .forEach(k -> ops.add(new Op("remove", member + "/" + segment(k), null)));
        return ops;
    }

    private static void scalar(List<Op> ops, String path, String current, String wanted) {
        if (!Objects.equals(current, wanted)) {
            ops.add(new Op("replace", path, wanted == null ? "" : wanted));
        }
    }

    private static Map<String, String> text(Map<String, Boolean> booleans) {
        Map<String, String> text = new LinkedHashMap<>();
        booleans.forEach((k, v) -> text.put(k, String.valueOf(v)));
        return text;
    }

    private static void addNonEmpty(Map<String, List<Op>> byStatus, String status, List<Op> ops) {
        if (!ops.isEmpty()) {
            byStatus.put(status, ops);
        }
    }
}
