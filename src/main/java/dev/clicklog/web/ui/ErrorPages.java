package dev.clicklog.web.ui;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.clicklog.pipeline.PipelineNotFoundException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** The pages shown instead of a pipeline's page when it cannot be shown. */
final class ErrorPages {

    @CheckedTemplate
    static class Templates {

        static native TemplateInstance notFound(String message);
    }

    private ErrorPages() {
    }

    static Response notFound(PipelineNotFoundException e) {
        return Response.status(Response.Status.NOT_FOUND).type(MediaType.TEXT_HTML_TYPE)
                .entity(Templates.notFound(e.getMessage()).render()).build();
    }
}
