package dev.clicklog.it;

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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import dev.clicklog.testing.Host;
import dev.clicklog.testing.SignedIn;
import io.restassured.specification.RequestSpecification;

/**
 * Portals run as the packaged app runs in production: {@code java -jar target/quarkus-app/quarkus-run.jar}
 * in processes of their own, each with its settings as system properties and its output in a log
 * file. After each test every process still running is killed; when the test failed, their logs
 * are printed first.
 */
final class PortalProcesses implements AfterEachCallback {

    /** A started portal: its process, its log, and where its HTTP server listens. */
    record Portal(String name, Process process, Path log, URI uri) {

        /** A request to this portal's API as its administrator (Basic credentials). */
        RequestSpecification api() {
            return SignedIn.basic(SignedIn.ADMIN, SignedIn.ADMIN_PASSWORD).baseUri(uri.toString());
        }

        /** A request to this portal's pages as its administrator, signed in at its sign-in page. */
        RequestSpecification pages() {
            return SignedIn.session(SignedIn.signIn(uri, SignedIn.ADMIN, SignedIn.ADMIN_PASSWORD))
                    .baseUri(uri.toString());
        }
    }

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final int LOG_LINES_SHOWN = 300;

    private final Path jar = Path.of(System.getProperty("clicklog.app.jar", "target/quarkus-app/quarkus-run.jar"))
            .toAbsolutePath();
    private final Path workDir = Path.of("target", "it-portals", UUID.randomUUID().toString()).toAbsolutePath();
    private final List<Portal> started = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** Kills what is left should the test JVM itself be stopped. */
    private final Thread killOnExit = new Thread(this::killAll, "portal-processes-kill");

    PortalProcesses() {
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /** Where the portals keep their files (database, localaws data, logs). */
    Path workDir() {
        return workDir;
    }

    /**
     * Starts a portal on a free port with these settings (system properties) and waits until it is
     * ready; fails with its log if it exits or is not ready in time.
     */
    Portal start(String name, Map<String, String> settings) {
        return start(name, settings, "384m");
    }

    /** As {@link #start(String, Map)}, with the heap capped at {@code maxHeap} (-Xmx). */
    Portal start(String name, Map<String, String> settings, String maxHeap) {
        Portal portal = launch(name, settings, maxHeap);
        Process process = portal.process();
        Path log = portal.log();
        long launched = System.nanoTime();
        await("portal " + name + " ready").atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("portal " + name + " exited with " + process.exitValue() + ":\n" + tail(log));
            }
            return ready(portal);
        });
        System.out.printf("portal %s ready at %s, %.1f s after launch%n", name, portal.uri(),
                (System.nanoTime() - launched) / 1e9);
        return portal;
    }

    /** Launches a portal as {@link #start(String, Map, String)} does, without waiting for it. */
    Portal launch(String name, Map<String, String> settings, String maxHeap) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: the integration tests run the packaged app (mvn verify)");
        }
        int port = Host.freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + maxHeap);
        command.add("-Dquarkus.http.port=" + port);
        // a known administrator, as the tests' own profile has one, checked as cheaply as there
        command.add("-Dclicklog.auth.admin-password=" + SignedIn.ADMIN_PASSWORD);
        command.add("-Dclicklog.auth.bcrypt-cost=4");
        settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", jar.toString()));
        Path log = workDir.resolve(name + ".log");
        Process process;
        try {
            Files.createDirectories(workDir);
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            // localaws takes any credentials; a portal in aws mode finds these through the SDK's default chain
            builder.environment().put("AWS_ACCESS_KEY_ID", "test");
            builder.environment().put("AWS_SECRET_ACCESS_KEY", "test");
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start portal " + name, e);
        }
        Portal portal = new Portal(name, process, log, URI.create("http://127.0.0.1:" + port));
        started.add(portal);
        return portal;
    }

    /** Stops the portal as an operator does: SIGTERM, then its own shutdown; returns its exit code. */
    int stop(Portal portal) {
        portal.process().destroy();
        try {
            if (!portal.process().waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("portal " + portal.name() + " still runs 60 s after SIGTERM:\n" + tail(portal.log()));
            }
            return portal.process().exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while stopping portal " + portal.name(), e);
        }
    }

    /** Kills the portal as a crash would: SIGKILL, no shutdown of any kind. */
    void kill(Portal portal) {
        portal.process().destroyForcibly();
        try {
            if (!portal.process().waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError("portal " + portal.name() + " still runs 30 s after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while killing portal " + portal.name(), e);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            if (context.getExecutionException().isPresent()) {
                for (Portal portal : started) {
                    System.out.println("==== portal " + portal.name() + " (" + portal.uri() + ", "
                            + (portal.process().isAlive() ? "running" : "exit " + portal.process().exitValue())
                            + "), last lines of " + portal.log() + " ====\n" + tail(portal.log()));
                }
            }
        } finally {
            killAll();
            try {
                Runtime.getRuntime().removeShutdownHook(killOnExit);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
        if (context.getExecutionException().isEmpty()) {
            Host.deleteTree(workDir);
        }
    }

    private void killAll() {
        for (Portal portal : started) {
            portal.process().destroyForcibly();
        }
        for (Portal portal : started) {
            try {
                portal.process().waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private boolean ready(Portal portal) {
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(portal.uri().resolve("/q/health/ready"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_LINES_SHOWN), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
