package dev.clicklog.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.clicklog.portal.adapter.AwsConfig;
import dev.clicklog.portal.auth.AuthConfig;
import dev.clicklog.testing.ComposeFile;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * {@code docker/compose.yaml} as Docker Compose resolves it with {@code docker/.env.example}
 * ({@code config}: no engine needed): the services, what the portals are pointed at, the published
 * addresses, and that every secret comes from the environment file. The portals' environment is
 * also read through the portal's own configuration mappings, so a variable name the portal does not
 * read fails here rather than in a deployment.
 */
class ComposeFileTest {

    private static final Path COMPOSE = ComposeFile.COMPOSE;
    private static final Path ENV_EXAMPLE = ComposeFile.ENV_EXAMPLE;
    private static final Path REALM = ComposeFile.REALM;

    static final List<String> PORTALS = List.of("portal-a", "portal-b");
    private static final Pattern SECRET_NAME = Pattern.compile(".*(PASSWORD|SECRET|ACCESS_KEY).*");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)");

    private static ComposeFile stack;
    private static JsonNode services;
    private static Map<String, String> example;

    @BeforeAll
    static void resolve() throws Exception {
        example = ComposeFile.envFile(ENV_EXAMPLE);
        stack = ComposeFile.resolve(ENV_EXAMPLE);
        services = stack.services();
    }

    @Test
    void theStackHasItsServices() {
        Set<String> names = new TreeSet<>();
        services.fieldNames().forEachRemaining(names::add);
        assertEquals(new TreeSet<>(List.of("endpoint", "keycloak", "portal-a", "portal-b", "postgres")), names);
        assertTrue(services.get("keycloak").get("image").asText().startsWith("quay.io/keycloak/keycloak:26.5."),
                services.get("keycloak").get("image").asText());
        assertTrue(services.get("postgres").get("image").asText().startsWith("postgres:"));
        for (String portal : PORTALS) {
            JsonNode build = services.get(portal).get("build");
            assertEquals("docker/Dockerfile", build.get("dockerfile").asText(), portal);
            assertEquals(Path.of("").toAbsolutePath(), Path.of(build.get("context").asText()).toAbsolutePath(), portal);
            // started only once what they need is healthy
            for (String needed : List.of("postgres", "keycloak", "endpoint")) {
                assertEquals("service_healthy", services.get(portal).at("/depends_on/" + needed + "/condition").asText(),
                        portal + " waits for " + needed);
            }
        }
        assertTrue(services.get("postgres").has("healthcheck"));
        assertTrue(services.get("keycloak").has("healthcheck"));
    }

    @Test
    void bothPortalsRunInAwsModeAgainstTheEndpointOnOneDatabaseWithOidc() {
        Map<String, String> a = environment("portal-a");
        assertEquals(a, environment("portal-b"), "the replicas share their settings");
        assertEquals("aws", a.get("CLICKLOG_AWS_MODE"));
        assertEquals("http://endpoint:4566", a.get("CLICKLOG_AWS_ENDPOINT"));
        assertEquals("jdbc:postgresql://postgres:5432/clicklog", a.get("QUARKUS_DATASOURCE_JDBC_URL"));
        assertEquals("clicklog", services.at("/postgres/environment/POSTGRES_DB").asText());
        assertEquals("oidc", a.get("CLICKLOG_AUTH_MODE"));
        assertEquals("true", a.get("QUARKUS_OIDC_TENANT_ENABLED"));
        assertEquals("http://keycloak:8080/realms/clicklog", a.get("QUARKUS_OIDC_AUTH_SERVER_URL"));
        // the issuer is the browser's address of Keycloak, which Keycloak names in its tokens
        String browserKeycloak = services.at("/keycloak/environment/KC_HOSTNAME").asText();
        assertEquals("http://localhost:" + example.get("KEYCLOAK_PORT"), browserKeycloak);
        assertEquals(browserKeycloak + "/realms/clicklog", a.get("QUARKUS_OIDC_TOKEN_ISSUER"));
        assertEquals("true", services.at("/keycloak/environment/KC_HOSTNAME_BACKCHANNEL_DYNAMIC").asText());
        assertEquals(example.get("CLICKLOG_OIDC_CLIENT_SECRET"), a.get("QUARKUS_OIDC_CREDENTIALS_SECRET"));
        assertEquals(example.get("CLICKLOG_OIDC_CLIENT_SECRET"),
                services.at("/keycloak/environment/CLICKLOG_OIDC_CLIENT_SECRET").asText());

        // the endpoint: a portal in local mode whose localaws listens on the network at the port named above
        Map<String, String> endpoint = environment("endpoint");
        assertEquals("local", endpoint.get("CLICKLOG_AWS_MODE"));
        assertEquals("0.0.0.0", endpoint.get("CLICKLOG_LOCALAWS_HOST"));
        assertFalse(endpoint.containsKey("CLICKLOG_LOCALAWS_PORT"), "the default port, 4566");
        assertTrue(List.of(endpoint.get("CLICKLOG_LOCALAWS_ALLOWED_HOSTS").split(",")).contains("endpoint"),
                "requests naming Host: endpoint are served");
        assertEquals(a.get("AWS_ACCESS_KEY_ID"), endpoint.get("CLICKLOG_LOCALAWS_IAM_ROOT_ACCESS_KEY_ID"));
        assertEquals(a.get("AWS_SECRET_ACCESS_KEY"), endpoint.get("CLICKLOG_LOCALAWS_IAM_ROOT_SECRET_ACCESS_KEY"));
        assertNotEquals(a.get("QUARKUS_DATASOURCE_JDBC_URL"), endpoint.get("QUARKUS_DATASOURCE_JDBC_URL"),
                "the endpoint's own pipelines stay apart from the portals'");
    }

    /** The portals' environment through the portal's own mappings: names the portal does not read fail here. */
    @Test
    void thePortalReadsTheSettingsItIsGiven() {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new EnvConfigSource(environment("portal-a"), 300))
                .withConverter(Duration.class, 200, new DurationConverter())
                .withMapping(AwsConfig.class).withMapping(AuthConfig.class).build();
        AwsConfig aws = config.getConfigMapping(AwsConfig.class);
        assertEquals(AwsConfig.Mode.AWS, aws.mode());
        assertEquals(URI.create("http://endpoint:4566"), aws.endpoint().orElseThrow());
        assertEquals(example.get("CLICKLOG_AWS_REGION"), aws.region().orElseThrow());
        AuthConfig auth = config.getConfigMapping(AuthConfig.class);
        assertEquals(AuthConfig.Mode.OIDC, auth.mode());
        assertEquals("clicklog-admin", auth.oidc().adminRole());
        assertEquals(Map.of("growth-engineers", "growth:member", "growth-viewers", "growth:viewer",
                "web-engineers", "web:member", "web-viewers", "web:viewer"), new TreeMap<>(auth.oidc().groupTeams()));
        assertEquals("jdbc:postgresql://postgres:5432/clicklog", config.getValue("quarkus.datasource.jdbc.url", String.class));
        assertEquals("http://keycloak:8080/realms/clicklog", config.getValue("quarkus.oidc.auth-server-url", String.class));
        assertEquals("true", config.getValue("quarkus.oidc.tenant-enabled", String.class));
    }

    @Test
    void portsArePublishedOnLoopbackOnly() {
        Map<String, List<String>> published = new TreeMap<>();
        services.fields().forEachRemaining(service -> {
            for (JsonNode port : service.getValue().path("ports")) {
                published.computeIfAbsent(service.getKey(), k -> new ArrayList<>()).add(hostIp(port));
            }
        });
        assertEquals(Set.of("endpoint", "keycloak", "portal-a", "portal-b"), published.keySet(), "postgres stays unpublished");
        published.forEach((service, ips) -> assertEquals(List.of("127.0.0.1"), ips, service));
    }

    @Test
    void everySecretComesFromTheEnvironmentFile() throws IOException {
        Map<String, String> secrets = new TreeMap<>();
        example.forEach((name, value) -> {
            if (SECRET_NAME.matcher(name).matches()) {
                secrets.put(name, value);
            }
        });
        assertTrue(secrets.size() >= 8, secrets.toString());
        String compose = Files.readString(COMPOSE);
        secrets.values().forEach(value -> assertFalse(compose.contains(value), "compose.yaml writes " + value));
        // every secret-like setting of every service resolves to a value of the environment file
        services.fields().forEachRemaining(service -> environment(service.getKey()).forEach((name, value) -> {
            if (SECRET_NAME.matcher(name).matches()) {
                assertTrue(secrets.containsValue(value), service.getKey() + " " + name + " is not from the environment file");
            }
        }));
        // the realm's client secrets and passwords are placeholders, filled from Keycloak's environment
        JsonNode realm = new ObjectMapper().readTree(REALM.toFile());
        List<String> sensitive = new ArrayList<>();
        realm.path("clients").forEach(client -> sensitive.add(client.path("secret").asText()));
        realm.path("users").forEach(user -> user.path("credentials").forEach(c -> sensitive.add(c.path("value").asText())));
        assertEquals(4, sensitive.size(), sensitive.toString());
        Map<String, String> keycloak = environment("keycloak");
        for (String value : sensitive) {
            Matcher placeholder = Pattern.compile("\\$\\{([A-Z_]+)}").matcher(value);
            assertTrue(placeholder.matches(), "not a placeholder: " + value);
            assertTrue(secrets.containsKey(placeholder.group(1)), placeholder.group(1) + " is not a secret of the environment file");
        }
        Matcher used = PLACEHOLDER.matcher(Files.readString(REALM));
        while (used.find()) {
            assertTrue(keycloak.containsKey(used.group(1)), "the realm's " + used.group(1) + " is not in Keycloak's environment");
        }
    }

    /** Each variable compose.yaml uses is in .env.example, explained by a comment above it. */
    @Test
    void theExampleEnvironmentNamesAndExplainsEveryVariable() throws IOException {
        Set<String> used = new TreeSet<>();
        Matcher variable = PLACEHOLDER.matcher(Files.readString(COMPOSE).replaceAll("(?m)^\\s*#.*$", ""));
        while (variable.find()) {
            used.add(variable.group(1));
        }
        assertTrue(used.size() >= 10, used.toString());
        Set<String> missing = new TreeSet<>(used);
        missing.removeAll(example.keySet());
        assertEquals(Set.of(), missing, "used by compose.yaml, missing from .env.example");
        List<String> lines = Files.readAllLines(ENV_EXAMPLE);
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).isBlank() && !lines.get(i).startsWith("#")) {
                // a comment above it, or above the group of variables it belongs to
                int above = i - 1;
                while (above >= 0 && !lines.get(above).isBlank() && !lines.get(above).startsWith("#")) {
                    above--;
                }
                assertTrue(above >= 0 && lines.get(above).startsWith("#"), "no comment explains " + lines.get(i));
            }
        }
        assertTrue(Files.readAllLines(Path.of(".gitignore")).contains(".env"), ".env files are never committed");
    }

    /** A required secret left out of the environment file stops Compose with its message. */
    @Test
    void aMissingSecretIsRefused() throws Exception {
        Path partial = Files.createDirectories(Path.of("target", "compose-test")).resolve("missing-secret.env");
        Files.write(partial, Files.readAllLines(ENV_EXAMPLE).stream()
                .filter(line -> !line.startsWith("CLICKLOG_OIDC_CLIENT_SECRET=")).toList());
        ComposeFile.Result result = ComposeFile.config(partial);
        assertNotEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("CLICKLOG_OIDC_CLIENT_SECRET"), result.output());
    }

    private static String hostIp(JsonNode port) {
        if (port.isObject()) { // docker compose (v2): the long syntax
            return port.path("host_ip").asText("0.0.0.0");
        }
        String[] parts = port.asText().split(":"); // docker-compose (v1): ip:published:target
        return parts.length == 3 ? parts[0] : "0.0.0.0";
    }

    private static Map<String, String> environment(String service) {
        return stack.environment(service);
    }
}
