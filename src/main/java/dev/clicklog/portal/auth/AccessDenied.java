package dev.clicklog.portal.auth;

import java.time.Duration;

/**
 * A request refused before its resource method ran: nobody signed in, credentials that do not
 * hold, too many failed sign-ins, a role the caller lacks, or a pipeline the caller may not know
 * of. The web layer answers it in the form of the address: JSON under /api, a page elsewhere.
 */
public class AccessDenied extends RuntimeException {

    public enum Reason {
        /** No credentials: 401 (/api), the sign-in page (pages). */
        SIGN_IN_REQUIRED,
        /** Credentials that do not hold (wrong password, unknown, expired or revoked token): 401. */
        BAD_CREDENTIALS,
        /** Too many failed sign-ins: 429 with Retry-After. */
        THROTTLED,
        /** Signed in, without the role: 403. */
        FORBIDDEN,
        /** A pipeline of a team the caller is not in: 404, as if there were none. */
        HIDDEN
    }

    private final Reason reason;
    private final Duration retryAfter;

    private AccessDenied(Reason reason, String message, Duration retryAfter) {
        super(message);
        this.reason = reason;
        this.retryAfter = retryAfter;
    }

    public static AccessDenied signInRequired() {
        return new AccessDenied(Reason.SIGN_IN_REQUIRED, "sign in first: send an access token (Bearer) or a user's "
                + "credentials (Basic)", null);
    }

    public static AccessDenied badCredentials(String message) {
        return new AccessDenied(Reason.BAD_CREDENTIALS, message, null);
    }

    public static AccessDenied throttled(Duration retryAfter) {
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        return new AccessDenied(Reason.THROTTLED, "too many failed sign-ins; try again in " + seconds + " s",
                Duration.ofSeconds(seconds));
    }

    public static AccessDenied forbidden(String message) {
        return new AccessDenied(Reason.FORBIDDEN, message, null);
    }

    /** The same words as for a pipeline that does not exist, so a name says nothing of other teams. */
    public static AccessDenied hidden(String pipeline) {
        return new AccessDenied(Reason.HIDDEN, "no pipeline named '" + pipeline + "'", null);
    }

    public Reason reason() {
        return reason;
    }

    /** How long to wait before the next sign-in attempt (THROTTLED only). */
    public Duration retryAfter() {
        return retryAfter;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        // an expected answer, not a failure: no stack to collect
        return this;
    }
}
