package dev.clicklog.localaws.spi;

import java.util.List;
import java.util.Map;

/**
 * IAM's decisions about the callers of the endpoint, when callers are held to IAM
 * ({@code clicklog.localaws.iam.enforce-callers}): who owns an access key, and whether that caller's
 * identity policies allow an action on a resource. Signatures are checked through
 * {@link RequestSignatures}; the HTTP side asks both before a service handles a request.
 */
public interface CallerAccess {

    /** Who signed: the principal's ARN, its unique id (the account id for the root) and account. */
    record Caller(String arn, String userId, String account, boolean root) {
    }

    /** Whether callers are held to IAM at all; when not, every caller may do everything. */
    boolean enforced();

    /** The caller an active access key belongs to; null when IAM knows no such key. */
    Caller caller(String accessKeyId);

    /**
     * What the caller's identity policies say about {@code action} (e.g. "kinesis:CreateStream") on
     * {@code resourceArn} ("*" when the action has no resource), with these condition keys besides
     * the ones IAM adds itself (aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType, aws:username).
     * The root is allowed everything.
     */
    RoleAccess.Decision decide(Caller caller, String action, String resourceArn, Map<String, List<String>> conditionKeys);
}
