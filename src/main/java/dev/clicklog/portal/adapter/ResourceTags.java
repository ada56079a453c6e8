package dev.clicklog.portal.adapter;

import java.util.LinkedHashMap;
import java.util.Map;

/** The tags every resource of a pipeline carries, so its owner can be found from any resource. */
public final class ResourceTags {

    public static final String PIPELINE = "clicklog:pipeline";
    public static final String TEAM = "clicklog:team";
    public static final String MANAGED_BY = "managed-by";
    public static final String PORTAL = "clicklog-portal";

    private ResourceTags() {
    }

    public static Map<String, String> of(String pipeline, String team) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(PIPELINE, pipeline);
        tags.put(TEAM, team);
        tags.put(MANAGED_BY, PORTAL);
        return tags;
    }

    /** The tags of a resource the portal made for every pipeline together (no pipeline's own). */
    public static Map<String, String> portal() {
        return Map.of(MANAGED_BY, PORTAL);
    }

    /** Whether {@code actual} carries every tag of {@code wanted} with the same value. */
    public static boolean includes(Map<String, String> actual, Map<String, String> wanted) {
        return wanted.entrySet().stream().allMatch(e -> e.getValue().equals(actual.get(e.getKey())));
    }

    /** Whether a resource with these tags belongs to the pipeline. */
    public static boolean ownedBy(Map<String, String> tags, String pipeline) {
        return pipeline.equals(tags.get(PIPELINE)) && PORTAL.equals(tags.get(MANAGED_BY));
    }
}
