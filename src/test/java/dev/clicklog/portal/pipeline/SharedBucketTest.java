package dev.clicklog.portal.pipeline;

import dev.clicklog.portal.pipeline.step.BucketStep;
import dev.clicklog.portal.pipeline.step.Changes;
import dev.clicklog.portal.pipeline.step.RolesStep;
import dev.clicklog.portal.pipeline.step.StepContext;
import dev.clicklog.portal.pipeline.step.StepResult;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.StreamSupport;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.clicklog.portal.adapter.Arns;
import dev.clicklog.portal.adapter.ResourceNames;
import dev.clicklog.portal.adapter.ResourceTags;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * With one shared bucket (clicklog.pipelines.shared-bucket), a pipeline owns only its part of it:
 * its role may write only there, deleting the pipeline keeps its clicks, and purging them deletes
 * only the objects its delivery stream wrote.
 */
@QuarkusTest
class SharedBucketTest {

    @Inject
    RolesStep roles;
    @Inject
    BucketStep bucket;
    @Inject
    Arns arns;
    @Inject
    S3Client s3;
    @Inject
    IamClient iam;

    @Test
    void aPipelineOwnsOnlyItsPrefixOfTheSharedBucket() throws Exception {
        String shared = PipelineApi.uniqueName("shared");
        String name = PipelineApi.uniqueName("tenant");
        PipelineSpec spec = PipelineSpec.of(new PipelineRequest(name, "t", null, null, null, null, null, null, null,
                "raw/", null, null));
        ResourceNames names = ResourceNames.of(name, arns.account(), Optional.of(shared));
        StepContext c = new StepContext(spec, names, PipelineResources.NONE,
                new ResourceTags.Owner(name, "t", UUID.randomUUID().toString(), false));

        StepResult.Done done = assertInstanceOf(StepResult.Done.class, bucket.apply(c));
        assertEquals(shared, done.found().bucket());
        assertEquals(name + "/raw/", done.found().prefix());
        S3Exception noTags = assertThrows(S3Exception.class, () -> s3.getBucketTagging(r -> r.bucket(shared)),
                "a shared bucket carries no pipeline's tags");
        assertEquals("NoSuchTagSet", noTags.awsErrorDetails().errorCode());

        assertInstanceOf(StepResult.Done.class, roles.apply(c));
        String document = iam.getRolePolicy(r -> r.roleName(names.deliveryRole()).policyName(ResourceNames.DELIVERY_ROLE_POLICY))
                .policyDocument();
        JsonNode policy = new ObjectMapper().readTree(URLDecoder.decode(document, StandardCharsets.UTF_8));
        String bucketArn = "arn:aws:s3:::" + shared;
        Map<String, JsonNode> statements = new TreeMap<>();
        policy.get("Statement").forEach(s -> statements.put(s.get("Sid").asText(), s));
        assertEquals(List.of("ListObjects", "LocateBucket", "ReadStream", "WriteObjects"), List.copyOf(statements.keySet()));
        // Objects: only under the pipeline's data and error prefixes
        JsonNode write = statements.get("WriteObjects");
        assertEquals(List.of("s3:PutObject", "s3:AbortMultipartUpload"), texts(write.get("Action")));
        assertEquals(List.of(bucketArn + "/" + name + "/raw/*", bucketArn + "/" + name + "/errors/raw/*"),
                texts(write.get("Resource")));
        assertTrue(write.path("Condition").isMissingNode());
        // Listing: only those prefixes (S3 sets s3:prefix on list requests)
        JsonNode list = statements.get("ListObjects");
        assertEquals(List.of("s3:ListBucket"), texts(list.get("Action")));
        assertEquals(List.of(bucketArn), texts(list.get("Resource")));
        assertEquals(List.of(name + "/raw/*", name + "/errors/raw/*"), texts(list.at("/Condition/StringLike/s3:prefix")));
        // GetBucketLocation carries no s3:prefix: its own statement, on the bucket, without that condition
        JsonNode locate = statements.get("LocateBucket");
        assertEquals(List.of("s3:GetBucketLocation"), texts(locate.get("Action")));
        assertEquals(List.of(bucketArn), texts(locate.get("Resource")));
        assertTrue(locate.path("Condition").isMissingNode(), locate.toString());

        // Its delivery stream's objects are its clicks; anything else under its prefix is not.
        String clicks = name + "/raw/year=2026/month=05/day=20/clicklog-" + name + "-1-2026-05-20-10-00-00-"
                + UUID.randomUUID();
        s3.putObject(r -> r.bucket(shared).key(clicks), RequestBody.fromString("1"));
        s3.putObject(r -> r.bucket(shared).key(name + "/raw/notes.txt"), RequestBody.fromString("2"));
        s3.putObject(r -> r.bucket(shared).key("someone-else/raw/three"), RequestBody.fromString("3"));
        assertInstanceOf(StepResult.Done.class, bucket.remove(c));
        assertEquals(List.of(clicks, name + "/raw/notes.txt", "someone-else/raw/three").stream().sorted().toList(),
                keys(shared), "teardown keeps the clicks");
        StepContext purge = new StepContext(spec, names, PipelineResources.NONE, new Changes(), c.owner(), false, false, true, null, false);
        assertInstanceOf(StepResult.Done.class, bucket.remove(purge));
        assertEquals(List.of(name + "/raw/notes.txt", "someone-else/raw/three").stream().sorted().toList(), keys(shared),
                "a purge deletes only what its delivery stream wrote");

        roles.remove(c);
        keys(shared).forEach(k -> s3.deleteObject(r -> r.bucket(shared).key(k)));
        s3.deleteBucket(r -> r.bucket(shared));
    }

    private List<String> keys(String bucket) {
        return s3.listObjectsV2(r -> r.bucket(bucket)).contents().stream().map(S3Object::key).sorted().toList();
    }

    private static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }
}
