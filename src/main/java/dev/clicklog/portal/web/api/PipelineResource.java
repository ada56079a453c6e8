package dev.clicklog.portal.web.api;

import java.net.URI;
import java.util.List;
import java.util.Optional;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.clicklog.portal.auth.Access;
import dev.clicklog.portal.auth.AccessRules;
import dev.clicklog.portal.auth.CurrentCaller;
import dev.clicklog.portal.auth.NoSuchEntity;
import dev.clicklog.portal.observe.QueryParameters;
import dev.clicklog.portal.pipeline.CostEstimate;
import dev.clicklog.portal.pipeline.EventPage;
import dev.clicklog.portal.pipeline.InvalidPipelineException;
import dev.clicklog.portal.pipeline.PipelineRequest;
import dev.clicklog.portal.pipeline.PipelineService;
import dev.clicklog.portal.pipeline.PipelineView;
import dev.clicklog.portal.pipeline.PricingService;
import dev.clicklog.portal.pipeline.Violation;
import io.quarkus.resteasy.reactive.jackson.CustomDeserialization;

/**
 * Self-service pipelines over HTTP: request, list, show, change (JSON merge patch), delete (keeping
 * or purging the clicks), retry. A pipeline's answers carry its ETag; If-Match makes a change or a
 * delete conditional on it.
 */
