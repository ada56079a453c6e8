package dev.clicklog.localaws.sts;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.clicklog.endpoint.LocalEndpoint;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

@QuarkusTest
class StsTest {

    @Inject
    StsClient sts;

    @Inject
    LocalEndpoint endpoint;

    @Test
    void callerIdentityIsTheLocalAccount() {
        GetCallerIdentityResponse id = sts.getCallerIdentity();
        assertEquals("000000000000", id.account());
        assertEquals("arn:aws:iam::000000000000:root", id.arn());
    }

    @Test
    void localEndpointListensOnLoopbackOnly() {
        assertEquals("127.0.0.1", endpoint.uri().getHost());
        assertTrue(endpoint.uri().getPort() > 0);
    }

    @Test
    void unknownStsActionIsInvalidAction() {
        given().baseUri("http://" + endpoint.uri().getHost()).port(endpoint.uri().getPort())
                .contentType("application/x-www-form-urlencoded")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=0")
                .body("Action=AssumeRole&Version=2011-06-15")
                .post("/")
                .then().statusCode(400)
                .body("ErrorResponse.Error.Code", equalTo("InvalidAction"));
    }

    @Test
    void healthReportsLocalaws() {
        given().get("/q/health")
                .then().log().ifValidationFails().statusCode(200)
                .body("checks.find { it.name == 'localaws' }.status", equalTo("UP"));
    }
}
