package dev.clicklog.portal.web.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.clicklog.portal.auth.Access;
import dev.clicklog.portal.observe.EndpointStatus;

/** The AWS endpoint the pipelines are provisioned on, as the portal found it. */
@Path("/api/endpoint")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Endpoint", description = "What the AWS endpoint serves")
public class EndpointResource {

    private final EndpointStatus status;

    EndpointResource(EndpointStatus status) {
        this.status = status;
    }

    @GET
    @Access(Access.Level.SIGNED_IN)
    @Operation(summary = "The AWS endpoint's optional features",
            description = "Which optional features (CORS on the gateway's refusals, stream encryption, metrics) the "
                    + "endpoint serves, as probed at start in aws mode and learned from calls since; for each one it "
                    + "does not serve, its answer and the setting that would help. Pipelines go without a feature "
                    + "the endpoint does not serve, and say so (degraded).")
    public EndpointStatus.View endpoint() {
        return status.view();
    }
}
