package dev.clicklog.portal.pipeline;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * The AWS resources a pipeline owns, as far as they are known: a field is null until its step has
 * found or created the resource. {@code apiKey} is the key's value clients send as x-api-key (only
 * when the pipeline requires one), never serialized with the rest. Stored embedded in the pipeline's
 * row. In what a step found, an empty string says a resource is gone ({@link #withoutApiKey});
 * {@link #merge} then forgets it.
 */
@Embeddable
public record PipelineResources(
        @Column(name = "api_role_arn") String apiRoleArn,
        @Column(name = "delivery_role_arn") String deliveryRoleArn,
        @Column(name = "stream_name") String streamName,
        @Column(name = "stream_arn") String streamArn,
        @Column(name = "bucket") String bucket,
        @Column(name = "key_prefix") String prefix,
        @Column(name = "delivery_stream_name") String deliveryStreamName,
        @Column(name = "delivery_stream_arn") String deliveryStreamArn,
        @Column(name = "rest_api_id") String restApiId,
        @Column(name = "api_name") String apiName,
        @Column(name = "stage") String stage,
        @Column(name = "api_key_id") String apiKeyId,
        // Never in a response of its own: GET /api/pipelines/{name}/api-key shows it to the team's members.
        @JsonIgnore @Schema(hidden = true) @Column(name = "api_key_value") String apiKey,
        @Column(name = "usage_plan_id") String usagePlanId,
        @Column(name = "log_group") String logGroup) {

    /** In what a step found: the resource no longer exists. */
    private static final String GONE = "";

    public static final PipelineResources NONE = new PipelineResources(null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null);

    /** These resources, with every field that {@code update} knows replacing this one's. */
    public PipelineResources merge(PipelineResources update) {
        return new PipelineResources(
                pick(update.apiRoleArn, apiRoleArn),
                pick(update.deliveryRoleArn, deliveryRoleArn),
                pick(update.streamName, streamName),
                pick(update.streamArn, streamArn),
                pick(update.bucket, bucket),
                pick(update.prefix, prefix),
                pick(update.deliveryStreamName, deliveryStreamName),
                pick(update.deliveryStreamArn, deliveryStreamArn),
                pick(update.restApiId, restApiId),
                pick(update.apiName, apiName),
                pick(update.stage, stage),
                pick(update.apiKeyId, apiKeyId),
                pick(update.apiKey, apiKey),
                pick(update.usagePlanId, usagePlanId),
                pick(update.logGroup, logGroup));
    }

    public PipelineResources withRoles(String apiRole, String deliveryRole) {
        return new PipelineResources(apiRole, deliveryRole, streamName, streamArn, bucket, prefix, deliveryStreamName,
                deliveryStreamArn, restApiId, apiName, stage, apiKeyId, apiKey, usagePlanId, logGroup);
    }

    public PipelineResources withStream(String name, String arn) {
        return new PipelineResources(apiRoleArn, deliveryRoleArn, name, arn, bucket, prefix, deliveryStreamName,
                deliveryStreamArn, restApiId, apiName, stage, apiKeyId, apiKey, usagePlanId, logGroup);
    }

    public PipelineResources withBucket(String name, String keyPrefix) {
        return new PipelineResources(apiRoleArn, deliveryRoleArn, streamName, streamArn, name, keyPrefix,
                deliveryStreamName, deliveryStreamArn, restApiId, apiName, stage, apiKeyId, apiKey, usagePlanId,
                logGroup);
    }

    public PipelineResources withDeliveryStream(String name, String arn) {
        return new PipelineResources(apiRoleArn, deliveryRoleArn, streamName, streamArn, bucket, prefix, name, arn,
                restApiId, apiName, stage, apiKeyId, apiKey, usagePlanId, logGroup);
    }

    public PipelineResources withApi(String id, String name, String stageName) {
        return new PipelineResources(apiRoleArn, deliveryRoleArn, streamName, streamArn, bucket, prefix,
                deliveryStreamName, deliveryStreamArn, id, name, stageName, apiKeyId, apiKey, usagePlanId, logGroup);
    }

    /** The API key and usage plan are gone (the pipeline no longer requires a key). */
    public PipelineResources withoutApiKey() {
        return withApiKey(GONE, GONE, GONE);
    }

    public PipelineResources withApiKey(String keyId, String keyValue, String planId) {
        return new PipelineResources(apiRoleArn, deliveryRoleArn, streamName, streamArn, bucket, prefix,
                deliveryStreamName, deliveryStreamArn, restApiId, apiName, stage, keyId, keyValue, planId, logGroup);
    }

    public PipelineResources withLogGroup(String name) {
        return new PipelineResources(apiRoleArn, deliveryRoleArn, streamName, streamArn, bucket, prefix,
                deliveryStreamName, deliveryStreamArn, restApiId, apiName, stage, apiKeyId, apiKey, usagePlanId, name);
    }

    private static String pick(String update, String current) {
        if (GONE.equals(update)) {
            return null;
        }
        return update != null ? update : current;
    }
}
