package dev.clicklog.localaws.apigateway;

import dev.clicklog.localaws.apigateway.invoke.IntegrationAccess;

import static dev.clicklog.localaws.apigateway.ApiGatewayKinesisTest.PUT_RECORD_TEMPLATE;
import static dev.clicklog.localaws.apigateway.ApiGatewayKinesisTest.kinesisMethod;
import static dev.clicklog.localaws.apigateway.ApiGatewayKinesisTest.streamArn;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.clicklog.endpoint.LocalEndpoint;
import dev.clicklog.testing.TestRoles;
import dev.clicklog.testing.TestRoles.Role;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.IntegrationType;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * IAM on AWS integrations, as API Gateway and Kinesis apply it: the credentials role must exist and
 * trust apigateway.amazonaws.com, and Kinesis answers the role's session AccessDeniedException for
 * what its policies do not allow, which integration responses select on like any Kinesis answer.
 */
@QuarkusTest
class ApiGatewayIamTest {

    static final String ACCOUNT = "000000000000";

    @Inject
    ApiGatewayClient apigw;

    @Inject
    KinesisClient kinesis;

    @Inject
    IamClient iam;

    @Inject
    LocalEndpoint endpoint;

    TestRoles roles() {
        return new TestRoles(iam);
    }

    String stream() {
        return ApiGatewayKinesisTest.activeStream(kinesis);
    }

