package dev.clicklog.portal.pipeline;

import dev.clicklog.portal.adapter.Arns;

/**
 * The ARNs of the pipeline's resources that it knows by id or name only — the REST API, the bucket,
 * the API key and its usage plan, the access log group — in the partition of the portal's region, as IAM policies and the
 * AWS CLI name them. Null where the resource does not exist (yet).
 */
public record ResourceArns(String restApi, String bucket, String apiKey, String usagePlan, String logGroup) {

    /** No resource known yet. */
    public static final ResourceArns NONE = new ResourceArns(null, null, null, null, null);

    static ResourceArns of(PipelineResources r, Arns arns) {
        return new ResourceArns(
                r.restApiId() == null ? null : arns.apiGateway("/restapis/" + r.restApiId()),
                r.bucket() == null ? null : arns.bucket(r.bucket()),
                r.apiKeyId() == null ? null : arns.apiGateway("/apikeys/" + r.apiKeyId()),
                r.usagePlanId() == null ? null : arns.apiGateway("/usageplans/" + r.usagePlanId()),
                r.logGroup() == null ? null : arns.logGroup(r.logGroup()));
    }
}
