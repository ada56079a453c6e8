package dev.clicklog.portal.web.ui;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.clicklog.portal.observe.ClickActivity;
import dev.clicklog.portal.observe.ClickActivityService;
import dev.clicklog.portal.observe.MetricsService;
import dev.clicklog.portal.observe.MetricsWindow;
import dev.clicklog.portal.observe.ObjectBrowser;
import dev.clicklog.portal.observe.ObjectDownload;
import dev.clicklog.portal.observe.FolderPage;
import dev.clicklog.portal.observe.ObjectPreview;
import dev.clicklog.portal.observe.ObserveException;
import dev.clicklog.portal.observe.PipelineMetrics;
import dev.clicklog.portal.observe.QueryParameters;
import dev.clicklog.portal.observe.ClickPages;
import dev.clicklog.portal.observe.ClickPages.ClickPage;
import dev.clicklog.portal.observe.RecordFeed;
import dev.clicklog.portal.observe.RecordFilter;
import dev.clicklog.portal.observe.RecordTail;
import dev.clicklog.portal.observe.RefusedLog;
import dev.clicklog.portal.observe.RefusedRequests;
import dev.clicklog.portal.observe.StreamRecord;
import dev.clicklog.portal.pipeline.PipelineService;
import dev.clicklog.portal.pipeline.PipelineView;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;

/** Watching a pipeline: its metrics as charts, its clicks as a live table, the objects Firehose wrote to S3. */
@Path("/pipelines/{name}")
@Produces(MediaType.TEXT_HTML)
public class ObservePages {

    @CheckedTemplate
    static class Templates {

        static native TemplateInstance metrics(PipelineView p, String window, String period, List<String> windows,
                Observation<List<SvgChart.Group>> charts);

        static native TemplateInstance records(PipelineView p, String filter, String before,
                Observation<ClickPage> clicks);

        /** One click as a row of the Records table: what the page's live stream pushes. */
        static native TemplateInstance click(String name, StreamRecord r);

        static native TemplateInstance whole(Observation<StreamRecord> record);

        static native TemplateInstance activity(PipelineView p, String field, Observation<ClickActivity> activity,
                ActivityBars bars);

        static native TemplateInstance refused(PipelineView p, Observation<RefusedRequests> refused);

        /** Rows of refused requests: what the page polls for, to add the ones it does not show yet. */
        static native TemplateInstance refused$rows(PipelineView p, Observation<RefusedRequests> refused);

        static native TemplateInstance objects(PipelineView p, String prefix, String token, String limit,
                List<Folders.Crumb> crumbs, Observation<FolderPage> listing);

        static native TemplateInstance preview(PipelineView p, String key, List<Folders.Crumb> crumbs,
                Observation<ObjectPreview> preview);
    }

    private static final List<String> WINDOWS = Arrays.stream(MetricsWindow.values()).map(MetricsWindow::label).toList();

    private final PipelineService pipelines;
    private final MetricsService metrics;
    private final RecordTail records;
    private final ObjectBrowser objects;
    private final RefusedLog refused;
    private final ClickActivityService activity;
    private final ClickPages clickPages;
    private final RecordFeed feed;

    ObservePages(PipelineService pipelines, MetricsService metrics, RecordTail records, ObjectBrowser objects,
            RefusedLog refused, ClickActivityService activity, ClickPages clickPages, RecordFeed feed) {
        this.activity = activity;
        this.clickPages = clickPages;
        this.feed = feed;
        this.pipelines = pipelines;
        this.metrics = metrics;
        this.records = records;
        this.objects = objects;
        this.refused = refused;
    }

