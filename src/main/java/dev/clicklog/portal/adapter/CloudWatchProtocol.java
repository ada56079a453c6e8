package dev.clicklog.portal.adapter;

/**
 * The wire protocols CloudWatch's model lists. The Java SDK (2.57) speaks only the first; the others
 * are spoken by {@link CloudWatchWire}, for endpoints that serve CloudWatch in an older protocol.
 */
public enum CloudWatchProtocol {
    /** {@link #CBOR} when {@code clicklog.aws.cbor} is on, {@link #JSON} when it is off. */
    AUTO("auto"),
    /** Smithy RPC v2 CBOR, what the SDK sends. */
    CBOR("cbor"),
    /** AWS JSON 1.0 ({@code X-Amz-Target: GraniteServiceVersion20100801.*}). */
    JSON("json"),
    /** The query protocol (form-encoded requests, XML answers), Version 2010-08-01. */
    QUERY("query");

    private final String setting;

    CloudWatchProtocol(String setting) {
        this.setting = setting;
    }

    /** The protocol {@link #AUTO} stands for, given whether CBOR is on. */
    public CloudWatchProtocol resolve(boolean cbor) {
        return this != AUTO ? this : cbor ? CBOR : JSON;
    }

    /** The value of {@code clicklog.aws.cloudwatch-protocol} that selects it. */
    public String setting() {
        return setting;
    }
}
