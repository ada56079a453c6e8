package dev.clicklog.localaws.apigateway;

/**
 * Where a stage writes its access logs and in what format: a CloudWatch Logs log group's ARN and a
 * line of text with {@code $context} variables. A part not set yet is null; nothing is written until
 * both are.
 */
public record AccessLogSettings(String destinationArn, String format) {

    public boolean complete() {
        return destinationArn != null && format != null;
    }
}
