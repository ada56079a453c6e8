package dev.clicklog.localaws.http;

import dev.clicklog.localaws.protocol.AwsServiceException;

/**
 * How large a body a request may carry — as the service documents it — and whether it is received
 * into a file. Known from the request line and headers alone, so a body over the limit is refused
 * before it is read: at once when its Content-Length says so, else as soon as the count of bytes
 * received passes the limit.
 */
public record BodyLimit(long maxBytes, boolean toFile, Refusal refusal) {

    /** The service's own answer to a body over the limit. */
    @FunctionalInterface
    public interface Refusal {
        AwsServiceException tooLarge(long size, long maxBytes);
    }

    /** Most AWS APIs' front ends answer an oversized request like this (CloudWatch documents it). */
    public static AwsServiceException requestEntityTooLarge(long size, long maxBytes) {
        return new AwsServiceException(413, "RequestEntityTooLarge", "Request size " + size + " exceeded " + maxBytes
                + " bytes");
    }

    /** A body of at most {@code maxBytes}, in memory, refused as {@link #requestEntityTooLarge}. */
    public static BodyLimit inMemory(long maxBytes) {
        return new BodyLimit(maxBytes, false, BodyLimit::requestEntityTooLarge);
    }

    public BodyLimit refusedAs(Refusal other) {
        return new BodyLimit(maxBytes, toFile, other);
    }

    /** What a request whose body stopped coming is answered (S3's words; its code and status). */
    public static AwsServiceException requestTimeout() {
        return new AwsServiceException(400, "RequestTimeout", "Your socket connection to the server was not read from "
                + "or written to within the timeout period. Idle connections will be closed.");
    }
}
