package dev.clicklog.portal.web.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.clicklog.portal.audit.AuditLog;
import dev.clicklog.portal.audit.AuditPage;
import dev.clicklog.portal.auth.Access;
import dev.clicklog.portal.observe.QueryParameters;

/** The audit trail: every change to pipelines, teams, users and tokens, with who made it. */
@Path("/api/audit")
@SecurityRequirement(name = ApiSecurity.BEARER)
@SecurityRequirement(name = ApiSecurity.BASIC)
@SecurityRequirement(name = ApiSecurity.SESSION)
@APIResponse(responseCode = "401", description = "No credentials, or credentials that do not hold",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Audit", description = "Who changed what, when")
public class AuditResource {

    private final AuditLog audit;

    AuditResource(AuditLog audit) {
        this.audit = audit;
    }

    @GET
    @Access(Access.Level.ADMIN)
    @Operation(summary = "Page through the audit trail", description = "Administrator only. Newest first: every "
            + "create, delete and retry of a pipeline, and every change to teams, users and tokens, with its actor "
            + "(a user's or a token's name), time and target. Pass nextBefore back as before for the next page.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = AuditPage.class)))
    public AuditPage page(
            @Parameter(description = "Only this team's changes") @QueryParam("team") String team,
            @Parameter(description = "Entries per page", schema = @Schema(type = SchemaType.INTEGER, minimum = "1",
                    maximum = "" + AuditLog.MAX_LIMIT, defaultValue = "" + AuditLog.DEFAULT_LIMIT))
            @QueryParam("limit") String limit,
            @Parameter(description = "nextBefore of the previous page", schema = @Schema(type = SchemaType.INTEGER))
            @QueryParam("before") String before) {
        return audit.page(PipelineResource.eventId("before", before), team == null || team.isBlank() ? null : team,
                QueryParameters.integer("limit", limit, AuditLog.DEFAULT_LIMIT, 1, AuditLog.MAX_LIMIT));
    }
}
