package dev.clicklog.localaws.iam;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.clicklog.localaws.iam.IamService.CompiledRole;
import dev.clicklog.localaws.spi.RoleAccess;

/**
 * IAM's decisions for the services inside localaws that act through a role, as AWS makes them:
 * whether a service principal may assume a role (its trust policy), and whether the role's inline
 * policies allow an action on a resource. Roles are read as they are at the moment of the call, so
 * a changed policy applies to the next request. Lock-free: API Gateway asks on every invocation.
 */
@ApplicationScoped
public class IamAuthorizer implements RoleAccess {

    private static final String ASSUME_ROLE = "sts:AssumeRole";

    private final IamService iam;

    IamAuthorizer(IamService iam) {
        this.iam = iam;
    }

    /**
     * True when {@code roleArn} names an existing role of this account (path included) whose trust
     * policy lets {@code servicePrincipal} (e.g. "firehose.amazonaws.com") call sts:AssumeRole with
     * these condition keys (e.g. sts:ExternalId, aws:SourceArn).
     */
    @Override
    public boolean mayAssume(String servicePrincipal, String roleArn, Map<String, String> conditionKeys) {
        CompiledRole role = role(roleArn);
        if (role == null) {
            return false;
        }
        Policy.Request request = new Policy.Request(servicePrincipal, ASSUME_ROLE, roleArn, keys(conditionKeys, null));
        return role.trust().evaluate(request) == Policy.Outcome.ALLOW;
    }

    /**
     * What the inline policies of {@code roleArn} say about {@code action} (e.g. "kinesis:PutRecord") on
     * {@code resourceArn}, with these condition keys besides the ones IAM adds itself
     * (aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType). A role that does not exist allows nothing.
     */
    @Override
    public Decision decide(String roleArn, String action, String resourceArn, Map<String, String> conditionKeys) {
        CompiledRole role = role(roleArn);
        if (role == null) {
            return Decision.IMPLICITLY_DENIED;
        }
        return Policy.decide(role.policies(), new Policy.Request(null, action, resourceArn, keys(conditionKeys, role.role())));
    }

    /** The role an ARN names, if it exists with exactly this account and path; names match without case. */
    private CompiledRole role(String roleArn) {
        if (roleArn == null) {
            return null;
        }
        String[] parts = roleArn.split(":", 6);
        if (parts.length != 6 || !parts[2].equals("iam") || !parts[5].startsWith("role/")) {
            return null;
        }
        CompiledRole role = iam.compiledRole(roleArn.substring(roleArn.lastIndexOf('/') + 1));
        return role != null && role.role().arn().equalsIgnoreCase(roleArn)
                && role.role().arn().regionMatches(0, roleArn, 0, roleArn.lastIndexOf('/')) ? role : null;
    }

    /** Condition keys, lower-cased (IAM compares key names without case), with the principal's own keys. */
    private Map<String, List<String>> keys(Map<String, String> given, Role principal) {
        Map<String, List<String>> keys = new HashMap<>();
        if (principal != null) {
            keys.put("aws:principalarn", List.of(principal.arn()));
            keys.put("aws:principalaccount", List.of(iam.accountId()));
            keys.put("aws:principaltype", List.of("AssumedRole"));
        }
        if (given != null) {
            given.forEach((k, v) -> keys.put(k.toLowerCase(Locale.ROOT), List.of(v)));
        }
        return keys;
    }
}
