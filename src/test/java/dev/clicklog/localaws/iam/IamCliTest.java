package dev.clicklog.localaws.iam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.clicklog.endpoint.LocalEndpoint;
import dev.clicklog.testing.AwsCli;
import io.quarkus.test.junit.QuarkusTest;

/** The AWS CLI's IAM commands against localaws, as a person would type them. */
@QuarkusTest
class IamCliTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    LocalEndpoint endpoint;

    @Test
    void roleWithInlinePolicyLifecycle() throws Exception {
        AwsCli aws = new AwsCli(endpoint.uri(), "us-east-1");
        String name = IamTest.unique("cli-role");
        String policy = IamTest.policy("kinesis:PutRecord", "arn:aws:kinesis:us-east-1:000000000000:stream/clicks");

        JsonNode created = JSON.readTree(aws.run("iam", "create-role", "--role-name", name,
                "--assume-role-policy-document", IamTest.TRUST, "--tags", "Key=team,Value=web").assertOk().stdout());
        assertEquals("arn:aws:iam::000000000000:role/" + name, created.at("/Role/Arn").asText());
        // The CLI decodes the URL-encoded document back into JSON.
        assertEquals(JSON.readTree(IamTest.TRUST), created.at("/Role/AssumeRolePolicyDocument"));

        aws.run("iam", "put-role-policy", "--role-name", name, "--policy-name", "put-clicks",
                "--policy-document", policy).assertOk();
        JsonNode got = JSON.readTree(aws.run("iam", "get-role-policy", "--role-name", name, "--policy-name", "put-clicks")
                .assertOk().stdout());
        assertEquals(JSON.readTree(policy), got.get("PolicyDocument"));
        assertEquals(name, got.get("RoleName").asText());

        AwsCli.Result conflict = aws.run("iam", "delete-role", "--role-name", name);
        assertNotEquals(0, conflict.exitCode());
        assertTrue(conflict.stderr().contains("DeleteConflict"), conflict.stderr());

        JsonNode listed = JSON.readTree(aws.run("iam", "list-role-policies", "--role-name", name).assertOk().stdout());
        assertEquals("put-clicks", listed.at("/PolicyNames/0").asText());

        aws.run("iam", "delete-role-policy", "--role-name", name, "--policy-name", "put-clicks").assertOk();
        aws.run("iam", "delete-role", "--role-name", name).assertOk();
        AwsCli.Result gone = aws.run("iam", "get-role", "--role-name", name);
        assertNotEquals(0, gone.exitCode());
        assertTrue(gone.stderr().contains("NoSuchEntity"), gone.stderr());
    }

    @Test
    void malformedPolicyFromTheCli() {
        AwsCli aws = new AwsCli(endpoint.uri(), "us-east-1");
        AwsCli.Result bad = aws.run("iam", "create-role", "--role-name", IamTest.unique("cli-bad"),
                "--assume-role-policy-document", "{\"Statement\": \"nope\"");
        assertNotEquals(0, bad.exitCode());
        assertTrue(bad.stderr().contains("MalformedPolicyDocument"), bad.stderr());
    }
}
