package dev.clicklog.portal.adapter;

import java.util.Optional;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Adds the setting an endpoint needs to the errors of its service: a stream that cannot be created
 * fails with the endpoint's own error, and with what to set so it can be (see {@link EndpointProbe}).
 */
final class EndpointHints implements ExecutionInterceptor {

    private final EndpointCapabilities capabilities;

    EndpointHints(EndpointCapabilities capabilities) {
        this.capabilities = capabilities;
    }

    @Override
    public Throwable modifyException(Context.FailedExecution context, ExecutionAttributes attributes) {
        Optional<EndpointCapabilities.Hint> hint = capabilities.hint(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME));
        if (hint.isEmpty() || !(context.exception() instanceof AwsServiceException e) || e.awsErrorDetails() == null) {
            return context.exception();
        }
        AwsErrorDetails details = e.awsErrorDetails();
        String said = details.errorMessage() != null ? details.errorMessage()
                : "Service returned HTTP status code " + e.statusCode();
        String message = said + " (" + hint.get() + ")";
        return e.toBuilder().message(message).awsErrorDetails(details.toBuilder().errorMessage(message).build()).build();
    }
}
