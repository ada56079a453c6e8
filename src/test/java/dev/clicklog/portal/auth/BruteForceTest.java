package dev.clicklog.portal.auth;

import static dev.clicklog.testing.SignedIn.anonymous;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.clicklog.testing.Identities;
import dev.clicklog.testing.SignedIn;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Guessing a password: 50 wrong passwords in a row are slowed down (most are refused unchecked, with
 * Retry-After), per account and per client address; the right person still gets in once the wait
 * is over. Nothing secret reaches the log. The client
 * addresses are the ones a trusted proxy on loopback names (X-Forwarded-For), from documentation
 * ranges: nothing is sent to them.
 */
@QuarkusTest
class BruteForceTest {

    private static final String GUESSER = "198.51.100.7";
    private static final String OWNER = "203.0.113.9";
    /** %test.clicklog.auth.sign-in.max-delay */
    private static final Duration MAX_DELAY = Duration.ofSeconds(8);

    private final List<String> log = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            String message = record.getMessage();
            if (record.getParameters() != null && message != null) {
                try {
                    message = String.format(message, record.getParameters());
                } catch (RuntimeException notAFormat) {
                    message = message + " " + List.of(record.getParameters());
                }
            }
            log.add(record.getLoggerName() + " " + message + (record.getThrown() == null ? "" : " " + record.getThrown()));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureLog() {
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void stopCapture() {
        Logger.getLogger("").removeHandler(capture);
    }

    @Test
    void fiftyWrongPasswordsAreSlowedDownAndTheOwnerGetsInAfterwards() {
        String account = Identities.unique("victim");
        Identities.user(account, Map.of());
        int checked = 0;
        int refused = 0;
        for (int i = 0; i < 50; i++) {
            Response r = signIn(account, "wrong-guess-" + i, GUESSER);
            if (r.statusCode() == 401) {
                checked++;
            } else {
                assertEquals(429, r.statusCode(), r.asString());
                long retryAfter = Long.parseLong(r.header("Retry-After"));
                assertTrue(retryAfter >= 1 && retryAfter <= MAX_DELAY.toSeconds(), "Retry-After " + retryAfter);
                assertTrue(r.asString().contains("Too many failed sign-ins"), r.asString());
                refused++;
            }
        }
        System.out.printf("50 wrong passwords: %d checked, %d refused unchecked%n", checked, refused);
        // 5 free attempts, then one per growing delay (1 s, 2 s, 4 s, …): few of them were even checked
        assertTrue(checked >= 5 && checked <= 10, checked + " guesses were checked");
        assertEquals(50 - checked, refused);

        // Basic credentials on the API are the same door
        Response basic = SignedIn.basic(account, "wrong-again").header("X-Forwarded-For", GUESSER).get("/api/users/me");
        assertEquals(429, basic.statusCode(), basic.asString());
        assertNotNull(basic.header("Retry-After"));

        // The owner, elsewhere, waits for the account — and no longer than the longest delay
        long started = System.nanoTime();
        await().atMost(MAX_DELAY.plusSeconds(5)).pollInterval(Duration.ofMillis(250))
                .until(() -> signIn(account, Identities.PASSWORD, OWNER).statusCode() == 303);
        System.out.printf("the owner got in %.1f s after the guessing stopped%n", (System.nanoTime() - started) / 1e9);

        String all = String.join("\n", log);
        assertTrue(all.contains("failed sign-in to account '" + account + "'"), "failures are logged, by account");
        for (String secret : List.of("wrong-guess-", "wrong-again", Identities.PASSWORD, SignedIn.ADMIN_PASSWORD)) {
            assertFalse(all.contains(secret), "the log shows a password: " + secret);
        }
    }

    @Test
    void tokensAndKeysNeverReachTheLog() {
        String team = Identities.unique("quiet");
        Identities.team(team);
        Identities.Token token = Identities.token(SignedIn.basic(SignedIn.ADMIN, SignedIn.ADMIN_PASSWORD), team, "write", 1);
        SignedIn.bearer(token.secret()).get("/api/users/me").then().statusCode(200);
        SignedIn.bearer(token.secret() + "x").get("/api/users/me").then().statusCode(401);
        SignedIn.basic(SignedIn.ADMIN, SignedIn.ADMIN_PASSWORD).delete("/api/tokens/" + token.id()).then().statusCode(200);
        SignedIn.bearer(token.secret()).get("/api/users/me").then().statusCode(401);
        String all = String.join("\n", log);
        assertFalse(all.contains(token.secret()), "the log shows a token");
        assertFalse(all.contains(token.secret().substring(4, 20)), "the log shows part of a token");
    }

    private static Response signIn(String account, String password, String from) {
        return anonymous().header("X-Forwarded-For", from).contentType(ContentType.URLENC)
                .formParam("username", account).formParam("password", password).redirects().follow(false)
                .post("/sign-in");
    }
}
