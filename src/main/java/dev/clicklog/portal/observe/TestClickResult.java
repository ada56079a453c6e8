package dev.clicklog.portal.observe;

import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;

/** What a pipeline's invoke URL answered to one test click, sent as a browser would send it. */
@Schema(description = "The gateway's answer to a test click sent through the pipeline's invoke URL")
public record TestClickResult(
        String invokeUrl,
        @Schema(description = "The Origin header sent, as a browser on that page would") String origin,
        @Schema(implementation = Object.class, description = "The click sent") JsonNode click,
        @Schema(description = "The gateway's HTTP status", examples = "200") int status,
        @Schema(description = "Whether the gateway accepted the click (2xx)") boolean accepted,
        @Schema(description = "The gateway's headers of interest: Content-Type, CORS (access-control-*) and x-amz*")
        Map<String, String> headers,
        @Schema(description = "The gateway's body, decoded") DecodedData body,
        @Schema(description = "Round trip in milliseconds") long durationMillis) {
}