    int records(String stream) {
        String iterator = kinesis.getShardIterator(b -> b.streamName(stream).shardId("shardId-000000000000")
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        return kinesis.getRecords(b -> b.shardIterator(iterator)).records().size();
    }

    /** PUT /clicks → PutRecord on the stream as {@code role}; Kinesis 4xx answers map to 400, the rest to 200. */
    ApiFixture api(String stream, String role) {
        ApiFixture api = new ApiFixture(apigw, endpoint.uri(), "iam");
        String clicks = api.resource(api.rootId, "clicks");
        kinesisMethod(api, clicks, "PutRecord", PUT_RECORD_TEMPLATE.formatted(stream), role);
        apigw.putMethodResponse(b -> b.restApiId(api.apiId).resourceId(clicks).httpMethod("PUT").statusCode("400"));
        apigw.putIntegrationResponse(b -> b.restApiId(api.apiId).resourceId(clicks).httpMethod("PUT").statusCode("400")
                .selectionPattern("4\\d{2}"));
        return api.deploy("v1");
    }

    Response click(ApiFixture api) {
        return api.invoke("v1", "/clicks").contentType("application/json").body("{\"Data\":\"Test\"}").put();
    }

    static String denied(Role role, String action, String resource, String why) {
        return "User: arn:aws:sts::" + ACCOUNT + ":assumed-role/" + role.name() + "/BackplaneAssumeRoleSession"
                + " is not authorized to perform: " + action + " on resource: " + resource + " " + why;
    }

    static void configurationError(Response r) {
        r.then().statusCode(500).header("x-amzn-ErrorType", "InternalServerErrorException")
                .body("message", equalTo("Internal server error"));
    }

    @Test
    void aRoleThatDoesNotExistIsAConfigurationError() {
        String stream = stream();
        ApiFixture api = api(stream, "arn:aws:iam::" + ACCOUNT + ":role/no-such-role-" + UUID.randomUUID());
        configurationError(click(api));
        assertEquals(0, records(stream));
        api.delete();
    }

    @Test
    void aRoleThatDoesNotTrustApiGatewayIsAConfigurationError() {
        String stream = stream();
        Role firehoseRole = roles().create("untrusted", "firehose.amazonaws.com", TestRoles.putRecords(streamArn(stream)));
        ApiFixture api = api(stream, firehoseRole.arn());
        configurationError(click(api));
        assertEquals(0, records(stream));

        // Trusting API Gateway makes the same deployment work: roles are read at every call.
        iam.updateAssumeRolePolicy(b -> b.roleName(firehoseRole.name())
                .policyDocument(TestRoles.trust(IntegrationAccess.PRINCIPAL)));
        click(api).then().statusCode(200);
        assertEquals(1, records(stream));
        api.delete();
    }

    @Test
    void aPolicyForAnotherStreamIsKinesisAccessDeniedUntilFixed() {
        String stream = stream();
        Role role = roles().create("other-stream", IntegrationAccess.PRINCIPAL, TestRoles.putRecords(streamArn("other")));
        ApiFixture api = api(stream, role.arn());
        click(api).then().statusCode(400)
                .body("__type", equalTo("AccessDeniedException"))
                .body("message", equalTo(denied(role, "kinesis:PutRecord", streamArn(stream),
                        "because no identity-based policy allows the kinesis:PutRecord action")));
        assertEquals(0, records(stream));

        roles().putPolicy(role, TestRoles.putRecords(streamArn(stream)));
        click(api).then().statusCode(200).body("ShardId", equalTo("shardId-000000000000"));
        assertEquals(1, records(stream));
        api.delete();
    }

    @Test
    void anExplicitDenyOverridesAnAllow() {
        String stream = stream();
        Role role = roles().create("deny", IntegrationAccess.PRINCIPAL,
                TestRoles.allow(List.of("kinesis:*"), "*"),
                TestRoles.deny(List.of("kinesis:PutRecord"), streamArn(stream)));
        ApiFixture api = api(stream, role.arn());
        click(api).then().statusCode(400)
                .body("__type", equalTo("AccessDeniedException"))
                .body("message", equalTo(denied(role, "kinesis:PutRecord", streamArn(stream),
                        "with an explicit deny in an identity-based policy")));
        assertEquals(0, records(stream));
        api.delete();
    }

    @Test
    void firehoseIntegrationsAreCheckedOnTheDeliveryStream() {
        String deliveryStream = "iam-fh-" + UUID.randomUUID().toString().substring(0, 8);
        String arn = "arn:aws:firehose:us-east-1:" + ACCOUNT + ":deliverystream/" + deliveryStream;
        Role role = roles().create("firehose-put", IntegrationAccess.PRINCIPAL,
                TestRoles.allow(List.of("firehose:PutRecord"), arn + "-other"));
        ApiFixture api = new ApiFixture(apigw, endpoint.uri(), "iam-firehose");
        String clicks = api.resource(api.rootId, "clicks");
        apigw.putMethod(b -> b.restApiId(api.apiId).resourceId(clicks).httpMethod("PUT").authorizationType("NONE"));
        apigw.putIntegration(b -> b.restApiId(api.apiId).resourceId(clicks).httpMethod("PUT").type(IntegrationType.AWS)
                .integrationHttpMethod("POST").uri("arn:aws:apigateway:us-east-1:firehose:action/PutRecord")
                .credentials(role.arn()).requestTemplates(Map.of("application/json", "{\"DeliveryStreamName\": \""
                        + deliveryStream + "\", \"Record\": {\"Data\": \"$util.base64Encode($input.body)\"}}")));
        apigw.putMethodResponse(b -> b.restApiId(api.apiId).resourceId(clicks).httpMethod("PUT").statusCode("200"));
        apigw.putIntegrationResponse(b -> b.restApiId(api.apiId).resourceId(clicks).httpMethod("PUT").statusCode("200"));
        api.deploy("v1");
        click(api).then().statusCode(200).body("__type", equalTo("AccessDeniedException"))
                .body("message", equalTo(denied(role, "firehose:PutRecord", arn,
                        "because no identity-based policy allows the firehose:PutRecord action")));
        api.delete();
    }

    @Test
    void withOnlyADefaultResponseTheDenialAnswers200AsOnAws() {
        String stream = stream();
        Role role = roles().create("default-only", IntegrationAccess.PRINCIPAL, TestRoles.putRecords(streamArn("other")));
        ApiFixture api = new ApiFixture(apigw, endpoint.uri(), "iam-default");
        String clicks = api.resource(api.rootId, "clicks");
        kinesisMethod(api, clicks, "PutRecord", PUT_RECORD_TEMPLATE.formatted(stream), role.arn());
        api.deploy("v1");
        click(api).then().statusCode(200).body("__type", equalTo("AccessDeniedException"));
        assertEquals(0, records(stream));
        api.delete();
    }
}
