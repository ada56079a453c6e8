package dev.clicklog.portal.auth;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.elytron.security.common.BcryptUtil;

/**
 * Password hashes: bcrypt, salted, at the configured cost. A password that was just found right
 * is remembered for a minute — as a SHA-256 over a secret only this process knows, the password
 * and the hash it matched — so tooling sending Basic credentials on every call pays bcrypt once a
 * minute, not per call; a changed password has another hash, so its old entry never matches.
 */
@ApplicationScoped
public class Passwords {

    public static final int MIN_LENGTH = 12;
    /** bcrypt reads no more than 72 bytes of a password: a longer one would be partly ignored. */
    public static final int MAX_BYTES = 72;
    private static final Duration REMEMBERED = Duration.ofMinutes(1);
    private static final int MAX_REMEMBERED = 10_000;

    private final int cost;
    private final String pepper = Secrets.random("");
    private final Map<String, Long> verified = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > MAX_REMEMBERED;
        }
    };

    Passwords(AuthConfig config) {
        this.cost = config.bcryptCost();
    }

    public String hash(String password) {
        return BcryptUtil.bcryptHash(password, cost);
    }

    public boolean matches(String password, String hash) {
        String key = Secrets.sha256(pepper + "\n" + hash + "\n" + password);
        long now = System.nanoTime();
        synchronized (verified) {
            Long at = verified.get(key);
            if (at != null && now - at < REMEMBERED.toNanos()) {
                return true;
            }
        }
        if (!BcryptUtil.matches(password, hash)) {
            return false;
        }
        synchronized (verified) {
            verified.put(key, now);
        }
        return true;
    }

    /** What is wrong with a new password; empty when it will do. */
    public static Optional<String> problem(String password) {
        if (password == null || password.isEmpty()) {
            return Optional.of("is required");
        }
        if (password.length() < MIN_LENGTH) {
            return Optional.of("must be at least " + MIN_LENGTH + " characters long");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return Optional.of("must be at most " + MAX_BYTES + " bytes long in UTF-8 (bcrypt reads no more)");
        }
        return Optional.empty();
    }
}
