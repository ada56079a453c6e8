package dev.clicklog.localaws.iam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.clicklog.endpoint.LocalEndpoint;
import dev.clicklog.testing.AwsCli;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.DeleteConflictException;
import software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException;
import software.amazon.awssdk.services.iam.model.LimitExceededException;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Policy;
import software.amazon.awssdk.services.iam.model.User;

/** IAM users, their inline and managed policies and access keys, through the SDK and the CLI, as IAM answers them. */
@QuarkusTest
class IamUsersTest {

    @Inject
    IamClient iam;

    @Inject
    LocalEndpoint endpoint;

    @Test
    void userLifecycleWithPoliciesAndKeys() {
        String name = IamTest.unique("portal");
        User created = iam.createUser(r -> r.userName(name).path("/clicklog/")).user();
        assertEquals("arn:aws:iam::000000000000:user/clicklog/" + name, created.arn());
        assertTrue(created.userId().startsWith("AIDA") && created.userId().length() == 21, created.userId());
        assertThrows(EntityAlreadyExistsException.class, () -> iam.createUser(r -> r.userName(name.toUpperCase())));
        assertEquals(created.userId(), iam.getUser(r -> r.userName(name)).user().userId());
        assertTrue(iam.listUsers(r -> r.pathPrefix("/clicklog/")).users().stream().anyMatch(u -> u.userName().equals(name)));

        String policy = IamTest.policy("kinesis:ListStreams", "*");
        iam.putUserPolicy(r -> r.userName(name).policyName("list").policyDocument(policy));
        assertEquals(policy, IamTest.decode(iam.getUserPolicy(r -> r.userName(name).policyName("list")).policyDocument()));
        assertEquals(List.of("list"), iam.listUserPolicies(r -> r.userName(name)).policyNames());

        AccessKey first = iam.createAccessKey(r -> r.userName(name)).accessKey();
        assertEquals(20, first.accessKeyId().length());
        assertTrue(first.accessKeyId().startsWith("AKIA"), first.accessKeyId());
        assertEquals(40, first.secretAccessKey().length());
        assertEquals("Active", first.statusAsString());
        iam.createAccessKey(r -> r.userName(name));
        assertThrows(LimitExceededException.class, () -> iam.createAccessKey(r -> r.userName(name)), "two keys per user");
        List<AccessKeyMetadata> keys = iam.listAccessKeys(r -> r.userName(name)).accessKeyMetadata();
        assertEquals(2, keys.size());

        DeleteConflictException withKeys = assertThrows(DeleteConflictException.class, () -> iam.deleteUser(r -> r.userName(name)));
        assertEquals("Cannot delete entity, must delete access keys first.", withKeys.awsErrorDetails().errorMessage());
        keys.forEach(k -> iam.deleteAccessKey(r -> r.userName(name).accessKeyId(k.accessKeyId())));
        assertThrows(NoSuchEntityException.class,
                () -> iam.deleteAccessKey(r -> r.userName(name).accessKeyId(first.accessKeyId())));
        assertThrows(DeleteConflictException.class, () -> iam.deleteUser(r -> r.userName(name)), "policies first");
        iam.deleteUserPolicy(r -> r.userName(name).policyName("list"));
        NoSuchEntityException noPolicy = assertThrows(NoSuchEntityException.class,
                () -> iam.getUserPolicy(r -> r.userName(name).policyName("list")));
        assertEquals("The user policy with name list cannot be found.", noPolicy.awsErrorDetails().errorMessage());
        iam.deleteUser(r -> r.userName(name));
        NoSuchEntityException gone = assertThrows(NoSuchEntityException.class, () -> iam.getUser(r -> r.userName(name)));
        assertEquals("The user with name " + name + " cannot be found.", gone.awsErrorDetails().errorMessage());
    }

    @Test
    void managedPoliciesAttachToUsers() {
        String name = IamTest.unique("attached");
        iam.createUser(r -> r.userName(name));
        String document = IamTest.policy("kinesis:ListStreams", "*");
        Policy created = iam.createPolicy(r -> r.policyName(name + "-policy").path("/clicklog/").policyDocument(document)).policy();
        assertEquals("arn:aws:iam::000000000000:policy/clicklog/" + name + "-policy", created.arn());
        assertEquals("v1", created.defaultVersionId());
        assertThrows(EntityAlreadyExistsException.class,
                () -> iam.createPolicy(r -> r.policyName(name + "-policy").path("/clicklog/").policyDocument(document)));

        iam.attachUserPolicy(r -> r.userName(name).policyArn(created.arn()));
        assertEquals(1, iam.getPolicy(r -> r.policyArn(created.arn())).policy().attachmentCount());
        assertEquals(List.of(created.arn()), iam.listAttachedUserPolicies(r -> r.userName(name)).attachedPolicies().stream()
                .map(AttachedPolicy::policyArn).toList());
        assertThrows(DeleteConflictException.class, () -> iam.deletePolicy(r -> r.policyArn(created.arn())));
        DeleteConflictException attached = assertThrows(DeleteConflictException.class, () -> iam.deleteUser(r -> r.userName(name)));
        assertEquals("Cannot delete entity, must detach all policies first.", attached.awsErrorDetails().errorMessage());

        iam.detachUserPolicy(r -> r.userName(name).policyArn(created.arn()));
        assertThrows(NoSuchEntityException.class, () -> iam.detachUserPolicy(r -> r.userName(name).policyArn(created.arn())));
        iam.deletePolicy(r -> r.policyArn(created.arn()));
        assertThrows(NoSuchEntityException.class, () -> iam.getPolicy(r -> r.policyArn(created.arn())));
        iam.deleteUser(r -> r.userName(name));
    }

    @Test
    void theCliManagesUsersAndKeys() throws Exception {
        AwsCli aws = new AwsCli(endpoint.uri(), "us-east-1");
        String name = IamTest.unique("cli-user");
        aws.run("iam", "create-user", "--user-name", name).assertOk();
        JsonNode key = IamCliTest.JSON.readTree(aws.run("iam", "create-access-key", "--user-name", name).assertOk().stdout());
        String keyId = key.at("/AccessKey/AccessKeyId").asText();
        assertEquals(name, key.at("/AccessKey/UserName").asText());
        JsonNode listed = IamCliTest.JSON.readTree(aws.run("iam", "list-access-keys", "--user-name", name).assertOk().stdout());
        assertEquals(keyId, listed.at("/AccessKeyMetadata/0/AccessKeyId").asText());
        AwsCli.Result conflict = aws.run("iam", "delete-user", "--user-name", name);
        assertNotEquals(0, conflict.exitCode());
        assertTrue(conflict.stderr().contains("DeleteConflict"), conflict.stderr());
        aws.run("iam", "delete-access-key", "--user-name", name, "--access-key-id", keyId).assertOk();
        aws.run("iam", "delete-user", "--user-name", name).assertOk();
    }
}
