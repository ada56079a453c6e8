package dev.clicklog.it;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import dev.clicklog.testing.ComposeFile;
import dev.clicklog.testing.Host;
import dev.clicklog.testing.ImageApp;
import dev.clicklog.testing.ImageBuild;
import dev.clicklog.testing.KeycloakServer;
import dev.clicklog.testing.PostgresCluster;
import dev.clicklog.testing.SignedIn;
import io.restassured.http.ContentType;

/**
 * The stack of {@code docker/compose.yaml} without a container engine: each service as Compose
 * resolves it, with an environment file of fresh secrets. A real PostgreSQL set up by the stack's
 * own init script, a real Keycloak importing the stack's realm, the endpoint and both portal
 * replicas as the image's app with their containers' environments. Only what a container network
 * gives differs: the service names ({@code postgres}, {@code keycloak}, {@code endpoint}) become
 * loopback addresses, and every server takes a free loopback port instead of 0.0.0.0.
 * A tooling client of the realm then creates a pipeline on one replica; it provisions against the
 * endpoint, a click reaches its stream, and the other replica shows it.
 */
@Order(5) // longest first (docs/testing.md)
class ComposeStackIT {

    private static final Path WORK = Path.of("target", "compose-stack").toAbsolutePath();
    private static final String PIPELINE = "stack-check";

    private static PostgresCluster postgres;
    private static KeycloakServer keycloak;
    private static final List<ImageApp> apps = new ArrayList<>();
    private static Map<String, String> variables;
    private static ImageApp portalA;
    private static ImageApp portalB;
    private static int localawsPort;

    @BeforeAll
    static void startTheStack() throws Exception {
        ImageBuild image = ImageBuild.get();
        Host.deleteTree(WORK);
        Files.createDirectories(WORK);

        // the environment file an operator writes from .env.example: every secret a fresh value
        variables = new LinkedHashMap<>(ComposeFile.envFile(ComposeFile.ENV_EXAMPLE));
        variables.replaceAll((name, value) -> value.startsWith("change-me") ? "t-" + UUID.randomUUID() : value);
        ComposeFile stack = ComposeFile.resolve(envFile());

        int postgresPort = startPostgres(stack.environment("postgres"));

        Map<String, String> realm = new HashMap<>(Map.of("realm-file", ComposeFile.REALM.toString(),
                "client-secret", variables.get("CLICKLOG_OIDC_CLIENT_SECRET"), "browser-host", "localhost"));
        stack.environment("keycloak").forEach((name, value) -> {
            if (!name.startsWith("KC_")) { // the realm's placeholders; KC_ settings are the container's
                realm.put("env." + name, value);
            }
        });
        keycloak = new KeycloakServer();
        keycloak.init(realm);
        keycloak.start();
        // the browser's address of Keycloak is the port it listens on here: the issuer the portals expect
        variables.put("KEYCLOAK_PORT", String.valueOf(KeycloakServer.realm().getPort()));
        stack = ComposeFile.resolve(envFile());

        localawsPort = Host.freePort();
        Map<String, String> services = Map.of(
                "postgres:5432", "127.0.0.1:" + postgresPort,
                "http://keycloak:8080", "http://127.0.0.1:" + KeycloakServer.realm().getPort(),
                "http://endpoint:4566", "http://127.0.0.1:" + localawsPort);

        Map<String, String> endpoint = onLoopback(stack.environment("endpoint"), services);
        endpoint.put("CLICKLOG_LOCALAWS_HOST", "127.0.0.1");
        endpoint.put("CLICKLOG_LOCALAWS_PORT", String.valueOf(localawsPort));
        // the endpoint's volume: its own, not the image directory the apps start in
        endpoint.put("CLICKLOG_LOCALAWS_DATA_DIR", WORK.resolve("endpoint-data").toString());
        apps.add(ImageApp.launch(image, "endpoint", endpoint, WORK.resolve("endpoint")).awaitReady());

        portalA = ImageApp.launch(image, "portal-a", onLoopback(stack.environment("portal-a"), services),
                WORK.resolve("portal-a"));
        apps.add(portalA);
        portalB = ImageApp.launch(image, "portal-b", onLoopback(stack.environment("portal-b"), services),
                WORK.resolve("portal-b"));
        apps.add(portalB);
        portalA.awaitReady();
        portalB.awaitReady();
    }

    @AfterAll
    static void stopTheStack() {
        for (int i = apps.size() - 1; i >= 0; i--) {
            apps.get(i).close();
        }
        if (keycloak != null) {
            keycloak.stop();
        }
        if (postgres != null) {
            postgres.stop();
        }
    }

