package dev.clicklog.localaws.spi;

import java.util.Map;

/**
 * IAM's decisions for a service that acts through a role (API Gateway's integration role,
 * Firehose's delivery role), as AWS makes them: may the service assume the role, and do the role's
 * policies allow an action on a resource.
 */
public interface RoleAccess {

    /** What the role's policies say about one request. */
    enum Decision {
        ALLOWED,
        /** No statement allows it (or the role is gone). */
        IMPLICITLY_DENIED,
        /** A Deny statement applies, whatever else allows it. */
        EXPLICITLY_DENIED;

        public boolean allowed() {
            return this == ALLOWED;
        }
    }

    /**
     * True when {@code roleArn} names an existing role of this account (path included) whose trust
     * policy lets {@code servicePrincipal} (e.g. "firehose.amazonaws.com") call sts:AssumeRole with
     * these condition keys (e.g. sts:ExternalId, aws:SourceArn).
     */
    boolean mayAssume(String servicePrincipal, String roleArn, Map<String, String> conditionKeys);

    /**
     * What the policies of {@code roleArn} say about {@code action} (e.g. "kinesis:PutRecord") on
     * {@code resourceArn}, with these condition keys besides the ones IAM adds itself. A role that
     * does not exist allows nothing.
     */
    Decision decide(String roleArn, String action, String resourceArn, Map<String, String> conditionKeys);

    /** The ARN of a session of an assumed role: {@code arn:aws:sts::<account>:assumed-role/<role name>/<session>}. */
    static String sessionArn(String roleArn, String sessionName) {
        String account = roleArn.split(":", 6)[4];
        return "arn:aws:sts::" + account + ":assumed-role/" + roleArn.substring(roleArn.lastIndexOf('/') + 1) + "/"
                + sessionName;
    }

    /** The message of the AccessDeniedException a service answers for a denied request, in AWS's words. */
    static String accessDeniedMessage(String principalArn, String action, String resourceArn, Decision decision) {
        String why = decision == Decision.EXPLICITLY_DENIED ? "with an explicit deny in an identity-based policy"
                : "because no identity-based policy allows the " + action + " action";
        return "User: " + principalArn + " is not authorized to perform: " + action + " on resource: " + resourceArn + " "
                + why;
    }
}
