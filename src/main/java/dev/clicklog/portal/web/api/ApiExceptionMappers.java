package dev.clicklog.portal.web.api;

import java.util.Collection;
import java.util.List;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import dev.clicklog.portal.auth.NoSuchEntity;
import dev.clicklog.portal.observe.ObserveException;
import dev.clicklog.portal.pipeline.InvalidPipelineException;
import dev.clicklog.portal.pipeline.PipelineConflictException;
import dev.clicklog.portal.pipeline.PipelineNotFoundException;
import dev.clicklog.portal.pipeline.PreconditionFailedException;
import dev.clicklog.portal.pipeline.Violation;

/**
 * Turns every failure of an {@code /api} request into the one error body ({@link ApiError}):
 * invalid input → 400 naming each field, unknown pipeline → 404, conflicts → 409, a stale If-Match
 * → 412, a pipeline
 * that cannot be observed as asked → its status, anything unexpected → 500 without internals. Pages outside {@code /api} keep their own error handling.
 */
public class ApiExceptionMappers {

    private static final Logger LOG = Logger.getLogger(ApiExceptionMappers.class);

    @ServerExceptionMapper
    public Response invalid(InvalidPipelineException e) {
        return ApiError.response(400, e.getMessage(), e.violations());
    }

    @ServerExceptionMapper
    public Response notFound(PipelineNotFoundException e) {
        return ApiError.response(Response.Status.NOT_FOUND, e.getMessage());
    }

    /** A user, team, token or API key that does not exist (or the caller may not know of). */
    @ServerExceptionMapper
    public Response noSuchEntity(NoSuchEntity e) {
        return ApiError.response(Response.Status.NOT_FOUND, e.getMessage());
    }

    @ServerExceptionMapper
    public Response conflict(PipelineConflictException e) {
        return ApiError.response(Response.Status.CONFLICT, e.getMessage());
    }

    /** If-Match names a version the pipeline has left: 412, so the client fetches it again. */
    @ServerExceptionMapper
    public Response stale(PreconditionFailedException e) {
        return ApiError.response(Response.Status.PRECONDITION_FAILED, e.getMessage());
    }

    /**
     * A pipeline that cannot be observed as asked: bad parameter 400, not READY 409, 403, 404, AWS
     * failing 502, something the endpoint does not serve 501 (what it would take is in the message).
     */
    @ServerExceptionMapper
    public Response observe(ObserveException e) {
        return switch (e.kind()) {
            case INVALID_PARAMETER -> ApiError.response(400, e.getMessage(),
                    List.of(new Violation(e.parameter().orElseThrow(), e.rule().orElseThrow())));
            case NOT_READY -> ApiError.response(Response.Status.CONFLICT, e.getMessage());
            case FORBIDDEN -> ApiError.response(Response.Status.FORBIDDEN, e.getMessage());
            case NOT_FOUND -> ApiError.response(Response.Status.NOT_FOUND, e.getMessage());
            case UPSTREAM -> {
                LOG.warnf("%s", e.getMessage());
                yield ApiError.response(Response.Status.BAD_GATEWAY, e.getMessage());
            }
            case UNAVAILABLE -> ApiError.response(Response.Status.NOT_IMPLEMENTED, e.getMessage());
        };
    }

    /** JSON of the wrong shape (the framework's own mapper for these would answer in another format). */
    @ServerExceptionMapper
    public Response badShape(MismatchedInputException e) {
        return badJson(e);
    }

    /** A body that is not JSON, or JSON of the wrong shape: 400 naming the field where possible. */
    @ServerExceptionMapper
    public Response badJson(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            return invalidField(field(u), "is not a known field");
        }
        if (e instanceof InvalidFormatException || e instanceof MismatchedInputException) {
            JsonMappingException m = (JsonMappingException) e;
            if (!m.getPath().isEmpty()) {
                return invalidField(field(m), "must be " + expected(((MismatchedInputException) e).getTargetType()));
            }
            return ApiError.response(400, "the request body must be a JSON object", null);
        }
        return ApiError.response(400, "the request body is not valid JSON: " + e.getOriginalMessage(), null);
    }

    /** The framework's own answers (unknown path, wrong method or media type): their status, our body. */
    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        if (e.getCause() instanceof JsonProcessingException json && api(uri)) {
            return badJson(json);
        }
        Response r = e.getResponse();
        if (!api(uri)) {
            return r;
        }
        String message = r.getStatus() == 404 ? "no such resource: " + uri.getPath()
                : r.getStatusInfo().getReasonPhrase();
        return ApiError.response(r.getStatus(), message, null);
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e, UriInfo uri) {
        LOG.errorf(e, "%s failed", uri.getPath());
        if (!api(uri)) {
            return Response.serverError().build();
        }
        return ApiError.response(Response.Status.INTERNAL_SERVER_ERROR, "the request failed; the server log says why");
    }

    private static boolean api(UriInfo uri) {
        return uri.getPath().startsWith("/api/") || uri.getPath().equals("/api");
    }

    private static Response invalidField(String field, String rule) {
        return ApiError.response(400, "1 field is invalid", List.of(new Violation(field, rule)));
    }

    /** The JSON path of the error, as the request names it: {@code shards}, {@code allowedOrigins[2]}. */
    private static String field(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "(body)" : path.toString();
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "a " + type.getSimpleName();
    }
}
