package dev.clicklog.localaws.apigateway.invoke;

import dev.clicklog.localaws.apigateway.Model;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.resource.DisallowSchemaLoader;

import dev.clicklog.localaws.protocol.AwsServiceException;
import dev.clicklog.localaws.protocol.JsonProtocol;

/**
 * Models are JSON Schema draft 4. They are checked against the draft-4 meta-schema when created and
 * compiled once per deployment; a model may {@code $ref} another model of its API by its API Gateway
 * URL, and nothing is ever fetched from the network.
 */
public final class ModelSchemas {

    private static final JsonSchema META_SCHEMA = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4)
            .getSchema(SchemaLocation.of("http://json-schema.org/draft-04/schema#"));

    private ModelSchemas() {
    }

    /** The URL by which models reference each other, as API Gateway defines it. */
    static String modelUrl(String apiId, String modelName) {
        return "https://apigateway.amazonaws.com/restapis/" + apiId + "/models/" + modelName;
    }

    /** Rejects a schema API Gateway would reject: not JSON, empty, or not a valid draft-4 schema. */
    public static void check(String schema) {
        JsonNode node;
        try {
            node = schema == null || schema.isBlank() ? null : JsonProtocol.JSON.readTree(schema);
        } catch (IOException e) {
            throw invalid();
        }
        if (node == null || node.isEmpty()) {
            throw AwsServiceException.badRequest("BadRequestException",
                    "Model schema must have at least 1 property or array items defined");
        }
        if (!node.isObject() || !META_SCHEMA.validate(node).isEmpty()) {
            throw invalid();
        }
    }

    private static AwsServiceException invalid() {
        return AwsServiceException.badRequest("BadRequestException",
                "Invalid model specified: Validation Result: warnings : [], errors : [Invalid model schema specified]");
    }

    /** A factory resolving the API's models by URL and refusing every other reference. */
    public static JsonSchemaFactory factory(String apiId, Iterable<Model> models) {
        Map<String, String> byUrl = new HashMap<>();
        models.forEach(m -> byUrl.put(modelUrl(apiId, m.name()), m.schema()));
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4,
                b -> b.schemaLoaders(l -> l.values(list -> list.clear()).schemas(byUrl::get)
                        .add(DisallowSchemaLoader.getInstance())));
    }

    /** A compiled model, or null when it cannot be compiled (a bad reference): then nothing validates against it. */
    public static JsonSchema compile(JsonSchemaFactory factory, String schema) {
        try {
            JsonSchema compiled = factory.getSchema(JsonProtocol.JSON.readTree(schema));
            compiled.initializeValidators();
            return compiled;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
