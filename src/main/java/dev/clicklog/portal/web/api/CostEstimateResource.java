package dev.clicklog.portal.web.api;

import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.clicklog.portal.auth.Access;
import dev.clicklog.portal.pipeline.CostEstimate;
import dev.clicklog.portal.pipeline.InvalidPipelineException;
import dev.clicklog.portal.pipeline.PipelineRequest;
import dev.clicklog.portal.pipeline.PricingService;
import dev.clicklog.portal.pipeline.Violation;
import io.quarkus.resteasy.reactive.jackson.CustomDeserialization;

/** What a pipeline that does not exist yet would cost: the new-pipeline form's estimate, for tools too. */
@Path("/api/cost-estimates")
@SecurityRequirement(name = ApiSecurity.BEARER)
@SecurityRequirement(name = ApiSecurity.BASIC)
@SecurityRequirement(name = ApiSecurity.SESSION)
@APIResponse(responseCode = "401", description = "No credentials, or credentials that do not hold",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Pipelines")
@CustomDeserialization(StrictJson.class)
public class CostEstimateResource {

    private final PricingService pricing;

    CostEstimateResource(PricingService pricing) {
        this.pricing = pricing;
    }

    @POST
    @Access(Access.Level.SIGNED_IN)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Estimate what a pipeline would cost a month",
            description = "The body is a pipeline request (name and team may be left out) with expectedClicksPerSecond, "
                    + "and optionally clickBytes, the average size of a click (default 500). Checked by the same rules as a "
                    + "request; priced with AWS's list prices for the portal's region.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = CostEstimate.class)))
    @APIResponse(responseCode = "400", description = "Invalid input: each bad field and its rule",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public CostEstimate estimate(@RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = PipelineRequest.class))) JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new InvalidPipelineException(List.of(new Violation("(body)", "must be a JSON object")));
        }
        ObjectNode request = ((ObjectNode) body).deepCopy();
        JsonNode bytes = request.remove("clickBytes");
        Integer clickBytes = null;
        if (bytes != null && !bytes.isNull()) {
            if (!bytes.isIntegralNumber() || !bytes.canConvertToInt()) {
                throw new InvalidPipelineException(List.of(new Violation("clickBytes", "must be a whole number")));
            }
            clickBytes = bytes.intValue();
        }
        PipelineRequestJson.Read read = PipelineRequestJson.read(request);
        return pricing.estimate(read.request(), read.violations(), clickBytes);
    }
}
