package dev.clicklog.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.clicklog.endpoint.LocalEndpoint;
import dev.clicklog.testing.EnforcedCallers;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * {@code docker/iam/portal-policy.json} as IAM takes it: a managed policy IAM accepts (grammar and
 * size), one Sid per statement, and, held to IAM, the grants and limits it is written for: the
 * portal's own names and tags, nothing else.
 */
@QuarkusTest
@TestProfile(EnforcedCallers.class)
class PortalPolicyTest {

    static final Path POLICY = Path.of("docker", "iam", "portal-policy.json");

    @Inject
    LocalEndpoint endpoint;

    @Inject
    IamClient root;

    @Test
    void everyStatementHasItsOwnSid() throws Exception {
        JsonNode policy = new ObjectMapper().readTree(Files.readString(POLICY));
        assertEquals("2012-10-17", policy.get("Version").asText());
        Set<String> sids = new HashSet<>();
        for (JsonNode statement : policy.get("Statement")) {
            assertTrue(statement.hasNonNull("Sid"), statement.toString());
            assertTrue(sids.add(statement.get("Sid").asText()), "Sid used twice: " + statement.get("Sid"));
            assertEquals("Allow", statement.get("Effect").asText());
            assertFalse(statement.get("Action").toString().contains("\"*\""), "no action wildcard: " + statement);
        }
    }

    @Test
    void aUserHoldingItMayCreateOnlyThePortalsOwnTaggedResources() {
        String user = "portal-" + UUID.randomUUID().toString().substring(0, 8);
        String arn = root.createPolicy(r -> r.policyName(user).policyDocument(readPolicy())).policy().arn();
        root.createUser(r -> r.userName(user));
        root.attachUserPolicy(r -> r.userName(user).policyArn(arn));
        AccessKey key = root.createAccessKey(r -> r.userName(user)).accessKey();
        try (SdkHttpClient http = ApacheHttpClient.create();
                KinesisClient kinesis = KinesisClient.builder().httpClient(http).endpointOverride(endpoint.uri())
                        .region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider.create(
                                AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey())))
                        .build()) {
            String own = "clicklog-" + user;
            kinesis.createStream(r -> r.streamName(own).shardCount(1).tags(Map.of("managed-by", "clicklog-portal")));
            assertEquals(own, kinesis.describeStreamSummary(r -> r.streamName(own)).streamDescriptionSummary().streamName());
            for (Runnable refused : new Runnable[] {
                    () -> kinesis.createStream(r -> r.streamName("other-" + user).shardCount(1)
                            .tags(Map.of("managed-by", "clicklog-portal"))),
                    () -> kinesis.createStream(r -> r.streamName(own + "-untagged").shardCount(1)),
                    () -> kinesis.listStreams() }) {
                AwsServiceException e = assertThrows(AwsServiceException.class, refused::run);
                assertEquals("AccessDeniedException", e.awsErrorDetails().errorCode(), e.getMessage());
            }
        }
    }

    private static String readPolicy() {
        try {
            return Files.readString(POLICY);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
