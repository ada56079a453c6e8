package dev.clicklog.portal.pipeline.step;

import dev.clicklog.portal.pipeline.PipelineResources;
import dev.clicklog.portal.pipeline.StepKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
 * so the roles can come first, before the stream and bucket exist. The roles are the pipeline's
 * (they carry its id): their trust policy is compared and restored, and their one inline policy is
 * the portal's own. A role of the same name that is not the pipeline's is never touched: both roles
 * are looked at before either is changed, and such a role stops the step.
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
        RoleAdapter.Role api = observe(c, n.apiRole());
        RoleAdapter.Role delivery = observe(c, n.deliveryRole());
        String streamArn = arns.stream(n.stream());
        String apiRole = ensure(c, api, n.apiRole(), "API Gateway writes clicks of pipeline " + n.pipeline() + " into its stream",
                PipelinePolicies.trust("apigateway.amazonaws.com", null),
                ResourceNames.API_ROLE_POLICY, PipelinePolicies.putRecords(streamArn));
        String dataPrefix = n.dataPrefix(c.spec().s3Prefix());
        String errorPrefix = n.errorPrefix(c.spec().s3Prefix());
        List<String> objects = List.of(arns.objects(n.bucket(), dataPrefix), arns.objects(n.bucket(), errorPrefix));
        String deliveryRole = ensure(c, delivery, n.deliveryRole(), "Firehose copies pipeline " + n.pipeline() + " from its stream to S3",
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
    private String ensure(StepContext c, RoleAdapter.Role existing, String name, String description, String trust,
            String policyName, String policy) {
        Changes changes = c.changes();
        RoleAdapter.Role role = existing;
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

    /** The role of this name, if it exists; one that is not the pipeline's stops the step. */
    private RoleAdapter.Role observe(StepContext c, String name) {
        RoleAdapter.Role role = roles.describe(name).orElse(null);
        if (role != null && !c.owner().owns(role.tags())) {
            throw c.owner().notOwned("IAM role " + name);
        }
        return role;
    }

    @Override
    public StepResult remove(StepContext c) {
        List<String> left = new ArrayList<>();
        for (String name : List.of(c.names().apiRole(), c.names().deliveryRole())) {
            Optional<RoleAdapter.Role> role = roles.describe(name);
            if (role.isPresent() && !c.owner().owns(role.get().tags())) {
                left.add(name);
            } else if (role.isPresent()) {
                roles.delete(name);
            }
        }
        return new StepResult.Done(left.isEmpty() ? "roles deleted"
                : "roles deleted but " + String.join(" and ", left) + ", which are not this pipeline's",
                PipelineResources.NONE);
    }
}
