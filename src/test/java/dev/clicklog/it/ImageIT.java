package dev.clicklog.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.clicklog.testing.AwsCli;
import dev.clicklog.testing.Host;
import dev.clicklog.testing.ImageApp;
import dev.clicklog.testing.ImageBuild;
import dev.clicklog.testing.PostgresCluster;

/**
 * The container image as CI checks it without an engine (docs/image.md): built into a tarball with
 * Jib on the base of {@code docker/base/build-base.sh}, its config read from the tarball, its
 * application layers unpacked and started with this machine's JDK — the entrypoint's JVM options and
 * environment, on loopback and free ports, on a real PostgreSQL — until {@code /q/health/ready}
 * answers UP, as the image's own health check sees it.
 */
class ImageIT {

    private static final String DATA_VOLUME = "/deployments/data";

    private static ImageBuild image;
    private ImageApp app;
    private PostgresCluster postgres;

    @BeforeAll
    static void buildImage() {
        image = ImageBuild.get();
    }

    @AfterEach
    void stopEverything() throws InterruptedException {
        if (app != null && app.process().isAlive()) {
            app.process().destroyForcibly();
            app.process().waitFor(30, TimeUnit.SECONDS);
        }
        if (postgres != null) {
            postgres.stop();
        }
    }

    @Test
    void theImageRunsAsAnUnprivilegedUserAndDeclaresItsPortVolumeAndHealthCheck() throws IOException {
        JsonNode config = image.config();

        String user = config.path("User").asText("");
        String uid = user.split(":")[0];
        assertFalse(uid.isEmpty() || uid.equals("0") || uid.equals("root"), "the image runs as root: User=" + user);

        assertTrue(config.path("ExposedPorts").has("8080/tcp"), "port 8080/tcp exposed: " + config.path("ExposedPorts"));

        List<String> entrypoint = ImageApp.entrypoint(config);
        assertTrue(entrypoint.get(0).equals("java") || entrypoint.get(0).endsWith("/bin/java"),
                "the entrypoint starts java: " + entrypoint);
        assertTrue(entrypoint.stream().anyMatch(a -> a.endsWith("quarkus-run.jar")), "it runs quarkus-run.jar: " + entrypoint);

        assertTrue(ImageApp.imageEnvironment(config).containsKey("QUARKUS_HTTP_HOST"), "QUARKUS_HTTP_HOST set: " + config.path("Env"));
        assertEquals("0.0.0.0", ImageApp.imageEnvironment(config).get("QUARKUS_HTTP_HOST"), "listens on every interface inside");
        // the archive written at package time, passed to the JVM, in the working directory it names paths from
        assertTrue(ImageApp.imageEnvironment(config).getOrDefault("JAVA_TOOL_OPTIONS", "")
                .contains("-XX:SharedArchiveFile=app-cds.jsa"), "the JVM is given the archive: " + config.path("Env"));
        assertTrue(Files.isRegularFile(image.appDir().resolve("app-cds.jsa")), "the archive is in the working directory");

        assertTrue(config.path("Volumes").has(DATA_VOLUME), "the data volume is declared: " + config.path("Volumes"));
        // the portal's data/ (H2, localaws' data-dir) is relative to the working directory: it must be the volume
        assertEquals(DATA_VOLUME, config.path("WorkingDir").asText() + "/data", "data/ lies in the volume");

        JsonNode test = config.path("Healthcheck").path("Test");
        assertEquals("CMD", test.path(0).asText(), "a health check command: " + config.path("Healthcheck"));
        Path probe = image.extractFromBase(test.path(1).asText(), image.unpacked().resolveSibling("healthcheck"));
        assertTrue(Files.readString(probe).contains("/q/health/ready"), "the health check asks /q/health/ready");

        JsonNode labels = config.path("Labels");
        for (String label : List.of("title", "description", "version", "source", "licenses")) {
            String value = labels.path("org.opencontainers.image." + label).asText("");
            assertFalse(value.isBlank(), "label org.opencontainers.image." + label + ": " + labels);
        }
        assertEquals("Clicklog Portal", labels.path("org.opencontainers.image.title").asText());
    }

