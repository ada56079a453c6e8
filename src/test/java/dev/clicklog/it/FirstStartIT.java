package dev.clicklog.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.clicklog.it.PortalProcesses.Portal;
import dev.clicklog.testing.Host;
import dev.clicklog.testing.SignedIn;

/**
 * The first start of the packaged portal on an empty database. Its first administrator is made just
 * after it is ready, off the path to readiness (bcrypt at a real cost takes most of a second there),
 * so these starts use a real cost: a sign-in arriving in between must wait for the account, not be
 * refused, and a generated password is logged once and signs in. A localaws port that is the
 * portal's own stops the start with a message saying so.
 */
class FirstStartIT {

    private static final Pattern GENERATED = Pattern.compile(
            "Created the administrator 'admin' with the password (\\S+) -- it is shown only this once");

    @RegisterExtension
    final PortalProcesses portals = new PortalProcesses();

    @Test
    void aSignInRightAfterReadyWaitsForTheConfiguredAdministrator() {
        Map<String, String> settings = settings("configured");
        // seconds of hashing: the first request certainly arrives before the account is made
        settings.put("clicklog.auth.bcrypt-cost", "15");
        Portal portal = portals.start("configured", settings);

        portal.api().when().get("/api/pipelines").then().log().ifValidationFails().statusCode(200);
    }

    @Test
    void aGeneratedPasswordIsLoggedOnceAndSignsIn() {
        Map<String, String> settings = settings("generated");
        settings.put("clicklog.auth.admin-password", "");
        Portal first = portals.start("generated", settings);

        SignedIn.basic(SignedIn.ADMIN, "not-the-generated-password").baseUri(first.uri().toString())
                .when().get("/api/pipelines").then().statusCode(401);
        String password = await("the generated password in the log").atMost(Duration.ofSeconds(60))
                .until(() -> generated(first), found -> found.size() == 1).get(0);
        SignedIn.basic(SignedIn.ADMIN, password).baseUri(first.uri().toString())
                .when().get("/api/pipelines").then().log().ifValidationFails().statusCode(200);

        portals.stop(first);
        Portal again = portals.start("generated-again", settings);
        SignedIn.basic(SignedIn.ADMIN, password).baseUri(again.uri().toString())
                .when().get("/api/pipelines").then().log().ifValidationFails().statusCode(200);
        assertEquals(List.of(), generated(again), "a restart makes no other administrator");
    }

    @Test
    void localawsOnThePortalsOwnPortIsRefused() throws Exception {
        Map<String, String> settings = settings("same-port");
        String port = String.valueOf(Host.freePort());
        settings.put("clicklog.localaws.port", port);
        // the last setting of a system property counts: this one replaces the launcher's own
        settings.put("quarkus.http.port", port);
        Portal portal = portals.launch("same-port", settings, "384m");

        assertTrue(portal.process().waitFor(120, TimeUnit.SECONDS), "the start stopped");
        assertNotEquals(0, portal.process().exitValue(), "the start failed");
        String log = Files.readString(portal.log());
        assertTrue(log.contains("clicklog.localaws.port " + port + " is the portal's own port (quarkus.http.port)"), log);
    }

    /** Local mode on free ports, the database and localaws' data in the test's own directory, bcrypt at 12. */
    private Map<String, String> settings(String name) {
        Map<String, String> settings = new HashMap<>();
        settings.put("quarkus.datasource.jdbc.url", "jdbc:h2:file:" + portals.workDir().resolve(name + "/clicklog"));
        settings.put("clicklog.localaws.port", String.valueOf(Host.freePort()));
        settings.put("clicklog.localaws.data-dir", portals.workDir().resolve(name + "/localaws").toString());
        settings.put("clicklog.auth.bcrypt-cost", "12");
        return settings;
    }

    private static List<String> generated(Portal portal) {
        try {
            Matcher m = GENERATED.matcher(Files.readString(portal.log()));
            return m.results().map(r -> r.group(1)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
