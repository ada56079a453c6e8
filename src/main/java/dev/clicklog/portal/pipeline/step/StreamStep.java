package dev.clicklog.portal.pipeline.step;

import dev.clicklog.portal.pipeline.PipelineResources;
import dev.clicklog.portal.pipeline.PipelineSpec;
import dev.clicklog.portal.pipeline.StepKind;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.clicklog.portal.adapter.AwsException;
import dev.clicklog.portal.adapter.OptionalFeature;
import dev.clicklog.portal.adapter.ReadBack;
import dev.clicklog.portal.adapter.ResourceTags;
import dev.clicklog.portal.adapter.StreamAdapter;
import dev.clicklog.portal.adapter.StreamAdapter.Stream;

/**
 * The Kinesis data stream: capacity (shards or on-demand), retention, encryption with the
 * AWS-managed key (another key, or none, is replaced), tags. Kinesis accepts one change at a time
 * and goes UPDATING after each, so a run makes the first change that differs ({@link #diff}) and
 * waits for ACTIVE before the next. A shard count moves in the steps UpdateShardCount allows — at
 * most double or half the open shards per call — so 1 → 8 is 1 → 2 → 4 → 8.
 */
@ApplicationScoped
public class StreamStep implements ProvisioningStep {

    /** What the stream should do next to match the spec; one change at a time. */
    public sealed interface Action {
    }

    public record Create() implements Action {
    }

    /** Kinesis is still working on the stream (CREATING, UPDATING): look again later. */
    public record Settle(String status) implements Action {
    }

    public record SetMode(boolean onDemand) implements Action {
    }

    /** One UpdateShardCount on the way from {@code from} to {@code target} open shards. */
    public record Reshard(int from, int to, int target) implements Action {
    }

    public record SetRetention(int from, int to) implements Action {
    }

    public record Encrypt(String was) implements Action {
    }

    public record Tag() implements Action {
    }

    public record InPlace() implements Action {
    }

    /** What exists: the stream (null when there is none) and its tags. */
    record Observed(Stream stream, Map<String, String> tags) {
    }

    private final StreamAdapter streams;
    private final OptionalFeatures features;

    StreamStep(StreamAdapter streams, OptionalFeatures features) {
        this.streams = streams;
        this.features = features;
    }

    @Override
    public StepKind kind() {
        return StepKind.STREAM;
    }

    @Override
    public StepResult apply(StepContext c) {
        String name = c.names().stream();
        Observed observed = observe(c);
        boolean tagged = ResourceTags.includes(observed.tags(), c.tags());
        if (!tagged && observed.stream() != null && observed.stream().active()) {
            // Tagged first: the tags are what makes it the pipeline's on every later look.
            streams.tag(name, c.tags());
            c.changes().changed("tagged stream " + name);
            tagged = true;
        }
        if (tagged) {
            c.changes().carriesTags();
        }
        return act(c, name, observed.stream(), diff(c.spec(), observed.stream(), tagged));
    }

    /**
     * The stream and its tags; a stream of the pipeline's name that is not the pipeline's stops the
     * step. One the step's own CreateStream made is the pipeline's even without its tags: some
     * endpoints (moto) drop the tags of a CreateStream.
     */
    private Observed observe(StepContext c) {
        String name = c.names().stream();
        Stream s = streams.describe(name).orElse(null);
        if (s == null) {
            return new Observed(null, Map.of());
        }
        Map<String, String> tags = streams.tags(name);
        if (!c.owns(tags)) {
            throw c.owner().notOwned("Kinesis stream " + name);
        }
        return new Observed(s, tags);
    }

    /**
     * The first difference between the stream and the spec, in the order Kinesis lets them be
     * changed. A field the endpoint does not report is no difference ({@link ReadBack}).
     */
    public static Action diff(PipelineSpec spec, Stream s, boolean tagged) {
        if (s == null) {
            return new Create();
        }
        if (!s.active()) {
            return new Settle(s.status());
        }
        if (!ReadBack.agrees(spec.onDemand(), s.onDemand())) {
            return new SetMode(spec.onDemand());
        }
        if (!spec.onDemand() && !ReadBack.agrees(spec.shards(), s.openShards())) {
            return new Reshard(s.openShards(), nextShardCount(s.openShards(), spec.shards()), spec.shards());
        }
        if (!ReadBack.agrees(spec.retentionHours(), s.retentionHours())) {
            return new SetRetention(s.retentionHours(), spec.retentionHours());
        }
        if (Boolean.FALSE.equals(s.encryptedWithManagedKey())) {
            return new Encrypt(Boolean.TRUE.equals(s.encrypted()) ? s.keyId() : null);
        }
        return tagged ? new InPlace() : new Tag();
    }

