package dev.clicklog.pipeline;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.clicklog.aws.Arns;
import dev.clicklog.aws.PolicyDocuments;
import dev.clicklog.aws.ResourceNames;
import dev.clicklog.aws.ResourceTags;
import dev.clicklog.aws.RoleAdapter;

/**
 * The two IAM roles: API Gateway's (may put records into this stream) and Firehose's (may read this
 * stream and write this bucket's prefixes). Their policies name ARNs derived from the resource names,
 * so the roles can come first, before the stream and bucket exist.
 */
@ApplicationScoped
class RolesStep implements ProvisioningStep {

    private final RoleAdapter roles;
    private final Arns arns;

    RolesStep(RoleAdapter roles, Arns arns) {
        this.roles = roles;
        this.arns = arns;
    }

    @Override
    public StepKind kind() {
        return StepKind.ROLES;
    }

    @Override
    public StepResult apply(StepContext c) {
        ResourceNames n = c.names();
        String streamArn = arns.stream(n.stream());
        String apiRole = ensure(n.apiRole(), "API Gateway writes clicks of pipeline " + n.pipeline() + " into its stream",
                PolicyDocuments.trust("apigateway.amazonaws.com", null),
                ResourceNames.API_ROLE_POLICY, PolicyDocuments.putRecords(streamArn), c.tags());
        String dataPrefix = n.dataPrefix(c.spec().s3Prefix());
        String errorPrefix = n.errorPrefix(c.spec().s3Prefix());
        List<String> objects = List.of(arns.objects(n.bucket(), dataPrefix), arns.objects(n.bucket(), errorPrefix));
        String deliveryRole = ensure(n.deliveryRole(), "Firehose copies pipeline " + n.pipeline() + " from its stream to S3",
                PolicyDocuments.trust("firehose.amazonaws.com", arns.account()),
                ResourceNames.DELIVERY_ROLE_POLICY,
                PolicyDocuments.delivery(streamArn, arns.bucket(n.bucket()), objects,
                        n.sharedBucket() ? List.of(dataPrefix, errorPrefix) : List.of()),
                c.tags());
        return new StepResult.Done("roles " + n.apiRole() + " and " + n.deliveryRole() + " ready",
                PipelineResources.NONE.withRoles(apiRole, deliveryRole));
    }

    /** Makes the role exist with this trust policy, tags and inline policy; returns its ARN. */
    private String ensure(String name, String description, String trust, String policyName, String policy,
            Map<String, String> tags) {
        RoleAdapter.Role role = roles.describe(name).orElse(null);
        if (role == null) {
            role = roles.create(name, description, trust, tags);
        } else {
            if (!PolicyDocuments.same(role.trustPolicy(), trust)) {
                roles.updateTrustPolicy(name, trust);
            }
            if (!ResourceTags.includes(role.tags(), tags)) {
                roles.tag(name, tags);
            }
        }
        String current = roles.inlinePolicy(name, policyName).orElse(null);
        if (!PolicyDocuments.same(current, policy)) {
            roles.putInlinePolicy(name, policyName, policy);
        }
        return role.arn();
    }

    @Override
    public StepResult remove(StepContext c) {
        roles.delete(c.names().apiRole());
        roles.delete(c.names().deliveryRole());
        return new StepResult.Done("roles deleted", PipelineResources.NONE);
    }
}
