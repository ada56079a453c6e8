package dev.clicklog.portal.pipeline;

/** What happened, in a pipeline's history. */
public enum EventType {
    /** The pipeline was requested. */
    CREATED,
    /** A step began. */
    STARTED,
    /** A step waits for AWS (a resource still CREATING, …); the message says what for. */
    WAITING,
    /** A step finished. */
    SUCCEEDED,
    /** A step failed and will be tried again; the message is AWS's. */
    RETRYING,
    /** A step failed for good; the message is AWS's. */
    FAILED,
    /** Every resource exists: clicks can be sent. */
    READY,
    /** A check of a READY pipeline began (written by earlier versions, which recorded every check). */
    RESYNC,
    /** A check of a READY pipeline found a resource missing or different and repaired it; the message says what. */
    REPAIRED,
    /** A check of a READY pipeline could not be done for one step; the pipeline stays READY. The message is AWS's. */
    CHECK_FAILED,
    /**
     * An optional feature was skipped because the endpoint does not serve it; the pipeline works
     * without it. The message says what is missing, the endpoint's answer and the setting that would help.
     */
    DEGRADED,
    DELETE_REQUESTED,
    RETRY_REQUESTED,
    /** Every resource is gone. */
    DELETED
}
