package dev.clicklog.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.clicklog.it.PortalProcesses.Portal;
import dev.clicklog.portal.adapter.ResourceNames;
import dev.clicklog.portal.pipeline.PipelineApi;
import dev.clicklog.testing.AwsCli;
import dev.clicklog.testing.Host;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * localaws keeps what it acknowledged, with real processes of the packaged app in local mode and
 * its default durability (fsync): IAM roles with their trust policies, inline policies and tags,
 * CloudWatch datapoints, and Kinesis streams (resharded, tagged) with their records and sequence
 * numbers, S3 buckets with their settings and objects (byte for byte), made through the SDK,
 * are listed by the AWS CLI exactly as before a stop with SIGTERM
 * and before a kill with SIGKILL, the latter right after the last change was acknowledged; a shard
 * iterator taken before the stop reads the same records after it, and a multipart upload begun
 * before both completes after them. A READY pipeline's delivery stream and ingest API are listed as
 * before too, and the start-up check finds every one of its resources in place: nothing is repaired.
 */
class DurableRestartIT {

    private static final String TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"firehose.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
    private static final String OTHER_TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"apigateway.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";

    @RegisterExtension
    final PortalProcesses portals = new PortalProcesses();

    private final SdkHttpClient sdkHttp = ApacheHttpClient.create();

    @AfterEach
    void closeClients() {
        sdkHttp.close();
    }

