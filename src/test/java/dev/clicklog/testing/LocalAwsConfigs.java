package dev.clicklog.testing;

import java.lang.reflect.Proxy;

import dev.clicklog.localaws.LocalAwsConfig;

/** localaws configurations for services built by hand in tests. */
public final class LocalAwsConfigs {

    private LocalAwsConfigs() {
    }

    /** A configuration that answers only the account id (what IAM and S3 read); anything else is a test error. */
    public static LocalAwsConfig accountOnly(String accountId) {
        return (LocalAwsConfig) Proxy.newProxyInstance(LocalAwsConfig.class.getClassLoader(),
                new Class<?>[] { LocalAwsConfig.class }, (proxy, method, args) -> {
                    if (method.getName().equals("accountId")) {
                        return accountId;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
