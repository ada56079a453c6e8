package dev.clicklog.portal.pipeline;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.hibernate.SessionFactory;
import org.hibernate.dialect.PostgreSQLDialect;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.junit.jupiter.api.Test;

import dev.clicklog.testing.PostgresProfile;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The portal on a real PostgreSQL server: built for it, its schema made by the same Flyway
 * migrations as on H2, and the reconciler's lease holding when claims on one pipeline row really
 * meet in the database at the same moment (as they do when several replicas share one database).
 */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class PostgresDatabaseTest {

    @Inject
    DataSource dataSource;
    @Inject
    SessionFactory sessionFactory;
    @Inject
    Flyway flyway;
    @Inject
    PipelineStore store;
    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;
    @ConfigProperty(name = "quarkus.datasource.username")
    String user;

    @Test
    void thePortalRunsOnPostgresqlWithEveryMigrationApplied() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            assertEquals("PostgreSQL", c.getMetaData().getDatabaseProductName());
        }
        assertInstanceOf(PostgreSQLDialect.class,
                sessionFactory.unwrap(SessionFactoryImplementor.class).getJdbcServices().getDialect(),
                "Hibernate was built for PostgreSQL");

        MigrationInfo[] migrations = flyway.info().all();
        assertTrue(migrations.length > 0, "no migration found");
        assertEquals(List.of(), Arrays.stream(migrations).filter(m -> m.getState() != MigrationState.SUCCESS)
                .map(m -> m.getVersion() + " " + m.getDescription() + ": " + m.getState()).toList());

        List<String> tables = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                ResultSet rs = c.createStatement().executeQuery(
                        "select table_name from information_schema.tables where table_schema = current_schema()")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        assertTrue(tables.containsAll(List.of("pipeline", "pipeline_step", "pipeline_event", "flyway_schema_history")),
                tables.toString());
    }

    /**
     * Another transaction holds the pipeline's row; two passes ask for the lease meanwhile and both
     * wait on the row lock in PostgreSQL. When the row is let go, exactly one of them gets the lease.
     */
    @Test
    void twoClaimsWaitingOnOneRowOnlyOneWins() throws Exception {
        long id = unleasedPipeline("pg-lock");
        ExecutorService replicas = Executors.newFixedThreadPool(2);
        try (Connection holder = DriverManager.getConnection(jdbcUrl, user, "");
                Connection observer = DriverManager.getConnection(jdbcUrl, user, "")) {
            holder.setAutoCommit(false);
            try (PreparedStatement lock = holder.prepareStatement("select id from pipeline where id = ? for update")) {
                lock.setLong(1, id);
                lock.executeQuery().close();
            }
            Instant now = Instant.now();
            Future<Boolean> a = replicas.submit(() -> store.claim(id, "replica-a/1", now));
            Future<Boolean> b = replicas.submit(() -> store.claim(id, "replica-b/1", now));
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> claimsWaitingOnALock(observer), n -> n == 2);
            holder.commit();

            boolean aWon = a.get(30, TimeUnit.SECONDS);
            boolean bWon = b.get(30, TimeUnit.SECONDS);
            assertTrue(aWon ^ bWon, "exactly one claim wins: a " + aWon + ", b " + bWon);
            assertEquals(aWon ? "replica-a/1" : "replica-b/1", leaseOwner(id));
        } finally {
            replicas.shutdownNow();
        }
    }

    /** Many passes race for one free lease, round after round: each round exactly one wins. */
    @Test
    void ofManyRacingClaimsExactlyOneWinsEachRound() throws Exception {
        long id = unleasedPipeline("pg-race");
        int racers = 6;
        ExecutorService replicas = Executors.newFixedThreadPool(racers);
        try {
            for (int round = 1; round <= 20; round++) {
                CyclicBarrier start = new CyclicBarrier(racers);
                Instant now = Instant.now();
                List<Future<Boolean>> claims = new ArrayList<>();
                for (int r = 0; r < racers; r++) {
                    String owner = "replica-" + r + "/" + round;
                    claims.add(replicas.submit(() -> {
                        start.await(30, TimeUnit.SECONDS);
                        return store.claim(id, owner, now);
                    }));
                }
                List<String> winners = new ArrayList<>();
                for (int r = 0; r < racers; r++) {
                    if (claims.get(r).get(30, TimeUnit.SECONDS)) {
                        winners.add("replica-" + r + "/" + round);
                    }
                }
                assertEquals(1, winners.size(), "round " + round + ": " + winners);
                assertEquals(winners.get(0), leaseOwner(id));
                store.release(id, winners.get(0));
            }
        } finally {
            replicas.shutdownNow();
        }
    }

    /** A pipeline that no reconciler pass will claim on its own (FAILED), so only the test's claims touch its lease. */
    private static long unleasedPipeline(String prefix) {
        String name = PipelineApi.uniqueName(prefix);
        return QuarkusTransaction.requiringNew().call(() -> {
            // a pipeline's team must exist (a fresh database has none)
            Team.named("t").orElseGet(() -> Team.create("t", Instant.now()));
            Pipeline p = Pipeline.create(PipelineSpec.of(new PipelineRequest(name, "t", null, null, null, null, null, null,
                    null, null, null, null)), Instant.now());
            p.status = PipelineStatus.FAILED;
            p.persist();
            return p.id;
        });
    }

    private static String leaseOwner(long id) {
        return QuarkusTransaction.requiringNew().call(() -> ((Pipeline) Pipeline.findById(id)).leaseOwner);
    }

    /**
     * Sessions of this database whose update of a pipeline row waits for a lock. Asked on a connection
     * of its own in autocommit: within one transaction PostgreSQL keeps showing the same snapshot of
     * the sessions.
     */
    private static int claimsWaitingOnALock(Connection observer) throws SQLException {
        try (PreparedStatement q = observer.prepareStatement("""
                select count(*) from pg_stat_activity
                where datname = current_database() and wait_event_type = 'Lock' and query ilike 'update pipeline %'""");
                ResultSet rs = q.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
