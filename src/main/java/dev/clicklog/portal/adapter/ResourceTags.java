package dev.clicklog.portal.adapter;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tags every resource of a pipeline carries, so its owner can be found from any resource, and
 * the rule of ownership: a resource is a pipeline's only if it carries the pipeline's id.
 */
public final class ResourceTags {

    public static final String PIPELINE = "clicklog:pipeline";
    public static final String TEAM = "clicklog:team";
    /** The pipeline's unique id: names can be taken by anyone, this tag only by the portal for one pipeline. */
    public static final String PIPELINE_ID = "clicklog:pipeline-id";
    public static final String MANAGED_BY = "managed-by";
    public static final String PORTAL = "clicklog-portal";

    /**
     * Whose resources a pipeline's are: its name, team and id. {@code adoptsUntagged}: the pipeline
     * was created before resources carried the id, so what carries its name tags and no id is its
     * own too (and gets the id).
     */
    public record Owner(String pipeline, String team, String pipelineId, boolean adoptsUntagged) {

        /** The tags of every resource it creates. */
        public Map<String, String> tags() {
            Map<String, String> tags = new LinkedHashMap<>();
            tags.put(PIPELINE, pipeline);
            tags.put(TEAM, team);
            tags.put(PIPELINE_ID, pipelineId);
            tags.put(MANAGED_BY, PORTAL);
            return tags;
        }

        /** Whether a resource with these tags is this pipeline's. */
        public boolean owns(Map<String, String> tags) {
            String id = tags.get(PIPELINE_ID);
            if (id != null) {
                return id.equals(pipelineId);
            }
            return adoptsUntagged && pipeline.equals(tags.get(PIPELINE)) && PORTAL.equals(tags.get(MANAGED_BY));
        }

        /**
         * What stops a step when a resource of the pipeline's name is someone else's: nothing is done
         * to it, and the pipeline fails naming it.
         */
        public AwsException notOwned(String resource) {
            return new AwsException(new AwsFailure(AwsFailure.Kind.FOREIGN, "ResourceNotOwned", resource
                    + " exists but is not this pipeline's: it does not carry the tag " + PIPELINE_ID + "=" + pipelineId
                    + ". It was left as it is; remove or rename it (or request the pipeline under another name), then retry"),
                    null);
        }
    }

    private ResourceTags() {
    }

    /** The tags of a resource the portal made for every pipeline together (no pipeline's own). */
    public static Map<String, String> portal() {
        return Map.of(MANAGED_BY, PORTAL);
    }

    /** Whether {@code actual} carries every tag of {@code wanted} with the same value. */
    public static boolean includes(Map<String, String> actual, Map<String, String> wanted) {
        return wanted.entrySet().stream().allMatch(e -> e.getValue().equals(actual.get(e.getKey())));
    }
}
