package dev.clicklog.portal.pipeline;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.clicklog.portal.adapter.Arns;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Resources that carry a pipeline's names but were not created by the portal for it — a role that
 * trusts EC2 with someone's policy, a stream, a bucket holding a backup, a delivery stream, a log
 * group holding someone's logs — are
 * never adopted, changed or deleted: creating the pipeline fails naming the resource, with the failure in the history, and
 * the resource is the same byte for byte afterwards, also after the failed pipeline is deleted. A
 * periodic check that finds the pipeline's own resource replaced by someone else's does the same.
 */
@QuarkusTest
class ForeignResourcesTest {

    private static final String EC2_TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
    private static final String ADMIN = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\","
            + "\"Resource\":\"*\"}]}";
    private static final String FIREHOSE_TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"firehose.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
    private static final Map<String, String> SOMEONE = Map.of("owner", "data-platform");

    @Inject
    IamClient iam;
    @Inject
    KinesisClient kinesis;
    @Inject
    S3Client s3;
    @Inject
    FirehoseClient firehose;
    @Inject
    CloudWatchLogsClient logs;
    @Inject
    ApiGatewayClient apiGateway;
    @Inject
    Arns arns;

    @Test
    void rolesOfThePipelinesNamesAreNotItsOwn() {
        String name = PipelineApi.uniqueName("foreign-role");
        String role = "clicklog-" + name + "-apigateway";
        iam.createRole(r -> r.roleName(role).assumeRolePolicyDocument(EC2_TRUST)
                .tags(t -> t.key("owner").value("data-platform")));
        iam.putRolePolicy(r -> r.roleName(role).policyName("admin").policyDocument(ADMIN));
        String before = role(role);

        JsonPath failed = createAndFail(name, "ROLES", "IAM role " + role);
        assertEquals(before, role(role), "the role is as it was");
        PipelineApi.deleteAndAwait(name);
        assertEquals(before, role(role), "and still after the failed pipeline is deleted");
        assertTrue(failed.<String>getList("events.type").contains("FAILED"));
        iam.deleteRolePolicy(r -> r.roleName(role).policyName("admin"));
        iam.deleteRole(r -> r.roleName(role));
    }

    @Test
    void aDeliveryRoleOfThePipelinesNameIsNotItsOwnAndNoRoleIsCreatedBesideIt() {
        String name = PipelineApi.uniqueName("foreign-fhrole");
        String role = "clicklog-" + name + "-firehose";
        iam.createRole(r -> r.roleName(role).assumeRolePolicyDocument(EC2_TRUST));
        iam.putRolePolicy(r -> r.roleName(role).policyName("admin").policyDocument(ADMIN));
        String before = role(role);

        createAndFail(name, "ROLES", "IAM role " + role);
        assertEquals(before, role(role), "an untagged role is not the pipeline's either");
        assertThrows(NoSuchEntityException.class, () -> iam.getRole(r -> r.roleName("clicklog-" + name + "-apigateway")),
                "the step stopped before creating anything");
        PipelineApi.deleteAndAwait(name);
        assertEquals(before, role(role));
        iam.deleteRolePolicy(r -> r.roleName(role).policyName("admin"));
        iam.deleteRole(r -> r.roleName(role));
    }

    @Test
    void aDeliveryStreamOfThePipelinesNameIsNotItsOwn() {
        String name = PipelineApi.uniqueName("foreign-fh");
        String deliveryStream = "clicklog-" + name;
        String theirs = "theirs-" + name;
        iam.createRole(r -> r.roleName(theirs).assumeRolePolicyDocument(FIREHOSE_TRUST));
        s3.createBucket(r -> r.bucket(theirs));
        firehose.createDeliveryStream(r -> r.deliveryStreamName(deliveryStream).deliveryStreamType("DirectPut")
                .extendedS3DestinationConfiguration(d -> d.roleARN(arns.role(theirs)).bucketARN("arn:aws:s3:::" + theirs)
                        .prefix("exports/").bufferingHints(b -> b.sizeInMBs(64).intervalInSeconds(900)))
                .tags(t -> t.key("owner").value("data-platform")));
        await().atMost(Duration.ofSeconds(30)).until(() -> firehose.describeDeliveryStream(r -> r
                .deliveryStreamName(deliveryStream)).deliveryStreamDescription().deliveryStreamStatusAsString().equals("ACTIVE"));
        String before = deliveryStream(deliveryStream);

        createAndFail(name, "DELIVERY_STREAM", "Firehose delivery stream " + deliveryStream);
        assertEquals(before, deliveryStream(deliveryStream), "its destination, version and tags are as they were");
        PipelineApi.deleteAndAwait(name);
        assertEquals(before, deliveryStream(deliveryStream), "teardown leaves it too");
        firehose.deleteDeliveryStream(r -> r.deliveryStreamName(deliveryStream));
        iam.deleteRole(r -> r.roleName(theirs));
        s3.deleteBucket(r -> r.bucket(theirs));
    }