    /** The next shard count on the way to {@code target}: UpdateShardCount goes at most to double or half. */
    public static int nextShardCount(int current, int target) {
        if (target > current) {
            return Math.min(target, 2 * current);
        }
        return Math.max(target, (current + 1) / 2);
    }

    private StepResult act(StepContext c, String name, Stream s, Action action) {
        PipelineSpec spec = c.spec();
        Changes changes = c.changes();
        if (action instanceof Create) {
            int shards = spec.onDemand() ? 0 : spec.shards();
            changes.create("stream " + name, () -> streams.create(name, spec.onDemand(), shards, c.tags()));
            return wait("stream " + name + " is being created", name, null);
        }
        if (action instanceof Settle settle) {
            return wait("stream " + name + " is " + settle.status(), name, s.arn());
        }
        if (action instanceof SetMode mode) {
            String capacity = mode.onDemand() ? "on-demand" : "provisioned";
            streams.setMode(s.arn(), mode.onDemand());
            changes.changed("switched stream " + name + " to " + capacity + " capacity");
            return wait("stream " + name + " is switching to " + capacity + " capacity", name, s.arn());
        }
        if (action instanceof Reshard reshard) {
            streams.setShards(name, reshard.to());
            changes.changed("resharded stream " + name + " from " + reshard.from() + " to " + reshard.to() + " shards"
                    + (reshard.to() == reshard.target() ? "" : " (on the way to " + reshard.target() + ")"));
            return wait("stream " + name + " is resharding to " + reshard.to() + " shards", name, s.arn());
        }
        if (action instanceof SetRetention retention) {
            streams.setRetention(name, retention.from(), retention.to());
            changes.changed("changed the retention of stream " + name + " from " + retention.from() + " to "
                    + retention.to() + " hours");
            return wait("stream " + name + " retention is changing to " + retention.to() + " hours", name, s.arn());
        }
        if (action instanceof Encrypt encrypt
                && features.attempt(c, OptionalFeature.STREAM_ENCRYPTION, () -> streams.encrypt(name))) {
            changes.changed("encrypted stream " + name + " with " + StreamAdapter.MANAGED_KEY
                    + (encrypt.was() != null ? " instead of " + encrypt.was() : " (it was not encrypted)"));
            return wait("stream " + name + " is being encrypted with " + StreamAdapter.MANAGED_KEY, name, s.arn());
        }
        if (s.encryptedWithManagedKey() == null) {
            features.noteIfMissing(c, OptionalFeature.STREAM_ENCRYPTION);
        }
        return new StepResult.Done("stream " + name + " is ACTIVE", PipelineResources.NONE.withStream(name, s.arn()));
    }

    @Override
    public StepResult remove(StepContext c) {
        String name = c.names().stream();
        Stream s = streams.describe(name).orElse(null);
        if (s == null) {
            return new StepResult.Done("stream " + name + " deleted", PipelineResources.NONE);
        }
        if ("DELETING".equals(s.status())) {
            return new StepResult.Wait("stream " + name + " is being deleted", PipelineResources.NONE);
        }
        Map<String, String> tags;
        try {
            tags = streams.tags(name);
        } catch (AwsException e) {
            if (e.notFound()) {
                // gone between the two calls
                return new StepResult.Done("stream " + name + " deleted", PipelineResources.NONE);
            }
            throw e;
        }
        if (!c.owns(tags)) {
            return new StepResult.Done("left stream " + name + ", which is not this pipeline's", PipelineResources.NONE);
        }
        // Kinesis deletes only ACTIVE streams: one still CREATING or UPDATING must settle first.
        if (s.active()) {
            streams.delete(name);
            return new StepResult.Wait("stream " + name + " is being deleted", PipelineResources.NONE);
        }
        return new StepResult.Wait("stream " + name + " is " + s.status(), PipelineResources.NONE);
    }

    private static StepResult wait(String why, String name, String arn) {
        return new StepResult.Wait(why, PipelineResources.NONE.withStream(name, arn));
    }
}
