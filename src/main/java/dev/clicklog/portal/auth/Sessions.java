package dev.clicklog.portal.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.quarkus.scheduler.Scheduled;

/**
 * Signed-in browsers. A sign-in opens a new session (a new secret: the id is renewed at every
 * sign-in, and the session the browser had is closed); a session ends when unused for the idle
 * timeout, at its maximum age, when its account is disabled or gets a new password, and at sign-out.
 */
@ApplicationScoped
public class Sessions {

    public static final String COOKIE = "clicklog_session";
    /** How often a session's last use is written: at most once a minute, not on every request. */
    private static final Duration TOUCH = Duration.ofMinutes(1);

    private final AuthConfig.Session config;
    private final Accounts accounts;

    Sessions(AuthConfig config, Accounts accounts) {
        this.config = config.session();
        this.accounts = accounts;
    }

    /** Opens a session for the account, closing the one the browser had (if any); answers its secret. */
    @Transactional
    public String open(long userId, String previousSecret) {
        if (previousSecret != null) {
            Session.delete("secretHash", Secrets.sha256(previousSecret));
        }
        String secret = Secrets.random("");
        Instant now = Instant.now();
        Session s = new Session();
        s.secretHash = Secrets.sha256(secret);
        s.userId = userId;
        s.createdAt = now;
        s.lastSeenAt = now;
        s.expiresAt = now.plus(config.maxAge());
        s.persist();
        return secret;
    }

    /** Who the session belongs to; empty when there is no such session any more. */
    @Transactional
    public Optional<Caller> find(String secret) {
        Session s = Session.<Session>find("secretHash", Secrets.sha256(secret)).firstResult();
        if (s == null) {
            return Optional.empty();
        }
        Instant now = Instant.now();
        if (now.isAfter(s.expiresAt) || now.isAfter(s.lastSeenAt.plus(config.idleTimeout()))) {
            s.delete();
            return Optional.empty();
        }
        if (now.isAfter(s.lastSeenAt.plus(TOUCH))) {
            s.lastSeenAt = now;
        }
        return accounts.caller(s.userId);
    }

    @Transactional
    public void close(String secret) {
        Session.delete("secretHash", Secrets.sha256(secret));
    }

    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void removeEnded() {
        Instant now = Instant.now();
        Session.delete("expiresAt < ?1 or lastSeenAt < ?2", now, now.minus(config.idleTimeout()));
    }
}