    @Test
    void aStreamOfThePipelinesNameIsNotItsOwn() {
        String name = PipelineApi.uniqueName("foreign-stream");
        String stream = "clicklog-" + name;
        kinesis.createStream(r -> r.streamName(stream).shardCount(1).tags(SOMEONE));
        awaitActive(stream);
        kinesis.putRecord(r -> r.streamName(stream).partitionKey("k").data(SdkBytes.fromUtf8String("their record")));
        String before = stream(stream);

        createAndFail(name, "STREAM", "Kinesis stream " + stream);
        assertEquals(before, stream(stream));
        PipelineApi.deleteAndAwait(name);
        assertEquals(before, stream(stream), "teardown leaves it too");
        kinesis.deleteStream(r -> r.streamName(stream));
    }

    @Test
    void aBucketOfThePipelinesNameIsNotItsOwn() {
        String name = PipelineApi.uniqueName("foreign-bucket");
        String bucket = "clicklog-" + name + "-" + arns.account();
        s3.createBucket(r -> r.bucket(bucket));
        s3.putBucketTagging(r -> r.bucket(bucket).tagging(t -> t.tagSet(x -> x.key("owner").value("data-platform"))));
        s3.putObject(r -> r.bucket(bucket).key("backups/db.dump"), RequestBody.fromString("their backup"));
        String before = bucket(bucket);

        createAndFail(name, "BUCKET", "S3 bucket " + bucket);
        assertEquals(before, bucket(bucket));
        PipelineApi.deleteAndAwait(name);
        assertEquals(before, bucket(bucket), "nothing in it was deleted");
        given().delete("/api/pipelines/" + name + "?purge=true").then().statusCode(202);
        PipelineApi.awaitStatus(name, "DELETED", PipelineApi.TEARDOWN);
        assertEquals(before, bucket(bucket), "not even by a purge");
        s3.deleteObject(r -> r.bucket(bucket).key("backups/db.dump"));
        s3.deleteBucket(r -> r.bucket(bucket));
    }

    /**
     * A log group of the pipeline's name holding someone's logs: the access logs step stops before
     * it changes anything — retention, tags, the stage's destination — and teardown leaves it, its
     * events included.
     */
    @Test
    void aLogGroupOfThePipelinesNameIsNotItsOwn() {
        String name = PipelineApi.uniqueName("foreign-logs");
        String group = "/aws/apigateway/clicklog-" + name;
        logs.createLogGroup(r -> r.logGroupName(group).tags(SOMEONE));
        logs.putRetentionPolicy(r -> r.logGroupName(group).retentionInDays(3));
        logs.createLogStream(r -> r.logGroupName(group).logStreamName("theirs"));
        logs.putLogEvents(r -> r.logGroupName(group).logStreamName("theirs").logEvents(
                e -> e.timestamp(System.currentTimeMillis()).message("their line")));
        String before = logGroup(group);

        JsonPath failed = createAndFail(name, "ACCESS_LOGS", "CloudWatch Logs log group " + group);
        assertEquals(before, logGroup(group), "its retention, tags and events are as they were");
        String api = failed.getString("resources.restApiId");
        var settings = apiGateway.getStage(r -> r.restApiId(api).stageName("v1")).accessLogSettings();
        assertTrue(settings == null || settings.destinationArn() == null, "the stage does not write to it: " + settings);
        PipelineApi.deleteAndAwait(name);
        assertEquals(before, logGroup(group), "teardown leaves it too");
        logs.deleteLogGroup(r -> r.logGroupName(group));
    }

