package dev.clicklog.localaws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;

import dev.clicklog.endpoint.LocalEndpoint;
import dev.clicklog.localaws.http.ServiceHandler;
import dev.clicklog.localaws.http.ServiceHandler.Operation;
import dev.clicklog.localaws.protocol.ModelUri;
import dev.clicklog.testing.Botocore;
import io.quarkus.arc.All;
import io.quarkus.test.junit.QuarkusTest;

/**
 * {@code docs/localaws/<service>.md} says what each service serves, and says it truly: the list of
 * operations between a doc's markers is exactly its handler's route table; every operation of the
 * table is one of botocore's model for that service, bound as the model binds it; and every other
 * operation of the model is answered as AWS answers an operation it does not know, in every
 * protocol the model lists — never a fake success.
 * <p>
 * {@code -Dlocalaws.docs.write=true} rewrites the lists from the tables (then check the diff).
 */
@QuarkusTest
class LocalAwsDocsTest {

    static final Path DOCS = Path.of("docs", "localaws");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());

    /** A handler by its signing name: its doc, and its botocore model (none for invoke URLs). */
    private record Service(String signingName, String doc, String model) {
    }

    private static final List<Service> SERVICES = List.of(
            new Service("iam", "iam.md", "iam"),
            new Service("sts", "sts.md", "sts"),
            new Service("kinesis", "kinesis.md", "kinesis"),
            new Service("s3", "s3.md", "s3"),
            new Service("firehose", "firehose.md", "firehose"),
            new Service("monitoring", "cloudwatch.md", "cloudwatch"),
            new Service("logs", "logs.md", "logs"),
            new Service("apigateway", "apigateway.md", "apigateway"),
            new Service("execute-api", "apigateway.md", null));

    @Inject
    @All
    List<ServiceHandler> handlers;

    @Inject
    LocalEndpoint endpoint;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void everyHandlerHasADocAndEveryDocAHandler() {
        Set<String> handled = handlers.stream().map(h -> h.route().signingName()).collect(Collectors.toCollection(TreeSet::new));
        Set<String> documented = SERVICES.stream().map(Service::signingName).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(documented, handled);
        handlers.forEach(h -> assertFalse(h.operations().isEmpty(), h.route().signingName() + " serves nothing"));
    }

    @Test
    void eachDocListsExactlyWhatItsHandlerServes() throws IOException {
        boolean write = Boolean.getBoolean("localaws.docs.write");
        List<String> wrong = new ArrayList<>();
        for (Service service : SERVICES) {
            Path doc = DOCS.resolve(service.doc());
            assertTrue(Files.exists(doc), doc + " is missing");
            String text = Files.readString(doc);
            String begin = "<!-- begin operations: " + service.signingName() + " -->\n";
            String end = "<!-- end operations -->";
            int from = text.indexOf(begin);
            int to = from < 0 ? -1 : text.indexOf(end, from);
            String expected = list(handler(service.signingName()));
            if (from < 0 || to < 0) {
                wrong.add(doc + " has no " + begin.trim() + " … " + end + " block; it should hold:\n" + expected);
                continue;
            }
            String listed = text.substring(from + begin.length(), to);
            if (!listed.equals(expected)) {
                if (write) {
                    Files.writeString(doc, text.substring(0, from + begin.length()) + expected + text.substring(to));
                } else {
                    wrong.add(doc + " lists:\n" + listed + "but " + service.signingName() + "'s route table serves:\n" + expected);
                }
            }
        }
        assertTrue(wrong.isEmpty(), () -> String.join("\n", wrong)
                + "\n(-Dlocalaws.docs.write=true rewrites the lists from the route tables)");
    }

    @Test
    void everyRoutedOperationIsTheModelsOwnAndBoundAsTheModelBindsIt() {
        List<String> wrong = new ArrayList<>();
        for (Service service : SERVICES) {
            if (service.model() == null) {
                continue;
            }
            JsonNode operations = Botocore.model(service.model()).path("operations");
            JsonNode shapes = Botocore.model(service.model()).path("shapes");
            for (Operation op : handler(service.signingName()).operations()) {
                JsonNode model = operations.path(op.name());
                if (model.isMissingNode()) {
                    wrong.add(service.model() + " has no operation " + op.name());
                } else if (op.method() != null) {
                    String problem = bindingProblem(op, model, shapes);
                    if (problem != null) {
                        wrong.add(service.model() + " " + op.name() + ": " + problem);
                    }
                }
            }
        }
        assertTrue(wrong.isEmpty(), () -> String.join("\n", wrong));
    }

    @Test
    void everyOtherOperationOfTheModelIsAnsweredAsAnUnknownOne() throws Exception {
        List<String> wrong = new ArrayList<>();
        int probed = 0;
        for (Service service : SERVICES) {
            if (service.model() == null) {
                continue;
            }
            JsonNode model = Botocore.model(service.model());
            ServiceHandler handler = handler(service.signingName());
            Set<String> served = handler.operations().stream().filter(Operation::served).map(Operation::name)
                    .collect(Collectors.toSet());
            List<String> protocols = new ArrayList<>();
            model.path("metadata").path("protocols").forEach(p -> protocols.add(p.asText()));
            if (protocols.isEmpty()) {
                protocols.add(model.path("metadata").path("protocol").asText());
            }
            for (var it = model.path("operations").fields(); it.hasNext();) {
                var entry = it.next();
                if (served.contains(entry.getKey()) || sameRequestAsAServedOne(entry.getValue(), model, served)) {
                    continue;
                }
                for (String protocol : protocols) {
                    String problem = probe(service, protocol, model, entry.getKey(), entry.getValue());
                    probed++;
                    if (problem != null) {
                        wrong.add(service.model() + " " + entry.getKey() + " (" + protocol + "): " + problem);
                    }
                }
            }
        }
        assertTrue(probed > 400, "only " + probed + " operations probed");
        assertTrue(wrong.isEmpty(), () -> String.join("\n", wrong));
    }

    /** The marked list of a doc: served operations, with their HTTP binding for REST protocols. */
    static String list(ServiceHandler handler) {
        StringBuilder out = new StringBuilder();
        for (Operation op : handler.operations()) {
            if (op.served()) {
                out.append("- `").append(op.name()).append('`');
                if (op.method() != null) {
                    out.append(" — `").append(op.method()).append(' ').append(op.uri()).append('`');
                }
                out.append('\n');
            }
        }
        return out.toString();
    }

    private ServiceHandler handler(String signingName) {
        return handlers.stream().filter(h -> h.route().signingName().equals(signingName)).findFirst()
                .orElseThrow(() -> new AssertionError("no handler for " + signingName));
    }

    /**
     * What is wrong with a REST route against the model's binding: the method, the path, and the
     * query parameters the route names — the model's literal ones, plus members it requires.
     */
    private static String bindingProblem(Operation op, JsonNode model, JsonNode shapes) {
        JsonNode binding = model.path("http");
        String method = binding.path("method").asText();
        ModelUri modelUri = ModelUri.of(binding.path("requestUri").asText());
        ModelUri routeUri = ModelUri.of(op.uri());
        if (!method.equals(op.method()) || !modelUri.path().equals(routeUri.path())) {
            return "routed as " + op.method() + " " + op.uri() + ", the model binds " + method + " "
                    + binding.path("requestUri").asText();
        }
        for (Map.Entry<String, String> literal : modelUri.query().entrySet()) {
            if (!literal.getValue().equals(routeUri.query().get(literal.getKey()))) {
                return "the route does not name the model's " + literal.getKey() + "=" + literal.getValue();
            }
        }
        Set<String> required = required(model, shapes, "querystring");
        for (String name : routeUri.query().keySet()) {
            if (!modelUri.query().containsKey(name) && !required.contains(name)) {
                return "the route wants " + name + ", which the model neither names nor requires";
            }
        }
        return null;
    }

    /** The wire names of an operation's required members bound to a location (querystring, header, uri). */
    private static Set<String> required(JsonNode model, JsonNode shapes, String location) {
        Set<String> names = new HashSet<>();
        JsonNode input = shapes.path(model.path("input").path("shape").asText());
        input.path("required").forEach(r -> {
            JsonNode member = input.path("members").path(r.asText());
            if (location.equals(member.path("location").asText())) {
                names.add(member.path("locationName").asText(r.asText()));
            }
        });
        return names;
    }

    /**
     * True for a REST operation whose requests cannot be told from a served operation's: the same
     * method and URI, and nothing required beyond what the served one requires (S3's deprecated
     * GetBucketLifecycle is GetBucketLifecycleConfiguration on the wire; ListDirectoryBuckets is
     * ListBuckets on a general-purpose endpoint). Such a request is the served one.
     */
    private static boolean sameRequestAsAServedOne(JsonNode op, JsonNode model, Set<String> served) {
        if (!op.has("http") || !model.path("metadata").path("protocol").asText().startsWith("rest")) {
            return false;
        }
        JsonNode shapes = model.path("shapes");
        for (String name : served) {
            JsonNode s = model.path("operations").path(name);
            if (s.path("http").path("method").equals(op.path("http").path("method"))
                    && s.path("http").path("requestUri").equals(op.path("http").path("requestUri"))
                    && required(s, shapes, "querystring").containsAll(required(op, shapes, "querystring"))
                    && required(s, shapes, "header").containsAll(required(op, shapes, "header"))) {
                return true;
            }
        }
        return false;
    }

    /** Sends the operation as its protocol would and says what is wrong with the answer; null when it is a refusal. */
    private String probe(Service service, String protocol, JsonNode model, String name, JsonNode op) throws Exception {
        JsonNode metadata = model.path("metadata");
        URI base = endpoint.uri();
        HttpRequest.Builder request = HttpRequest.newBuilder().header("Authorization",
                "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/" + service.signingName()
                        + "/aws4_request, SignedHeaders=host, Signature=0");
        switch (protocol) {
            case "json" -> request.uri(base.resolve("/"))
                    .header("Content-Type", "application/x-amz-json-" + metadata.path("jsonVersion").asText("1.1"))
                    .header("X-Amz-Target", metadata.path("targetPrefix").asText() + "." + name)
                    .POST(BodyPublishers.ofString("{}"));
            case "query" -> request.uri(base.resolve("/"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(BodyPublishers.ofString("Action=" + name + "&Version=" + metadata.path("apiVersion").asText()));
            case "smithy-rpc-v2-cbor" -> request
                    .uri(base.resolve("/service/" + metadata.path("targetPrefix").asText() + "/operation/" + name))
                    .header("Content-Type", "application/cbor").header("smithy-protocol", "rpc-v2-cbor")
                    .POST(BodyPublishers.ofByteArray(CBOR.writeValueAsBytes(CBOR.createObjectNode())));
            case "rest-json", "rest-xml" -> restRequest(request, base, model, op);
            default -> throw new AssertionError("no probe for protocol " + protocol);
        }
        HttpResponse<byte[]> response = http.send(request.build(), BodyHandlers.ofByteArray());
        String body = new String(response.body(), StandardCharsets.UTF_8);
        String answer = response.statusCode() + " " + body;
        return switch (protocol) {
            case "json" -> response.statusCode() == 400
                    && JSON.readTree(response.body()).path("__type").asText().endsWith("UnknownOperationException")
                            ? null : answer;
            case "query" -> response.statusCode() == 400 && body.contains("<Code>InvalidAction</Code>") ? null : answer;
            case "smithy-rpc-v2-cbor" -> response.statusCode() == 400
                    && CBOR.readTree(response.body()).path("__type").asText().endsWith("UnknownOperationException")
                            ? null : response.statusCode() + " " + CBOR.readTree(response.body());
            case "rest-json" -> response.statusCode() == 404
                    && "UnknownOperationException".equals(response.headers().firstValue("x-amzn-ErrorType").orElse(null))
                            ? null : answer;
            default -> response.statusCode() == 501 && body.contains("<Code>NotImplemented</Code>") ? null : answer;
        };
    }

    /** The operation's method and URI with every label filled, its required query members and headers set. */
    private static void restRequest(HttpRequest.Builder request, URI base, JsonNode model, JsonNode op) {
        JsonNode shapes = model.path("shapes");
        String uri = op.path("http").path("requestUri").asText()
                .replace("{Key+}", "probe/key")
                .replaceAll("\\{[^}]+}", "probe");
        List<String> query = new ArrayList<>();
        required(op, shapes, "querystring").forEach(q -> query.add(URLEncoder.encode(q, StandardCharsets.UTF_8) + "=1"));
        if (!query.isEmpty()) {
            uri += (uri.contains("?") ? "&" : "?") + String.join("&", query);
        }
        request.uri(base.resolve(uri));
        required(op, shapes, "header").forEach(h -> request.header(h, "probe/key"));
        String method = op.path("http").path("method").asText();
        request.method(method, method.equals("GET") || method.equals("HEAD") ? BodyPublishers.noBody()
                : BodyPublishers.ofString(model.path("metadata").path("protocol").asText().equals("rest-json") ? "{}" : ""));
    }
}
