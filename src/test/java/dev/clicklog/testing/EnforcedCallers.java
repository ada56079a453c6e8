package dev.clicklog.testing;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** localaws holding its callers to IAM ({@code clicklog.localaws.iam.enforce-callers}); the root's key pair is test/test. */
public class EnforcedCallers implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("clicklog.localaws.iam.enforce-callers", "true");
    }
}