    @Test
    void aCheckThatFindsItsStreamReplacedBySomeoneElsesFailsAndLeavesIt() {
        String name = PipelineApi.uniqueName("foreign-check");
        PipelineApi.create("{\"name\":\"" + name + "\",\"team\":\"t\"}");
        String stream = PipelineApi.awaitStatus(name, "READY").getString("resources.streamName");
        kinesis.deleteStream(r -> r.streamName(stream));
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            try {
                kinesis.describeStreamSummary(r -> r.streamName(stream));
                return false;
            } catch (AwsServiceException gone) {
                return true;
            }
        });
        kinesis.createStream(r -> r.streamName(stream).shardCount(3).tags(SOMEONE));
        awaitActive(stream);
        String before = stream(stream);

        PipelineChecks.checkNow(name);
        // READY until the check has run: then FAILED, as a check does not look away from a foreign resource.
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> "FAILED".equals(PipelineApi.get(name).getString("status")));
        JsonPath failed = PipelineApi.get(name);
        assertTrue(String.valueOf(PipelineApi.step(failed, "STREAM").get("lastError")).contains("Kinesis stream " + stream),
                failed.prettify());
        assertEquals(before, stream(stream), "a check repairs only what is the pipeline's");
        PipelineApi.deleteAndAwait(name);
        assertEquals(before, stream(stream));
        kinesis.deleteStream(r -> r.streamName(stream));
    }

    /** Requests the pipeline and waits until it FAILED at the step, naming the resource. */
    private static JsonPath createAndFail(String name, String step, String resource) {
        PipelineApi.create("{\"name\":\"" + name + "\",\"team\":\"t\"}");
        JsonPath failed = PipelineApi.awaitStatus(name, "FAILED");
        String error = String.valueOf(PipelineApi.step(failed, step).get("lastError"));
        assertTrue(error.startsWith("ResourceNotOwned: " + resource + " exists but is not this pipeline's"), error);
        assertTrue(error.contains("clicklog:pipeline-id=" + failed.getString("pipelineId")), error);
        assertEquals(1, PipelineApi.messages(failed, step, "FAILED").size(), failed.prettify());
        return failed;
    }

    private void awaitActive(String stream) {
        await().atMost(Duration.ofSeconds(30)).until(() -> kinesis
                .describeStreamSummary(r -> r.streamName(stream)).streamDescriptionSummary().streamStatus()
                == StreamStatus.ACTIVE);
    }

    /** Everything about the role: trust policy, description, tags, inline policies and their documents. */
    private String role(String name) {
        var r = iam.getRole(x -> x.roleName(name)).role();
        Map<String, String> policies = new TreeMap<>();
        iam.listRolePolicies(x -> x.roleName(name)).policyNames().forEach(p -> policies.put(p,
                iam.getRolePolicy(x -> x.roleName(name).policyName(p)).policyDocument()));
        return r.arn() + "|" + r.roleId() + "|" + r.createDate() + "|" + r.assumeRolePolicyDocument() + "|" + r.description()
                + "|" + r.tags() + "|" + policies;
    }

    /** Everything about the delivery stream: its version, source, destination and tags. */
    private String deliveryStream(String name) {
        var d = firehose.describeDeliveryStream(r -> r.deliveryStreamName(name)).deliveryStreamDescription();
        return d.deliveryStreamARN() + "|" + d.versionId() + "|" + d.deliveryStreamTypeAsString() + "|" + d.createTimestamp()
                + "|" + d.destinations() + "|" + firehose.listTagsForDeliveryStream(r -> r.deliveryStreamName(name)).tags();
    }

    /** Everything about the stream: mode, shards, retention, encryption, tags and its records. */
    private String stream(String name) {
        var s = kinesis.describeStreamSummary(r -> r.streamName(name)).streamDescriptionSummary();
        List<String> records = new ArrayList<>();
        for (var shard : kinesis.listShards(r -> r.streamName(name)).shards()) {
            String iterator = kinesis.getShardIterator(r -> r.streamName(name).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            kinesis.getRecords(r -> r.shardIterator(iterator)).records()
                    .forEach(x -> records.add(x.sequenceNumber() + "=" + x.data().asUtf8String()));
        }
        return s.streamARN() + "|" + s.streamCreationTimestamp() + "|" + s.streamModeDetails() + "|" + s.openShardCount()
                + "|" + s.retentionPeriodHours() + "|" + s.encryptionTypeAsString() + "|" + s.keyId() + "|"
                + kinesis.listTagsForStream(r -> r.streamName(name)).tags() + "|" + records;
    }

    /** Everything about the log group: ARN, creation time, retention, tags and its events. */
    private String logGroup(String name) {
        LogGroup g = logs.describeLogGroups(r -> r.logGroupNamePrefix(name)).logGroups().stream()
                .filter(x -> x.logGroupName().equals(name)).findFirst().orElseThrow();
        String arn = g.arn().replaceFirst(":\\*$", "");
        List<String> events = new ArrayList<>();
        logs.filterLogEvents(r -> r.logGroupName(name)).events().forEach(e -> events.add(e.logStreamName() + "="
                + e.timestamp() + "=" + e.message()));
        return arn + "|" + g.creationTime() + "|" + g.retentionInDays() + "|"
                + logs.listTagsForResource(r -> r.resourceArn(arn)).tags() + "|" + events;
    }

    /** Everything about the bucket: its objects (key, ETag, bytes), tags, public access block and encryption. */
    private String bucket(String name) {
        StringBuilder b = new StringBuilder();
        for (S3Object o : s3.listObjectsV2(r -> r.bucket(name)).contents()) {
            b.append(o.key()).append('=').append(o.eTag()).append('=').append(o.lastModified()).append('=')
                    .append(s3.getObjectAsBytes(r -> r.bucket(name).key(o.key())).asUtf8String()).append('|');
        }
        b.append(s3.getBucketTagging(r -> r.bucket(name)).tagSet()).append('|');
        b.append(answer(() -> s3.getPublicAccessBlock(r -> r.bucket(name)).publicAccessBlockConfiguration())).append('|');
        b.append(answer(() -> s3.getBucketEncryption(r -> r.bucket(name)).serverSideEncryptionConfiguration()));
        return b.toString();
    }

    /** What AWS answers, the error code included. */
    private static String answer(Supplier<Object> call) {
        try {
            return String.valueOf(call.get());
        } catch (AwsServiceException e) {
            return e.awsErrorDetails().errorCode();
        }
    }
}
