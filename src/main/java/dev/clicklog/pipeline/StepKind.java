package dev.clicklog.pipeline;

/** The provisioning steps, in the order they run; teardown runs them in reverse. */
public enum StepKind {
    ROLES("IAM roles"),
    STREAM("Kinesis data stream"),
    BUCKET("S3 bucket"),
    DELIVERY_STREAM("Firehose delivery stream"),
    INGEST_API("API Gateway REST API");

    private final String title;

    StepKind(String title) {
        this.title = title;
    }

    public String title() {
        return title;
    }
}
