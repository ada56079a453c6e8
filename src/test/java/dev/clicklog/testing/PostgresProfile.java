package dev.clicklog.testing;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The portal on PostgreSQL: a throwaway server ({@link PostgresCluster}) and the datasource kind set
 * to {@code postgresql}. The kind is fixed when the app is built; a test profile's settings are
 * applied when Quarkus builds the app for the profile, so these tests run the portal as built for
 * PostgreSQL (its driver, its Hibernate dialect), with the same Flyway migrations as on H2.
 */
public class PostgresProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.datasource.db-kind", "postgresql");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(PostgresCluster.class));
    }
}
