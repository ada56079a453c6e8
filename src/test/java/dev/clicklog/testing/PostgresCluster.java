package dev.clicklog.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.sun.security.auth.module.UnixSystem;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A throwaway PostgreSQL server for the tests that run the portal on PostgreSQL: a new cluster
 * (initdb) in a directory of its own under {@code target/}, listening on a free loopback port with
 * trust authentication, and a {@code clicklog} database owned by the portal's user. Stopped and
 * removed afterwards. It uses the server programs of the Debian {@code postgresql} package, which
 * {@code src/test/setup/ensure-test-tools.sh} installs; no containers.
 *
 * <p>initdb refuses to run as root, so under root every server program runs as the {@code postgres}
 * user the package creates, in a directory handed over to that user — under {@code target/} when
 * that user can reach it, else (a checkout under {@code /root}, say) in the system's temporary
 * directory.
 */
public class PostgresCluster implements QuarkusTestResourceLifecycleManager {

    public static final String DATABASE = "clicklog";
    public static final String USER = "clicklog";
    private static final String SERVER_USER = "postgres";
    private static final long COMMAND_TIMEOUT_SECONDS = 120;

    private Path bin;
    private Path dir;
    private Path data;
    private boolean asServerUser;
    private Thread stopOnExit;

    @Override
    public Map<String, String> start() {
        try {
            bin = serverPrograms();
            asServerUser = new UnixSystem().getUid() == 0;
            dir = Files.createDirectories(Path.of("target").toAbsolutePath()).resolve("postgres-" + UUID.randomUUID());
            Files.createDirectory(dir);
            if (asServerUser) {
                handOver(dir);
                if (!serverUserCanWrite(dir)) {
                    Host.deleteTree(dir);
                    dir = Files.createTempDirectory("clicklog-postgres-");
                    handOver(dir);
                }
            }
            data = dir.resolve("data");
            run("initdb", "-D", data.toString(), "-U", SERVER_USER, "-A", "trust", "-E", "UTF8", "--no-locale",
                    "--no-sync");
            int port = Host.freePort();
            // TCP on loopback only (no Unix socket, whose directory may not exist); durability is not needed.
            run("pg_ctl", "-D", data.toString(), "-l", dir.resolve("server.log").toString(), "-w", "-t", "60", "-o",
                    "-c listen_addresses=127.0.0.1 -p " + port + " -c unix_socket_directories='' -c fsync=off"
                            + " -c synchronous_commit=off -c full_page_writes=off",
                    "start");
            stopOnExit = new Thread(this::stopServer, "postgres-cluster-stop");
            Runtime.getRuntime().addShutdownHook(stopOnExit);
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres",
                    SERVER_USER, "");
                    Statement s = c.createStatement()) {
                s.execute("CREATE ROLE " + USER + " LOGIN");
                s.execute("CREATE DATABASE " + DATABASE + " OWNER " + USER);
            }
            return Map.of(
                    "quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE,
                    "quarkus.datasource.username", USER);
        } catch (IOException | SQLException e) {
            Path where = dir;
            stop();
            throw new IllegalStateException("could not start a PostgreSQL server under " + where + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    @Override
    public void stop() {
        if (stopOnExit != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnExit);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs (or ran) anyway
            }
            stopOnExit = null;
        }
        stopServer();
        if (dir != null) {
            Host.deleteTree(dir);
            dir = null;
        }
    }

    private synchronized void stopServer() {
        if (data != null && Files.exists(data.resolve("postmaster.pid"))) {
            run("pg_ctl", "-D", data.toString(), "-m", "fast", "-w", "-t", "60", "stop");
        }
    }

    /** The newest installed major version's programs (Debian keeps each in /usr/lib/postgresql/N/bin). */
    private static Path serverPrograms() throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(root)) {
            try (Stream<Path> versions = Files.list(root)) {
                var found = versions.filter(v -> v.getFileName().toString().matches("\\d+"))
                        .filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                        .max(Comparator.comparingInt(v -> Integer.parseInt(v.getFileName().toString())));
                if (found.isPresent()) {
                    return found.get().resolve("bin");
                }
            }
        }
        throw new IllegalStateException("no PostgreSQL server programs under " + root
                + ": install the Debian package postgresql (src/test/setup/ensure-test-tools.sh does)");
    }

    private static void handOver(Path directory) throws IOException {
        try {
            Files.setOwner(directory,
                    directory.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(SERVER_USER));
        } catch (UserPrincipalNotFoundException e) {
            throw new IllegalStateException("running as root, the PostgreSQL server must run as the user "
                    + SERVER_USER + ", which does not exist (the Debian package postgresql creates it)", e);
        }
    }

    private static boolean serverUserCanWrite(Path directory) throws IOException {
        Process p = new ProcessBuilder("runuser", "-u", SERVER_USER, "--", "test", "-w", directory.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            return p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            p.destroyForcibly();
        }
    }

    /** Runs one of the server programs to its end, bounded; fails with its output when it fails. */
    private void run(String program, String... arguments) {
        List<String> command = new ArrayList<>();
        if (asServerUser) {
            command.addAll(List.of("runuser", "-u", SERVER_USER, "--"));
        }
        command.add(bin.resolve(program).toString());
        command.addAll(List.of(arguments));
        Path output = dir.resolve(program + ".out");
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(program + " did not finish within " + COMMAND_TIMEOUT_SECONDS + " s: "
                        + Files.readString(output));
            }
            if (p.exitValue() != 0) {
                Path log = dir.resolve("server.log");
                throw new IllegalStateException(String.join(" ", command) + " exited with " + p.exitValue() + ": "
                        + Files.readString(output) + (Files.exists(log) ? "\nserver log:\n" + Files.readString(log) : ""));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + program, e);
        }
    }
}
