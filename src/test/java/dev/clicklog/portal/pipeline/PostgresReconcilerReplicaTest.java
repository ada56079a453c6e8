package dev.clicklog.portal.pipeline;

import dev.clicklog.testing.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Every test of {@link ReconcilerReplicaTest} again, with the portal on PostgreSQL: replicas sharing
 * one PostgreSQL database, and a replica's pipeline taken over after it died.
 */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class PostgresReconcilerReplicaTest extends ReconcilerReplicaTest {
}
