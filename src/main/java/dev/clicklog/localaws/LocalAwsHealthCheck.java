package dev.clicklog.localaws;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.quarkus.arc.lookup.LookupIfProperty;

/** Reports the embedded endpoint in /q/health; present only in local mode. */
@Readiness
@ApplicationScoped
@LookupIfProperty(name = "clicklog.aws.mode", stringValue = "local", lookupIfMissing = true)
public class LocalAwsHealthCheck implements HealthCheck {

    private final LocalAwsServer server;

    LocalAwsHealthCheck(LocalAwsServer server) {
        this.server = server;
    }

    @Override
    public HealthCheckResponse call() {
        var builder = HealthCheckResponse.named("localaws").status(server.running());
        if (server.uri() != null) {
            builder.withData("endpoint", server.uri().toString());
        }
        return builder.build();
    }
}
