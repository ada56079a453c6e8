package dev.clicklog.portal.web.ui;

import java.util.function.Supplier;

import jakarta.ws.rs.core.Response;

import dev.clicklog.portal.observe.ObserveException;
import dev.clicklog.portal.pipeline.PipelineView;
import io.quarkus.qute.TemplateInstance;

/**
 * What an observe service answered for a page, or why there is nothing to show: the pipeline is
 * not READY (then the service is not asked), or the service refused or failed ({@code failure}, in
 * the service's words). A page shows the problem in place of the data, never an error page, and
 * answers with the status of the problem.
 */
public record Observation<T>(T value, String problem, boolean notReady, ObserveException.Kind failure) {

    public static <T> Observation<T> of(PipelineView p, Supplier<T> read) {
        return of(p.live(), read);
    }

    /** Of a pipeline's S3 objects, which outlive it when it kept its clicks. */
    public static <T> Observation<T> ofObjects(PipelineView p, Supplier<T> read) {
        return of(p.objectsAvailable(), read);
    }

    private static <T> Observation<T> of(boolean observable, Supplier<T> read) {
        if (!observable) {
            return new Observation<>(null, null, true, null);
        }
        try {
            return new Observation<>(read.get(), null, false, null);
        } catch (ObserveException e) {
            return failed(e);
        }
    }

    public static <T> Observation<T> failed(ObserveException e) {
        return new Observation<>(null, e.getMessage(), e.kind() == ObserveException.Kind.NOT_READY, e.kind());
    }

    public boolean ok() {
        return value != null;
    }

    /** Whether the endpoint does not serve what would be shown (the problem says why, and what would help). */
    public boolean unavailable() {
        return failure == ObserveException.Kind.UNAVAILABLE;
    }

    /**
     * The page with the status of what it shows: 200 with data, or for a pipeline that is not READY
     * (a state, not a wrong request); a bad parameter 400, a key outside the pipeline 403, a missing
     * object 404, AWS failing 502. Something the endpoint does not serve is a state of the
     * endpoint, shown with 200 like a pipeline not READY.
     */
    public Response page(TemplateInstance page) {
        int status = failure == null ? 200 : switch (failure) {
            case INVALID_PARAMETER -> 400;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case NOT_READY -> 200;
            case UPSTREAM -> 502;
            case UNAVAILABLE -> 200;
        };
        return Response.status(status).entity(page).build();
    }
}
