package dev.clicklog.testing;

import java.lang.reflect.Proxy;

import dev.clicklog.localaws.LocalAwsConfig;

/** localaws configurations for services built on their own in tests. */
public final class LocalAwsConfigs {

    private LocalAwsConfigs() {
    }

    /** A configuration of which a service reads only the account id; anything else it asks for fails the test. */
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
