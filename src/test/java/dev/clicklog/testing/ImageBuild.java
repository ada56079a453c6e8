package dev.clicklog.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The portal's container image, built as CI builds it without a container engine: the base from
 * {@code docker/base/build-base.sh} (cached per machine), then Jib through a nested Maven build of
 * this project ({@code -Pimage -Dquarkus.container-image.build=true}, the PostgreSQL build) into a
 * tarball in {@code docker save} layout. The nested build works on a copy of the sources under
 * {@code target/image-build/}, so the packaged app the other integration tests run
 * ({@code target/quarkus-app}) is left alone.
 *
 * <p>Built once per test JVM ({@link #get()}); the tarball, the image's config and its application
 * layers unpacked stay under {@code target/image-build/} for every test that needs them.
 */
public final class ImageBuild {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long BASE_TIMEOUT_MINUTES = 30;
    private static final long BUILD_TIMEOUT_MINUTES = 20;
    private static ImageBuild built;

    private final Path tarball;
    private final JsonNode config;
    private final Path unpacked;
    private final Path baseTarball;

    private ImageBuild(Path tarball, JsonNode config, Path unpacked, Path baseTarball) {
        this.tarball = tarball;
        this.config = config;
        this.unpacked = unpacked;
        this.baseTarball = baseTarball;
    }

    /** The image, built on first use in this JVM. */
    public static synchronized ImageBuild get() {
        if (built == null) {
            built = build(Path.of("").toAbsolutePath());
        }
        return built;
    }

    /** The image tarball ({@code docker load -i} takes it). */
    public Path tarball() {
        return tarball;
    }

    /** The base image tarball it was built on. */
    public Path baseTarball() {
        return baseTarball;
    }

    /** The image's container config (User, Env, Entrypoint, ExposedPorts, Volumes, Healthcheck, Labels, …). */
    public JsonNode config() {
        return config.path("config");
    }

    /** The layers the image adds to its base, unpacked: the image's file system minus the base. */
    public Path unpacked() {
        return unpacked;
    }

    /** Where a path of the image (such as {@code /deployments}) lies in {@link #unpacked()}. */
    public Path inImage(String absolutePath) {
        return unpacked.resolve(absolutePath.replaceFirst("^/+", ""));
    }

    /** The directory the container starts in, unpacked: the app's files. */
    public Path appDir() {
        return inImage(config().path("WorkingDir").asText("/"));
    }

    /** Extracts one file of the base image (its single layer) to {@code target}. */
    public Path extractFromBase(String absolutePath, Path target) {
        Path work = target.getParent().resolve(".base-extract");
        try {
            Host.deleteTree(work);
            Files.createDirectories(work);
            run(work, BUILD_TIMEOUT_MINUTES, "tar", "-xf", baseTarball.toString(), "-C", work.toString());
            JsonNode manifest = JSON.readTree(work.resolve("manifest.json").toFile()).get(0);
            Path layer = work.resolve(manifest.path("Layers").get(0).asText());
            run(work, BUILD_TIMEOUT_MINUTES, "tar", "-xf", layer.toString(), "-C", work.toString(),
                    "." + absolutePath);
            Files.move(work.resolve("." + absolutePath), target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            Host.deleteTree(work);
        }
    }

    private static ImageBuild build(Path project) {
        Path root = project.resolve("target/image-build");
        try {
            long start = System.nanoTime();
            // the base carries the JDK this build runs with
            String baseOutput = run(project, BASE_TIMEOUT_MINUTES, "env", "JAVA_HOME=" + System.getProperty("java.home"),
                    "bash", project.resolve("docker/base/build-base.sh").toString());
            Path base = Path.of(baseOutput.strip().lines().reduce((a, b) -> b).orElseThrow());
            System.out.printf("image base ready in %.1f s: %s%n", seconds(start), base);

            Path copy = root.resolve("project");
            copySources(project, copy);
            Path tarball = copy.resolve("target/clicklog-portal-image.tar");
            Files.deleteIfExists(tarball);
            start = System.nanoTime();
            // Offline: the build of this project already resolved everything the image build needs.
            run(copy, BUILD_TIMEOUT_MINUTES, "./mvnw", "-o", "-B", "-q", "package", "-Pimage", "-DskipTests",
                    "-Dquarkus.container-image.build=true", "-Dquarkus.datasource.db-kind=postgresql",
                    "-Dquarkus.jib.base-jvm-image=tar://" + base);
            if (!Files.isRegularFile(tarball)) {
                throw new IllegalStateException("the image build wrote no " + tarball);
            }
            System.out.printf("image built in %.1f s: %s (%d MB)%n", seconds(start), tarball, Files.size(tarball) >> 20);

            Path layout = root.resolve("layout");
            Host.deleteTree(layout);
            Files.createDirectories(layout);
            run(layout, BUILD_TIMEOUT_MINUTES, "tar", "-xf", tarball.toString(), "-C", layout.toString());
            JsonNode manifest = JSON.readTree(layout.resolve("manifest.json").toFile()).get(0);
            JsonNode config = JSON.readTree(layout.resolve(manifest.path("Config").asText()).toFile());
            int baseLayers = baseLayerCount(base, root);
            Path unpacked = root.resolve("rootfs");
            Host.deleteTree(unpacked);
            Files.createDirectories(unpacked);
            JsonNode layers = manifest.path("Layers");
            if (layers.size() <= baseLayers) {
                throw new IllegalStateException("the image has no layers of its own over its base: " + manifest);
            }
            for (int i = baseLayers; i < layers.size(); i++) {
                // tar recognises compressed layers by itself
                run(unpacked, BUILD_TIMEOUT_MINUTES, "tar", "-xf", layout.resolve(layers.get(i).asText()).toString(),
                        "-C", unpacked.toString());
            }
            return new ImageBuild(tarball, config, unpacked, base);
        } catch (IOException e) {
            throw new UncheckedIOException("could not build the image under " + root, e);
        }
    }

    /** How many layers the base has: the image's first ones are the base's, unchanged. */
    private static int baseLayerCount(Path base, Path root) throws IOException {
        String manifest = run(root, BUILD_TIMEOUT_MINUTES, "tar", "-xOf", base.toString(), "manifest.json");
        return JSON.readTree(manifest).get(0).path("Layers").size();
    }

    /** What the image build reads; its own target/ is kept, so its compiler has little to do next time. */
    private static void copySources(Path project, Path copy) throws IOException {
        for (String part : List.of("src/main", "src/build", "docker", ".mvn")) {
            Host.deleteTree(copy.resolve(part));
        }
        Files.createDirectories(copy);
        for (String part : List.of("pom.xml", "mvnw", ".mvn", "src/main", "src/build", "docker")) {
            Path from = project.resolve(part);
            try (Stream<Path> files = Files.walk(from)) {
                for (Path file : files.toList()) {
                    Path to = copy.resolve(project.relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(to);
                    } else {
                        Files.createDirectories(to.getParent());
                        Files.copy(file, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
        }
        copy.resolve("mvnw").toFile().setExecutable(true);
    }

    /** Runs a command to its end; its standard output, or a failure with everything it printed. */
    static String run(Path dir, long timeoutMinutes, String... command) {
        try {
            Path out = Files.createTempFile("clicklog-image-", ".out");
            Path err = Files.createTempFile("clicklog-image-", ".err");
            try {
                Process process = new ProcessBuilder(new ArrayList<>(List.of(command))).directory(dir.toFile())
                        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!process.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", command) + " ran longer than " + timeoutMinutes
                            + " min:\n" + tail(out) + tail(err));
                }
                if (process.exitValue() != 0) {
                    throw new IllegalStateException(String.join(" ", command) + " failed with " + process.exitValue()
                            + ":\n" + tail(out) + tail(err));
                }
                return Files.readString(out);
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        }
    }

    private static String tail(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size())) + "\n";
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
