package dev.clicklog.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.clicklog.aws.AwsFailure;
import dev.clicklog.aws.BucketAdapter;
import dev.clicklog.aws.ResourceNames;
import dev.clicklog.aws.ResourceTags;

/**
 * The S3 bucket: the pipeline's own, or the shared one from configuration (then the pipeline owns
 * only its prefix). Public access blocked and default encryption on either way; S3 replaces those
 * configurations as a whole, so setting them again is the idempotent way to make sure of them.
 */
@ApplicationScoped
class BucketStep implements ProvisioningStep {

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
        switch (buckets.presence(bucket)) {
            case TAKEN -> {
                return new StepResult.Failed(new AwsFailure(AwsFailure.Kind.PERMANENT, "BucketAlreadyExists",
                        "The bucket name " + bucket + " belongs to another AWS account"), PipelineResources.NONE);
            }
            case ABSENT -> buckets.create(bucket);
            case OURS -> {
                // nothing to create
            }
        }
        buckets.blockPublicAccess(bucket);
        buckets.encrypt(bucket);
        if (!n.sharedBucket()) {
            Map<String, String> tags = buckets.tags(bucket);
            if (!ResourceTags.includes(tags, c.tags())) {
                // PutBucketTagging replaces the whole set: keep tags that others added.
                Map<String, String> merged = new LinkedHashMap<>(tags);
                merged.putAll(c.tags());
                buckets.tag(bucket, merged);
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
