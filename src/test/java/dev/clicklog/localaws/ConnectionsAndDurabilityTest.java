package dev.clicklog.localaws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.clicklog.endpoint.LocalEndpoint;
import dev.clicklog.localaws.storage.Durability;
import dev.clicklog.localaws.storage.Storage;
import dev.clicklog.testing.RawHttp;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * With durability {@code fsync}: an answer leaves only once the change it reports is on disk. And
 * connections are bounded in time (short timeouts here): a body that stalls is answered
 * RequestTimeout, a head trickled in and a silent connection are closed.
 */
@QuarkusTest
@TestProfile(ConnectionsAndDurabilityTest.Durable.class)
class ConnectionsAndDurabilityTest {

    public static class Durable implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "clicklog.localaws.durability", "fsync",
                    "clicklog.localaws.data-dir", "target/localaws-durable-test/" + UUID.randomUUID(),
                    "clicklog.localaws.http.idle-timeout", "2s",
                    "clicklog.localaws.http.body-timeout", "1s");
        }
    }

    static final String TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"firehose.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";

    @Inject
    LocalEndpoint endpoint;

    @Inject
    Storage storage;

    @Inject
    IamClient iam;

    @Test
    void anAnswerLeavesOnlyOnceItsChangeIsOnDisk() {
        assertEquals(Durability.FSYNC, storage.durability());
        for (int i = 0; i < 20; i++) {
            long before = storage.lastLsn();
            String name = "durable-" + UUID.randomUUID().toString().substring(0, 8);
            iam.createRole(b -> b.roleName(name).assumeRolePolicyDocument(TRUST));
            // The role's change has an LSN past `before`; the answer came, so it is durable.
            assertTrue(storage.stats().durableLsn() > before, "answered before its change was forced: " + storage.stats());
        }
    }

    @Test
    void aStalledBodyIsAnsweredRequestTimeout() {
        try (RawHttp http = new RawHttp(endpoint.uri())) {
            http.head("POST / HTTP/1.1", Map.of(
                    "X-Amz-Target", "Kinesis_20131202.PutRecord",
                    "Content-Type", "application/x-amz-json-1.1",
                    "Content-Length", "1000"));
            http.send("{\"StreamName\":".getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            RawHttp.Response r = http.response();
            assertEquals(400, r.status(), r.body());
            assertTrue(r.body().contains("RequestTimeout"), r.body());
            assertTrue(http.closedByServer(5000));
            System.out.printf("stalled body answered after %.1f s%n", (System.nanoTime() - start) / 1e9);
        }
    }

    @Test
    void aSilentConnectionIsClosed() {
        try (RawHttp http = new RawHttp(endpoint.uri())) {
            RawHttp.Response r = http.head("POST / HTTP/1.1", Map.of(
                    "X-Amz-Target", "Kinesis_20131202.ListStreams",
                    "Content-Type", "application/x-amz-json-1.1",
                    "Content-Length", "2")).send("{}".getBytes(StandardCharsets.US_ASCII)).response();
            assertEquals(200, r.status(), r.body());
            // Kept alive after the answer, then idle: closed once the idle timeout passed.
            assertTrue(http.closedByServer(10_000), "the idle connection is still open");
        }
    }
}
