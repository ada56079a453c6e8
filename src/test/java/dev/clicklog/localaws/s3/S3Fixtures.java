package dev.clicklog.localaws.s3;

import java.util.UUID;

import dev.clicklog.endpoint.LocalEndpoint;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/** Names and raw requests shared by the S3 tests. */
final class S3Fixtures {

    private S3Fixtures() {
    }

    /** A bucket name no other test uses. */
    static String bucketName(String purpose) {
        return purpose + "-" + UUID.randomUUID().toString().substring(0, 13);
    }

    /**
     * A raw request to localaws, signed for S3 in us-east-1 (signatures are not checked), for what
     * the SDK will not send: malformed bodies, odd headers, virtual-hosted Host headers.
     */
    static RequestSpecification raw(LocalEndpoint endpoint) {
        return RestAssured.given().baseUri("http://" + endpoint.uri().getHost()).port(endpoint.uri().getPort())
                .urlEncodingEnabled(false)
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/s3/aws4_request, "
                        + "SignedHeaders=host, Signature=0");
    }
}