    @Test
    void theAppInTheImageBecomesReadyOnPostgresql() throws Exception {
        JsonNode config = image.config();
        Path probe = image.extractFromBase(config.path("Healthcheck").path("Test").path(1).asText(),
                image.unpacked().resolveSibling("healthcheck"));
        probe.toFile().setExecutable(true);
        Path appDir = image.appDir();
        assertTrue(Files.isDirectory(appDir), "the working directory is in the image's own layers: " + appDir);

        postgres = new PostgresCluster();
        Map<String, String> database = postgres.start();
        int port = Host.freePort();
        int awsPort = Host.freePort();
        // what the container's environment cannot be here: loopback and free ports
        Map<String, String> environment = new HashMap<>(Map.of("QUARKUS_HTTP_HOST", "127.0.0.1",
                "QUARKUS_HTTP_PORT", String.valueOf(port), "CLICKLOG_LOCALAWS_PORT", String.valueOf(awsPort)));
        database.forEach((key, value) -> environment.put(key.toUpperCase().replaceAll("[.-]", "_"), value));
        // the image's own JVM options, and a record of where each class a start loads came from
        Path classLog = appDir.resolveSibling("logs").resolve("class-load.log");
        Files.createDirectories(classLog.getParent());
        environment.put("JAVA_TOOL_OPTIONS", ImageApp.imageEnvironment(config).getOrDefault("JAVA_TOOL_OPTIONS", "")
                + " -Xlog:class+load=info:file=" + classLog);

        assertNotEquals(0, healthCheck(probe, port), "the health check fails while nothing listens");
        app = ImageApp.launch(image, "app", environment, appDir.resolveSibling("logs"));
        try {
            app.awaitReady();
            String log = app.log();
            // a class-data-sharing archive the JVM refuses is only a warning, and a slow start
            assertFalse(log.contains("[cds") || log.contains("shared archive"), "the archive maps:\n" + log);
            assertArchiveCoversTheStart(classLog);
            assertTrue(log.contains("postgresql") || log.contains("PostgreSQL"),
                    "the app is the PostgreSQL build (it migrated PostgreSQL):\n" + log);
            assertEquals(0, healthCheck(probe, port), "the image's health check sees the app ready");
            // localaws keeps object bodies under its data-dir, data/localaws by default: in the volume
            AwsCli aws = new AwsCli(URI.create("http://127.0.0.1:" + awsPort), "us-east-1");
            aws.run("s3api", "create-bucket", "--bucket", "image-volume-check").assertOk();
            String click = "{\"page\":\"/image-volume-check\"}";
            Path body = Files.writeString(appDir.resolveSibling("click.json"), click);
            aws.run("s3api", "put-object", "--bucket", "image-volume-check", "--key", "click.json", "--body",
                    body.toString()).assertOk();
            assertTrue(containsFileWith(image.inImage(DATA_VOLUME), click), "the object's body is in the data volume");
        } catch (AssertionError | RuntimeException e) {
            System.out.println("==== the app's log ====\n" + app.log());
            throw e;
        }
        app.close();
        assertNotEquals(0, healthCheck(probe, port), "the health check fails once the app is gone");
    }

    /**
     * The archive in the image is the build's training start's, which holds what a whole start loads, not
     * Quarkus' own (the classes loaded until the beans are built: with the JDK's own, a little over half of
     * a start's): nearly every class loaded on the way to ready comes from it.
     */
    private static void assertArchiveCoversTheStart(Path classLog) throws IOException {
        List<String> loaded = Files.readAllLines(classLog).stream().filter(l -> l.contains(" source: ")).toList();
        long shared = loaded.stream().filter(l -> l.contains("source: shared objects file")).count();
        assertTrue(loaded.size() > 5_000, "a start loads thousands of classes: " + loaded.size());
        assertTrue(shared >= loaded.size() * 0.9, "of the " + loaded.size() + " classes loaded until ready, only "
                + shared + " came from the image's archive: it is not the training start's");
    }

    private static boolean containsFileWith(Path dir, String content) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                if (Files.size(file) == content.length() && Files.readString(file).equals(content)) {
                    return true;
                }
            }
        }
        return false;
    }

    private int healthCheck(Path probe, int port) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("bash", probe.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        Process process = builder.start();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the health check ends within 30 s");
        return process.exitValue();
    }

}
