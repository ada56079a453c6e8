package dev.clicklog.localaws.logs;

import dev.clicklog.localaws.protocol.AwsServiceException;

/** CloudWatch Logs' error codes; every client error is HTTP 400 on its JSON 1.1 wire. */
final class LogsErrors {

    static final String INVALID_PARAMETER = "InvalidParameterException";

    private LogsErrors() {
    }

    static AwsServiceException invalidParameter(String message) {
        return AwsServiceException.badRequest(INVALID_PARAMETER, message);
    }

    static AwsServiceException noSuchGroup() {
        return AwsServiceException.badRequest("ResourceNotFoundException", "The specified log group does not exist.");
    }

    static AwsServiceException noSuchStream() {
        return AwsServiceException.badRequest("ResourceNotFoundException", "The specified log stream does not exist.");
    }

    static AwsServiceException groupExists() {
        return AwsServiceException.badRequest("ResourceAlreadyExistsException", "The specified log group already exists");
    }

    static AwsServiceException streamExists() {
        return AwsServiceException.badRequest("ResourceAlreadyExistsException", "The specified log stream already exists");
    }

    static AwsServiceException tooManyTags(String arn) {
        return AwsServiceException.badRequest("TooManyTagsException",
                "A resource can have no more than " + LogsService.MAX_TAGS + " tags: " + arn);
    }

    static AwsServiceException invalidToken() {
        return invalidParameter("The specified nextToken is invalid.");
    }

    /** A feature AWS has but localaws does not implement: refused plainly rather than accepted and ignored. */
    static AwsServiceException unsupported(String what) {
        return invalidParameter(what + " is not supported by localaws");
    }
}
