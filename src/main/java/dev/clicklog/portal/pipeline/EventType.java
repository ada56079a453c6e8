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
    /** The spec was changed; the message lists each field as "field: old → new". */
    CHANGE_REQUESTED,
    /** While a change is applied: what a step changed in AWS. */
    CHANGED,
    /**
     * An optional feature was skipped because the endpoint does not serve it; the pipeline works
     * without it. The message says what is missing, the endpoint's answer and the setting that would help.
     */
    DEGRADED,
    DELETE_REQUESTED,
    /** The clicks of a deleted pipeline (or of one being deleted) are to be deleted too. */
    PURGE_REQUESTED,
    /** The clicks a deleted pipeline kept were taken over by a new pipeline of the same name and team. */
    ADOPTED,
    RETRY_REQUESTED,
    /** Every resource is gone. */
    DELETED
}
