package dev.clicklog.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.clicklog.aws.Arns;
import dev.clicklog.aws.ResourceNames;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * With one shared bucket (clicklog.pipelines.shared-bucket), a pipeline owns only its part of it:
 * its role may write only there, and deleting the pipeline deletes only its objects.
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
        StepContext c = new StepContext(spec, names, PipelineResources.NONE);

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
        for (JsonNode statement : policy.get("Statement")) {
            switch (statement.get("Sid").asText()) {
                case "WriteObjects" -> assertEquals(List.of(bucketArn + "/" + name + "/raw/*",
                        bucketArn + "/" + name + "/errors/raw/*"), texts(statement.get("Resource")));
                case "LocateBucket" -> assertEquals(List.of(name + "/raw/*", name + "/errors/raw/*"),
                        texts(statement.at("/Condition/StringLike/s3:prefix")));
                default -> { }
            }
        }

        s3.putObject(r -> r.bucket(shared).key(name + "/raw/one"), RequestBody.fromString("1"));
        s3.putObject(r -> r.bucket(shared).key("someone-else/raw/two"), RequestBody.fromString("2"));
        assertInstanceOf(StepResult.Done.class, bucket.remove(c));
        assertEquals(List.of("someone-else/raw/two"),
                s3.listObjectsV2(r -> r.bucket(shared)).contents().stream().map(S3Object::key).toList());

        roles.remove(c);
        s3.deleteObject(r -> r.bucket(shared).key("someone-else/raw/two"));
        s3.deleteBucket(r -> r.bucket(shared));
    }

    private static List<String> texts(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }
}