    @GET
    @Path("metrics")
    public Response metrics(@PathParam("name") String name, @RestQuery String window) {
        PipelineView p = pipelines.get(name);
        MetricsWindow w;
        try {
            // The page opens on its first window button; the API's default stays its own.
            w = window == null || window.isEmpty() ? MetricsWindow.values()[0] : MetricsWindow.parse("window", window);
        } catch (ObserveException e) {
            Observation<List<SvgChart.Group>> refused = Observation.failed(e);
            return refused.page(Templates.metrics(p, MetricsWindow.DEFAULT.label(), period(MetricsWindow.DEFAULT),
                    WINDOWS, refused));
        }
        Observation<List<SvgChart.Group>> charts = Observation.of(p, () -> {
            PipelineMetrics m = metrics.metrics(name, w);
            if (!m.available()) {
                throw ObserveException.unavailable(m.unavailable());
            }
            return SvgChart.groups(m);
        });
        return charts.page(Templates.metrics(p, w.label(), period(w), WINDOWS, charts));
    }

    /** "1 minute", "5 minutes". */
    private static String period(MetricsWindow w) {
        long minutes = w.period().toMinutes();
        return minutes == 1 ? "1 minute" : minutes + " minutes";
    }

    /**
     * The clicks as a table, newest first: those passing {@code filter}, the newest (then followed
     * live by {@link #stream}) or, with {@code before}, a page back in time.
     */
    @GET
    @Path("records")
    public Response records(@PathParam("name") String name, @RestQuery String filter, @RestQuery String before) {
        PipelineView p = pipelines.get(name);
        String typed = filter == null ? "" : filter;
        String back = before == null ? "" : before;
        Observation<ClickPage> clicks = Observation.of(p, () -> clickPages.page(name, RecordFilter.parse("filter", typed),
                QueryParameters.instant("before", back)));
        return clicks.page(Templates.records(p, typed.strip(), back, clicks));
    }

