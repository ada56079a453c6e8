package dev.clicklog.localaws.apigateway;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import dev.clicklog.localaws.apigateway.ApiGatewayService.PatchOperation;

/**
 * The patch operations of UpdateMethod, UpdateMethodResponse, UpdateIntegration and
 * UpdateIntegrationResponse, applied to a copy of the resource's settings: {@code replace} of a
 * scalar member ({@code /apiKeyRequired}, {@code /uri}, …), and {@code add}, {@code replace} and
 * {@code remove} of one entry of a map member ({@code /responseParameters/method.response.header.Vary},
 * {@code /requestTemplates/application~1json} — JSON Pointer escapes "/" as "~1"). A path the
 * resource does not have is a BadRequestException naming the paths it has, as API Gateway answers.
 * Nothing is changed here: the caller checks the result as a Put… would, then replaces the resource.
 */
final class Patch {

    private final String resource;
    private final Set<String> scalars;
    private final Map<String, Map<String, String>> maps = new LinkedHashMap<>();
    private final Map<String, String> values = new LinkedHashMap<>();

    /**
     * @param resource what is patched, for messages ("Method", "Integration", …)
     * @param scalars  the scalar members {@code replace} may set, e.g. "/uri"
     * @param maps     the map members by path ("/requestTemplates"), with their current entries
     */
    Patch(String resource, Set<String> scalars, Map<String, Map<String, String>> maps) {
        this.resource = resource;
        this.scalars = scalars;
        maps.forEach((path, entries) -> this.maps.put(path, entries == null ? new LinkedHashMap<>()
                : new LinkedHashMap<>(entries)));
    }

    /** Applies every operation in order; the first one that does not fit throws and nothing is applied. */
    Patch apply(List<PatchOperation> operations) {
        for (PatchOperation op : operations) {
            apply(op);
        }
        return this;
    }

    /** The new value of a scalar member, or {@code current} when no operation replaced it. */
    String scalar(String path, String current) {
        return values.getOrDefault(path, current);
    }

    boolean replaced(String path) {
        return values.containsKey(path);
    }

    /** A map member after the operations. */
    Map<String, String> map(String path) {
        return maps.get(path);
    }

    /** A map member of booleans ("true"/"false" in patch values) after the operations. */
    Map<String, Boolean> booleans(String path) {
        return convert(maps.get(path), Boolean::parseBoolean);
    }

    /** Map entries of booleans as the patch handles them: text. */
    static Map<String, String> text(Map<String, Boolean> booleans) {
        return convert(booleans, String::valueOf);
    }

    private static <A, B> Map<String, B> convert(Map<String, A> map, Function<A, B> f) {
        if (map == null) {
            return null;
        }
        Map<String, B> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(k, f.apply(v)));
        return out;
    }

    private void apply(PatchOperation op) {
        String operation = op.op();
        if (operation == null || !Set.of("add", "remove", "replace", "move", "copy", "test").contains(operation)) {
            throw ApiGatewayService.validation("Value '" + operation + "' at 'patchOperations.1.member.op' failed to "
                    + "satisfy constraint: Member must satisfy enum value set: [add, remove, move, test, replace, copy]");
        }
        String path = op.path() == null ? "" : op.path();
        if (scalars.contains(path)) {
            if (!operation.equals("replace")) {
                throw ApiGatewayService.badRequest("Invalid patch operation specified. Must be one of: [replace]");
            }
            values.put(path, op.value());
            return;
        }
        for (Map.Entry<String, Map<String, String>> member : maps.entrySet()) {
            String prefix = member.getKey() + "/";
            if (!path.startsWith(prefix) || path.length() == prefix.length()) {
                continue;
            }
            String key = unescape(path.substring(prefix.length()));
            Map<String, String> entries = member.getValue();
            switch (operation) {
                case "add" -> entries.put(key, op.value() == null ? "" : op.value());
                case "replace" -> {
                    if (!entries.containsKey(key)) {
                        throw ApiGatewayService.notFound("Invalid " + member.getKey().substring(1) + " key specified: " + key);
                    }
                    entries.put(key, op.value() == null ? "" : op.value());
                }
                case "remove" -> {
                    if (entries.remove(key) == null) {
                        throw ApiGatewayService.notFound("Invalid " + member.getKey().substring(1) + " key specified: " + key);
                    }
                }
                default -> throw ApiGatewayService.badRequest(
                        "Invalid patch operation specified. Must be one of: [add, remove, replace]");
            }
            return;
        }
        List<String> valid = new ArrayList<>(scalars);
        maps.keySet().forEach(m -> valid.add(m + "/{key}"));
        throw ApiGatewayService.badRequest("Invalid patch path '" + path + "' specified for op '" + operation + "' on "
                + resource + ". Must be one of: " + valid);
    }

    /** JSON Pointer: "~1" stands for "/", "~0" for "~". */
    private static String unescape(String segment) {
        return segment.replace("~1", "/").replace("~0", "~");
    }
}
