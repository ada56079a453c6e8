package dev.clicklog.portal.pipeline;

import dev.clicklog.testing.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Every test of {@link PipelineLifecycleTest} again, with the portal on PostgreSQL. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class PostgresPipelineLifecycleTest extends PipelineLifecycleTest {
}
