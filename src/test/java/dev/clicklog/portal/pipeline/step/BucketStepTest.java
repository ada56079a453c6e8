package dev.clicklog.portal.pipeline.step;

import dev.clicklog.portal.pipeline.PipelineRequest;
import dev.clicklog.portal.pipeline.PipelineResources;
import dev.clicklog.portal.pipeline.PipelineSpec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.clicklog.portal.adapter.Arns;
import dev.clicklog.portal.adapter.ResourceNames;
import dev.clicklog.portal.adapter.ResourceTags;
import dev.clicklog.localaws.fault.FaultInjector;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * The bucket step against the local S3: it reads the public access block and the default encryption
 * and writes them only when they differ.
 */
@QuarkusTest
public class BucketStepTest {

    @Inject
    BucketStep step;
    @Inject
    S3Client s3;
    @Inject
    Arns arns;
    @Inject
    FaultInjector faults;

    @AfterEach
    void clearFaults() {
        faults.clear();
    }

    /** Every form of public access blocked, and one default encryption rule: SSE-S3 (no KMS key). */
    public static void assertPrivateWithS3ManagedKeys(S3Client s3, String bucket) {
        var block = s3.getPublicAccessBlock(r -> r.bucket(bucket)).publicAccessBlockConfiguration();
        assertEquals(List.of(true, true, true, true), List.of(block.blockPublicAcls(), block.ignorePublicAcls(),
                block.blockPublicPolicy(), block.restrictPublicBuckets()), block.toString());
        var rules = s3.getBucketEncryption(r -> r.bucket(bucket)).serverSideEncryptionConfiguration().rules();
        assertEquals(1, rules.size(), rules.toString());
        assertEquals(ServerSideEncryption.AES256, rules.get(0).applyServerSideEncryptionByDefault().sseAlgorithm());
        assertNull(rules.get(0).applyServerSideEncryptionByDefault().kmsMasterKeyID());
    }

    @Test
    void publicAccessAndEncryptionAreReadAndWrittenOnlyWhenTheyDiffer() {
        String name = StreamStepTest.unique();
        PipelineSpec spec = PipelineSpec.of(new PipelineRequest(name, "t", null, null, null, null, null, null, null, null,
                null, null));
        ResourceNames names = ResourceNames.of(name, arns.account(), Optional.empty());
        String bucket = names.bucket();
        ResourceTags.Owner owner = StreamStepTest.owner(spec);
        StepContext first = new StepContext(spec, names, PipelineResources.NONE, owner);
        assertInstanceOf(StepResult.Done.class, step.apply(first));
        assertEquals(List.of("created bucket " + bucket), first.changes().list(),
                "a new bucket is private and encrypted with S3-managed keys already (as on S3 since 2023)");

        // As specified: nothing is written (a write would fail here)
        faults.failAlways("s3", "PutPublicAccessBlock", 500, "InternalError", "must not be called");
        faults.failAlways("s3", "PutBucketEncryption", 500, "InternalError", "must not be called");
        StepContext unchanged = new StepContext(spec, names, PipelineResources.NONE, owner);
        assertInstanceOf(StepResult.Done.class, step.apply(unchanged));
        assertTrue(unchanged.changes().none(), unchanged.changes().list().toString());
        faults.clear();

        // Without a public access block (S3 answers NoSuchPublicAccessBlockConfiguration) and with another encryption
        s3.deletePublicAccessBlock(r -> r.bucket(bucket));
        S3Exception none = assertThrows(S3Exception.class, () -> s3.getPublicAccessBlock(r -> r.bucket(bucket)));
        assertEquals("NoSuchPublicAccessBlockConfiguration", none.awsErrorDetails().errorCode());
        s3.putBucketEncryption(r -> r.bucket(bucket).serverSideEncryptionConfiguration(c -> c.rules(rule -> rule
                .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AWS_KMS)))));
        StepContext drifted = new StepContext(spec, names, PipelineResources.NONE, owner);
        assertInstanceOf(StepResult.Done.class, step.apply(drifted));
        assertEquals(List.of("blocked all public access to bucket " + bucket,
                "set the default encryption of bucket " + bucket + " to SSE-S3 (it was aws:kms)"), drifted.changes().list());
        assertPrivateWithS3ManagedKeys(s3, bucket);

        // One switch of four turned off is a difference too
        s3.putPublicAccessBlock(r -> r.bucket(bucket).publicAccessBlockConfiguration(c -> c.blockPublicAcls(true)
                .ignorePublicAcls(true).blockPublicPolicy(false).restrictPublicBuckets(true)));
        StepContext oneOff = new StepContext(spec, names, PipelineResources.NONE, owner);
        step.apply(oneOff);
        assertEquals(List.of("blocked all public access to bucket " + bucket), oneOff.changes().list());
        assertTrue(s3.getPublicAccessBlock(r -> r.bucket(bucket)).publicAccessBlockConfiguration().blockPublicPolicy());

        // Teardown keeps the bucket; a purge of an empty bucket deletes it.
        assertInstanceOf(StepResult.Done.class, step.remove(first));
        s3.headBucket(r -> r.bucket(bucket));
        StepContext purge = new StepContext(spec, names, PipelineResources.NONE, new Changes(), owner, false, false, true, null, false);
        assertInstanceOf(StepResult.Done.class, step.remove(purge));
        assertThrows(S3Exception.class, () -> s3.headBucket(r -> r.bucket(bucket)));
    }
}
