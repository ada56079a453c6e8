package dev.clicklog.portal.auth;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

/**
 * Slows password guessing down: failed sign-ins are counted per account and per client address;
 * past the free attempts, the next attempt on that account or from that address must wait, twice
 * as long after each further failure, up to the maximum delay. An attempt made too early is refused
 * without looking at the password and without counting, so however long someone keeps guessing,
 * the right person waits at most the maximum delay once the guessing stops. A success clears the
 * account's and the address's count. Kept in memory: each portal replica counts on its own.
 */
@ApplicationScoped
public class SignInThrottle {

    private static final Logger LOG = Logger.getLogger(SignInThrottle.class);
    /** Accounts and addresses remembered at most; the least recently failing are forgotten first. */
    private static final int MAX_ENTRIES = 100_000;

    private record Failures(int count, long lastNanos) {
    }

    private final AuthConfig.SignIn config;
    private final Map<String, Failures> failures = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    SignInThrottle(AuthConfig config) {
        this.config = config.signIn();
    }

    /** How long the attempt must still wait; empty when it may be checked now. */
    public Optional<Duration> wait(String account, String address) {
        long now = System.nanoTime();
        long wait;
        synchronized (failures) {
            wait = Math.max(remaining(failures.get(accountKey(account)), now), remaining(failures.get(addressKey(address)), now));
        }
        return wait > 0 ? Optional.of(Duration.ofNanos(wait)) : Optional.empty();
    }

    public void failed(String account, String address) {
        long now = System.nanoTime();
        int byAccount;
        int byAddress;
        synchronized (failures) {
            byAccount = count(accountKey(account), now);
            byAddress = count(addressKey(address), now);
        }
        // The name is the account tried; the password is never logged.
        LOG.warnf("failed sign-in to account '%s' from %s (%d failures for the account, %d from the address)",
                printable(account), address, byAccount, byAddress);
    }

    public void succeeded(String account, String address) {
        synchronized (failures) {
            failures.remove(accountKey(account));
            failures.remove(addressKey(address));
        }
    }

    private int count(String key, long now) {
        Failures f = failures.get(key);
        int n = f == null ? 1 : f.count() + 1;
        failures.put(key, new Failures(n, now));
        return n;
    }

    private long remaining(Failures f, long now) {
        if (f == null || f.count() < config.freeAttempts()) {
            return 0;
        }
        int doublings = Math.min(30, f.count() - config.freeAttempts());
        long delay = Math.min(config.maxDelay().toNanos(), config.initialDelay().toNanos() << doublings);
        return f.lastNanos() + delay - now;
    }

    private static String accountKey(String account) {
        return "account:" + account;
    }

    private static String addressKey(String address) {
        return "address:" + address;
    }

    /** An account name as typed, safe for one log line. */
    static String printable(String s) {
        String cut = s.length() > 64 ? s.substring(0, 64) + "…" : s;
        return cut.replaceAll("\\p{C}", "?");
    }
}
