package dev.clicklog.localaws.protocol;

/**
 * An AWS error: the HTTP status, the service's error code and its message. Service state throws
 * it; the protocol handler renders it in the service's wire format.
 */
public class AwsServiceException extends RuntimeException {

    private final int status;
    private final String code;

    public AwsServiceException(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public static AwsServiceException badRequest(String code, String message) {
        return new AwsServiceException(400, code, message);
    }

    public static AwsServiceException notFound(String code, String message) {
        return new AwsServiceException(404, code, message);
    }

    public static AwsServiceException conflict(String code, String message) {
        return new AwsServiceException(409, code, message);
    }

    public static AwsServiceException internal(Throwable cause) {
        return new AwsServiceException(500, "InternalFailure",
                "An internal error occurred: " + cause.getClass().getSimpleName());
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** "Sender" for client errors, "Receiver" for server errors, as query-protocol errors say. */
    public String faultType() {
        return status < 500 ? "Sender" : "Receiver";
    }
}
