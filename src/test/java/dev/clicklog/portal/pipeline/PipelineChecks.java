package dev.clicklog.portal.pipeline;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.restassured.path.json.JsonPath;

/** Checks of READY pipelines as tests need them: now, rather than after the resync interval. */
final class PipelineChecks {

    private PipelineChecks() {
    }

    /** Makes the live pipeline's next check due now, as if the resync interval had passed (or the portal restarted). */
    static void checkNow(String name) {
        QuarkusTransaction.requiringNew().run(() -> Pipeline.update("checkedAt = null where activeName = ?1", name));
    }

    /** Waits until a check that began after {@code after} has ended; returns the view then. */
    static JsonPath awaitCheckedAfter(String name, Instant after, Duration atMost) {
        JsonPath[] last = new JsonPath[1];
        await().atMost(atMost).pollInterval(Duration.ofMillis(50)).until(() -> {
            last[0] = PipelineApi.get(name);
            String checked = last[0].getString("lastCheckedAt");
            return last[0].getString("checkingSince") == null && checked != null && Instant.parse(checked).isAfter(after);
        });
        return last[0];
    }
}
