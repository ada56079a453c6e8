package dev.clicklog.portal.adapter;

/** A failed AWS call, already classified; the adapters throw it instead of SDK exceptions. */
public class AwsException extends RuntimeException {

    private final AwsFailure failure;

    public AwsException(AwsFailure failure, Throwable cause) {
        super(failure.toString(), cause);
        this.failure = failure;
    }

    public AwsFailure failure() {
        return failure;
    }

    public boolean notFound() {
        return failure.kind() == AwsFailure.Kind.NOT_FOUND;
    }

    /** Whether the endpoint said it does not serve the operation. */
    public boolean unsupported() {
        return failure.kind() == AwsFailure.Kind.UNSUPPORTED;
    }

    public boolean conflict() {
        return failure.kind() == AwsFailure.Kind.CONFLICT;
    }
}
