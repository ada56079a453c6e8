package dev.clicklog.portal.pipeline.step;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import dev.clicklog.portal.adapter.OptionalFeature;

/**
 * What one run of a step changed in AWS, in words for the history: "created stream clicklog-x",
 * "removed inline policy 'admin' from role clicklog-x-firehose". Filled in as the step acts, so what
 * was done before a call failed is known too. A check of a READY pipeline records these as repairs;
 * a run that changed nothing leaves no trace.
 */
public final class Changes {

    /** An optional feature the step went without, why (the endpoint's answer) and the setting that would help. */
    public record Skipped(OptionalFeature feature, String reason, String suggestion) {
    }

    private final List<String> made = new ArrayList<>();
    private final List<Skipped> skipped = new ArrayList<>();
    private boolean missing;
    private boolean created;
    private boolean tagged;

    /**
     * Creates a resource the step found missing. It counts as missing from the start, so a create
     * that fails is known to have been one; it counts as created once the call returned.
     */
    public <T> T create(String resource, Supplier<T> create) {
        missing = true;
        T result = create.get();
        made.add("created " + resource);
        created = true;
        return result;
    }

    /** As {@link #create(String, Supplier)}, for a call without an answer. */
    public void create(String resource, Runnable create) {
        create(resource, () -> {
            create.run();
            return null;
        });
    }

    /** The step changed a resource to what it should be; {@code action} says what it did, in the past tense. */
    public void changed(String action) {
        made.add(action);
    }

    /** The step went without an optional feature the endpoint does not serve. */
    public void skipped(Skipped feature) {
        if (skipped.stream().noneMatch(s -> s.feature() == feature.feature())) {
            skipped.add(feature);
        }
    }

    /** The optional features the step went without. */
    public List<Skipped> skipped() {
        return List.copyOf(skipped);
    }

    public List<String> list() {
        return List.copyOf(made);
    }

    /** Whether the step found one of its resources missing (and created it, or tried to). */
    public boolean foundMissing() {
        return missing;
    }

    /**
     * Whether a create call of the step succeeded: the endpoint made the resource for this pipeline.
     * A create it refused (the name taken already) does not count.
     */
    public boolean created() {
        return created;
    }

    /** The step's resource carries the pipeline's tags: from now on they say whose it is. */
    public void carriesTags() {
        tagged = true;
    }

    /** Whether the step found its resource carrying the pipeline's tags (or gave them to it). */
    public boolean tagged() {
        return tagged;
    }

    public boolean none() {
        return made.isEmpty();
    }
}
