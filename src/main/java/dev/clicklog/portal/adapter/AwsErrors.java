package dev.clicklog.portal.adapter;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The one place where SDK exceptions become the portal's error model ({@link AwsFailure}). Adapters
 * run every SDK call through {@link #call} so nothing above them sees SDK exception types.
 */
public final class AwsErrors {

    private static final Set<String> NOT_FOUND = Set.of(
            "NoSuchEntity", "ResourceNotFoundException", "NotFoundException", "NoSuchBucket", "NoSuchKey",
            "NoSuchTagSet", "NoSuchTagSetError", "NoSuchPublicAccessBlockConfiguration",
            "ServerSideEncryptionConfigurationNotFoundError");

    private static final Set<String> CONFLICT = Set.of(
            "EntityAlreadyExists", "ResourceInUseException", "ConflictException", "BucketAlreadyOwnedByYou",
            "ConcurrentModification", "ConcurrentModificationException", "OperationAborted");

    private static final Set<String> RETRYABLE = Set.of(
            "Throttling", "ThrottlingException", "ThrottledException", "TooManyRequestsException",
            "RequestLimitExceeded", "LimitExceededException", "ProvisionedThroughputExceededException",
            "SlowDown", "ServiceUnavailable", "ServiceUnavailableException", "InternalFailure", "InternalError",
            "ServiceFailure", "RequestTimeout", "RequestTimeoutException");

    /**
     * What AWS says while a new IAM role (or its policy) has not reached every region's endpoints yet:
     * Firehose "is unable to assume role", API Gateway "Invalid role ARN" or (PutIntegration, a
     * BadRequestException) "API Gateway does not have permission to assume the provided role", "is
     * not authorized to perform", UpdateAccount "The role ARN does not have required permissions set
     * to API Gateway". These clear up within seconds, so they are worth retrying whatever the error code.
     */
    private static final Set<String> IAM_PROPAGATION = Set.of(
            "unable to assume role", "invalid role arn", "is not authorized to perform", "cannot be assumed",
            "does not have permission to assume the provided role",
            "does not have required permissions set to api gateway");

    private AwsErrors() {
    }

    /** Runs an SDK call; an SDK exception becomes an {@link AwsException}. */
    public static <T> T call(Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException e) {
            throw new AwsException(classify(e), e);
        }
    }

    /** As {@link #call}, for calls whose answer is not needed. */
    public static void run(Runnable call) {
        call(() -> {
            call.run();
            return null;
        });
    }

    /** Runs a describe-style call; "not found" becomes an empty result. */
    public static <T> Optional<T> find(Supplier<T> call) {
        try {
            return Optional.ofNullable(call(call));
        } catch (AwsException e) {
            if (e.notFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Runs a delete-style call; "not found" means the work is already done. Returns whether it deleted. */
    public static boolean delete(Runnable call) {
        try {
            run(call);
            return true;
        } catch (AwsException e) {
            if (e.notFound()) {
                return false;
            }
            throw e;
        }
    }

    /** Runs a create-style call; "already exists" (a conflict) is tolerated, the caller looks again. */
    public static <T> Optional<T> create(Supplier<T> call) {
        try {
            return Optional.ofNullable(call(call));
        } catch (AwsException e) {
            if (e.conflict()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public static AwsFailure classify(SdkException e) {
        if (e instanceof AwsServiceException service) {
            return classify(service);
        }
        if (e instanceof SdkClientException) {
            return new AwsFailure(AwsFailure.Kind.RETRYABLE, "ClientError", String.valueOf(e.getMessage()));
        }
        return new AwsFailure(e.retryable() ? AwsFailure.Kind.RETRYABLE : AwsFailure.Kind.PERMANENT,
                e.getClass().getSimpleName(), String.valueOf(e.getMessage()));
    }

    private static AwsFailure classify(AwsServiceException e) {
        var details = e.awsErrorDetails();
        int status = e.statusCode();
        String code = details != null && details.errorCode() != null ? details.errorCode() : "HTTP" + status;
        String message = details != null && details.errorMessage() != null ? details.errorMessage() : e.getMessage();
        return new AwsFailure(kind(e, code, status, message), code, message == null ? "" : message);
    }

    private static AwsFailure.Kind kind(AwsServiceException e, String code, int status, String message) {
        if (Unserved.plainly(code, status, message)) {
            return AwsFailure.Kind.UNSUPPORTED;
        }
        if (NOT_FOUND.contains(code)) {
            return AwsFailure.Kind.NOT_FOUND;
        }
        if (CONFLICT.contains(code)) {
            return AwsFailure.Kind.CONFLICT;
        }
        if (RETRYABLE.contains(code) || e.isThrottlingException() || status >= 500 || iamPropagation(message)) {
            return AwsFailure.Kind.RETRYABLE;
        }
        if (status == 404) {
            return AwsFailure.Kind.NOT_FOUND;
        }
        if (status == 409) {
            return AwsFailure.Kind.CONFLICT;
        }
        return AwsFailure.Kind.PERMANENT;
    }

    private static boolean iamPropagation(String message) {
        if (message == null) {
            return false;
        }
        String m = message.toLowerCase(Locale.ROOT);
        return IAM_PROPAGATION.stream().anyMatch(m::contains);
    }
}
