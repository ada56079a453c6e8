package dev.clicklog.localaws.firehose;

import dev.clicklog.localaws.protocol.AwsServiceException;

/** Firehose's error codes; every client error is HTTP 400 on its JSON 1.1 wire. */
final class FirehoseErrors {

    private FirehoseErrors() {
    }

    static AwsServiceException invalidArgument(String message) {
        return AwsServiceException.badRequest("InvalidArgumentException", message);
    }

    static AwsServiceException notFound(String name, String account) {
        return AwsServiceException.badRequest("ResourceNotFoundException",
                "Firehose " + name + " under account " + account + " not found.");
    }

    static AwsServiceException inUse(String message) {
        return AwsServiceException.badRequest("ResourceInUseException", message);
    }

    static AwsServiceException limitExceeded(String message) {
        return AwsServiceException.badRequest("LimitExceededException", message);
    }

    static AwsServiceException concurrentModification(String message) {
        return AwsServiceException.badRequest("ConcurrentModificationException", message);
    }

    static AwsServiceException serviceUnavailable(String message) {
        return new AwsServiceException(503, "ServiceUnavailableException", message);
    }

    /** A feature AWS has but localaws does not implement: refused plainly rather than accepted and ignored. */
    static AwsServiceException unsupported(String what) {
        return invalidArgument(what + " is not supported by localaws");
    }
}
