package dev.clicklog.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * {@code docker/compose.yaml} as Docker Compose resolves it ({@code config}, which needs no engine)
 * with an environment file: the services and the environment each one gets.
 */
public final class ComposeFile {

    public static final Path COMPOSE = Path.of("docker", "compose.yaml");
    public static final Path ENV_EXAMPLE = Path.of("docker", ".env.example");
    public static final Path REALM = Path.of("docker", "keycloak", "clicklog-realm.json");

    /** What a Compose command answered. */
    public record Result(int exitCode, String output) {
    }

    private final JsonNode services;

    private ComposeFile(JsonNode services) {
        this.services = services;
    }

    /** The stack resolved with this environment file; fails with Compose's output when it refuses. */
    public static ComposeFile resolve(Path envFile) {
        Result result = config(envFile);
        if (result.exitCode() != 0) {
            throw new AssertionError("compose config failed: " + result.output());
        }
        try {
            // docker compose answers JSON, docker-compose YAML; JSON is YAML
            return new ComposeFile(new YAMLMapper().readTree(result.output()).get("services"));
        } catch (IOException e) {
            throw new AssertionError("compose config answered what is not YAML: " + result.output(), e);
        }
    }

    /** The resolved services, as Compose prints them. */
    public JsonNode services() {
        return services;
    }

    /** The environment of one service, as its container would get it. */
    public Map<String, String> environment(String service) {
        Map<String, String> environment = new LinkedHashMap<>();
        services.get(service).path("environment").fields()
                .forEachRemaining(e -> environment.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText()));
        return environment;
    }

    /** The variables of an environment file (NAME=value lines; comments skipped). */
    public static Map<String, String> envFile(Path file) {
        Map<String, String> values = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                int equals = line.indexOf('=');
                if (!line.startsWith("#") && equals > 0) {
                    values.put(line.substring(0, equals).trim(), line.substring(equals + 1).trim());
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file, e);
        }
        return values;
    }

    /**
     * {@code docker compose config} where the Compose plugin is installed, else the standalone
     * {@code docker-compose} (src/test/setup/ensure-test-tools.sh installs it where neither is).
     */
    public static Result config(Path envFile) {
        List<String> command;
        if (run(List.of("docker", "compose", "version")).exitCode() == 0) {
            command = new ArrayList<>(List.of("docker", "compose", "-f", COMPOSE.toString(), "--env-file",
                    envFile.toString(), "config", "--format", "json"));
        } else {
            command = new ArrayList<>(List.of("docker-compose", "-f", COMPOSE.toString(), "--env-file", envFile.toString(),
                    "config"));
        }
        return run(command);
    }

    private static Result run(List<String> command) {
        Path output = null;
        try {
            output = Files.createTempFile("compose", ".out");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
            // only what the command line names: no variable of this machine fills the file
            builder.environment().keySet().removeIf(name -> name.startsWith("CLICKLOG_") || name.startsWith("COMPOSE_")
                    || name.startsWith("KEYCLOAK_") || name.startsWith("PORTAL_"));
            Process process;
            try {
                process = builder.start();
            } catch (IOException notInstalled) {
                return new Result(127, command.get(0) + ": " + notInstalled.getMessage());
            }
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command + " did not finish in 60 s");
            }
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("could not run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        } finally {
            if (output != null) {
                output.toFile().delete();
            }
        }
    }
}
