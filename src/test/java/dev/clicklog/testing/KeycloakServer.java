package dev.clicklog.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * A real OpenID Connect provider for the OIDC tests: Keycloak from its Maven Central distribution
 * (the build unpacks it under {@code target/keycloak}), started as a plain process in development
 * mode on a free loopback port with the realm of {@code src/test/resources/keycloak/clicklog-realm.json}
 * imported, its database under {@code target/} and new for every start. Stopped afterwards. The
 * portal is pointed at it (quarkus.oidc.*) and runs in oidc mode.
 *
 * <p>Init args let a test import another realm file: {@code realm-file} (a path), {@code env.NAME}
 * (environment variables, which fill the file's {@code ${NAME}} placeholders), {@code
 * client-secret} (the portal client's), and {@code browser-host}: the host name browsers use, named
 * in tokens as their issuer ({@code --hostname}), while the portal talks to Keycloak at 127.0.0.1
 * ({@code --hostname-backchannel-dynamic}), as in {@code docker/compose.yaml}.
 */
public class KeycloakServer implements QuarkusTestResourceLifecycleManager {

    public static final String REALM = "clicklog";
    public static final String PORTAL_CLIENT = "clicklog-portal";
    public static final String PORTAL_SECRET = "portal-secret-for-tests";
    public static final String TOOLING_CLIENT = "tooling";
    public static final String TOOLING_SECRET = "tooling-secret-for-tests";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(8);

    private static URI realm;
    private static URI issuer;

    private Process process;
    private Path home;
    private FileLock homeLock;
    private Path realmFile = Path.of("src/test/resources/keycloak/clicklog-realm.json");
    private String clientSecret = PORTAL_SECRET;
    private String browserHost;
    private final Map<String, String> environment = new HashMap<>();
    private Thread stopOnExit;

    /** The realm's address, e.g. http://127.0.0.1:PORT/realms/clicklog. */
    public static URI realm() {
        return realm;
    }

    /** The issuer of the realm's tokens, e.g. http://localhost:PORT/realms/clicklog when a browser host is set. */
    public static URI issuer() {
        return issuer;
    }

    /** The realm's answer to a client-credentials grant for this client: the token, or the refusal. */
    public static ValidatableResponse clientCredentials(String clientId, String secret) {
        return SignedIn.anonymous().baseUri(realm.toString()).basePath("").port(realm.getPort())
                .contentType(ContentType.URLENC).formParam("grant_type", "client_credentials")
                .formParam("client_id", clientId).formParam("client_secret", secret)
                .post("/protocol/openid-connect/token").then();
    }

    /** An access token of this client, by the client-credentials grant. */
    public static String clientToken(String clientId, String secret) {
        return clientCredentials(clientId, secret).statusCode(200).extract().jsonPath().getString("access_token");
    }

    @Override
    public void init(Map<String, String> args) {
        args.forEach((name, value) -> {
            switch (name) {
                case "realm-file" -> realmFile = Path.of(value);
                case "client-secret" -> clientSecret = value;
                case "browser-host" -> browserHost = value;
                default -> {
                    if (!name.startsWith("env.")) {
                        throw new IllegalArgumentException("unknown init arg " + name);
                    }
                    environment.put(name.substring("env.".length()), value);
                }
            }
        });
    }

    @Override
    public Map<String, String> start() {
        home = Path.of(System.getProperty("clicklog.keycloak.home", "target/keycloak/keycloak-26.5.6")).toAbsolutePath();
        if (!Files.isExecutable(home.resolve("bin/kc.sh"))) {
            throw new IllegalStateException(home + "/bin/kc.sh is missing: the test build unpacks Keycloak there "
                    + "(maven-dependency-plugin, process-test-resources)");
        }
        int port = Host.freePort();
        int management = Host.freePort();
        try {
            homeLock = lockHome(home);
            Host.deleteTree(home.resolve("data"));
            Path imports = Files.createDirectories(home.resolve("data/import"));
            Files.copy(realmFile, imports.resolve("clicklog-realm.json"), StandardCopyOption.REPLACE_EXISTING);
            List<String> command = new ArrayList<>(List.of(home.resolve("bin/kc.sh").toString(), "start-dev",
                    "--http-host=127.0.0.1", "--http-port=" + port, "--http-management-port=" + management,
                    "--import-realm", "--health-enabled=false", "--metrics-enabled=false"));
            if (browserHost != null) {
                command.add("--hostname=http://" + browserHost + ":" + port);
                command.add("--hostname-backchannel-dynamic=true");
            }
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(Path.of("target", "keycloak-" + port + ".log").toAbsolutePath().toFile());
            builder.environment().putAll(environment);
            process = builder.start();
        } catch (IOException e) {
            stop();
            throw new UncheckedIOException("could not start Keycloak from " + home, e);
        }
        stopOnExit = new Thread(this::kill, "keycloak-stop");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        realm = URI.create("http://127.0.0.1:" + port + "/realms/" + REALM);
        issuer = browserHost == null ? realm : URI.create("http://" + browserHost + ":" + port + "/realms/" + REALM);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long started = System.nanoTime();
        try {
            awaitRealm(http, port);
        } catch (RuntimeException | AssertionError e) {
            stop();
            throw e;
        }
        System.out.printf("Keycloak up at %s after %.1f s%n", realm, (System.nanoTime() - started) / 1e9);
        return Map.of(
                "clicklog.auth.mode", "oidc",
                "quarkus.oidc.tenant-enabled", "true",
                "quarkus.oidc.auth-server-url", realm.toString(),
                "quarkus.oidc.token.issuer", issuer.toString(),
                "quarkus.oidc.client-id", PORTAL_CLIENT,
                "quarkus.oidc.credentials.secret", clientSecret);
    }

    private void awaitRealm(HttpClient http, int port) {
        await("Keycloak's realm " + realm).atMost(START_TIMEOUT).pollInterval(Duration.ofSeconds(1)).until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("Keycloak exited with " + process.exitValue() + "; see target/keycloak-" + port
                        + ".log");
            }
            try {
                return http.send(HttpRequest.newBuilder(URI.create(realm + "/.well-known/openid-configuration"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException notYet) {
                return false;
            }
        });
    }

    @Override
    public void stop() {
        if (stopOnExit != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnExit);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
        kill();
        if (homeLock != null) {
            try {
                homeLock.channel().close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            homeLock = null;
        }
    }

    /**
     * A server's data lives in the one unpacked home ({@code data/}, emptied at each start), so test
     * JVMs running side by side take turns: the lock is held from the start until the stop.
     */
    private static FileLock lockHome(Path home) throws IOException {
        FileChannel channel = FileChannel.open(home.resolveSibling(home.getFileName() + ".lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            return channel.lock();
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private void kill() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
