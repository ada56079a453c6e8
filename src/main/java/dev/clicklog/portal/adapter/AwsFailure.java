package dev.clicklog.portal.adapter;

/**
 * An AWS call that failed, in the portal's terms: whether trying again can help, AWS's error code
 * and AWS's own message (shown to the team as it is, so they can look it up).
 */
public record AwsFailure(Kind kind, String code, String message) {

    public enum Kind {
        /** Throttling, a resource still changing state, IAM propagation, 5xx, network: try again later. */
        RETRYABLE,
        /** The resource exists already or is being changed by someone else: look again, then act. */
        CONFLICT,
        /** The resource does not exist. */
        NOT_FOUND,
        /** The request itself is wrong: trying again will give the same answer. */
        PERMANENT,
        /**
         * The name is taken by a resource the pipeline does not own (it lacks the pipeline's id tag):
         * the portal leaves it alone and stops, as trying again cannot help until someone acts.
         */
        FOREIGN,
        /** The endpoint does not serve the operation (or cannot read its protocol): trying again will not help. */
        UNSUPPORTED
    }

    public boolean retryable() {
        return kind != Kind.PERMANENT && kind != Kind.FOREIGN && kind != Kind.UNSUPPORTED;
    }

    @Override
    public String toString() {
        return code + ": " + message;
    }
}
