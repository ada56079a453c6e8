package dev.clicklog.portal.observe;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.clicklog.portal.pipeline.PipelineSpec;
import dev.clicklog.portal.pipeline.PipelineView;

/**
 * Sends one test click through a pipeline's own invoke URL over HTTP, the way a page on an allowed
 * origin would: a JSON click with a type, a timestamp and an id, the page's Origin header and the
 * pipeline's API key when it requires one. The gateway's answer is shown as it is.
 */
@ApplicationScoped
public class TestClick {

    public static final String TYPE = "test-click";
    private static final String API_KEY_HEADER = "x-api-key";

    private final ReadyPipelines pipelines;
    private final ObjectMapper mapper;
    private final RecordDecoder decoder;
    private final ObserveConfig.TestClick config;
    private final HttpClient http;

    TestClick(ReadyPipelines pipelines, ObjectMapper mapper, RecordDecoder decoder, ObserveConfig config) {
        this.pipelines = pipelines;
        this.mapper = mapper;
        this.decoder = decoder;
        this.config = config.testClick();
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(this.config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * Sends the click.
     *
     * @param portalOrigin the portal's own origin, sent when the pipeline allows every origin
     */
    public TestClickResult send(String pipeline, String portalOrigin) {
        PipelineView view = pipelines.get(pipeline);
        String origin = view.allowedOrigins().stream().filter(o -> !PipelineSpec.ANY_ORIGIN.equals(o)).findFirst()
                .orElse(portalOrigin);
        ObjectNode click = mapper.createObjectNode()
                .put("type", TYPE)
                .put("id", UUID.randomUUID().toString())
                .put("timestamp", Instant.now().toString())
                .put("source", "clicklog-portal");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(view.invokeUrl()))
                .timeout(config.timeout())
                .header("Content-Type", "application/json")
                .header("Origin", origin)
                .PUT(HttpRequest.BodyPublishers.ofString(click.toString()));
        if (view.apiKeyRequired() && view.resources().apiKey() != null) {
            request.header(API_KEY_HEADER, view.resources().apiKey());
        }
        long started = System.nanoTime();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw ObserveException.upstream("the invoke URL " + view.invokeUrl() + " did not answer: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ObserveException.upstream("interrupted while sending the test click", e);
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        return new TestClickResult(view.invokeUrl(), origin, click, response.statusCode(),
                response.statusCode() / 100 == 2, interesting(response), decoder.decode(response.body()), millis);
    }

    /** Content-Type, the CORS headers and AWS's request ids and error type. */
    private static Map<String, String> interesting(HttpResponse<?> response) {
        Map<String, String> out = new TreeMap<>();
        response.headers().map().forEach((name, values) -> {
            String n = name.toLowerCase(Locale.ROOT);
            if (n.equals("content-type") || n.startsWith("access-control-") || n.startsWith("x-amz")) {
                out.put(n, String.join(", ", values));
            }
        });
        return out;
    }
}
