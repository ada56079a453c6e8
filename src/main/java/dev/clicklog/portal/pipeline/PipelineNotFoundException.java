package dev.clicklog.portal.pipeline;

/** No pipeline has that name. */
public class PipelineNotFoundException extends RuntimeException {

    public PipelineNotFoundException(String name) {
        super("no pipeline named '" + name + "'");
    }
}