@Path("/api/pipelines")
@SecurityRequirement(name = ApiSecurity.BEARER)
@SecurityRequirement(name = ApiSecurity.BASIC)
@SecurityRequirement(name = ApiSecurity.SESSION)
@APIResponse(responseCode = "401", description = "No credentials, or credentials that do not hold",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Pipelines", description = "Click-log pipelines: API Gateway → Kinesis → Firehose → S3")
@CustomDeserialization(StrictJson.class)
public class PipelineResource {

    static final String MERGE_PATCH = "application/merge-patch+json";

    private final PipelineService pipelines;
    private final PricingService pricing;
    private final AccessRules rules;
    private final CurrentCaller caller;

    PipelineResource(PipelineService pipelines, PricingService pricing, AccessRules rules, CurrentCaller caller) {
        this.pipelines = pipelines;
        this.pricing = pricing;
        this.rules = rules;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Access(Access.Level.SIGNED_IN)
    @Operation(summary = "Request a pipeline",
            description = "Records the pipeline (PROVISIONING); the AWS resources are then created in the background. "
                    + "Everything but name and team has a default. Poll the pipeline until READY or FAILED. Needs the "
                    + "member role in the team (a write token of the team); the administrator may name a new team, "
                    + "which is created with the pipeline.")
    @APIResponse(responseCode = "201", description = "Requested; Location names the pipeline",
            content = @Content(schema = @Schema(implementation = PipelineView.class)))
    @APIResponse(responseCode = "400", description = "Invalid input: each bad field and its rule",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "403", description = "Not a member of the team",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "409", description = "A pipeline with this name exists",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Response create(@RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = PipelineRequest.class))) JsonNode body) {
        if (body == null || body.isMissingNode()) {
            throw new InvalidPipelineException(List.of(new Violation("(body)", "is required: a JSON object")));
        }
        if (!body.isObject()) {
            throw new InvalidPipelineException(List.of(new Violation("(body)", "must be a JSON object")));
        }
        PipelineRequestJson.Read read = PipelineRequestJson.read(body);
        rules.checkCreate(caller.get(), read.request().team());
        PipelineView view = pipelines.create(read.request(), read.violations(), caller.actor());
        URI location = UriBuilder.fromResource(PipelineResource.class).path(view.name()).build();
        return Response.created(location).entity(view).header(HttpHeaders.ETAG, view.etag()).build();
    }

    @GET
    @Access(Access.Level.SIGNED_IN)
    @Operation(summary = "List pipelines", description = "By name, of the caller's teams (every team's for the "
            + "administrator); DELETED pipelines only when includeDeleted is true. API keys are never listed.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(type = SchemaType.ARRAY,
            implementation = PipelineView.class)))
    public List<PipelineView> list(
            @Parameter(description = "Only this team's pipelines") @QueryParam("team") String team,
            @Parameter(description = "Also list DELETED pipelines") @QueryParam("includeDeleted") @DefaultValue("false")
            boolean includeDeleted) {
        return pipelines.list(Optional.ofNullable(team).filter(t -> !t.isBlank()), includeDeleted, caller.scope());
    }

    @GET
    @Path("{name}")
    @Operation(summary = "Show a pipeline",
            description = "Its spec, status, invoke URL, resources, steps and history. A name whose pipeline was "
                    + "deleted shows the deleted pipeline until the name is used again.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = PipelineView.class)))
    @APIResponse(responseCode = "404", description = "No such pipeline",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Response get(@PathParam("name") String name) {
        return withEtag(Response.ok(), pipelines.get(name));
    }

    @GET
    @Path("{name}/cost")
    @Operation(summary = "What a pipeline costs a month",
            description = "An estimate from AWS's list prices for the portal's region (each line names its price's source): "
                    + "at the click rate its stream measured over the last 24 hours, or else at the rate its team expects "
                    + "(expectedClicksPerSecond); basis says which.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = CostEstimate.class)))
    @APIResponse(responseCode = "404", description = "No such pipeline",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public CostEstimate cost(@PathParam("name") String name) {
        return pricing.estimate(pipelines.get(name));
    }

    @PATCH
    @Path("{name}")
    @Consumes({ MERGE_PATCH, MediaType.APPLICATION_JSON })
    @Operation(summary = "Change a pipeline",
            description = "A JSON merge patch (RFC 7396) of the pipeline's request: each member given replaces the "
                    + "field, null resets it to its default. Changeable: description, shards, onDemand, retentionHours, "
                    + "bufferSizeMb, bufferIntervalSeconds, compression, allowedOrigins, apiKeyRequired, stageRateLimit, "
                    + "stageBurstLimit, expectedClicksPerSecond; name, team and s3Prefix cannot change. The change is "
                    + "recorded as the next generation (the history shows each field: old → new) and applied in the "
                    + "background: UPDATING, then READY (or FAILED with AWS's error, the resources left working). "
                    + "Send the ETag you based the change on as If-Match so that no one else's change is overwritten.")
    @APIResponse(responseCode = "200", description = "Changed (or nothing to change); ETag is the new version",
            content = @Content(schema = @Schema(implementation = PipelineView.class)))
    @APIResponse(responseCode = "400", description = "Invalid input, or a field that cannot change: each field and its rule",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "404", description = "No such pipeline",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "409", description = "The pipeline is being deleted or is DELETED",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "412", description = "If-Match is not the pipeline's current ETag",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Response change(@PathParam("name") String name,
            @Parameter(description = "The ETag the change is based on") @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @RequestBody(required = true, content = @Content(mediaType = MERGE_PATCH,
                    schema = @Schema(implementation = PipelineRequest.class))) JsonNode body) {
        if (body == null || body.isMissingNode() || !body.isObject()) {
            throw new InvalidPipelineException(List.of(new Violation("(body)",
                    "must be a JSON object: the fields to change, null for their default")));
        }
        PipelineView view = pipelines.change(name, new MergePatch((ObjectNode) body), present(ifMatch), caller.actor());
        return withEtag(Response.ok(), view);
    }

    @GET
    @Path("{name}/events")
    @Operation(summary = "A pipeline's history, a page at a time",
            description = "Newest first. A pipeline's view carries only its newest events (and how many there are); "
                    + "this pages through all that are kept: pass nextBefore back as before for the next page.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = EventPage.class)))
    @APIResponse(responseCode = "400", description = "limit out of range or before malformed",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "404", description = "No such pipeline",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public EventPage events(@PathParam("name") String name,
            @Parameter(description = "Events per page", schema = @Schema(type = SchemaType.INTEGER, minimum = "1",
                    maximum = "" + EventPage.MAX_LIMIT, defaultValue = "" + EventPage.DEFAULT_LIMIT))
            @QueryParam("limit") String limit,
            @Parameter(description = "nextBefore of the previous page", schema = @Schema(type = SchemaType.INTEGER))
            @QueryParam("before") String before) {
        return pipelines.events(name, eventId("before", before),
                QueryParameters.integer("limit", limit, EventPage.DEFAULT_LIMIT, 1, EventPage.MAX_LIMIT));
    }

    @DELETE
    @Path("{name}")
    @Operation(summary = "Delete a pipeline",
            description = "Tears the pipeline down in the background (DELETING, then DELETED): the ingest API closes "
                    + "first, Firehose delivers what it holds, then the delivery stream, the stream and the roles go. "
                    + "The bucket (or the pipeline's prefix of a shared bucket) and every click in it are kept, and the "
                    + "pipeline's objects stay browsable, unless purge=true: then the objects its delivery stream wrote "
                    + "are deleted too (and its own bucket, once empty). purge=true also purges the clicks a DELETED "
                    + "pipeline kept. Deleting a pipeline already DELETING or DELETED changes nothing else.")
    @APIResponse(responseCode = "202", description = "Teardown (or purge) requested",
            content = @Content(schema = @Schema(implementation = PipelineView.class)))
    @APIResponse(responseCode = "404", description = "No such pipeline",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "409", description = "The clicks to purge were adopted by a newer pipeline of the name",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "412", description = "If-Match is not the pipeline's current ETag",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Response delete(@PathParam("name") String name,
            @Parameter(description = "Delete the clicks too") @QueryParam("purge") @DefaultValue("false") boolean purge,
            @Parameter(description = "The ETag the delete is based on") @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        return withEtag(Response.accepted(), pipelines.delete(name, purge, present(ifMatch), caller.actor()));
    }

    @POST
    @Path("{name}/retry")
    @Operation(summary = "Retry a FAILED pipeline",
            description = "Gives the failed step a fresh attempt budget and continues provisioning (or teardown).")
    @APIResponse(responseCode = "202", description = "Retrying",
            content = @Content(schema = @Schema(implementation = PipelineView.class)))
    @APIResponse(responseCode = "404", description = "No such pipeline",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "409", description = "The pipeline is not FAILED",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Response retry(@PathParam("name") String name) {
        return Response.accepted(pipelines.retry(name, caller.actor())).build();
    }

    @GET
    @Path("{name}/api-key")
    @Access(Access.Level.PIPELINE_CHANGE)
    @Operation(summary = "A pipeline's API key",
            description = "The x-api-key value clients must send when the pipeline requires a key. Shown only to the "
                    + "members of the pipeline's team (and write tokens of it), only here: never in a pipeline's view "
                    + "or a list.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ApiKey.class)))
    @APIResponse(responseCode = "403", description = "A viewer of the team, or a read token",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "404", description = "No such pipeline, or it has no API key (yet)",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public ApiKey apiKey(@PathParam("name") String name) {
        String key = pipelines.apiKey(name).orElseThrow(() -> new NoSuchEntity(
                "pipeline '" + name + "' has no API key: it requires none, or it is not created yet"));
        return new ApiKey(name, key);
    }

    /** A pipeline's API key, shown on request to its team's members. */
    @Schema(name = "ApiKey")
    public record ApiKey(String pipeline, @Schema(description = "Send as the x-api-key header") String apiKey) {
    }

    private static Response withEtag(Response.ResponseBuilder response, PipelineView view) {
        return response.entity(view).header(HttpHeaders.ETAG, view.etag()).build();
    }

    private static Optional<String> present(String header) {
        return Optional.ofNullable(header).filter(h -> !h.isBlank());
    }

    /** An event id as a page cursor (of a history, of the audit trail); null when absent. */
    static Long eventId(String parameter, String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            long id = Long.parseLong(raw.strip());
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new InvalidPipelineException(List.of(new Violation(parameter,
                "must be an event id, as nextBefore of the previous page")));
    }
}
