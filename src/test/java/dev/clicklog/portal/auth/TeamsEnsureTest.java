package dev.clicklog.portal.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.clicklog.portal.pipeline.Team;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The teams OIDC groups map to are made at start by every replica: replicas starting together make
 * the same teams at the same moment, and none of them may fail to start for it.
 */
@QuarkusTest
class TeamsEnsureTest {

    private static final int REPLICAS = 6;

    @Inject
    Teams teams;

    @Test
    void replicasEnsuringTheSameTeamsAtOnceAllSucceedAndEachTeamExistsOnce() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            names.add("ensure-" + run + "-" + i);
        }
        ExecutorService replicas = Executors.newFixedThreadPool(REPLICAS);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<?>> started = new ArrayList<>();
            for (int r = 0; r < REPLICAS; r++) {
                started.add(replicas.submit(() -> {
                    go.await();
                    teams.ensure(names);
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : started) {
                f.get(60, TimeUnit.SECONDS); // throws if that replica's ensure failed
            }
        } finally {
            replicas.shutdownNow();
        }
        long made = QuarkusTransaction.requiringNew()
                .call(() -> Team.byName().stream().filter(t -> t.name.startsWith("ensure-" + run + "-")).count());
        assertEquals(names.size(), made);
    }
}
