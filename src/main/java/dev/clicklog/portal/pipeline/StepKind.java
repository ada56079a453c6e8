package dev.clicklog.portal.pipeline;

import java.util.Set;

/**
 * The provisioning steps, in the order they are listed and tried, with what each needs to exist
 * first. Steps that do not need each other overlap: the bucket and the API are built while the
 * stream is still CREATING. Teardown runs the other way: a step's resources go once nothing that
 * needs them is left — and the delivery stream only once the ingest API is gone, so that it can
 * deliver everything the API accepted.
 */
public enum StepKind {
    ROLES("IAM roles"),
    STREAM("Kinesis data stream"),
    BUCKET("S3 bucket"),
    /** Reads the stream (which must be ACTIVE), writes the bucket, as its role. */
    DELIVERY_STREAM("Firehose delivery stream", ROLES, STREAM, BUCKET),
    /** Writes the stream, as its role. */
    INGEST_API("API Gateway REST API", ROLES, STREAM),
    /** The log group the API's stage writes its access logs to (the refused clicks), and the stage's settings. */
    ACCESS_LOGS("API access logs", INGEST_API);

    private final String title;
    private final Set<StepKind> needs;

    StepKind(String title, StepKind... needs) {
        this.title = title;
        // Not an EnumSet: the enum's class is not initialised yet while its constants are built.
        this.needs = Set.of(needs);
    }

    public String title() {
        return title;
    }

    /** The steps whose resources must exist before this one's are created. */
    public Set<StepKind> needs() {
        return needs;
    }

    /** In teardown, the steps whose resources must be gone before this one's go (besides those that need it). */
    public Set<StepKind> removedAfter() {
        return this == DELIVERY_STREAM ? Set.of(INGEST_API) : Set.of();
    }
}
