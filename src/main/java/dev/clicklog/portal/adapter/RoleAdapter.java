package dev.clicklog.portal.adapter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.Tag;

/** IAM roles with one inline policy each. */
@ApplicationScoped
public class RoleAdapter {

    /** A role as IAM reports it. */
    public record Role(String name, String arn, String trustPolicy, Map<String, String> tags) {
    }

    private final IamClient iam;

    RoleAdapter(IamClient iam) {
        this.iam = iam;
    }

    public Optional<Role> describe(String name) {
        return AwsErrors.find(() -> iam.getRole(r -> r.roleName(name)).role())
                .map(r -> new Role(r.roleName(), r.arn(), r.assumeRolePolicyDocument(), tags(r.tags())));
    }

    /** Creates the role; if it exists already (a concurrent or earlier attempt), describes it instead. */
    public Role create(String name, String description, String trustPolicy, Map<String, String> tags) {
        AwsErrors.create(() -> iam.createRole(r -> r.roleName(name).description(description)
                .assumeRolePolicyDocument(trustPolicy).tags(toTags(tags))));
        return describe(name).orElseThrow(() -> gone(name));
    }

    public void updateTrustPolicy(String name, String trustPolicy) {
        AwsErrors.run(() -> iam.updateAssumeRolePolicy(r -> r.roleName(name).policyDocument(trustPolicy)));
    }

    public void tag(String name, Map<String, String> tags) {
        AwsErrors.run(() -> iam.tagRole(r -> r.roleName(name).tags(toTags(tags))));
    }

    public Optional<String> inlinePolicy(String role, String policyName) {
        return AwsErrors.find(() -> iam.getRolePolicy(r -> r.roleName(role).policyName(policyName)).policyDocument());
    }

    public void putInlinePolicy(String role, String policyName, String document) {
        AwsErrors.run(() -> iam.putRolePolicy(r -> r.roleName(role).policyName(policyName).policyDocument(document)));
    }

    /** The names of the role's inline policies. */
    public List<String> inlinePolicies(String role) {
        return AwsErrors.call(() -> iam.listRolePoliciesPaginator(r -> r.roleName(role)).policyNames().stream().toList());
    }

    /** Deletes one inline policy; false when it was already gone. */
    public boolean deleteInlinePolicy(String role, String policyName) {
        return AwsErrors.delete(() -> iam.deleteRolePolicy(r -> r.roleName(role).policyName(policyName)));
    }

    /** Deletes the role and its inline policies; false when it was already gone. */
    public boolean delete(String name) {
        List<String> policies;
        try {
            policies = inlinePolicies(name);
        } catch (AwsException e) {
            if (e.notFound()) {
                return false;
            }
            throw e;
        }
        for (String policy : policies) {
            deleteInlinePolicy(name, policy);
        }
        return AwsErrors.delete(() -> iam.deleteRole(r -> r.roleName(name)));
    }

    private static List<Tag> toTags(Map<String, String> tags) {
        return tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
    }

    private static Map<String, String> tags(List<Tag> tags) {
        Map<String, String> map = new LinkedHashMap<>();
        tags.forEach(t -> map.put(t.key(), t.value()));
        return map;
    }

    private static AwsException gone(String name) {
        return new AwsException(new AwsFailure(AwsFailure.Kind.RETRYABLE, "NoSuchEntity",
                "role " + name + " was created but cannot be found yet"), null);
    }
}
