package dev.clicklog.localaws.cloudwatch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.clicklog.localaws.protocol.AwsServiceException;

/**
 * CloudWatch's errors. The state throws them with their query-protocol codes (InvalidParameterValue,
 * MissingParameter, …); the JSON and CBOR protocols name them by their model shapes instead
 * ({@link #shapeName}) and carry the query code in {@code x-amzn-query-error}, as CloudWatch does
 * being {@code awsQueryCompatible}.
 */
final class CloudWatchErrors {

    static final String INVALID_PARAMETER_VALUE = "InvalidParameterValue";
    static final String MISSING_PARAMETER = "MissingParameter";
    static final String INVALID_PARAMETER_COMBINATION = "InvalidParameterCombination";
    static final String INVALID_NEXT_TOKEN = "InvalidNextToken";
    static final String LIMIT_EXCEEDED = "LimitExceeded";
    /** GetMetricData's input checks answer this code, which the model does not list. */
    static final String VALIDATION_ERROR = "ValidationError";

    /** Query code → model shape, from the model's error shapes. */
    private static final Map<String, String> SHAPES = Map.of(
            INVALID_PARAMETER_VALUE, "InvalidParameterValueException",
            MISSING_PARAMETER, "MissingRequiredParameterException",
            INVALID_PARAMETER_COMBINATION, "InvalidParameterCombinationException",
            INVALID_NEXT_TOKEN, "InvalidNextToken",
            LIMIT_EXCEEDED, "LimitExceededFault",
            "InternalServiceError", "InternalServiceFault",
            "ResourceNotFound", "ResourceNotFound");

    private CloudWatchErrors() {
    }

    /** The shape name JSON and CBOR put in {@code __type}; unmodelled codes keep their own name. */
    static String shapeName(String queryCode) {
        return SHAPES.getOrDefault(queryCode, queryCode);
    }

    static AwsServiceException invalidParameterValue(String message) {
        return AwsServiceException.badRequest(INVALID_PARAMETER_VALUE, message);
    }

    static AwsServiceException invalidNextToken() {
        return AwsServiceException.badRequest(INVALID_NEXT_TOKEN, "The service couldn't process the NextToken.");
    }

    /**
     * Collects what is wrong with a request, so that one answer names every problem of a kind (one line
     * each) as CloudWatch's do; missing parameters are reported before anything else.
     */
    static final class Problems {
        private final Map<String, List<String>> byCode = new LinkedHashMap<>();

        void missing(String path) {
            add(MISSING_PARAMETER, "The parameter " + path + " is required.");
        }

        void add(String code, String message) {
            byCode.computeIfAbsent(code, k -> new ArrayList<>()).add(message);
        }

        /** Throws the first kind of problem found, missing parameters first. */
        void throwIfAny() {
            if (byCode.isEmpty()) {
                return;
            }
            String code = byCode.containsKey(MISSING_PARAMETER) ? MISSING_PARAMETER : byCode.keySet().iterator().next();
            throw AwsServiceException.badRequest(code, String.join("\n", byCode.get(code)));
        }
    }
}
