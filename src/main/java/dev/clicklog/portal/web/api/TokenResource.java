package dev.clicklog.portal.web.api;

import java.net.URI;
import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
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
import dev.clicklog.portal.auth.CurrentCaller;
import dev.clicklog.portal.auth.NoSuchEntity;
import dev.clicklog.portal.auth.TokenRequest;
import dev.clicklog.portal.auth.TokenView;
import dev.clicklog.portal.auth.Tokens;
import io.quarkus.resteasy.reactive.jackson.CustomDeserialization;

/** Access tokens for tooling: made and revoked by people; a token acts for one team, reading or writing. */
@Path("/api/tokens")
@SecurityRequirement(name = ApiSecurity.BEARER)
@SecurityRequirement(name = ApiSecurity.BASIC)
@SecurityRequirement(name = ApiSecurity.SESSION)
@APIResponse(responseCode = "401", description = "No credentials, or credentials that do not hold",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Tokens", description = "Access tokens for tooling: Authorization: Bearer <secret>")
@CustomDeserialization(StrictJson.class)
@Access(Access.Level.PERSON)
public class TokenResource {

    private final Tokens tokens;
    private final CurrentCaller caller;

    TokenResource(Tokens tokens, CurrentCaller caller) {
        this.tokens = tokens;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Make an access token",
            description = "The answer carries the secret, once: only its SHA-256 is kept. A read token needs the team's "
                    + "viewer role, a write token its member role; tokens cannot make tokens.")
    @APIResponse(responseCode = "201", content = @Content(schema = @Schema(implementation = TokenView.class)))
    @APIResponse(responseCode = "400", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "403", description = "Without the role the token would grant",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Response create(TokenRequest request) {
        StrictJson.required(request);
        TokenView token = tokens.create(request, caller.get());
        return Response.created(URI.create("/api/tokens/" + token.id())).entity(token).build();
    }

    @GET
    @Operation(summary = "List access tokens", description = "Of the caller's teams (every team's for the "
            + "administrator), newest first, without secrets.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(type = SchemaType.ARRAY,
            implementation = TokenView.class)))
    public List<TokenView> list() {
        return tokens.list(caller.get());
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Revoke an access token", description = "From now on it is refused. Revoking twice changes "
            + "nothing.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = TokenView.class)))
    @APIResponse(responseCode = "404", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public TokenView revoke(@PathParam("id") String id) {
        long tokenId;
        try {
            tokenId = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new NoSuchEntity("no token " + id);
        }
        return tokens.revoke(tokenId, caller.get());
    }
}
