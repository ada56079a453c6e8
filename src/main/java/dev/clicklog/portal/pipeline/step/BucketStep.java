package dev.clicklog.portal.pipeline.step;

import dev.clicklog.portal.pipeline.PipelineResources;
import dev.clicklog.portal.pipeline.StepKind;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.clicklog.portal.adapter.AwsException;
import dev.clicklog.portal.adapter.AwsFailure;
import dev.clicklog.portal.adapter.BucketAdapter;
import dev.clicklog.portal.adapter.ResourceNames;
import dev.clicklog.portal.adapter.ResourceTags;

/**
 * The S3 bucket: the pipeline's own, or the shared one from configuration (then the pipeline owns
 * only what its delivery stream writes under its prefix). Every form of public access blocked and
 * default encryption with S3-managed keys either way: each is read first and set (S3 replaces it as
 * a whole) only when it differs. Not KMS: Firehose's role may not use KMS keys, so a bucket
 * encrypting with one would refuse its objects.
 *
 * <p>A bucket of the pipeline's name is its own only if it carries its id; S3 cannot tag a bucket as
 * it creates it, so one the pipeline created and recorded, still empty, whose tagging was cut short,
 * is its own too. A new pipeline's prefix in a shared bucket must hold nothing it did not write.
 *
 * <p>Teardown keeps the clicks: the bucket and every object in it stay. Only a purge deletes the
 * objects the delivery stream wrote (by their Firehose names, under the pipeline's prefixes) — and
 * then the pipeline's own bucket, if nothing else is left in it.
 */
@ApplicationScoped
public class BucketStep implements ProvisioningStep {

    /** The default encryption as {@link BucketAdapter#encryption} reports it. */
    private static final String SSE_S3 = "AES256";

    private final BucketAdapter buckets;

    BucketStep(BucketAdapter buckets) {
        this.buckets = buckets;
    }

    @Override
    public StepKind kind() {
        return StepKind.BUCKET;
    }

    @Override
    public StepResult apply(StepContext c) {
        ResourceNames n = c.names();
        String bucket = n.bucket();
        String prefix = n.dataPrefix(c.spec().s3Prefix());
        PipelineResources found = PipelineResources.NONE.withBucket(bucket, prefix);
        BucketAdapter.Presence presence = buckets.presence(bucket);
        if (presence == BucketAdapter.Presence.TAKEN) {
            throw new AwsException(new AwsFailure(AwsFailure.Kind.FOREIGN, "BucketAlreadyExists",
                    "The bucket name " + bucket + " belongs to another AWS account"), null);
        }
        if (n.sharedBucket()) {
            // The portal's bucket, no pipeline's: created when missing, never tagged, never deleted.
            if (presence == BucketAdapter.Presence.ABSENT) {
                c.changes().create("shared bucket " + bucket, () -> buckets.create(bucket));
            } else if (c.creating()) {
                checkPrefixUnused(c);
            }
        } else {
            try {
                ensureOwnBucket(c, presence);
            } catch (AwsException e) {
                // Recorded even when tagging failed: the pipeline created it, and takes it as its own next time.
                boolean created = c.changes().list().contains("created bucket " + bucket);
                return new StepResult.Failed(e.failure(), created ? found : PipelineResources.NONE);
            }
        }
        secure(c, bucket);
        return new StepResult.Done("bucket " + bucket + " ready, clicks go under " + (prefix.isEmpty() ? "/" : prefix),
                found);
    }

    /** Creates the bucket, or checks that the one of its name is the pipeline's; then its tags. */
    private void ensureOwnBucket(StepContext c, BucketAdapter.Presence presence) {
        String bucket = c.names().bucket();
        Map<String, String> tags = Map.of();
        if (presence == BucketAdapter.Presence.ABSENT) {
            c.changes().create("bucket " + bucket, () -> buckets.create(bucket));
        } else {
            tags = buckets.tags(bucket);
            if (!c.owner().owns(tags) && !createdHere(c, tags)) {
                throw c.owner().notOwned("S3 bucket " + bucket);
            }
        }
        if (!ResourceTags.includes(tags, c.tags())) {
            // PutBucketTagging replaces the whole set: keep tags that others added.
            Map<String, String> merged = new LinkedHashMap<>(tags);
            merged.putAll(c.tags());
            buckets.tag(bucket, merged);
            if (presence == BucketAdapter.Presence.OURS) {
                c.changes().changed("tagged bucket " + bucket);
            }
        }
    }

