package dev.clicklog.bench;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.clicklog.portal.observe.ObservedPipelines;
import dev.clicklog.portal.pipeline.PipelineApi;
import dev.clicklog.testing.Identities;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * What authorization costs on the hot read paths: {@code GET /api/pipelines} (20 pipelines of the
 * caller's team) and {@code GET /api/pipelines/{name}/records?limit=10} (served from the records
 * cache, so the portal's own work is measured), each called {@value #CALLS} times one after the
 * other over one kept-alive connection, with a write token of the team ({@code Authorization:
 * Bearer clk_…}: token lookup, team of the pipeline, role check) — and the same build with
 * authorization off ({@link AuthorizationOffBenchmark}: clicklog.auth.mode=none, which only tests may set). p50 and p99 of
 * each; the second run prints both and the difference.
 * <p>
 * Run: {@code ./mvnw verify -Pbenchmark -Dtest='AuthorizationO*Benchmark' -Dsurefire.failIfNoSpecifiedTests=false}
 * (the Off run first, by name order; about 5 minutes)
 */
@Tag("benchmark")
abstract class AuthorizationBenchmark {

    static final int CALLS = Integer.getInteger("auth.calls", 5_000);
    static final int WARM_UP = 2_000;
    static final int PIPELINES = 20;
    static final Path RESULTS = Path.of("target", "bench");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** The Authorization header to send; null: none. */
    abstract String authorization(String team);

    abstract String mode();

    @Test
    void authorizationCostsLittleOnTheReadPaths() throws Exception {
        URI base = URI.create("http://127.0.0.1:" + ConfigProvider.getConfig().getValue("quarkus.http.test-port",
                Integer.class));
        String team = Identities.unique("bench");
        String authorization = authorization(team);
        for (int i = 0; i < PIPELINES - 1; i++) {
            given().contentType(ContentType.JSON).body(Map.of("name", PipelineApi.uniqueName("bench"), "team", team))
                    .post("/api/pipelines").then().statusCode(201);
        }
        String name = ObservedPipelines.ready("bench-records", "\"team\":\"" + team + "\"").getString("name");
        URI list = base.resolve("/api/pipelines?team=" + team);
        URI records = base.resolve("/api/pipelines/" + name + "/records?limit=10");
        assertEquals(PIPELINES, count(list, authorization));

        List<String> lines = new ArrayList<>();
        for (URI uri : List.of(list, records)) {
            for (int i = 0; i < WARM_UP; i++) {
                call(uri, authorization);
            }
            List<Long> nanos = new ArrayList<>(CALLS);
            for (int i = 0; i < CALLS; i++) {
                long started = System.nanoTime();
                call(uri, authorization);
                nanos.add(System.nanoTime() - started);
            }
            Collections.sort(nanos);
            lines.add(String.format(Locale.ROOT, "%-4s %-44s n=%d  p50 %6.3f ms  p99 %6.3f ms", mode(),
                    uri.getPath().replace(name, "{name}"), CALLS, pct(nanos, 50), pct(nanos, 99)));
        }
        Files.createDirectories(RESULTS);
        Files.write(RESULTS.resolve("authorization-" + mode() + ".txt"), lines);
        System.out.println(String.join("\n", lines));
        report();
    }

    private int count(URI uri, String authorization) throws IOException, InterruptedException {
        return JsonPath.from(call(uri, authorization)).getList("$").size();
    }

    private String call(URI uri, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError(uri + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** Both runs' figures, once both are there. */
    private static void report() throws IOException {
        Path on = RESULTS.resolve("authorization-on.txt");
        Path off = RESULTS.resolve("authorization-off.txt");
        if (Files.exists(on) && Files.exists(off)) {
            System.out.println("authorization on (bearer token) and off:");
            Files.readAllLines(off).forEach(System.out::println);
            Files.readAllLines(on).forEach(System.out::println);
        }
    }

    private static double pct(List<Long> sorted, int p) {
        int index = Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1);
        return sorted.get(Math.max(0, index)) / 1e6;
    }
}
