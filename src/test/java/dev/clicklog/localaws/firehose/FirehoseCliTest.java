package dev.clicklog.localaws.firehose;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.clicklog.endpoint.LocalEndpoint;
import dev.clicklog.testing.AwsCli;
import dev.clicklog.testing.TestRoles;
import io.quarkus.test.junit.QuarkusTest;

/** The commands a person types: the AWS CLI's firehose create, describe and list against localaws. */
@QuarkusTest
class FirehoseCliTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    LocalEndpoint endpoint;

    JsonNode run(AwsCli cli, String... args) throws Exception {
        return JSON.readTree(cli.run(args).assertOk().stdout());
    }

    @Test
    void createDescribeAndListWithTheCli() throws Exception {
        AwsCli cli = new AwsCli(endpoint.uri(), "us-east-1");
        String name = "cli-" + UUID.randomUUID().toString().substring(0, 8);
        // The role Firehose writes the bucket as, made with the CLI too.
        String role = run(cli, "iam", "create-role", "--role-name", name + "-firehose", "--assume-role-policy-document",
                TestRoles.trust("firehose.amazonaws.com")).path("Role").path("Arn").asText();
        cli.run("iam", "put-role-policy", "--role-name", name + "-firehose", "--policy-name", "write-clicks",
                "--policy-document", TestRoles.document(TestRoles.writeObjects("cli-bucket", "clicks/"))).assertOk();
        JsonNode create = run(cli, "firehose", "create-delivery-stream", "--delivery-stream-name", name,
                "--delivery-stream-type", "DirectPut",
                "--extended-s3-destination-configuration",
                "{\"RoleARN\":\"" + role + "\",\"BucketARN\":\"arn:aws:s3:::cli-bucket\","
                        + "\"Prefix\":\"clicks/\",\"BufferingHints\":{\"SizeInMBs\":1,\"IntervalInSeconds\":60},"
                        + "\"CompressionFormat\":\"GZIP\"}");
        assertEquals("arn:aws:firehose:us-east-1:000000000000:deliverystream/" + name,
                create.path("DeliveryStreamARN").asText());

        await().atMost(Duration.ofSeconds(20)).until(() -> "ACTIVE".equals(run(cli, "firehose",
                "describe-delivery-stream", "--delivery-stream-name", name)
                .path("DeliveryStreamDescription").path("DeliveryStreamStatus").asText()));
        JsonNode d = run(cli, "firehose", "describe-delivery-stream", "--delivery-stream-name", name)
                .path("DeliveryStreamDescription");
        assertEquals("DirectPut", d.path("DeliveryStreamType").asText());
        assertEquals("1", d.path("VersionId").asText());
        // CLI v1 prints timestamps as the epoch seconds they travel as.
        double created = d.path("CreateTimestamp").asDouble();
        assertTrue(Math.abs(created - System.currentTimeMillis() / 1000.0) < 120, "CreateTimestamp " + created);
        JsonNode s3 = d.path("Destinations").get(0).path("ExtendedS3DestinationDescription");
        assertEquals("arn:aws:s3:::cli-bucket", s3.path("BucketARN").asText());
        assertEquals("clicks/", s3.path("Prefix").asText());
        assertEquals(1, s3.path("BufferingHints").path("SizeInMBs").asInt());
        assertEquals("GZIP", s3.path("CompressionFormat").asText());

        JsonNode listed = run(cli, "firehose", "list-delivery-streams", "--exclusive-start-delivery-stream-name", "cli-",
                "--limit", "10000");
        boolean found = false;
        for (JsonNode n : listed.path("DeliveryStreamNames")) {
            found |= n.asText().equals(name);
        }
        assertTrue(found, listed.toString());
        assertTrue(listed.has("HasMoreDeliveryStreams"));

        AwsCli.Result missing = cli.run("firehose", "describe-delivery-stream", "--delivery-stream-name", name + "-x");
        assertTrue(missing.exitCode() != 0, missing.stderr());
        assertTrue(missing.stderr().contains("ResourceNotFoundException"), missing.stderr());
    }
}
