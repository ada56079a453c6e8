package dev.clicklog.testing;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * moto's server ({@code moto_server}, installed by {@code src/test/setup/ensure-test-tools.sh}), started
 * on a free loopback port: another AWS-compatible endpoint, for the portal to be tried against as
 * teams run it. Closing it stops the process.
 */
public final class MotoServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final URI uri;
    private final Path log;

    private MotoServer(Process process, URI uri, Path log) {
        this.process = process;
        this.uri = uri;
        this.log = log;
    }

    /** Starts moto_server and waits until it answers; fails saying how to install it when it is missing. */
    public static MotoServer start(Path workDir) {
        String executable = executable().orElseThrow(() -> new IllegalStateException(
                "moto_server is missing: the tests against moto need moto[server] 5.2.1 "
                        + "(src/test/setup/ensure-test-tools.sh installs it with pip)"));
        int port = Host.freePort();
        URI uri = URI.create("http://127.0.0.1:" + port);
        try {
            Files.createDirectories(workDir);
            Path log = workDir.resolve("moto-" + port + ".log");
            Process process = new ProcessBuilder(executable, "-H", "127.0.0.1", "-p", Integer.toString(port))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            MotoServer moto = new MotoServer(process, uri, log);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            await("moto_server on " + uri).atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
                if (!process.isAlive()) {
                    throw new AssertionError("moto_server exited with " + process.exitValue() + ":\n" + Files.readString(log));
                }
                try {
                    return http.send(HttpRequest.newBuilder(uri.resolve("/moto-api/")).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                } catch (IOException notYet) {
                    return false;
                }
            });
            return moto;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start moto_server", e);
        }
    }

    /** moto_server on the PATH, or where ensure-test-tools.sh installs it when Python's own pip may not. */
    static Optional<String> executable() {
        Stream<Path> onPath = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty()).map(dir -> Path.of(dir, "moto_server"));
        Path venv = Path.of(System.getProperty("user.home"), ".cache", "clicklog", "moto", "bin", "moto_server");
        return Stream.concat(onPath, Stream.of(venv)).filter(Files::isExecutable).findFirst().map(Path::toString);
    }

    public URI uri() {
        return uri;
    }

    /** What moto_server printed, for a failing test's report. */
    public List<String> log() {
        try {
            return Files.readAllLines(log);
        } catch (IOException e) {
            return List.of("(no log: " + e.getMessage() + ")");
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