    private final Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);

    private static final String STREAM = "clicks-durable";
    private static final String BUCKET = "clicks-durable-objects";

    private static String policy(String action, String resource) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"" + action
                + "\",\"Resource\":\"" + resource + "\"}]}";
    }

    @Test
    void iamAndCloudWatchStateSurvivesSigtermAndSigkill() throws IOException {
        int localawsPort = Host.freePort();
        Map<String, String> settings = Map.of(
                "clicklog.aws.mode", "local",
                "clicklog.localaws.port", String.valueOf(localawsPort));
        AwsCli aws = new AwsCli(URI.create("http://127.0.0.1:" + localawsPort), "us-east-1");
        Portal portal = portals.start("first", settings);

        IamClient iam = client(IamClient.builder(), localawsPort);
        CloudWatchClient cloudWatch = client(CloudWatchClient.builder(), localawsPort);
        iam.createRole(b -> b.roleName("clicks-delivery").path("/service/").assumeRolePolicyDocument(TRUST)
                .description("Firehose writes S3").maxSessionDuration(7200)
                .tags(t -> t.key("team").value("web"), t -> t.key("cost").value("42")));
        iam.putRolePolicy(b -> b.roleName("clicks-delivery").policyName("write")
                .policyDocument(policy("s3:PutObject", "arn:aws:s3:::clicks/*")));
        iam.putRolePolicy(b -> b.roleName("clicks-delivery").policyName("read")
                .policyDocument(policy("kinesis:GetRecords", "*")));
        iam.createRole(b -> b.roleName("clicks-ingest").assumeRolePolicyDocument(TRUST));
        iam.updateAssumeRolePolicy(b -> b.roleName("clicks-ingest").policyDocument(OTHER_TRUST));
        iam.untagRole(b -> b.roleName("clicks-delivery").tagKeys("cost"));
        putMetrics(cloudWatch, 0);
        KinesisClient kinesis = client(KinesisClient.builder(), localawsPort);
        kinesis.createStream(b -> b.streamName(STREAM).shardCount(2));
        awaitActive(kinesis);
        putClicks(kinesis, 0, 200);
        kinesis.updateShardCount(b -> b.streamName(STREAM).targetShardCount(4).scalingType("UNIFORM_SCALING"));
        awaitActive(kinesis);
        putClicks(kinesis, 200, 400);
        kinesis.addTagsToStream(b -> b.streamName(STREAM).tags(Map.of("team", "web", "cost", "42")));
        kinesis.increaseStreamRetentionPeriod(b -> b.streamName(STREAM).retentionPeriodHours(48));
        awaitActive(kinesis);
        S3Client s3 = client(S3Client.builder().forcePathStyle(true), localawsPort);
        s3.createBucket(b -> b.bucket(BUCKET));
        s3.putBucketTagging(b -> b.bucket(BUCKET).tagging(t -> t.tagSet(x -> x.key("team").value("web"))));
        s3.putBucketEncryption(b -> b.bucket(BUCKET).serverSideEncryptionConfiguration(c -> c.rules(
                r -> r.applyServerSideEncryptionByDefault(d -> d.sseAlgorithm("aws:kms").kmsMasterKeyID("alias/clicks")))));
        putObjects(s3, 0, 20);
        s3.deleteObject(b -> b.bucket(BUCKET).key("clicks/3.json"));
        String upload = s3.createMultipartUpload(b -> b.bucket(BUCKET).key("big.bin").contentType("application/x-clicks"))
                .uploadId();
        String partEtag = s3.uploadPart(b -> b.bucket(BUCKET).key("big.bin").uploadId(upload).partNumber(1),
                RequestBody.fromBytes(new byte[5 * 1024 * 1024])).eTag();
        // A pipeline checked again at every start: its resources must be found, never rebuilt.
        String pipeline = PipelineApi.uniqueName("durable");
        portal.api().contentType(ContentType.JSON)
                .body("{\"name\":\"" + pipeline + "\",\"team\":\"durable\"}").post("/api/pipelines")
                .then().statusCode(201);
        awaitStatus(portal, pipeline, "READY");
        Map<String, String> before = listings(aws, pipeline);
        String checked = view(portal, pipeline).getString("lastCheckedAt");
        // Taken just before the stop: an iterator expires 5 minutes after it was issued.
        String iterator = iterator(aws, "shardId-000000000000");
        String firstShard = records(aws, iterator);

        portals.stop(portal);
        Portal second = portals.start("after-sigterm", settings);
        assertEquals(firstShard, records(aws, iterator), "an iterator taken before the restart reads the same records");
        assertEquals(before, listings(aws, pipeline), "after SIGTERM");
        checked = awaitCheckedAgain(second, pipeline, checked);

        // Acknowledged, then killed at once: still there.
        iam.createRole(b -> b.roleName("clicks-late").assumeRolePolicyDocument(TRUST)
                .tags(t -> t.key("when").value("just-before-the-kill")));
        putMetrics(cloudWatch, 1);
        putClicks(kinesis, 400, 500);
        putObjects(s3, 20, 25);
        Map<String, String> beforeKill = listings(aws, pipeline);
        portals.kill(second);
        Portal third = portals.start("after-sigkill", settings);
        assertEquals(beforeKill, listings(aws, pipeline), "after SIGKILL");
        awaitCheckedAgain(third, pipeline, checked);
        // The multipart upload begun before both restarts still has its part: it completes now.
        s3.completeMultipartUpload(b -> b.bucket(BUCKET).key("big.bin").uploadId(upload)
                .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(partEtag))));
        assertEquals(5L * 1024 * 1024, s3.headObject(b -> b.bucket(BUCKET).key("big.bin")).contentLength());
        JsonPath view = view(third, pipeline);
        for (String step : List.of("ROLES", "STREAM", "BUCKET", "DELIVERY_STREAM", "INGEST_API")) {
            assertEquals(List.of(), PipelineApi.messages(view, step, "REPAIRED"),
                    "the start-up checks found the pipeline's " + step + " in place");
        }
    }

    /** Values in the last minutes, as one would record a business metric. */
    private void putMetrics(CloudWatchClient cloudWatch, int round) {
        for (int i = 0; i < 3; i++) {
            Instant at = minute.minusSeconds(60L * i);
            double value = 10 * round + i;
            cloudWatch.putMetricData(b -> b.namespace("Shop").metricData(
                    d -> d.metricName("Orders").dimensions(x -> x.name("Site").value("eu")).timestamp(at).value(value)
                            .unit(StandardUnit.COUNT),
                    d -> d.metricName("Latency").timestamp(at).unit(StandardUnit.MILLISECONDS)
                            .statisticValues(v -> v.sampleCount(4.0).sum(100.0 + round).minimum(5.0).maximum(60.0))));
        }
    }

    private static void putObjects(S3Client s3, int from, int to) {
        for (int i = from; i < to; i++) {
            String body = "{\"click\":" + i + "}\n".repeat(i + 1);
            int n = i;
            s3.putObject(b -> b.bucket(BUCKET).key("clicks/" + n + ".json").contentType("application/json")
                    .metadata(Map.of("pipeline", "durable", "n", String.valueOf(n))), RequestBody.fromString(body));
        }
    }

    private static void putClicks(KinesisClient kinesis, int from, int to) {
        List<PutRecordsRequestEntry> entries = IntStream.range(from, to).mapToObj(i -> PutRecordsRequestEntry.builder()
                .partitionKey("visitor-" + i).data(SdkBytes.fromUtf8String("{\"click\":" + i + "}")).build()).toList();
        assertEquals(0, kinesis.putRecords(b -> b.streamName(STREAM).records(entries)).failedRecordCount());
    }

    private static void awaitActive(KinesisClient kinesis) {
        await("stream " + STREAM + " ACTIVE").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> kinesis.describeStreamSummary(b -> b.streamName(STREAM)).streamDescriptionSummary()
                        .streamStatus() == StreamStatus.ACTIVE);
    }

    private static String iterator(AwsCli aws, String shardId) {
        return JsonPath.from(aws.run("kinesis", "get-shard-iterator", "--stream-name", STREAM, "--shard-id", shardId,
                "--shard-iterator-type", "TRIM_HORIZON").assertOk().stdout()).getString("ShardIterator");
    }

    /** The records GetRecords answers (not the next iterator, which names when it was issued). */
    private static String records(AwsCli aws, String iterator) {
        return recordList(aws, iterator).toString();
    }

    private static List<Object> recordList(AwsCli aws, String iterator) {
        String out = aws.run("kinesis", "get-records", "--shard-iterator", iterator, "--limit", "10000").assertOk().stdout();
        return JsonPath.from(out).getList("Records");
    }

    private <C, B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>> C client(B builder, int port) {
        return builder.endpointOverride(URI.create("http://127.0.0.1:" + port)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(sdkHttp).build();
    }

    /** What the AWS CLI lists of IAM and CloudWatch, command by command. */
    private Map<String, String> listings(AwsCli aws, String pipeline) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        String from = minute.minusSeconds(600).toString();
        String to = minute.plusSeconds(120).toString();
        List<List<String>> commands = List.of(
                List.of("iam", "list-roles"),
                List.of("iam", "get-role", "--role-name", "clicks-delivery"),
                List.of("iam", "list-role-policies", "--role-name", "clicks-delivery"),
                List.of("iam", "get-role-policy", "--role-name", "clicks-delivery", "--policy-name", "write"),
                List.of("iam", "get-role-policy", "--role-name", names(pipeline).deliveryRole(), "--policy-name",
                        ResourceNames.DELIVERY_ROLE_POLICY),
                List.of("cloudwatch", "get-metric-statistics", "--namespace", "Shop", "--metric-name", "Orders",
                        "--dimensions", "Name=Site,Value=eu", "--start-time", from, "--end-time", to, "--period", "60",
                        "--statistics", "Sum", "SampleCount", "Minimum", "Maximum"),
                List.of("cloudwatch", "get-metric-statistics", "--namespace", "Shop", "--metric-name", "Latency",
                        "--start-time", from, "--end-time", to, "--period", "60", "--statistics", "Sum", "SampleCount",
                        "Minimum", "Maximum", "Average"));
        for (List<String> command : commands) {
            out.put(String.join(" ", command), aws.run(command.toArray(String[]::new)).assertOk().stdout());
        }
        // The pipeline's delivery stream and ingest API: the start-up check must find these, not make them again.
        for (List<String> command : List.of(List.of("firehose", "list-delivery-streams"),
                List.of("firehose", "describe-delivery-stream", "--delivery-stream-name", names(pipeline).deliveryStream()),
                List.of("apigateway", "get-rest-apis"))) {
            out.put(String.join(" ", command), aws.run(command.toArray(String[]::new)).assertOk().stdout());
        }
        for (List<String> command : List.of(List.of("kinesis", "list-streams"),
                List.of("kinesis", "describe-stream", "--stream-name", STREAM),
                List.of("kinesis", "list-shards", "--stream-name", STREAM),
                List.of("kinesis", "list-tags-for-stream", "--stream-name", STREAM))) {
            out.put(String.join(" ", command), aws.run(command.toArray(String[]::new)).assertOk().stdout());
        }
        for (List<String> command : List.of(List.of("s3api", "list-buckets"),
                List.of("s3api", "list-objects-v2", "--bucket", BUCKET),
                List.of("s3api", "get-bucket-tagging", "--bucket", BUCKET),
                List.of("s3api", "get-bucket-encryption", "--bucket", BUCKET),
                List.of("s3api", "head-object", "--bucket", BUCKET, "--key", "clicks/7.json"))) {
            out.put(String.join(" ", command), aws.run(command.toArray(String[]::new)).assertOk().stdout());
        }
        // Every object's bytes, in one command
        Path objects = Files.createTempDirectory("objects");
        try {
            aws.run("s3", "cp", "s3://" + BUCKET + "/", objects.toString(), "--recursive").assertOk();
            for (String key : JsonPath.from(out.get("s3api list-objects-v2 --bucket " + BUCKET))
                    .getList("Contents.Key", String.class)) {
                out.put("s3 cp " + key, Files.readString(objects.resolve(key)));
            }
        } finally {
            Host.deleteTree(objects);
        }
        assertTrue(out.get("s3api list-objects-v2 --bucket " + BUCKET).contains("clicks/19.json"));
        int records = 0;
        for (String shardId : JsonPath.from(out.get("kinesis list-shards --stream-name " + STREAM))
                .getList("Shards.ShardId", String.class)) {
            List<Object> read = recordList(aws, iterator(aws, shardId));
            records += read.size();
            out.put("kinesis get-records " + shardId, read.toString());
        }
        assertTrue(records >= 400, "the stream's records: " + records);
        assertTrue(out.get("iam list-roles").contains("clicks-delivery"), out.get("iam list-roles"));
        return out;
    }

    private static ResourceNames names(String pipeline) {
        return ResourceNames.of(pipeline, "000000000000", Optional.empty());
    }

    private static JsonPath view(Portal portal, String name) {
        return portal.api().get("/api/pipelines/" + name).then().statusCode(200)
                .extract().jsonPath();
    }

    private static void awaitStatus(Portal portal, String name, String status) {
        await("pipeline " + name + " " + status).atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250))
                .until(() -> status.equals(view(portal, name).getString("status")));
    }

    /** The start-up check of the READY pipeline ran to its end (it stays READY meanwhile); returns when it ended. */
    private static String awaitCheckedAgain(Portal portal, String name, String previousCheck) {
        String[] checked = new String[1];
        await("pipeline " + name + " checked again").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    JsonPath v = view(portal, name);
                    checked[0] = v.getString("lastCheckedAt");
                    return "READY".equals(v.getString("status")) && v.getString("checkingSince") == null && checked[0] != null
                            && !checked[0].equals(previousCheck);
                });
        return checked[0];
    }
}
