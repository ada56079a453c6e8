package dev.clicklog.localaws.sts;

import jakarta.enterprise.context.ApplicationScoped;

import dev.clicklog.localaws.LocalAwsConfig;
import dev.clicklog.localaws.spi.CallerAccess;

/**
 * STS's behaviour: who a caller is. When callers are held to IAM, IAM says who owns the access key
 * (a user, or the account's root); otherwise any credentials are accepted and every caller is the
 * local account's root, known by the access key it signed with.
 */
@ApplicationScoped
public class StsService {

    /** GetCallerIdentity's answer. */
    public record CallerIdentity(String userId, String account, String arn) {
    }

    private final String account;
    private final CallerAccess callers;

    StsService(LocalAwsConfig config, CallerAccess callers) {
        this.account = config.accountId();
        this.callers = callers;
    }

    /** The identity behind an access key ("anonymous" when the request was not signed). */
    public CallerIdentity callerIdentity(String accessKeyId) {
        CallerAccess.Caller caller = callers.enforced() && accessKeyId != null ? callers.caller(accessKeyId) : null;
        if (caller != null && !caller.root()) {
            return new CallerIdentity(caller.userId(), caller.account(), caller.arn());
        }
        return new CallerIdentity(accessKeyId != null ? accessKeyId : "anonymous", account,
                "arn:aws:iam::" + account + ":root");
    }
}
