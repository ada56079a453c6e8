package dev.clicklog.portal.observe;

import java.util.Optional;

import dev.clicklog.portal.adapter.AwsException;

/**
 * Why a pipeline cannot be observed as asked. The REST API turns each {@link Kind} into its HTTP
 * status; the pages show the message as it is, so it says what to do in the user's terms.
 */
public class ObserveException extends RuntimeException {

    public enum Kind {
        /** A query parameter is malformed or out of range; {@link #parameter()} names it. */
        INVALID_PARAMETER,
        /** The pipeline exists but is not READY, so there is nothing (yet, or any more) to observe. */
        NOT_READY,
        /** The request reaches outside the pipeline's own resources. */
        FORBIDDEN,
        /** The object asked for does not exist. */
        NOT_FOUND,
        /** AWS, or the pipeline's invoke URL, failed to answer. */
        UPSTREAM,
        /** The endpoint does not serve what would answer (metrics, on some endpoints): nothing to retry. */
        UNAVAILABLE
    }

    private final Kind kind;
    private final String parameter;
    private final String rule;

    private ObserveException(Kind kind, String message, String parameter, String rule, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.parameter = parameter;
        this.rule = rule;
    }

    public static ObserveException invalid(String parameter, String rule) {
        return new ObserveException(Kind.INVALID_PARAMETER, parameter + " " + rule, parameter, rule, null);
    }

    public static ObserveException notReady(String pipeline, Object status) {
        return new ObserveException(Kind.NOT_READY, "pipeline '" + pipeline + "' is " + status
                + "; only a READY pipeline can be observed", null, null, null);
    }

    /** A READY pipeline whose access logs are not set up yet (its next check sets them up). */
    public static ObserveException noAccessLogs(String pipeline) {
        return new ObserveException(Kind.NOT_READY, "pipeline '" + pipeline + "' has no access logs yet; its next "
                + "check sets them up", null, null, null);
    }

    public static ObserveException forbidden(String message) {
        return new ObserveException(Kind.FORBIDDEN, message, null, null, null);
    }

    public static ObserveException notFound(String message) {
        return new ObserveException(Kind.NOT_FOUND, message, null, null, null);
    }

    /** An AWS call that failed; the message keeps AWS's error code and words. */
    public static ObserveException upstream(String what, AwsException e) {
        return new ObserveException(Kind.UPSTREAM, what + " failed: " + e.failure(), null, null, e);
    }

    /** The endpoint does not serve what is asked; {@code why} says so in its words and names the setting that would help. */
    public static ObserveException unavailable(String why) {
        return new ObserveException(Kind.UNAVAILABLE, why, null, null, null);
    }

    public static ObserveException upstream(String message, Throwable cause) {
        return new ObserveException(Kind.UPSTREAM, message, null, null, cause);
    }

    public Kind kind() {
        return kind;
    }

    /** The query parameter at fault, for {@link Kind#INVALID_PARAMETER}. */
    public Optional<String> parameter() {
        return Optional.ofNullable(parameter);
    }

    /** The rule the parameter breaks, for {@link Kind#INVALID_PARAMETER}. */
    public Optional<String> rule() {
        return Optional.ofNullable(rule);
    }
}
