package dev.clicklog.portal.web.api;

import java.util.Optional;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

import dev.clicklog.portal.observe.MetricsService;
import dev.clicklog.portal.observe.MetricsWindow;
import dev.clicklog.portal.observe.ObjectBrowser;
import dev.clicklog.portal.observe.ClickActivity;
import dev.clicklog.portal.observe.ClickActivityService;
import dev.clicklog.portal.observe.ObjectDownload;
import dev.clicklog.portal.observe.FolderPage;
import dev.clicklog.portal.observe.ObjectPreview;
import dev.clicklog.portal.observe.PipelineMetrics;
import dev.clicklog.portal.observe.QueryParameters;
import dev.clicklog.portal.observe.RecentRecords;
import dev.clicklog.portal.observe.RecordFeed;
import dev.clicklog.portal.observe.RecordTail;
import dev.clicklog.portal.observe.StreamRecord;
import dev.clicklog.portal.observe.RefusedLog;
import dev.clicklog.portal.observe.RefusedRequests;
import dev.clicklog.portal.observe.TestClick;
import dev.clicklog.portal.observe.TestClickResult;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;

/** Watching a READY pipeline: its metrics, latest records, refused requests, S3 objects, and a test click. */
@Path("/api/pipelines")
@SecurityRequirement(name = ApiSecurity.BEARER)
@SecurityRequirement(name = ApiSecurity.BASIC)
@SecurityRequirement(name = ApiSecurity.SESSION)
@APIResponse(responseCode = "401", description = "No credentials, or credentials that do not hold",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
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
    private final RefusedLog refused;
    private final RecordFeed feed;
    private final ClickActivityService activity;
    private final EventStreams events;

    PipelineObserveResource(MetricsService metrics, RecordTail records, ObjectBrowser objects, TestClick testClick,
            RefusedLog refused, RecordFeed feed, ClickActivityService activity, EventStreams events) {
        this.activity = activity;
        this.events = events;
        this.metrics = metrics;
        this.records = records;
        this.objects = objects;
        this.testClick = testClick;
        this.refused = refused;
        this.feed = feed;
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
    @APIResponse(responseCode = "400", description = "limit out of range, since or before malformed",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public RecentRecords records(@PathParam("name") String name,
            @Parameter(description = "How many records, at most", schema = @Schema(type = SchemaType.INTEGER,
                    minimum = "1", maximum = "" + RecordTail.MAX_LIMIT, defaultValue = "" + RecordTail.DEFAULT_LIMIT))
            @QueryParam("limit") String limit,
            @Parameter(description = "Only records that arrived at or after this ISO-8601 date-time",
                    schema = @Schema(type = SchemaType.STRING, format = "date-time"))
            @QueryParam("since") String since,
            @Parameter(description = "Only records that arrived before this ISO-8601 date-time: pass the oldest "
                    + "arrivalTime of a page for the page before it", schema = @Schema(type = SchemaType.STRING,
                            format = "date-time"))
            @QueryParam("before") String before) {
        return records.recent(name, QueryParameters.integer("limit", limit, RecordTail.DEFAULT_LIMIT, 1,
                RecordTail.MAX_LIMIT), QueryParameters.instant("since", since), QueryParameters.instant("before", before));
    }

    @GET
    @Path("{name}/records/activity")
    @Operation(summary = "What is arriving, at a glance",
            description = "Clicks per minute over the last 15 minutes (the stream's IncomingRecords metric), and the "
                    + "most common values of a top-level field over the latest 500 clicks: by default the field that is "
                    + "a string in most JSON clicks. fields lists the ones to choose from.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ClickActivity.class)))
    public ClickActivity activity(@PathParam("name") String name,
            @Parameter(description = "The top-level field whose values are counted") @QueryParam("field") String field) {
        return activity.activity(name, Optional.ofNullable(field).filter(f -> !f.isBlank()));
    }

    @GET
    @Path("{name}/records/{shardId}/{sequenceNumber}")
    @Operation(summary = "One record of a pipeline's stream, whole",
            description = "The record with this sequence number in this shard, its data decoded as in /records: what a "
                    + "page that cut a long value short shows in full.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = StreamRecord.class)))
    @APIResponse(responseCode = "400", description = "shardId or sequenceNumber malformed",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public StreamRecord record(@PathParam("name") String name, @PathParam("shardId") String shardId,
            @PathParam("sequenceNumber") String sequenceNumber) {
        return records.one(name, shardId, sequenceNumber);
    }

    @GET
    @Path("{name}/records/feed")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    // A Multi runs on the event loop by default; the pipeline is looked up in the database first.
    @Blocking
    @Operation(summary = "New records of a pipeline's stream, pushed as they arrive",
            description = "Server-Sent Events, one record (as in /records) per event, oldest first. One read of the "
                    + "stream a second serves every follower of the pipeline. With since (the arrivalTime of the "
                    + "newest record the client has), the records that arrived after it come first; a record may then "
                    + "come twice — its shardId and sequenceNumber tell. The stream opens with a comment line and "
                    + "sends one every 15 s while no record comes (clicklog.observe.records.feed-heartbeat), so "
                    + "clients and proxies see it alive. Ends when the pipeline is no longer READY.")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS,
            schema = @Schema(implementation = StreamRecord.class)))
    public Multi<OutboundSseEvent> recordFeed(@PathParam("name") String name,
            @Parameter(description = "Also the records that arrived after this ISO-8601 date-time",
                    schema = @Schema(type = SchemaType.STRING, format = "date-time"))
            @QueryParam("since") String since, @Context Sse sse) {
        return events.of(sse, feed.follow(name, QueryParameters.instant("since", since)));
    }

    @GET
    @Path("{name}/refused")
    @Operation(summary = "The requests a pipeline's gateway refused",
            description = "Newest first: each request the stage answered with a 4xx or 5xx (bad JSON, wrong content "
                    + "type, missing API key, throttled, …) with its status and the gateway's reason, read from the "
                    + "stage's access log group with FilterLogEvents. API Gateway delivers access logs within seconds, "
                    + "so the newest refusal may take that long to appear.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = RefusedRequests.class)))
    @APIResponse(responseCode = "400", description = "limit out of range or since malformed",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public RefusedRequests refused(@PathParam("name") String name,
            @Parameter(description = "How many requests, at most", schema = @Schema(type = SchemaType.INTEGER,
                    minimum = "1", maximum = "" + RefusedLog.MAX_LIMIT, defaultValue = "" + RefusedLog.DEFAULT_LIMIT))
            @QueryParam("limit") String limit,
            @Parameter(description = "Only requests received at or after this ISO-8601 date-time",
                    schema = @Schema(type = SchemaType.STRING, format = "date-time"))
            @QueryParam("since") String since) {
        return refused.recent(name, QueryParameters.integer("limit", limit, RefusedLog.DEFAULT_LIMIT, 1,
                RefusedLog.MAX_LIMIT), QueryParameters.instant("since", since));
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
