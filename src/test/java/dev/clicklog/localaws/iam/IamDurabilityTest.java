package dev.clicklog.localaws.iam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.clicklog.localaws.LocalAwsConfig;
import dev.clicklog.localaws.iam.Role.Tag;
import dev.clicklog.localaws.protocol.AwsServiceException;
import dev.clicklog.localaws.storage.Durability;
import dev.clicklog.localaws.storage.Storage;
import dev.clicklog.testing.DataDirs;
import dev.clicklog.testing.LocalAwsConfigs;

/**
 * IAM's state through its journal: every role, trust policy, inline policy and tag is back after a
 * restart exactly as it was (ids and creation dates included), after a checkpoint too, and a data
 * directory written by the first format of IAM's store is read as it was written.
 */
class IamDurabilityTest {

    static final String TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"firehose.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";

    @TempDir
    Path dir;

    private final List<Storage> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(Storage::close);
    }

    /** IAM reads only the account id from the configuration. */
    static LocalAwsConfig config() {
        return LocalAwsConfigs.accountOnly("000000000000");
    }

    private IamService open(Path data) {
        Storage storage = new Storage(Storage.Settings.of(data, Durability.FSYNC));
        opened.add(storage);
        IamService iam = new IamService(config(), storage);
        storage.ready();
        return iam;
    }

    static String policy(String action, String resource) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"" + action
                + "\",\"Resource\":\"" + resource + "\"}]}";
    }

    /** What IamFixtures writes: two roles, one changed after the snapshot, one deleted. */
    static void writeFixtureState(IamService iam, Storage storage) {
        iam.createRole(new IamService.NewRole("Delivery", "/service/", TRUST, "Firehose writes S3", 7200,
                List.of(new Tag("clicklog:pipeline", "clicks"), new Tag("team", "web"))));
        iam.putRolePolicy("Delivery", "delivery", policy("s3:PutObject", "arn:aws:s3:::clicks/*"));
        iam.createRole(new IamService.NewRole("Ingest", "/", TRUST, null, null, List.of()));
        iam.createRole(new IamService.NewRole("Gone", "/", TRUST, null, null, List.of()));
        storage.checkpoint();
        iam.putRolePolicy("Ingest", "put", policy("kinesis:PutRecord", "arn:aws:kinesis:us-east-1:000000000000:stream/c"));
        iam.untagRole("Delivery", List.of("team"));
        iam.deleteRole("Gone");
    }

    @Test
    void rolesPoliciesAndTagsComeBackExactly() {
        Path data = dir.resolve("data");
        IamService iam = open(data);
        writeFixtureState(iam, opened.get(0));
        Role delivery = iam.getRole("Delivery");
        Role ingest = iam.getRole("Ingest");
        opened.get(0).close();

        IamService again = open(data);
        assertEquals(delivery, again.getRole("Delivery"));
        assertEquals(ingest, again.getRole("Ingest"));
        assertThrows(AwsServiceException.class, () -> again.getRole("Gone"));
        assertEquals(List.of("Delivery", "Ingest"),
                again.listRoles("/", null, 100).items().stream().map(Role::name).toList());
        // What other services ask IAM is answered from the replayed roles too.
        assertEquals(delivery.arn(), again.compiledRole("delivery").role().arn());
    }

    /** Callers live on the same journal: users, their keys (secrets included) and managed policies. */
    @Test
    void usersAccessKeysAndManagedPoliciesComeBackExactly() {
        Path data = dir.resolve("data");
        IamService iam = open(data);
        iam.createUser(new IamService.NewUser("portal", "/apps/", List.of(new Tag("team", "web"))));
        iam.createUser(new IamService.NewUser("gone", "/", List.of()));
        ManagedPolicy read = iam.createPolicy("ReadStreams", "/", "reads", policy("kinesis:Get*", "*"));
        ManagedPolicy unused = iam.createPolicy("Unused", "/", null, policy("s3:GetObject", "*"));
        iam.attachUserPolicy("portal", read.arn());
        iam.putUserPolicy("portal", "write", policy("kinesis:PutRecord", "*"));
        User.AccessKey kept = iam.createAccessKey("portal");
        opened.get(0).checkpoint();
        User.AccessKey removed = iam.createAccessKey("portal");
        iam.deleteAccessKey("portal", removed.id());
        iam.deleteUser("gone");
        iam.deletePolicy(unused.arn());
        User portal = iam.getUser("portal");
        opened.get(0).close();

        IamService again = open(data);
        assertEquals(portal, again.getUser("portal"));
        assertThrows(AwsServiceException.class, () -> again.getUser("gone"));
        assertEquals(iam.getPolicy(read.arn()), again.getPolicy(read.arn()));
        assertEquals(1, again.getPolicy(read.arn()).attachmentCount());
        assertThrows(AwsServiceException.class, () -> again.getPolicy(unused.arn()));
        // Signatures are verified against the replayed keys; a deleted key signs nothing.
        assertEquals(kept, again.accessKey(kept.id()));
        assertEquals(null, again.accessKey(removed.id()));
        assertEquals(2, again.compiledUser("portal").policies().size());
    }

    @Test
    void readsTheCommittedVersion1Fixture() {
        Path data = DataDirs.crashCopy(Path.of("src/test/resources/storage/v1-iam"), dir.resolve("v1"));
        IamService iam = open(data);
        Role delivery = iam.getRole("Delivery");
        assertEquals("/service/", delivery.path());
        assertEquals("arn:aws:iam::000000000000:role/service/Delivery", delivery.arn());
        assertEquals(7200, delivery.maxSessionDuration());
        assertEquals(List.of(new Tag("clicklog:pipeline", "clicks")), delivery.tagList());
        assertEquals(policy("s3:PutObject", "arn:aws:s3:::clicks/*"), iam.getRolePolicy("Delivery", "delivery").document());
        assertEquals(IamFixtures.DELIVERY_ID, delivery.id());
        assertEquals(IamFixtures.DELIVERY_CREATED, delivery.createDate().toString());
        assertEquals(List.of("put"), iam.listRolePolicies("Ingest", null, 100).items());
        assertThrows(AwsServiceException.class, () -> iam.getRole("Gone"));
    }
}
