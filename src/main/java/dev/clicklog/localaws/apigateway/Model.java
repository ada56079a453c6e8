package dev.clicklog.localaws.apigateway;

/** A JSON Schema (draft 4) describing a payload of one content type. */
public record Model(String id, String name, String description, String schema, String contentType) {
}