    /**
     * New clicks passing {@code filter} as Server-Sent Events: first a "ready" event at once (the
     * page knows it is connected), then each click as a "click" event whose data is its table row,
     * rendered and escaped like the page, its id the click's arrival time; a reconnecting browser
     * sends that back as Last-Event-ID and gets what arrived since. An "end" event says the pipeline
     * is not READY any more. One read of the stream serves every viewer ({@link RecordFeed}).
     */
    @GET
    @Path("records/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    // The pipeline is looked up in the database first; a Multi would run on the event loop.
    @Blocking
    public Multi<OutboundSseEvent> stream(@PathParam("name") String name, @RestQuery String filter,
            @RestQuery String since, @RestHeader("Last-Event-ID") String lastEventId, @Context Sse sse) {
        pipelines.get(name);
        RecordFilter passes = RecordFilter.parse("filter", filter);
        Optional<Instant> from = lastEventId == null || lastEventId.isBlank()
                ? QueryParameters.instant("since", since)
                : QueryParameters.instant("Last-Event-ID", lastEventId);
        Multi<OutboundSseEvent> clicks = feed.follow(name, from)
                .select().where(passes)
                .map(r -> sse.newEventBuilder().name("click").id(r.arrivalTime().toString())
                        .data(Templates.click(name, r).render()).build());
        return Multi.createBy().concatenating().streams(
                Multi.createFrom().item(() -> sse.newEventBuilder().name("ready").data("live").build()),
                clicks.onFailure(ObserveException.class).recoverWithItem(e -> sse.newEventBuilder().name("end")
                        .data(e.getMessage()).build()));
    }

    /** One record whole, in place of the list's cut one ("Show all"). */
    @GET
    @Path("records/whole")
    public Response whole(@PathParam("name") String name, @RestQuery String shard, @RestQuery String sequence) {
        PipelineView p = pipelines.get(name);
        Observation<StreamRecord> record = Observation.of(p, () -> records.one(name, shard, sequence));
        return record.page(Templates.whole(record));
    }

    /** What is arriving at a glance: the part of the Records page that follows itself every 10 s. */
    @GET
    @Path("records/activity")
    public Response activity(@PathParam("name") String name, @RestQuery String field) {
        PipelineView p = pipelines.get(name);
        Optional<String> chosen = Optional.ofNullable(field).filter(f -> !f.isBlank());
        Observation<ClickActivity> now = Observation.of(p, () -> activity.activity(name, chosen));
        ActivityBars bars = now.ok() && now.value().perMinute() != null ? ActivityBars.of(now.value().perMinute()) : null;
        // A part of the page: a problem is shown in its place, with the page's status (200).
        return Response.ok(Templates.activity(p, chosen.orElse(""), now, bars)).build();
    }

    @GET
    @Path("refused")
    public Response refused(@PathParam("name") String name) {
        PipelineView p = pipelines.get(name);
        Observation<RefusedRequests> latest = Observation.of(p, () -> refused.recent(name, RefusedLog.DEFAULT_LIMIT,
                Optional.empty()));
        return latest.page(Templates.refused(p, latest));
    }

    /**
     * The refused requests received at or after {@code since}, as table rows: the page asks for those
     * since a little before the newest it shows (access logs may arrive out of order) and adds the
     * rows it does not have.
     */
    @GET
    @Path("refused/rows")
    public Response refusedRows(@PathParam("name") String name, @RestQuery String since) {
        PipelineView p = pipelines.get(name);
        Observation<RefusedRequests> newer = Observation.of(p, () -> refused.recent(name, RefusedLog.DEFAULT_LIMIT,
                QueryParameters.instant("since", since)));
        return newer.page(Templates.refused$rows(p, newer));
    }

    /** A page of a folder: {@code limit} entries (100 by default), then a link to the next page. */
    @GET
    @Path("objects")
    public Response objects(@PathParam("name") String name, @RestQuery String prefix,
            @RestQuery String continuationToken, @RestQuery String limit) {
        PipelineView p = pipelines.get(name);
        String folder = prefix == null ? "" : prefix;
        String token = continuationToken == null || continuationToken.isEmpty() ? null : continuationToken;
        String size = limit == null || limit.isBlank() ? null : limit;
        Observation<FolderPage> listing = Observation.ofObjects(p, () -> objects.list(name, folder, token,
                QueryParameters.integer("limit", size, ObjectBrowser.DEFAULT_LIMIT, 1, ObjectBrowser.MAX_LIMIT)));
        return listing.page(Templates.objects(p, folder, token, size, Folders.crumbs(folder), listing));
    }

    @GET
    @Path("objects/preview")
    public Response preview(@PathParam("name") String name, @RestQuery String key) {
        PipelineView p = pipelines.get(name);
        return previewPage(p, key, Observation.ofObjects(p, () -> objects.preview(name, key)));
    }

    /** The preview page of {@code key}, with the folders above it as breadcrumbs. */
    private static Response previewPage(PipelineView p, String key, Observation<ObjectPreview> preview) {
        String root = Optional.ofNullable(p.resources().prefix()).orElse("");
        String relative = key != null && key.startsWith(root) ? key.substring(root.length()) : "";
        return preview.page(Templates.preview(p, key == null ? "" : key, Folders.crumbs(Folders.parent(relative)),
                preview));
    }

    /**
     * Download: a fresh presigned link on every click (a page left open longer than a link lives
     * still downloads), followed at once; a refused or failed link shows on the preview page.
     */
    @GET
    @Path("objects/download")
    public Response download(@PathParam("name") String name, @RestQuery String key) {
        PipelineView p = pipelines.get(name);
        Observation<ObjectDownload> link = Observation.ofObjects(p, () -> objects.download(name, key));
        if (link.ok()) {
            return Response.seeOther(link.value().url()).build();
        }
        return previewPage(p, key, new Observation<>(null, link.problem(), link.notReady(), link.failure()));
    }

    @ServerExceptionMapper
    Response failed(RuntimeException e, UriInfo uri, HttpHeaders headers, Request request) {
        // Only the live stream lets an observation fail out of it: before any event, in plain words.
        if (e instanceof ObserveException refused && refused.kind() == ObserveException.Kind.INVALID_PARAMETER) {
            return Response.status(Response.Status.BAD_REQUEST).type(MediaType.TEXT_PLAIN_TYPE)
                    .entity(refused.getMessage()).build();
        }
        if (e instanceof ObserveException refused && refused.kind() == ObserveException.Kind.NOT_READY) {
            return Response.status(Response.Status.CONFLICT).type(MediaType.TEXT_PLAIN_TYPE)
                    .entity(refused.getMessage()).build();
        }
        return ErrorPages.of(e, uri, headers, request);
    }
}
