package dev.clicklog.portal.web.ui;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.clicklog.portal.observe.MetricsService;
import dev.clicklog.portal.observe.MetricsWindow;
import dev.clicklog.portal.observe.ObjectBrowser;
import dev.clicklog.portal.observe.ObjectDownload;
import dev.clicklog.portal.observe.FolderPage;
import dev.clicklog.portal.observe.ObjectPreview;
import dev.clicklog.portal.observe.ObserveException;
import dev.clicklog.portal.observe.PipelineMetrics;
import dev.clicklog.portal.observe.QueryParameters;
import dev.clicklog.portal.observe.RecentRecords;
import dev.clicklog.portal.observe.RecordTail;
import dev.clicklog.portal.pipeline.PipelineService;
import dev.clicklog.portal.pipeline.PipelineView;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** Watching a pipeline: its metrics as charts, its latest clicks, the objects Firehose wrote to S3. */
@Path("/pipelines/{name}")
@Produces(MediaType.TEXT_HTML)
public class ObservePages {

    @CheckedTemplate
    static class Templates {

        static native TemplateInstance metrics(PipelineView p, String window, List<String> windows,
                Observation<List<SvgChart.Group>> charts);

        static native TemplateInstance records(PipelineView p, boolean auto, Observation<RecentRecords> records);

        /** The records and the auto-refresh switch: what the switch swaps. */
        static native TemplateInstance records$region(PipelineView p, boolean auto, Observation<RecentRecords> records);

        /** The records alone: what auto-refresh polls. */
        static native TemplateInstance records$list(PipelineView p, boolean auto, Observation<RecentRecords> records);

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

    ObservePages(PipelineService pipelines, MetricsService metrics, RecordTail records, ObjectBrowser objects) {
        this.pipelines = pipelines;
        this.metrics = metrics;
        this.records = records;
        this.objects = objects;
    }

    @GET
    @Path("metrics")
    public Response metrics(@PathParam("name") String name, @RestQuery String window) {
        PipelineView p = pipelines.get(name);
        MetricsWindow w;
        try {
            w = MetricsWindow.parse("window", window);
        } catch (ObserveException e) {
            Observation<List<SvgChart.Group>> refused = Observation.failed(e);
            return refused.page(Templates.metrics(p, MetricsWindow.DEFAULT.label(), WINDOWS, refused));
        }
        Observation<List<SvgChart.Group>> charts = Observation.of(p, () -> {
            PipelineMetrics m = metrics.metrics(name, w);
            if (!m.available()) {
                throw ObserveException.unavailable(m.unavailable());
            }
            return SvgChart.groups(m);
        });
        return charts.page(Templates.metrics(p, w.label(), WINDOWS, charts));
    }

    @GET
    @Path("records")
    public Response records(@PathParam("name") String name, @RestQuery Boolean auto) {
        PipelineView p = pipelines.get(name);
        Observation<RecentRecords> latest = latest(p);
        return latest.page(Templates.records(p, auto == null || auto, latest));
    }

    @GET
    @Path("records/region")
    public Response recordsRegion(@PathParam("name") String name, @RestQuery Boolean auto) {
        PipelineView p = pipelines.get(name);
        Observation<RecentRecords> latest = latest(p);
        return latest.page(Templates.records$region(p, auto == null || auto, latest));
    }

    @GET
    @Path("records/list")
    public Response recordsList(@PathParam("name") String name) {
        PipelineView p = pipelines.get(name);
        Observation<RecentRecords> latest = latest(p);
        return latest.page(Templates.records$list(p, true, latest));
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

    private Observation<RecentRecords> latest(PipelineView p) {
        return Observation.of(p, () -> records.recent(p.name(), RecordTail.DEFAULT_LIMIT, Optional.empty()));
    }

    @ServerExceptionMapper
    Response failed(RuntimeException e, UriInfo uri, HttpHeaders headers, Request request) {
        return ErrorPages.of(e, uri, headers, request);
    }
}
