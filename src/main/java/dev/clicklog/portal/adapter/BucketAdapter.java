package dev.clicklog.portal.adapter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionRule;
import software.amazon.awssdk.services.s3.model.Tag;

/** S3 buckets: private, encrypted, tagged; only a pipeline's own objects deleted, and its bucket once empty. */
@ApplicationScoped
public class BucketAdapter {

    /** DeleteObjects takes at most this many keys per call. */
    private static final int DELETE_BATCH = 1000;

    public enum Presence {
        /** The bucket exists and this account may use it. */
        OURS,
        ABSENT,
        /** The name is taken by another account (bucket names are global). */
        TAKEN
    }

    private final S3Client s3;
    private final Arns arns;

    BucketAdapter(S3Client s3, Arns arns) {
        this.s3 = s3;
        this.arns = arns;
    }

    public Presence presence(String bucket) {
        try {
            return AwsErrors.find(() -> s3.headBucket(r -> r.bucket(bucket))).isPresent() ? Presence.OURS : Presence.ABSENT;
        } catch (AwsException e) {
            if (e.getCause() instanceof S3Exception s3e && s3e.statusCode() == 403) {
                return Presence.TAKEN;
            }
            throw e;
        }
    }

    /** Creates the bucket in the clients' region; one this account owns already is left alone. */
    public void create(String bucket) {
        Region region = arns.region();
        AwsErrors.create(() -> s3.createBucket(r -> {
            r.bucket(bucket);
            // us-east-1 is the one region that must not be named as a location constraint.
            if (!Region.US_EAST_1.equals(region)) {
                r.createBucketConfiguration(c -> c.locationConstraint(region.id()));
            }
        }));
    }

    /** Whether every form of public access is blocked (false when the bucket has no public access block at all). */
    public boolean publicAccessBlocked(String bucket) {
        return AwsErrors.find(() -> s3.getPublicAccessBlock(r -> r.bucket(bucket)).publicAccessBlockConfiguration())
                .map(c -> Boolean.TRUE.equals(c.blockPublicAcls()) && Boolean.TRUE.equals(c.ignorePublicAcls())
                        && Boolean.TRUE.equals(c.blockPublicPolicy()) && Boolean.TRUE.equals(c.restrictPublicBuckets()))
                .orElse(false);
    }

    /** Blocks every form of public access. S3 replaces the whole configuration. */
    public void blockPublicAccess(String bucket) {
        AwsErrors.run(() -> s3.putPublicAccessBlock(r -> r.bucket(bucket).publicAccessBlockConfiguration(c -> c
                .blockPublicAcls(true).ignorePublicAcls(true).blockPublicPolicy(true).restrictPublicBuckets(true))));
    }

    /**
     * The bucket's default encryption, "AES256" (SSE-S3), "aws:kms" or "aws:kms:dsse" — with ":" and
     * the key when one is named — or empty when it has none.
     */
    public Optional<String> encryption(String bucket) {
        return AwsErrors.find(() -> s3.getBucketEncryption(r -> r.bucket(bucket)).serverSideEncryptionConfiguration())
                .flatMap(c -> c.rules().stream().map(ServerSideEncryptionRule::applyServerSideEncryptionByDefault)
                        .filter(Objects::nonNull).findFirst())
                .map(d -> d.sseAlgorithmAsString() + (d.kmsMasterKeyID() == null ? "" : ":" + d.kmsMasterKeyID()));
    }

    /** Default encryption with S3-managed keys (SSE-S3): what Firehose's role may write without KMS rights. */
    public void encrypt(String bucket) {
        AwsErrors.run(() -> s3.putBucketEncryption(r -> r.bucket(bucket).serverSideEncryptionConfiguration(c -> c
                .rules(rule -> rule.applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AES256))))));
    }

    public Map<String, String> tags(String bucket) {
        Map<String, String> tags = new LinkedHashMap<>();
        AwsErrors.find(() -> s3.getBucketTagging(r -> r.bucket(bucket)).tagSet())
                .ifPresent(set -> set.forEach(t -> tags.put(t.key(), t.value())));
        return tags;
    }

    /** Replaces the bucket's tag set. */
    public void tag(String bucket, Map<String, String> tags) {
        List<Tag> set = tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
        AwsErrors.run(() -> s3.putBucketTagging(r -> r.bucket(bucket).tagging(t -> t.tagSet(set))));
    }

    /**
     * Deletes the objects under the prefix whose keys {@code match}, a page of the listing at a time;
     * returns how many. Every other object is left as it is. A missing bucket has none.
     */
    public int deleteObjects(String bucket, String prefix, Predicate<String> match) {
        int deleted = 0;
        try {
            // The paginator asks S3 for each page as it is iterated.
            for (var page : s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix))) {
                List<ObjectIdentifier> keys = page.contents().stream().filter(o -> match.test(o.key()))
                        .map(o -> ObjectIdentifier.builder().key(o.key()).build()).toList();
                deleted += delete(bucket, keys);
            }
        } catch (SdkException e) {
            AwsException failure = new AwsException(AwsErrors.classify(e), e);
            if (failure.notFound()) {
                return deleted;
            }
            throw failure;
        }
        return deleted;
    }

    /** The first key under the prefix that {@code match}es, if any (a missing bucket has none). */
    public Optional<String> findKey(String bucket, String prefix, Predicate<String> match) {
        try {
            return AwsErrors.call(() -> s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents().stream()
                    .map(S3Object::key).filter(match).findFirst());
        } catch (AwsException e) {
            if (e.notFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Whether the bucket holds no object at all. */
    public boolean empty(String bucket) {
        return AwsErrors.call(() -> s3.listObjectsV2(r -> r.bucket(bucket).maxKeys(1))).contents().isEmpty();
    }

    private int delete(String bucket, List<ObjectIdentifier> keys) {
        for (int i = 0; i < keys.size(); i += DELETE_BATCH) {
            List<ObjectIdentifier> batch = new ArrayList<>(keys.subList(i, Math.min(keys.size(), i + DELETE_BATCH)));
            var errors = AwsErrors.call(() -> s3.deleteObjects(r -> r.bucket(bucket).delete(d -> d.objects(batch).quiet(true))))
                    .errors();
            if (!errors.isEmpty()) {
                var first = errors.get(0);
                throw new AwsException(new AwsFailure(AwsFailure.Kind.RETRYABLE, first.code(),
                        errors.size() + " objects could not be deleted, e.g. " + first.key() + ": " + first.message()), null);
            }
        }
        return keys.size();
    }

    /** Deletes the (empty) bucket; false when it was already gone. */
    public boolean delete(String bucket) {
        return AwsErrors.delete(() -> s3.deleteBucket(r -> r.bucket(bucket)));
    }
}
