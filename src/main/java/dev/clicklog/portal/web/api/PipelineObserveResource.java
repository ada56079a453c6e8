package dev.clicklog.portal.web.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.clicklog.portal.observe.MetricsService;
import dev.clicklog.portal.observe.MetricsWindow;
import dev.clicklog.portal.observe.ObjectBrowser;
import dev.clicklog.portal.observe.ObjectDownload;
import dev.clicklog.portal.observe.FolderPage;
import dev.clicklog.portal.observe.ObjectPreview;
import dev.clicklog.portal.observe.PipelineMetrics;
import dev.clicklog.portal.observe.QueryParameters;
import dev.clicklog.portal.observe.RecentRecords;
import dev.clicklog.portal.observe.RecordTail;
import dev.clicklog.portal.observe.TestClick;
import dev.clicklog.portal.observe.TestClickResult;

/** Watching a READY pipeline: its metrics, latest records, S3 objects, and a test click. */
@Path("/api/pipelines")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Observe", description = "A READY pipeline's metrics, latest records and S3 objects; test clicks")
@APIResponse(responseCode = "404", description = "No such pipeline",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
@APIResponse(responseCode = "409", description = "The pipeline is not READY (the message says which status it is in)",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
@APIResponse(responseCode = "502", description = "AWS (or the invoke URL) failed to answer; the message has AWS's words",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
public class PipelineObserveResource {

    private final MetricsService metrics;
    private final RecordTail records;
    private final ObjectBrowser objects;
    private final TestClick testClick;

    PipelineObserveResource(MetricsService metrics, RecordTail records, ObjectBrowser objects, TestClick testClick) {
        this.metrics = metrics;
        this.records = records;
        this.objects = objects;
        this.testClick = testClick;
    }

    @GET
    @Path("{name}/metrics")
    @Operation(summary = "A pipeline's metrics",
            description = "From one CloudWatch GetMetricData call: API requests, 4XX, 5XX and latency (API Gateway); "
                    + "incoming records and bytes, iterator age and write throttles (Kinesis); records and bytes "
                    + "delivered to S3, delivery success and data freshness (Firehose). Every period of the window is "
                    + "present, oldest first; a period without a datapoint has v = null, not 0. Periods: 60 s for 15m "
                    + "and 1h, 300 s for 3h, 900 s for 24h. On an endpoint that does not serve CloudWatch metrics the "
                    + "answer is still 200, with available = false, no series, and in unavailable why and which setting "
                    + "would help.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = PipelineMetrics.class)))
    @APIResponse(responseCode = "400", description = "Unknown window",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public PipelineMetrics metrics(@PathParam("name") String name,
            @Parameter(description = "The time range, ending now",
                    schema = @Schema(type = SchemaType.STRING, enumeration = { "15m", "1h", "3h", "24h" },
                            defaultValue = "1h"))
            @QueryParam("window") String window) {
        return metrics.metrics(name, MetricsWindow.parse("window", window));
    }

    @GET
    @Path("{name}/records")
    @Operation(summary = "The latest records of a pipeline's stream",
            description = "Newest first by arrival time, merged across shards, each with its data decoded (JSON, "
                    + "UTF-8 text or base64). Read from near the stream's tip backwards only as far as needed; one "
                    + "read of a stream answers every viewer for a second, so Kinesis' 5 reads per second per shard "
                    + "are respected.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = RecentRecords.class)))
    @APIResponse(responseCode = "400", description = "limit out of range or since malformed",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public RecentRecords records(@PathParam("name") String name,
            @Parameter(description = "How many records, at most", schema = @Schema(type = SchemaType.INTEGER,
                    minimum = "1", maximum = "" + RecordTail.MAX_LIMIT, defaultValue = "" + RecordTail.DEFAULT_LIMIT))
            @QueryParam("limit") String limit,
            @Parameter(description = "Only records that arrived at or after this ISO-8601 date-time",
                    schema = @Schema(type = SchemaType.STRING, format = "date-time"))
            @QueryParam("since") String since) {
        return records.recent(name, QueryParameters.integer("limit", limit, RecordTail.DEFAULT_LIMIT, 1,
                RecordTail.MAX_LIMIT), QueryParameters.instant("since", since));
    }

    @GET
    @Path("{name}/objects")
    @Operation(summary = "A pipeline's S3 objects, folder by folder",
            description = "The folders and objects directly under prefix (relative to the pipeline's prefix), in key "
                    + "order, a page at a time: pass nextContinuationToken back as continuationToken for the next page.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = FolderPage.class)))
    @APIResponse(responseCode = "400", description = "prefix, limit or continuationToken malformed",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public FolderPage objects(@PathParam("name") String name,
            @Parameter(description = "The folder to list, relative to the pipeline's prefix, e.g. year=2025/")
            @QueryParam("prefix") String prefix,
            @Parameter(description = "nextContinuationToken of the previous page")
            @QueryParam("continuationToken") String continuationToken,
            @Parameter(description = "Folders and objects per page", schema = @Schema(type = SchemaType.INTEGER,
                    minimum = "1", maximum = "" + ObjectBrowser.MAX_LIMIT, defaultValue = "" + ObjectBrowser.DEFAULT_LIMIT))
            @QueryParam("limit") String limit) {
        return objects.list(name, prefix, continuationToken, QueryParameters.integer("limit", limit,
                ObjectBrowser.DEFAULT_LIMIT, 1, ObjectBrowser.MAX_LIMIT));
    }

    @GET
    @Path("{name}/objects/preview")
    @Operation(summary = "Preview an S3 object's records",
            description = "The first 256 KB of the object, gunzipped when it is gzip-compressed, split into lines, "
                    + "each decoded; a last line the preview cut short is flagged truncated.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ObjectPreview.class)))
    @APIResponse(responseCode = "400", description = "No key given",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "403", description = "The key is outside the pipeline's prefix or has '..' segments",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public ObjectPreview preview(@PathParam("name") String name,
            @Parameter(description = "The object's full key (as listed)", required = true) @QueryParam("key") String key) {
        return objects.preview(name, key);
    }

    @GET
    @Path("{name}/objects/download-url")
    @Operation(summary = "A download link for an S3 object",
            description = "A presigned GET of the object (valid a few minutes, clicklog.observe.download.link-validity) "
                    + "that works without AWS credentials, against AWS or the local endpoint alike, and the object's "
                    + "s3:// URI. Browsers save what the link answers as a file named after the key.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ObjectDownload.class)))
    @APIResponse(responseCode = "400", description = "No key given",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "403", description = "The key is outside the pipeline's prefix or has '..' segments",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "404", description = "No such pipeline or object",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public ObjectDownload downloadUrl(@PathParam("name") String name,
            @Parameter(description = "The object's full key (as listed)", required = true) @QueryParam("key") String key) {
        return objects.download(name, key);
    }

    @POST
    @Path("{name}/test-click")
    @Operation(summary = "Send a test click",
            description = "PUTs one click ({type: test-click, id, timestamp}) to the pipeline's invoke URL over HTTP, as "
                    + "a page on an allowed origin would (with its Origin header, and the API key when the pipeline "
                    + "requires one), and answers what the gateway answered. A gateway error is answered with 200 "
                    + "and the gateway's status.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = TestClickResult.class)))
    public TestClickResult testClick(@PathParam("name") String name, @Context UriInfo uri) {
        String origin = uri.getBaseUri().getScheme() + "://" + uri.getBaseUri().getAuthority();
        return testClick.send(name, origin);
    }
}
