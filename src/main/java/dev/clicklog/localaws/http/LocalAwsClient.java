package dev.clicklog.localaws.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import dev.clicklog.localaws.protocol.AwsServiceException;
import dev.clicklog.localaws.protocol.JsonProtocol;

/**
 * Lets one emulated service call another in-process (API Gateway's AWS integration calling Kinesis,
 * Firehose reading Kinesis and writing S3) through the same routing and wire handling as a request
 * from outside. Services stay decoupled: they only share the wire protocol, as on AWS.
 */
@ApplicationScoped
public class LocalAwsClient {

    private final RequestRouter router;

    LocalAwsClient(RequestRouter router) {
        this.router = router;
    }

    /** Routes and handles a request as if it had arrived over HTTP. */
    public AwsResponse call(AwsRequest request) {
        ServiceHandler handler = router.route(request);
        if (handler == null) {
            return router.unsupportedService(request);
        }
        return router.dispatch(handler, request);
    }

    /**
     * Calls a JSON 1.1 operation, e.g. {@code json("Kinesis_20131202", "PutRecord", body)}, and
     * returns the response (the caller checks {@link AwsResponse#status()}).
     */
    public AwsResponse json(String targetPrefix, String operation, JsonNode body) {
        return json(targetPrefix, operation, body.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * As {@link #json(String, String, JsonNode)} with the body exactly as given, e.g. an API Gateway
     * mapping template's output, which the called service parses (and rejects) as it would on AWS.
     */
    public AwsResponse json(String targetPrefix, String operation, byte[] body) {
        return call(new AwsRequest("POST", "/", "", Map.of(
                "X-Amz-Target", targetPrefix + "." + operation,
                "Content-Type", JsonProtocol.Encoding.JSON_1_1.contentType), body, "127.0.0.1"));
    }

    /** As {@link #json}, but a non-2xx answer becomes the service's error (code and message). */
    public JsonNode jsonOrThrow(String targetPrefix, String operation, JsonNode body) {
        AwsResponse response = json(targetPrefix, operation, body);
        JsonNode tree = parse(response);
        if (response.status() / 100 != 2) {
            String type = tree.path("__type").asText("InternalFailure");
            int hash = type.indexOf('#');
            String message = tree.has("message") ? tree.path("message").asText() : tree.path("Message").asText();
            throw new AwsServiceException(response.status(), hash < 0 ? type : type.substring(hash + 1), message);
        }
        return tree;
    }

    private static JsonNode parse(AwsResponse response) {
        try {
            byte[] body = response.body();
            return body == null || body.length == 0 ? JsonProtocol.NODES.objectNode() : JsonProtocol.JSON.readTree(body);
        } catch (IOException e) {
            throw AwsServiceException.internal(e);
        }
    }
}
