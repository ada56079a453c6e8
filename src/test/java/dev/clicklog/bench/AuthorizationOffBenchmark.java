package dev.clicklog.bench;

import java.util.Map;

import org.junit.jupiter.api.Tag;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** {@link AuthorizationBenchmark} on the same build with authorization off. */
@QuarkusTest
@TestProfile(AuthorizationOffBenchmark.Off.class)
@Tag("benchmark")
class AuthorizationOffBenchmark extends AuthorizationBenchmark {

    /** clicklog.auth.mode=none: the portal refuses to start with it outside tests. */
    public static class Off implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("clicklog.auth.mode", "none");
        }
    }

    @Override
    String authorization(String team) {
        return null;
    }

    @Override
    String mode() {
        return "off";
    }
}
