package dev.clicklog.localaws.sts;

import jakarta.enterprise.context.ApplicationScoped;

import dev.clicklog.localaws.LocalAwsConfig;

/**
 * STS's behaviour: who a caller is. localaws accepts any credentials and keeps no users, so every
 * caller is the local account's root, known by the access key it signed with.
 */
@ApplicationScoped
public class StsService {

    /** GetCallerIdentity's answer. */
    public record CallerIdentity(String userId, String account, String arn) {
    }

    private final String account;

    StsService(LocalAwsConfig config) {
        this.account = config.accountId();
    }

    /** The identity behind an access key; null when the request was not signed. */
    public CallerIdentity callerIdentity(String accessKeyId) {
        return new CallerIdentity(accessKeyId != null ? accessKeyId : "anonymous", account,
                "arn:aws:iam::" + account + ":root");
    }
}
