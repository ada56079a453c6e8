package dev.clicklog.localaws.iam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.clicklog.endpoint.LocalEndpoint;
import dev.clicklog.testing.AwsCli;
import dev.clicklog.testing.EnforcedCallers;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.IntegrationType;
import software.amazon.awssdk.services.apigateway.model.Op;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Callers held to IAM ({@code clicklog.localaws.iam.enforce-callers=true}), through the SDK and
 * the CLI: the root (test/test) creates users, a user may do exactly what its policies allow, an
 * explicit Deny beats an Allow, conditions on request and resource tags and on the service a role
 * is passed to apply, and unknown keys and wrong secrets are refused in each service's error shape.
 */
@QuarkusTest
@TestProfile(EnforcedCallers.class)
class CallerPoliciesTest {

    static final String ACCOUNT = "000000000000";

    @Inject
    LocalEndpoint endpoint;

    /** The portal's client, signed as the root. */
    @Inject
    IamClient root;

    @Inject
    KinesisClient rootKinesis;

    @Inject
    ApiGatewayClient rootApiGateway;

    private final SdkHttpClient http = ApacheHttpClient.create();
    private final List<AutoCloseable> clients = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : clients) {
            c.close();
        }
        http.close();
    }

    /** A new user holding this inline policy, and its key pair. */
    private AwsBasicCredentials user(String name, String policy) {
        root.createUser(r -> r.userName(name));
        root.putUserPolicy(r -> r.userName(name).policyName("only").policyDocument(policy));
        AccessKey key = root.createAccessKey(r -> r.userName(name)).accessKey();
        return AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey());
    }

    private <B extends AwsClientBuilder<B, C>, C extends AutoCloseable> C client(B builder, AwsBasicCredentials credentials) {
        C client = builder.endpointOverride(endpoint.uri()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(credentials)).build();
        clients.add(client);
        return client;
    }

    private KinesisClient kinesis(AwsBasicCredentials credentials) {
        return client(KinesisClient.builder().httpClient(http), credentials);
    }

    static String policy(String... statements) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}";
    }

    static String statement(String effect, String action, String resource, String condition) {
        return "{\"Effect\":\"" + effect + "\",\"Action\":\"" + action + "\",\"Resource\":\"" + resource + "\""
                + (condition == null ? "" : ",\"Condition\":" + condition) + "}";
    }

    static String stream(String name) {
        return "arn:aws:kinesis:us-east-1:" + ACCOUNT + ":stream/" + name;
    }

    @Test
    void aUserMayDoExactlyWhatItsPolicyAllows() {
        String name = IamTest.unique("reader");
        String allowed = IamTest.unique("allowed");
        String other = IamTest.unique("other");
        KinesisClient kinesis = kinesis(user(name, policy(
                statement("Allow", "kinesis:CreateStream", stream("allowed-*"), null),
                statement("Allow", "kinesis:DescribeStreamSummary", stream("allowed-*"), null))));

        kinesis.createStream(r -> r.streamName(allowed).shardCount(1));
        assertEquals(allowed, kinesis.describeStreamSummary(r -> r.streamName(allowed)).streamDescriptionSummary().streamName());

        KinesisException denied = assertThrows(KinesisException.class, () -> kinesis.createStream(r -> r.streamName(other).shardCount(1)));
        assertEquals("AccessDeniedException", denied.awsErrorDetails().errorCode());
        assertEquals(400, denied.statusCode());
        assertEquals("User: arn:aws:iam::" + ACCOUNT + ":user/" + name + " is not authorized to perform: kinesis:CreateStream"
                + " on resource: " + stream(other) + " because no identity-based policy allows the kinesis:CreateStream action",
                denied.awsErrorDetails().errorMessage());
        active(allowed);
        KinesisException notListed = assertThrows(KinesisException.class, () -> kinesis.deleteStream(r -> r.streamName(allowed)));
        assertEquals("AccessDeniedException", notListed.awsErrorDetails().errorCode());
        assertTrue(rootKinesis.listStreams().streamNames().contains(allowed), "the refused delete changed nothing");
        assertTrue(!rootKinesis.listStreams().streamNames().contains(other), "the refused create created nothing");
        rootKinesis.deleteStream(r -> r.streamName(allowed));
    }

    @Test
    void anExplicitDenyBeatsAnyAllow() {
        String keep = IamTest.unique("keep");
        rootKinesis.createStream(r -> r.streamName(keep).shardCount(1));
        active(keep);
        String name = IamTest.unique("careful");
        KinesisClient kinesis = kinesis(user(name, policy(
                statement("Allow", "kinesis:*", "*", null),
                statement("Deny", "kinesis:DeleteStream", stream("keep-*"), null))));

        assertEquals(keep, kinesis.describeStreamSummary(r -> r.streamName(keep)).streamDescriptionSummary().streamName());
        KinesisException denied = assertThrows(KinesisException.class, () -> kinesis.deleteStream(r -> r.streamName(keep)));
        assertEquals("AccessDeniedException", denied.awsErrorDetails().errorCode());
        assertTrue(denied.awsErrorDetails().errorMessage().endsWith(
                "kinesis:DeleteStream on resource: " + stream(keep) + " with an explicit deny in an identity-based policy"),
                denied.awsErrorDetails().errorMessage());
        rootKinesis.deleteStream(r -> r.streamName(keep));
    }

    @Test
    void conditionsOnRequestAndResourceTags() {
        String tag = "{\"StringEquals\":{\"aws:RequestTag/managed-by\":\"clicklog-portal\"},"
                + "\"ForAllValues:StringEquals\":{\"aws:TagKeys\":[\"managed-by\",\"team\"]}}";
        String owned = "{\"StringEquals\":{\"aws:ResourceTag/managed-by\":\"clicklog-portal\"}}";
        KinesisClient kinesis = kinesis(user(IamTest.unique("tagger"), policy(
                statement("Allow", "kinesis:CreateStream", "*", tag),
                statement("Allow", "kinesis:AddTagsToStream", "*", tag),
                statement("Allow", "kinesis:DeleteStream", "*", owned))));
        String tagged = IamTest.unique("tagged");
        kinesis.createStream(r -> r.streamName(tagged).shardCount(1).tags(Map.of("managed-by", "clicklog-portal", "team", "web")));

        String untagged = IamTest.unique("untagged");
        assertDenied(() -> kinesis.createStream(r -> r.streamName(untagged).shardCount(1)));
        assertDenied(() -> kinesis.createStream(r -> r.streamName(untagged).shardCount(1)
                .tags(Map.of("managed-by", "clicklog-portal", "owner", "x"))));
        rootKinesis.createStream(r -> r.streamName(untagged).shardCount(1));
        active(untagged);
        assertDenied(() -> kinesis.deleteStream(r -> r.streamName(untagged)));
        active(tagged);

        kinesis.deleteStream(r -> r.streamName(tagged));
        rootKinesis.deleteStream(r -> r.streamName(untagged));
    }

    @Test
    void passRoleOnlyForItsRolesAndOnlyToTheNamedService() {
        String trust = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Principal\":{\"Service\":\"apigateway.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
        String own = "clicklog-" + IamTest.unique("logs");
        String foreign = IamTest.unique("foreign");
        String ownArn = root.createRole(r -> r.roleName(own).assumeRolePolicyDocument(trust)).role().arn();
        String foreignArn = root.createRole(r -> r.roleName(foreign).assumeRolePolicyDocument(trust)).role().arn();
        String account = "arn:aws:apigateway:us-east-1::/account";
        String toApiGateway = "{\"StringEquals\":{\"iam:PassedToService\":\"apigateway.amazonaws.com\"}}";
        String toFirehose = "{\"StringEquals\":{\"iam:PassedToService\":\"firehose.amazonaws.com\"}}";

        ApiGatewayClient allowed = client(ApiGatewayClient.builder().httpClient(http), user(IamTest.unique("passer"), policy(
                statement("Allow", "apigateway:PATCH", account, null),
                statement("Allow", "iam:PassRole", "arn:aws:iam::" + ACCOUNT + ":role/clicklog-*", toApiGateway))));
        assertEquals(ownArn, allowed.updateAccount(r -> r.patchOperations(p -> p.op(Op.REPLACE).path("/cloudwatchRoleArn")
                .value(ownArn))).cloudwatchRoleArn());
        AwsServiceException foreignRole = assertThrows(AwsServiceException.class, () -> allowed.updateAccount(
                r -> r.patchOperations(p -> p.op(Op.REPLACE).path("/cloudwatchRoleArn").value(foreignArn))));
        assertEquals("AccessDeniedException", foreignRole.awsErrorDetails().errorCode());
        assertEquals(403, foreignRole.statusCode());
        assertTrue(foreignRole.awsErrorDetails().errorMessage().contains("iam:PassRole on resource: " + foreignArn),
                foreignRole.awsErrorDetails().errorMessage());

        ApiGatewayClient otherService = client(ApiGatewayClient.builder().httpClient(http), user(IamTest.unique("firehose-passer"),
                policy(statement("Allow", "apigateway:PATCH", account, null),
                        statement("Allow", "iam:PassRole", "arn:aws:iam::" + ACCOUNT + ":role/clicklog-*", toFirehose))));
        AwsServiceException wrongService = assertThrows(AwsServiceException.class, () -> otherService.updateAccount(
                r -> r.patchOperations(p -> p.op(Op.REPLACE).path("/cloudwatchRoleArn").value(ownArn))));
        assertEquals("AccessDeniedException", wrongService.awsErrorDetails().errorCode());
    }

    @Test
    void invokeUrlsStayPublicWhileTheControlPlaneWantsACaller() throws Exception {
        String api = rootApiGateway.createRestApi(r -> r.name(IamTest.unique("public"))).id();
        String rootId = rootApiGateway.getResources(r -> r.restApiId(api)).items().get(0).id();
        String clicks = rootApiGateway.createResource(r -> r.restApiId(api).parentId(rootId).pathPart("clicks")).id();
        rootApiGateway.putMethod(r -> r.restApiId(api).resourceId(clicks).httpMethod("PUT").authorizationType("NONE"));
        rootApiGateway.putMethodResponse(r -> r.restApiId(api).resourceId(clicks).httpMethod("PUT").statusCode("200"));
        rootApiGateway.putIntegration(r -> r.restApiId(api).resourceId(clicks).httpMethod("PUT").type(IntegrationType.MOCK)
                .requestTemplates(Map.of("application/json", "{\"statusCode\": 200}")));
        rootApiGateway.putIntegrationResponse(r -> r.restApiId(api).resourceId(clicks).httpMethod("PUT").statusCode("200")
                .responseTemplates(Map.of("application/json", "{\"ok\":true}")));
        rootApiGateway.createDeployment(r -> r.restApiId(api).stageName("v1"));

        HttpClient unsigned = HttpClient.newHttpClient();
        HttpResponse<String> click = unsigned.send(HttpRequest.newBuilder(endpoint.uri().resolve(
                "/restapis/" + api + "/v1/_user_request_/clicks")).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"page\":\"/\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, click.statusCode(), click.body());
        ApiGatewayClient stranger = client(ApiGatewayClient.builder().httpClient(http),
                AwsBasicCredentials.create("AKIAUNKNOWNUNKNOWN00", "secret"));
        assertCode("UnrecognizedClientException", 403, () -> stranger.getRestApi(r -> r.restApiId(api)));
        rootApiGateway.deleteRestApi(r -> r.restApiId(api));
    }

    @Test
    void managedPoliciesAttachedToTheUserCount() {
        String name = IamTest.unique("managed");
        root.createUser(r -> r.userName(name));
        AccessKey key = root.createAccessKey(r -> r.userName(name)).accessKey();
        KinesisClient kinesis = kinesis(AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey()));
        assertDenied(() -> kinesis.listStreams());
        String arn = root.createPolicy(r -> r.policyName(name).policyDocument(
                policy(statement("Allow", "kinesis:ListStreams", "*", null)))).policy().arn();
        root.attachUserPolicy(r -> r.userName(name).policyArn(arn));
        kinesis.listStreams();
        root.detachUserPolicy(r -> r.userName(name).policyArn(arn));
        assertDenied(() -> kinesis.listStreams());
    }

    @Test
    void unknownKeysAndWrongSecretsAreRefusedInEachServicesShape() {
        AwsBasicCredentials good = user(IamTest.unique("signer"), policy(statement("Allow", "*", "*", null)));
        AwsBasicCredentials wrongSecret = AwsBasicCredentials.create(good.accessKeyId(), good.secretAccessKey() + "x");
        AwsBasicCredentials unknown = AwsBasicCredentials.create("AKIAUNKNOWNUNKNOWN00", "secret");

        kinesis(good).listStreams();
        assertCode("InvalidSignatureException", 400, () -> kinesis(wrongSecret).listStreams());
        assertCode("UnrecognizedClientException", 400, () -> kinesis(unknown).listStreams());

        IamClient iamGood = client(IamClient.builder().httpClient(http).region(Region.AWS_GLOBAL), good);
        iamGood.listUsers();
        assertCode("SignatureDoesNotMatch", 403,
                () -> client(IamClient.builder().httpClient(http), wrongSecret).listUsers());
        assertCode("InvalidClientTokenId", 403, () -> client(IamClient.builder().httpClient(http), unknown).listUsers());

        S3Client s3Unknown = client(S3Client.builder().httpClient(http).forcePathStyle(true), unknown);
        assertCode("InvalidAccessKeyId", 403, () -> s3Unknown.listBuckets());
        S3Client s3Wrong = client(S3Client.builder().httpClient(http).forcePathStyle(true), wrongSecret);
        assertCode("SignatureDoesNotMatch", 403, () -> s3Wrong.listBuckets());
        client(S3Client.builder().httpClient(http).forcePathStyle(true), good).listBuckets();
    }

    @Test
    void s3AndIamRefuseInTheirOwnShapes() {
        String name = IamTest.unique("bucketeer");
        AwsBasicCredentials credentials = user(name, policy(statement("Allow", "s3:CreateBucket", "arn:aws:s3:::allowed-*", null)));
        S3Client s3 = client(S3Client.builder().httpClient(http).forcePathStyle(true), credentials);
        String bucket = IamTest.unique("allowed");
        s3.createBucket(r -> r.bucket(bucket));
        String other = IamTest.unique("other");
        AwsServiceException denied = assertThrows(AwsServiceException.class, () -> s3.createBucket(r -> r.bucket(other)));
        assertEquals("AccessDenied", denied.awsErrorDetails().errorCode());
        assertEquals(403, denied.statusCode());
        assertEquals("User: arn:aws:iam::" + ACCOUNT + ":user/" + name + " is not authorized to perform: s3:CreateBucket on "
                + "resource: arn:aws:s3:::" + other + " because no identity-based policy allows the s3:CreateBucket action",
                denied.awsErrorDetails().errorMessage());
        assertCode("AccessDenied", 403, () -> client(IamClient.builder().httpClient(http), credentials).listUsers());

        // Anyone may ask who they are.
        StsClient sts = client(StsClient.builder().httpClient(http), credentials);
        assertEquals("arn:aws:iam::" + ACCOUNT + ":user/" + name, sts.getCallerIdentity().arn());
    }

    @Test
    void theCliSignsAsTheUserItIsGiven() {
        String name = IamTest.unique("cli-user");
        AwsBasicCredentials credentials = user(name, policy(statement("Allow", "kinesis:ListStreams", "*", null)));
        AwsCli aws = new AwsCli(endpoint.uri(), "us-east-1")
                .withEnvironment("AWS_ACCESS_KEY_ID", credentials.accessKeyId())
                .withEnvironment("AWS_SECRET_ACCESS_KEY", credentials.secretAccessKey());
        aws.run("kinesis", "list-streams").assertOk();
        AwsCli.Result denied = aws.run("kinesis", "create-stream", "--stream-name", IamTest.unique("cli"), "--shard-count", "1");
        assertNotEquals(0, denied.exitCode());
        assertTrue(denied.stderr().contains("AccessDeniedException") && denied.stderr().contains(name), denied.stderr());
        AwsCli.Result identity = aws.run("sts", "get-caller-identity");
        assertTrue(identity.assertOk().stdout().contains("user/" + name), identity.stdout());
        AwsCli.Result stranger = new AwsCli(endpoint.uri(), "us-east-1").withEnvironment("AWS_ACCESS_KEY_ID", "AKIANOBODYNOBODY0000")
                .withEnvironment("AWS_SECRET_ACCESS_KEY", "x").run("kinesis", "list-streams");
        assertTrue(stranger.stderr().contains("UnrecognizedClientException"), stranger.stderr());
    }

    /** Waits (bounded, by the SDK's waiter) until the stream is ACTIVE, when it may be deleted. */
    private void active(String stream) {
        rootKinesis.waiter().waitUntilStreamExists(r -> r.streamName(stream));
    }

    private static void assertDenied(Runnable call) {
        assertCode("AccessDeniedException", 400, call);
    }

    private static void assertCode(String code, int status, Runnable call) {
        AwsServiceException e = assertThrows(AwsServiceException.class, call::run);
        assertEquals(code, e.awsErrorDetails().errorCode(), e.getMessage());
        assertEquals(status, e.statusCode(), e.getMessage());
    }

}
