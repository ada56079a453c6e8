package dev.clicklog.bench;

import static io.restassured.RestAssured.given;

import org.junit.jupiter.api.Tag;

import dev.clicklog.testing.Identities;
import io.quarkus.test.junit.QuarkusTest;

/** {@link AuthorizationBenchmark} with a write token of the team, as tooling calls. */
@QuarkusTest
@Tag("benchmark")
class AuthorizationOnBenchmark extends AuthorizationBenchmark {

    @Override
    String authorization(String team) {
        Identities.team(team);
        return "Bearer " + Identities.token(given(), team, "write", 1).secret();
    }

    @Override
    String mode() {
        return "on";
    }
}
