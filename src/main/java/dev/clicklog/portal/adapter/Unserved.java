package dev.clicklog.portal.adapter;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Recognises an endpoint saying it does not serve an operation, or cannot read the protocol it was
 * asked in. AWS itself answers an unknown action with UnknownOperationException (JSON protocols,
 * API Gateway) or InvalidAction (query protocol); other endpoints answer 501, "not implemented" in
 * words, a 404 from a route that matched nothing, or a web page.
 */
final class Unserved {

    private static final Set<String> CODES = Set.of("UnknownOperationException", "UnknownOperation", "InvalidAction",
            "NotImplemented", "NotImplementedException", "UnsupportedOperation");
    private static final Pattern NOT_IMPLEMENTED = Pattern.compile(
            "not (yet )?(been )?implemented|not (a )?supported (operation|action)|unknown operation",
            Pattern.CASE_INSENSITIVE);

    private Unserved() {
    }

    /** Whatever the call: the code or status says the operation is not served here. */
    static boolean plainly(String code, int status, String message) {
        return CODES.contains(code) || status == 501 || (status >= 400 && message != null
                && NOT_IMPLEMENTED.matcher(message).find());
    }

    /**
     * For the call of an optional feature, where a gap is expected: also a 404 whose error the
     * service's model does not know (a route of the endpoint that matched nothing, or another
     * service's handler answering), a web page where the service's answer should be (a framework's
     * error page), and an answer the client could not read at all.
     */
    static boolean forFeature(AwsException e) {
        AwsFailure f = e.failure();
        if (f.kind() == AwsFailure.Kind.UNSUPPORTED) {
            return true;
        }
        Throwable cause = e.getCause();
        if (cause instanceof AwsServiceException s) {
            boolean unmodelled = s.getClass().getSuperclass() == AwsServiceException.class;
            String type = s.awsErrorDetails() == null || s.awsErrorDetails().sdkHttpResponse() == null ? ""
                    : s.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("Content-Type").orElse("");
            return unmodelled && (s.statusCode() == 404 || type.toLowerCase(Locale.ROOT).startsWith("text/html"));
        }
        if (cause instanceof SdkClientException c) {
            String m = String.valueOf(c.getMessage()).toLowerCase(Locale.ROOT);
            return m.contains("unmarshall") || m.contains("unable to parse") || m.contains("could not parse");
        }
        return false;
    }
}
