package dev.clicklog.portal.pipeline.step;

import dev.clicklog.portal.pipeline.PipelineResources;
import dev.clicklog.portal.pipeline.PipelineSpec;
import dev.clicklog.portal.pipeline.StepKind;

import jakarta.enterprise.context.ApplicationScoped;

import dev.clicklog.portal.adapter.OptionalFeature;
import dev.clicklog.portal.adapter.ReadBack;
import dev.clicklog.portal.adapter.ResourceTags;
import dev.clicklog.portal.adapter.StreamAdapter;
import dev.clicklog.portal.adapter.StreamAdapter.Stream;

/**
 * The Kinesis data stream: capacity (shards or on-demand), retention, encryption with the
 * AWS-managed key (another key, or none, is replaced), tags. Kinesis accepts one change at a time and goes UPDATING after each, so the
 * step makes one change and waits for ACTIVE before the next.
 */
@ApplicationScoped
public class StreamStep implements ProvisioningStep {

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
        PipelineSpec spec = c.spec();
        Changes changes = c.changes();
        String name = c.names().stream();
        Stream s = streams.describe(name).orElse(null);
        if (s == null) {
            int shards = spec.onDemand() ? 0 : spec.shards();
            changes.create("stream " + name, () -> streams.create(name, spec.onDemand(), shards, c.tags()));
            return wait("stream " + name + " is being created", name, null);
        }
        if (!s.active()) {
            return wait("stream " + name + " is " + s.status(), name, s.arn());
        }
        if (!ReadBack.agrees(spec.onDemand(), s.onDemand())) {
            String mode = spec.onDemand() ? "on-demand" : "provisioned";
            streams.setMode(s.arn(), spec.onDemand());
            changes.changed("switched stream " + name + " back to " + mode + " capacity");
            return wait("stream " + name + " is switching to " + mode + " capacity", name, s.arn());
        }
        if (!spec.onDemand() && !ReadBack.agrees(spec.shards(), s.openShards())) {
            streams.setShards(name, spec.shards());
            changes.changed("resharded stream " + name + " from " + s.openShards() + " to " + spec.shards() + " shards");
            return wait("stream " + name + " is resharding to " + spec.shards(), name, s.arn());
        }
        if (!ReadBack.agrees(spec.retentionHours(), s.retentionHours())) {
            streams.setRetention(name, s.retentionHours(), spec.retentionHours());
            changes.changed("set the retention of stream " + name + " from " + s.retentionHours() + " back to "
                    + spec.retentionHours() + " hours");
            return wait("stream " + name + " retention is changing to " + spec.retentionHours() + " hours", name, s.arn());
        }
        Boolean managedKey = s.encryptedWithManagedKey();
        if (managedKey == null) {
            features.noteIfMissing(c, OptionalFeature.STREAM_ENCRYPTION);
        } else if (!managedKey && features.attempt(c, OptionalFeature.STREAM_ENCRYPTION, () -> streams.encrypt(name))) {
            changes.changed("encrypted stream " + name + " with " + StreamAdapter.MANAGED_KEY
                    + (s.encrypted() ? " instead of " + s.keyId() : " (it was not encrypted)"));
            return wait("stream " + name + " is being encrypted with " + StreamAdapter.MANAGED_KEY, name, s.arn());
        }
        if (!ResourceTags.includes(streams.tags(name), c.tags())) {
            streams.tag(name, c.tags());
            changes.changed("tagged stream " + name);
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
