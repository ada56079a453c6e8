package dev.clicklog.portal.web.api;

import java.net.URI;
import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.clicklog.portal.auth.Access;
import dev.clicklog.portal.auth.CurrentCaller;
import dev.clicklog.portal.auth.TeamView;
import dev.clicklog.portal.auth.Teams;
import io.quarkus.resteasy.reactive.jackson.CustomDeserialization;

/** Teams, which own pipelines. */
@Path("/api/teams")
@SecurityRequirement(name = ApiSecurity.BEARER)
@SecurityRequirement(name = ApiSecurity.BASIC)
@SecurityRequirement(name = ApiSecurity.SESSION)
@APIResponse(responseCode = "401", description = "No credentials, or credentials that do not hold",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Teams", description = "Teams own pipelines; people are members or viewers of teams")
@CustomDeserialization(StrictJson.class)
public class TeamResource {

    /** A new team. */
    @Schema(name = "TeamRequest")
    public record TeamRequest(@Schema(required = true, examples = "growth") String name) {
    }

    private final Teams teams;
    private final CurrentCaller caller;

    TeamResource(Teams teams, CurrentCaller caller) {
        this.teams = teams;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Access(Access.Level.ADMIN)
    @Operation(summary = "Create a team", description = "Administrator only. The name follows the rules of a tag value.")
    @APIResponse(responseCode = "201", content = @Content(schema = @Schema(implementation = TeamView.class)))
    @APIResponse(responseCode = "400", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "409", description = "A team with this name exists",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Response create(TeamRequest request) {
        StrictJson.required(request);
        TeamView team = teams.create(request.name(), caller.get());
        return Response.created(URI.create("/api/teams")).entity(team).build();
    }

    @GET
    @Access(Access.Level.SIGNED_IN)
    @Operation(summary = "List teams", description = "The caller's teams with the caller's role in each; every team for "
            + "the administrator.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(type = SchemaType.ARRAY,
            implementation = TeamView.class)))
    public List<TeamView> list() {
        return teams.visible(caller.get());
    }
}
