package dev.clicklog.portal.pipeline;

/** One broken rule of a request: the field (as the request names it) and the rule it breaks. */
public record Violation(String field, String rule) {
}
