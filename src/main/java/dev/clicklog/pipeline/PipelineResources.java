package dev.clicklog.pipeline;

/** The AWS resources a pipeline owns; a field is null until its step has created it. */
public record PipelineResources(
        String apiRoleArn,
        String deliveryRoleArn,
        String streamName,
        String streamArn,
        String bucket,
        String prefix,
        String deliveryStreamName,
        String restApiId,
        String apiName,
        String stage) {
}
