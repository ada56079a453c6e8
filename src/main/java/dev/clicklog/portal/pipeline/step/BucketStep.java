package dev.clicklog.portal.pipeline.step;

import dev.clicklog.portal.pipeline.PipelineResources;
import dev.clicklog.portal.pipeline.StepKind;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.clicklog.portal.adapter.AwsFailure;
import dev.clicklog.portal.adapter.BucketAdapter;
import dev.clicklog.portal.adapter.ResourceNames;
import dev.clicklog.portal.adapter.ResourceTags;

/**
 * The S3 bucket: the pipeline's own, or the shared one from configuration (then the pipeline owns
 * only its prefix). Every form of public access blocked and default encryption with S3-managed keys
 * either way: each is read first and set (S3 replaces it as a whole) only when it differs. Not KMS:
 * Firehose's role may not use KMS keys, so a bucket encrypting with one would refuse its objects.
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
        Changes changes = c.changes();
        BucketAdapter.Presence presence = buckets.presence(bucket);
        switch (presence) {
            case TAKEN -> {
                return new StepResult.Failed(new AwsFailure(AwsFailure.Kind.PERMANENT, "BucketAlreadyExists",
                        "The bucket name " + bucket + " belongs to another AWS account"), PipelineResources.NONE);
            }
            case ABSENT -> changes.create("bucket " + bucket, () -> buckets.create(bucket));
            case OURS -> {
                // nothing to create
            }
        }
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
        if (!n.sharedBucket()) {
            Map<String, String> tags = buckets.tags(bucket);
            if (!ResourceTags.includes(tags, c.tags())) {
                // PutBucketTagging replaces the whole set: keep tags that others added.
                Map<String, String> merged = new LinkedHashMap<>(tags);
                merged.putAll(c.tags());
                buckets.tag(bucket, merged);
                if (presence == BucketAdapter.Presence.OURS) {
                    changes.changed("tagged bucket " + bucket);
                }
            }
        }
        String prefix = n.dataPrefix(c.spec().s3Prefix());
        return new StepResult.Done("bucket " + bucket + " ready, clicks go under " + (prefix.isEmpty() ? "/" : prefix),
                PipelineResources.NONE.withBucket(bucket, prefix));
    }

    /** Deletes the pipeline's objects, then its bucket; in a shared bucket only the pipeline's part. */
    @Override
    public StepResult remove(StepContext c) {
        ResourceNames n = c.names();
        if (n.sharedBucket()) {
            int deleted = buckets.deleteObjects(n.bucket(), n.prefixRoot());
            return new StepResult.Done(deleted + " objects under " + n.prefixRoot() + " deleted", PipelineResources.NONE);
        }
        int deleted = buckets.deleteObjects(n.bucket(), "");
        buckets.delete(n.bucket());
        return new StepResult.Done("bucket " + n.bucket() + " deleted with its " + deleted + " objects",
                PipelineResources.NONE);
    }
}
