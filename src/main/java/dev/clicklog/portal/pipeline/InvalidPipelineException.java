package dev.clicklog.portal.pipeline;

import java.util.List;

/** A pipeline request that breaks one or more rules; nothing was created. */
public class InvalidPipelineException extends RuntimeException {

    private final List<Violation> violations;

    public InvalidPipelineException(List<Violation> violations) {
        super(violations.size() == 1 ? "1 field is invalid" : violations.size() + " fields are invalid");
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }
}
