package dev.clicklog.portal.web.api;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.clicklog.portal.pipeline.PipelinePatch;
import dev.clicklog.portal.pipeline.PipelineRequest;

/**
 * A JSON merge patch (RFC 7396) of a pipeline: applied to the pipeline's current request as a
 * JSON object, a member's value replaces the current one, {@code null} removes it (the field then
 * takes its default), and the result is read as strictly as a new request. Switching to on-demand
 * capacity drops the shard count unless the patch gives one, as a shard count does not apply there.
 */
final class MergePatch implements PipelinePatch {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode patch;

    /** @param patch a JSON object */
    MergePatch(ObjectNode patch) {
        this.patch = patch;
    }

    @Override
    public Result applyTo(PipelineRequest current) {
        ObjectNode target = JSON.valueToTree(current);
        removeNulls(target);
        merge(target, patch);
        JsonNode onDemand = patch.get("onDemand");
        if (onDemand != null && onDemand.isBoolean() && onDemand.booleanValue() && !patch.has("shards")) {
            target.remove("shards");
        }
        PipelineRequestJson.Read read = PipelineRequestJson.read(target);
        return new Result(read.request(), read.violations());
    }

    /** RFC 7396's MergePatch on objects: null removes, objects merge member by member, anything else replaces. */
    static void merge(ObjectNode target, ObjectNode patch) {
        Iterator<Map.Entry<String, JsonNode>> members = patch.fields();
        while (members.hasNext()) {
            Map.Entry<String, JsonNode> m = members.next();
            JsonNode value = m.getValue();
            if (value.isNull()) {
                target.remove(m.getKey());
            } else if (value.isObject() && target.get(m.getKey()) instanceof ObjectNode nested) {
                merge(nested, (ObjectNode) value);
            } else {
                target.set(m.getKey(), value.deepCopy());
            }
        }
    }

    /** The current request's unset fields are absent members, not nulls. */
    private static void removeNulls(ObjectNode node) {
        List<String> unset = new ArrayList<>();
        node.fields().forEachRemaining(e -> {
            if (e.getValue().isNull()) {
                unset.add(e.getKey());
            }
        });
        node.remove(unset);
    }
}
