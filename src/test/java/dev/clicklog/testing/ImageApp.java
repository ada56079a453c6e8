package dev.clicklog.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The app of the image ({@link ImageBuild}) started as its container would start it, but with the
 * JDK of this machine: the entrypoint's JVM options and command, the image's environment, then the
 * environment given (a container's), with paths of the image read in its unpacked layers. Tests
 * keep loopback addresses and free ports, so they pass {@code QUARKUS_HTTP_HOST}/{@code _PORT}.
 */
public final class ImageApp implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private final String name;
    private final Process process;
    private final Path log;
    private final URI uri;

    private ImageApp(String name, Process process, Path log, URI uri) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.uri = uri;
    }

    /**
     * Starts the image's app in the image's working directory, as the container does (its
     * class-data-sharing archive names its class path from there), with this container environment,
     * which must name {@code QUARKUS_HTTP_PORT}; its log goes to {@code logDir}. Does not wait for it.
     */
    public static ImageApp launch(ImageBuild image, String name, Map<String, String> environment, Path logDir) {
        String port = environment.get("QUARKUS_HTTP_PORT");
        if (port == null) {
            throw new IllegalArgumentException("the environment names no QUARKUS_HTTP_PORT");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> entrypoint = entrypoint(image.config());
        for (String argument : entrypoint.subList(1, entrypoint.size())) {
            command.add(inImage(image, argument));
        }
        try {
            Files.createDirectories(logDir);
            Path log = logDir.resolve(name + ".log");
            ProcessBuilder builder = new ProcessBuilder(command).directory(image.appDir().toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            Map<String, String> env = builder.environment();
            imageEnvironment(image.config()).forEach((key, value) -> {
                if (!key.equals("PATH") && !key.equals("JAVA_HOME")) {
                    env.put(key, value);
                }
            });
            env.putAll(environment);
            return new ImageApp(name, builder.start(), log, URI.create("http://127.0.0.1:" + port));
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name + " from the image", e);
        }
    }

    /** Waits until {@code /q/health/ready} answers 200; fails with the log when the app exits or is late. */
    public ImageApp awaitReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long launched = System.nanoTime();
        await(name + " ready").atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                return http.send(HttpRequest.newBuilder(uri.resolve("/q/health/ready")).timeout(Duration.ofSeconds(5))
                        .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException notYet) {
                return false;
            }
        });
        System.out.printf("%s (from the image) ready at %s, %.1f s after launch%n", name, uri,
                (System.nanoTime() - launched) / 1e9);
        return this;
    }

    public URI uri() {
        return uri;
    }

    public Process process() {
        return process;
    }

    /** What the app wrote so far. */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Stops the app as a container stop does (SIGTERM) and waits for it. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(name + " still ran 60 s after SIGTERM:\n" + log());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** The command the container runs: its entrypoint followed by its cmd. */
    public static List<String> entrypoint(JsonNode config) {
        List<String> command = new ArrayList<>();
        config.path("Entrypoint").forEach(a -> command.add(a.asText()));
        config.path("Cmd").forEach(a -> command.add(a.asText()));
        if (command.isEmpty()) {
            throw new AssertionError("the image has no entrypoint: " + config);
        }
        return command;
    }

    /** The image's own environment (its {@code Env} entries). */
    public static Map<String, String> imageEnvironment(JsonNode config) {
        Map<String, String> env = new LinkedHashMap<>();
        config.path("Env").forEach(e -> {
            String entry = e.asText();
            int eq = entry.indexOf('=');
            env.put(eq < 0 ? entry : entry.substring(0, eq), eq < 0 ? "" : entry.substring(eq + 1));
        });
        return env;
    }

    /** An argument with the image's absolute paths (alone or after {@code =}) read in its unpacked layers. */
    private static String inImage(ImageBuild image, String argument) {
        int equals = argument.indexOf("=/");
        if (argument.startsWith("/") && !argument.startsWith("/dev")) {
            return image.inImage(argument).toString();
        }
        if (argument.startsWith("-") && equals > 0 && !argument.startsWith("/dev", equals + 1)) {
            Path inImage = image.inImage(argument.substring(equals + 1));
            if (Files.exists(inImage)) {
                return argument.substring(0, equals + 1) + inImage;
            }
        }
        return argument;
    }
}
