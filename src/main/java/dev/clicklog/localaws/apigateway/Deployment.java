package dev.clicklog.localaws.apigateway;

import dev.clicklog.localaws.apigateway.invoke.DeployedApi;

import java.time.Instant;

/**
 * A frozen copy of an API's resources, methods and integrations, which stages serve: compiled
 * ({@code api}) and as defined ({@code definition}, what the journal keeps to compile it again).
 */
record Deployment(String id, String description, Instant createdDate, DeployedApi api,
        ApiGatewayChange.Definition definition) {
}
