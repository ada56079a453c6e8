package dev.clicklog.portal.web.api;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
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
import dev.clicklog.portal.auth.Accounts;
import dev.clicklog.portal.auth.AuthConfig;
import dev.clicklog.portal.auth.Caller;
import dev.clicklog.portal.auth.CurrentCaller;
import dev.clicklog.portal.auth.UserRequest;
import dev.clicklog.portal.auth.UserView;
import io.quarkus.resteasy.reactive.jackson.CustomDeserialization;

/** People: who am I; and, for the administrator, the built-in accounts. */
@Path("/api/users")
@SecurityRequirement(name = ApiSecurity.BEARER)
@SecurityRequirement(name = ApiSecurity.BASIC)
@SecurityRequirement(name = ApiSecurity.SESSION)
@APIResponse(responseCode = "401", description = "No credentials, or credentials that do not hold",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Users", description = "Built-in accounts (the administrator manages them) and the caller itself")
@CustomDeserialization(StrictJson.class)
public class UserResource {

    private final Accounts accounts;
    private final CurrentCaller caller;
    private final AuthConfig config;

    UserResource(Accounts accounts, CurrentCaller caller, AuthConfig config) {
        this.accounts = accounts;
        this.caller = caller;
        this.config = config;
    }

    @GET
    @Path("me")
    @Access(Access.Level.SIGNED_IN)
    @Operation(summary = "Who am I", description = "The caller: a person (built-in or from the identity provider) or an "
            + "access token, whether the administrator, and the role in each team.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = UserView.class)))
    public UserView me() {
        Caller c = caller.get();
        Map<String, String> teams = new TreeMap<>();
        c.teams().forEach((team, role) -> teams.put(team, role.label()));
        String source = config.mode() == AuthConfig.Mode.OIDC ? "oidc" : "builtin";
        return new UserView(c.name(), c.person() ? source : "token", c.kind(), c.admin(), false, teams, null);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Access(Access.Level.ADMIN)
    @Operation(summary = "Create a built-in account", description = "Administrator only. teams maps a team to member "
            + "or viewer; a team that does not exist yet is created.")
    @APIResponse(responseCode = "201", content = @Content(schema = @Schema(implementation = UserView.class)))
    @APIResponse(responseCode = "400", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "409", description = "A user with this name exists",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Response create(UserRequest request) {
        UserView user = accounts.create(StrictJson.required(request), caller.get());
        return Response.created(URI.create("/api/users/" + user.username())).entity(user).build();
    }

    @GET
    @Access(Access.Level.ADMIN)
    @Operation(summary = "List the built-in accounts", description = "Administrator only; never passwords.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(type = SchemaType.ARRAY,
            implementation = UserView.class)))
    public List<UserView> list() {
        return accounts.list();
    }

    @GET
    @Path("{username}")
    @Access(Access.Level.ADMIN)
    @Operation(summary = "Show a built-in account", description = "Administrator only.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = UserView.class)))
    @APIResponse(responseCode = "404", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public UserView get(@PathParam("username") String username) {
        return accounts.view(username);
    }

    @PATCH
    @Path("{username}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Access(Access.Level.ADMIN)
    @Operation(summary = "Change a built-in account", description = "Administrator only: a new password, the "
            + "administrator role, disabled (a disabled account cannot sign in, its sessions end), or its teams "
            + "(replacing all). Only the fields given change.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = UserView.class)))
    @APIResponse(responseCode = "400", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "404", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public UserView update(@PathParam("username") String username, UserRequest request) {
        return accounts.update(username, StrictJson.required(request), caller.get());
    }

    private static UserRequest required(UserRequest request) {
        StrictJson.required(request);
        return request;
    }
}