    @Test
    void aTeamsToolProvisionsAPipelineThatTakesClicksOnEitherReplica() throws Exception {
        String token = KeycloakServer.clientToken("clicklog-tooling", variables.get("CLICKLOG_TOOLING_CLIENT_SECRET"));
        try {
            SignedIn.bearer(token).baseUri(portalA.uri().toString()).get("/api/users/me").then().statusCode(200)
                    .body("teams.web", equalTo("member"));
            // without a token the deployed portal answers nothing but its 401
            SignedIn.anonymous().baseUri(portalA.uri().toString()).get("/api/pipelines").then().statusCode(401);

            SignedIn.bearer(token).baseUri(portalA.uri().toString()).contentType(ContentType.JSON)
                    .body(Map.of("name", PIPELINE, "team", "web")).post("/api/pipelines").then().statusCode(201);
            await("the pipeline READY against the endpoint").atMost(Duration.ofMinutes(4))
                    .pollInterval(Duration.ofSeconds(1)).until(() -> {
                        String status = SignedIn.bearer(token).baseUri(portalA.uri().toString())
                                .get("/api/pipelines/" + PIPELINE).then().statusCode(200).extract().path("status");
                        assertTrue(!status.equals("FAILED"), "the pipeline failed: " + SignedIn.bearer(token)
                                .baseUri(portalA.uri().toString()).get("/api/pipelines/" + PIPELINE).asString());
                        return status.equals("READY");
                    });
            String invokeUrl = SignedIn.bearer(token).baseUri(portalA.uri().toString()).get("/api/pipelines/" + PIPELINE)
                    .then().extract().path("invokeUrl");
            assertTrue(invokeUrl.startsWith("http://127.0.0.1:" + localawsPort), "invoked at the endpoint: " + invokeUrl);

            // a click through the gateway, read back from the stream by the other replica
            SignedIn.bearer(token).baseUri(portalB.uri().toString()).post("/api/pipelines/" + PIPELINE + "/test-click")
                    .then().statusCode(200).body("status", equalTo(200));
            await("the click in the stream, seen by portal-b").atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> SignedIn.bearer(token)
                            .baseUri(portalB.uri().toString()).get("/api/pipelines/" + PIPELINE + "/records")
                            .then().statusCode(200).body("records.data.json.type", hasItem("test-click")));
        } catch (AssertionError | RuntimeException e) {
            apps.forEach(app -> System.out.println("==== " + app.uri() + " ====\n" + app.log()));
            throw e;
        }
    }

    /** A container's environment outside a container network: service names become loopback addresses. */
    private static Map<String, String> onLoopback(Map<String, String> environment, Map<String, String> services) {
        Map<String, String> local = new LinkedHashMap<>();
        environment.forEach((name, value) -> {
            String mapped = value;
            for (Map.Entry<String, String> service : services.entrySet()) {
                mapped = mapped.replace(service.getKey(), service.getValue());
            }
            local.put(name, mapped);
        });
        local.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        local.put("QUARKUS_HTTP_PORT", String.valueOf(Host.freePort()));
        return local;
    }

    /** PostgreSQL as the stack's postgres service: its user a superuser, then the stack's init script. */
    private static int startPostgres(Map<String, String> service) throws Exception {
        postgres = new PostgresCluster();
        String url = postgres.start().get("quarkus.datasource.jdbc.url");
        int port = Integer.parseInt(url.replaceFirst("^jdbc:postgresql://127\\.0\\.0\\.1:(\\d+)/.*$", "$1"));
        assertEquals(PostgresCluster.USER, service.get("POSTGRES_USER"));
        assertEquals(PostgresCluster.DATABASE, service.get("POSTGRES_DB"));
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "");
                Statement s = c.createStatement()) {
            s.execute("ALTER ROLE " + PostgresCluster.USER + " SUPERUSER");
        }
        ProcessBuilder init = new ProcessBuilder("bash", Path.of("docker/postgres/10-databases.sh").toAbsolutePath().toString())
                .redirectErrorStream(true).redirectOutput(WORK.resolve("postgres-init.log").toFile());
        init.environment().putAll(service);
        init.environment().put("PGHOST", "127.0.0.1");
        init.environment().put("PGPORT", String.valueOf(port));
        Process process = init.start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the init script ends");
        assertEquals(0, process.exitValue(), Files.readString(WORK.resolve("postgres-init.log")));
        return port;
    }

    private static Path envFile() throws IOException {
        List<String> lines = new ArrayList<>();
        variables.forEach((name, value) -> lines.add(name + "=" + value));
        return Files.write(WORK.resolve("stack.env"), lines);
    }
}