    /**
     * A bucket this pipeline created whose tagging did not happen: no id, no objects. Recorded, or —
     * while the pipeline is first created, when a portal stopped between CreateBucket and its tagging
     * left no record — with no tag at all, as its own create leaves it.
     */
    private boolean createdHere(StepContext c, Map<String, String> tags) {
        String bucket = c.names().bucket();
        boolean recorded = bucket.equals(c.resources().bucket()) && !tags.containsKey(ResourceTags.PIPELINE_ID);
        boolean interrupted = c.creating() && tags.isEmpty();
        return (recorded || interrupted) && buckets.empty(bucket);
    }

    /** A new pipeline in a shared bucket starts on a prefix that holds nothing it did not write. */
    private void checkPrefixUnused(StepContext c) {
        ResourceNames n = c.names();
        String s3Prefix = c.spec().s3Prefix();
        for (String prefix : new String[] { n.dataPrefix(s3Prefix), n.errorPrefix(s3Prefix) }) {
            Optional<String> foreign = buckets.findKey(n.bucket(), prefix, key -> !n.writtenByDeliveryStream(key, s3Prefix));
            if (foreign.isPresent()) {
                throw new AwsException(new AwsFailure(AwsFailure.Kind.FOREIGN, "PrefixInUse", "s3://" + n.bucket() + "/"
                        + prefix + " already holds objects this pipeline did not write, e.g. " + foreign.get()
                        + "; nothing was changed there. Choose another s3Prefix (or pipeline name)"), null);
            }
        }
    }

    private void secure(StepContext c, String bucket) {
        Changes changes = c.changes();
        if (!buckets.publicAccessBlocked(bucket)) {
            buckets.blockPublicAccess(bucket);
            changes.changed("blocked all public access to bucket " + bucket);
        }
        Optional<String> encryption = buckets.encryption(bucket);
        if (!encryption.equals(Optional.of(SSE_S3))) {
            buckets.encrypt(bucket);
            changes.changed("set the default encryption of bucket " + bucket + " to SSE-S3 ("
                    + encryption.map(e -> "it was " + e).orElse("it had none") + ")");
        }
    }

    /** Keeps the clicks; a purge deletes what the delivery stream wrote, then the pipeline's emptied bucket. */
    @Override
    public StepResult remove(StepContext c) {
        ResourceNames n = c.names();
        String s3Prefix = c.spec().s3Prefix();
        String where = "s3://" + n.bucket() + "/" + n.dataPrefix(s3Prefix);
        if (!c.purge()) {
            return new StepResult.Done("kept the clicks in " + where + (n.sharedBucket() ? "" : " and bucket " + n.bucket()),
                    PipelineResources.NONE);
        }
        if (!n.sharedBucket() && buckets.presence(n.bucket()) == BucketAdapter.Presence.OURS
                && !c.owner().owns(buckets.tags(n.bucket()))) {
            return new StepResult.Done("left bucket " + n.bucket() + ", which is not this pipeline's", PipelineResources.NONE);
        }
        int deleted = 0;
        for (String prefix : new String[] { n.dataPrefix(s3Prefix), n.errorPrefix(s3Prefix) }) {
            deleted += buckets.deleteObjects(n.bucket(), prefix, key -> n.writtenByDeliveryStream(key, s3Prefix));
        }
        String purged = "deleted the " + deleted + " objects delivery stream " + n.deliveryStream() + " wrote";
        if (n.sharedBucket()) {
            return new StepResult.Done(purged + " under " + where + "; nothing else was touched", PipelineResources.NONE);
        }
        if (buckets.presence(n.bucket()) != BucketAdapter.Presence.OURS) {
            return new StepResult.Done(purged + "; bucket " + n.bucket() + " is gone", PipelineResources.NONE);
        }
        if (!buckets.empty(n.bucket())) {
            return new StepResult.Done(purged + "; kept bucket " + n.bucket() + ", which holds objects this pipeline did "
                    + "not write", PipelineResources.NONE);
        }
        buckets.delete(n.bucket());
        return new StepResult.Done(purged + " and deleted bucket " + n.bucket(), PipelineResources.NONE);
    }
}
