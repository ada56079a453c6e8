package dev.clicklog.portal.pipeline;

/** A request that names the version it was based on (If-Match), which is not the pipeline's any more. */
public class PreconditionFailedException extends RuntimeException {

    public PreconditionFailedException(String message) {
        super(message);
    }
}
