package dev.clicklog.portal.pipeline.step;

import dev.clicklog.portal.pipeline.PipelineResources;
import dev.clicklog.portal.pipeline.StepKind;

import java.util.List;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import dev.clicklog.portal.adapter.Arns;
import dev.clicklog.portal.adapter.PipelinePolicies;
import dev.clicklog.portal.adapter.ResourceNames;
import dev.clicklog.portal.adapter.ResourceTags;
import dev.clicklog.portal.adapter.RoleAdapter;

/**
 * The two IAM roles: API Gateway's (may put records into this stream) and Firehose's (may read this
 * stream and write this bucket's prefixes). Their policies name ARNs derived from the resource names,
 * so the roles can come first, before the stream and bucket exist. The roles are the portal's:
 * their trust policy is compared and restored, and their one inline policy is the portal's own.
 */
@ApplicationScoped
public class RolesStep implements ProvisioningStep {

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
        String apiRole = ensure(c, n.apiRole(), "API Gateway writes clicks of pipeline " + n.pipeline() + " into its stream",
                PipelinePolicies.trust("apigateway.amazonaws.com", null),
                ResourceNames.API_ROLE_POLICY, PipelinePolicies.putRecords(streamArn));
        String dataPrefix = n.dataPrefix(c.spec().s3Prefix());
        String errorPrefix = n.errorPrefix(c.spec().s3Prefix());
        List<String> objects = List.of(arns.objects(n.bucket(), dataPrefix), arns.objects(n.bucket(), errorPrefix));
        String deliveryRole = ensure(c, n.deliveryRole(), "Firehose copies pipeline " + n.pipeline() + " from its stream to S3",
                PipelinePolicies.trust("firehose.amazonaws.com", arns.account()),
                ResourceNames.DELIVERY_ROLE_POLICY,
                PipelinePolicies.delivery(streamArn, arns.bucket(n.bucket()), objects,
                        n.sharedBucket() ? List.of(dataPrefix, errorPrefix) : List.of()));
        return new StepResult.Done("roles " + n.apiRole() + " and " + n.deliveryRole() + " ready",
                PipelineResources.NONE.withRoles(apiRole, deliveryRole));
    }

    /**
     * Makes the role exist with this trust policy, the pipeline's tags and this inline policy as its
     * only one: the roles belong to the portal, so a policy added by hand (which could grant anything)
     * is removed. Returns the role's ARN.
     */
    private String ensure(StepContext c, String name, String description, String trust, String policyName,
            String policy) {
        Changes changes = c.changes();
        RoleAdapter.Role role = roles.describe(name).orElse(null);
        boolean created = role == null;
        if (created) {
            role = changes.create("role " + name, () -> roles.create(name, description, trust, c.tags()));
        } else {
            if (!PipelinePolicies.same(role.trustPolicy(), trust)) {
                roles.updateTrustPolicy(name, trust);
                changes.changed("restored the trust policy of role " + name);
            }
            if (!ResourceTags.includes(role.tags(), c.tags())) {
                roles.tag(name, c.tags());
                changes.changed("tagged role " + name);
            }
        }
        String current = roles.inlinePolicy(name, policyName).orElse(null);
        if (!PipelinePolicies.same(current, policy)) {
            roles.putInlinePolicy(name, policyName, policy);
            if (!created) {
                changes.changed((current == null ? "put back" : "restored") + " inline policy " + policyName
                        + " of role " + name);
            }
        }
        List<String> foreign = roles.inlinePolicies(name).stream().filter(p -> !p.equals(policyName)).toList();
        if (!foreign.isEmpty()) {
            foreign.forEach(p -> roles.deleteInlinePolicy(name, p));
            changes.changed("removed inline polic" + (foreign.size() == 1 ? "y " : "ies ")
                    + foreign.stream().map(p -> "'" + p + "'").collect(Collectors.joining(", "))
                    + " from role " + name + " (only the portal's own policy belongs there)");
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
