package dev.clicklog.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.clicklog.it.PortalProcesses.Portal;
import dev.clicklog.portal.pipeline.PipelineApi;
import dev.clicklog.testing.Host;
import io.restassured.http.ContentType;

/**
 * Stopping the packaged portal while it provisions: SIGTERM, twenty times over, each time with a
 * pipeline being created and the reconciler's tick, workers and heartbeat busy. Every shutdown ends
 * by itself, and no log has a stack trace or an ERROR: the reconciler stops before the database goes.
 */
@Order(4) // longest first (docs/testing.md)
class ShutdownIT {

    private static final int CYCLES = 20;
    /** A stack trace's frames and causes, or an ERROR. */
    private static final Pattern TROUBLE = Pattern.compile("^\\s+at |^Caused by: | ERROR ");

    @RegisterExtension
    final PortalProcesses portals = new PortalProcesses();

    @Test
    void repeatedStartsAndStopsWhileAPipelineProvisionsLogNoStackTrace() throws IOException {
        Map<String, String> settings = new HashMap<>(Map.of(
                "clicklog.aws.mode", "local",
                "clicklog.localaws.data-dir", portals.workDir().resolve("localaws").toString(),
                // as the portal's own default: H2 must not close the database from a shutdown hook of its own
                "quarkus.datasource.jdbc.url", "jdbc:h2:file:" + portals.workDir().resolve("db/clicklog")
                        + ";DB_CLOSE_ON_EXIT=FALSE",
                // streams and delivery streams take a while: provisioning is under way when the portal stops
                "clicklog.localaws.kinesis.stream-activation-delay", "3s",
                "clicklog.localaws.firehose.activation-delay", "2s",
                "clicklog.pipelines.reconcile-interval", "200ms",
                // a pass a stopped portal could not release is taken over soon by the next one
                "clicklog.pipelines.lease", "5s",
                // a busy machine opens the database file slowly: Flyway waits for it rather than failing the start
                "quarkus.datasource.jdbc.acquisition-timeout", "60s"));
        List<String> troubles = new ArrayList<>();
        String previous = null;
        for (int cycle = 0; cycle < CYCLES; cycle++) {
            settings.put("clicklog.localaws.port", Integer.toString(Host.freePort()));
            Portal portal = portals.start("cycle-" + cycle, settings);
            if (previous != null) {
                // The last cycle's pipeline goes: its teardown is work in flight too. (On a machine this
                // busy a request may meet H2's lock timeout while a pass holds the row: asked again then.)
                String last = previous;
                await("delete " + last).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() ->
                        portal.api().delete("/api/pipelines/" + last).statusCode() == 202);
            }
            String name = PipelineApi.uniqueName("stop" + cycle);
            previous = name;
            portal.api().contentType(ContentType.JSON)
                    .body("{\"name\":\"" + name + "\",\"team\":\"t\"}").post("/api/pipelines").then().statusCode(201);
            // the reconciler has started on it: a step is running or waiting
            await("work on " + name).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50)).until(() ->
                    portal.api().get("/api/pipelines/" + name).then().extract().jsonPath()
                            .getList("events.type").contains("STARTED"));
            // What the start logged (a busy machine makes Vert.x warn of blocked threads) is not the shutdown's.
            int before = Files.readAllLines(portal.log()).size();
            int exit = portals.stop(portal);
            assertTrue(Set.of(0, 143).contains(exit), "cycle " + cycle + " exited with " + exit);
            List<String> log = Files.readAllLines(portal.log());
            List<String> shutdown = log.subList(before, log.size());
            assertTrue(shutdown.stream().anyMatch(l -> l.contains("stopped in")), "cycle " + cycle + " shut down:\n" + shutdown);
            for (String line : shutdown) {
                if (TROUBLE.matcher(line).find()) {
                    troubles.add("cycle " + cycle + ": " + line);
                }
            }
        }
        assertEquals(List.of(), troubles, "lines of trouble in " + CYCLES + " shutdowns");
    }
}
