package dev.clicklog.portal.auth;

import dev.clicklog.testing.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Every test of {@link ApiKeysAndAuditTest} again, with the portal on PostgreSQL (teams, users, tokens, audit). */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class PostgresApiKeysAndAuditTest extends ApiKeysAndAuditTest {
}
