import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Writes the class-data-sharing archives of the packaged portal, run by the build after packaging
 * ({@code java src/build/CdsTraining.java <project dir> <app dir> [database kind built for]}).
 *
 * <p>Quarkus' own archive holds the classes its build-time start loads, which ends before the portal
 * serves anything (about a third of what a start loads). Here the packaged portal is started for real,
 * on free loopback ports with a throwaway database and data directory, signed in to and asked for a
 * page and the pipeline list; it is then stopped and the JVM writes every class it loaded into the
 * archive as it exits. The database is the build's kind: an H2 file, or for a PostgreSQL build a
 * PostgreSQL server started here for the purpose (its programs from Debian's {@code postgresql}
 * package; without them the build keeps Quarkus' archive and says so).
 *
 * <p>The JVM accepts an archive only with the class path it was written with, as written, and relative
 * paths count from the working directory. So there are two archives, one per way the portal is
 * launched:
 * <ul>
 * <li>{@code <app dir>/app-cds.jsa}, replacing Quarkus' one: {@code java -jar quarkus-run.jar} from the
 * app directory, as an image runs it;</li>
 * <li>{@code target/clicklog-portal.jsa}: {@code java -jar target/quarkus-app/quarkus-run.jar} from the
 * project directory, the documented launch.</li>
 * </ul>
 * Both belong to this build and to the JDK running this program; another JVM build refuses them (with a
 * warning, and starts without).
 */
public class CdsTraining {

    private static final Duration READY_WITHIN = Duration.ofMinutes(3);
    /** Stopping includes writing the archive; an ahead-of-time cache is assembled by a second JVM meanwhile. */
    private static final Duration EXIT_WITHIN = Duration.ofMinutes(3);
    private static final String PASSWORD = "archive-training";

    private final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Path scratchRoot;
    private volatile Process running;

    private CdsTraining(Path scratchRoot) {
        this.scratchRoot = scratchRoot;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: java CdsTraining.java <project dir> <app dir> [database kind built for]");
            System.exit(2);
        }
        Path project = Path.of(args[0]).toAbsolutePath().normalize();
        Path app = Path.of(args[1]).toAbsolutePath().normalize();
        if (!Files.isRegularFile(app.resolve("quarkus-run.jar"))) {
            fail("no packaged portal at " + app.resolve("quarkus-run.jar"));
        }
        String dbKind = args.length > 2 && !args[2].isBlank() && !args[2].startsWith("${") ? args[2]
                : System.getenv().getOrDefault("QUARKUS_DATASOURCE_DB_KIND", "h2");
        if (!dbKind.equals("h2") && !dbKind.equals("postgresql")) {
            System.out.println("[cds] built for " + dbKind + ": no training start; app-cds.jsa stays Quarkus' archive"
                    + " (the classes loaded until its beans are built)");
            return;
        }
        CdsTraining training = new CdsTraining(project.resolve("target"));
        Runtime.getRuntime().addShutdownHook(new Thread(training::stopRunning));
        try (Database database = dbKind.equals("h2") ? new EmbeddedDatabase() : ThrowawayPostgres.start()) {
            if (database == null) {
                // a build for PostgreSQL trains on a real one; without its server programs there is none to start
                System.out.println("[cds] built for postgresql, but no PostgreSQL server programs under "
                        + ThrowawayPostgres.PROGRAMS + " to train on (Debian package postgresql): app-cds.jsa stays"
                        + " Quarkus' archive (the classes loaded until its beans are built)");
                return;
            }
            training.train(app, Path.of("quarkus-run.jar"), app.resolve("app-cds.jsa"), database);
            training.train(project, project.relativize(app.resolve("quarkus-run.jar")),
                    project.resolve("target/clicklog-portal.jsa"), database);
        } catch (TrainingFailed e) {
            fail(e.getMessage());
        }
    }

    /** One start from {@code workDir} with {@code -jar jar}, the archive written to {@code archive}. */
    private void train(Path workDir, Path jar, Path archive, Database database) throws Exception {
        Instant started = Instant.now();
        Path scratch = Files.createTempDirectory(scratchRoot, "cds-training-");
        Path written = scratch.resolve("archive.jsa");
        Path log = scratch.resolve("portal.log");
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(java.toString(),
                // JDK 25 and later write an ahead-of-time cache (classes loaded and linked, and method profiles),
                // which -XX:SharedArchiveFile also takes; older JDKs a dynamic class-data-sharing archive.
                Runtime.version().feature() >= 25 ? "-XX:AOTCacheOutput=" + written : "-XX:ArchiveClassesAtExit=" + written,
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port,
                "-Dclicklog.localaws.port=" + freePort(),
                "-Dclicklog.localaws.data-dir=" + scratch.resolve("localaws"),
                "-Dquarkus.datasource.jdbc.url=" + database.freshUrl(scratch),
                "-Dclicklog.auth.admin-password=" + PASSWORD,
                "-Dclicklog.auth.bcrypt-cost=4",
                "-jar", jar.toString()));
        try {
            running = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            awaitReady(port, log);
            exercise(port);
            running.destroy(); // SIGTERM: the portal stops and the JVM writes the archive as it exits
            if (!running.waitFor(EXIT_WITHIN.toSeconds(), TimeUnit.SECONDS)) {
                fail("the portal did not stop within " + EXIT_WITHIN.toSeconds() + " s", log);
            }
            running = null;
            if (!Files.isRegularFile(written) || Files.size(written) == 0) {
                fail("the JVM wrote no archive", log);
            }
            Files.deleteIfExists(archive); // Quarkus writes its archive read-only
            Files.move(written, archive, StandardCopyOption.REPLACE_EXISTING);
            System.out.printf("[cds] %s for `java -jar %s` from %s (%d MiB, %.1f s)%n", archive.getFileName(), jar,
                    workDir, Files.size(archive) >> 20, Duration.between(started, Instant.now()).toMillis() / 1000.0);
        } finally {
            stopRunning();
            deleteTree(scratch);
        }
    }

    private void awaitReady(int port, Path log) throws Exception {
        Instant deadline = Instant.now().plus(READY_WITHIN);
        HttpRequest ready = HttpRequest.newBuilder(url(port, "/q/health/ready")).timeout(Duration.ofSeconds(5)).build();
        while (Instant.now().isBefore(deadline)) {
            if (!running.isAlive()) {
                fail("the portal exited with status " + running.exitValue() + " before it was ready", log);
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // polled again below
            }
            Thread.sleep(50);
        }
        fail("the portal was not ready within " + READY_WITHIN.toSeconds() + " s", log);
    }

    /** What a first user does: the sign-in page, signing in, the pipelines page and the API's list. */
    private void exercise(int port) throws Exception {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        browser.send(HttpRequest.newBuilder(url(port, "/sign-in")).build(), HttpResponse.BodyHandlers.discarding());
        browser.send(HttpRequest.newBuilder(url(port, "/sign-in"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=admin&password=" + PASSWORD)).build(),
                HttpResponse.BodyHandlers.discarding());
        browser.send(HttpRequest.newBuilder(url(port, "/")).build(), HttpResponse.BodyHandlers.discarding());
        String basic = Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes());
        http.send(HttpRequest.newBuilder(url(port, "/api/pipelines")).header("Authorization", "Basic " + basic).build(),
                HttpResponse.BodyHandlers.discarding());
    }

    private void stopRunning() {
        Process process = running;
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static URI url(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void fail(String why, Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        System.err.println("[cds] last lines of the training start's log:");
        lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(System.err::println);
        throw new TrainingFailed(why);
    }

    /** Where a training start keeps the portal's tables: each start gets an empty database of its own. */
    private interface Database extends AutoCloseable {
        /** The JDBC URL of a new, empty database ({@code scratch} is the start's own scratch directory). */
        String freshUrl(Path scratch) throws IOException, InterruptedException;

        @Override
        void close() throws IOException, InterruptedException;
    }

    /** The H2 build's: a file in the start's scratch directory. */
    private static final class EmbeddedDatabase implements Database {
        @Override
        public String freshUrl(Path scratch) {
            return "jdbc:h2:file:" + scratch.resolve("clicklog") + ";DB_CLOSE_ON_EXIT=FALSE";
        }

        @Override
        public void close() {
        }
    }

    /**
     * The PostgreSQL build's: a server of its own (initdb) in a temporary directory, on a free loopback
     * port with trust authentication, stopped and removed afterwards. Server programs refuse to run as
     * root, so there they run as the {@code postgres} user that Debian's package creates.
     */
    private static final class ThrowawayPostgres implements Database {
        static final Path PROGRAMS = Path.of("/usr/lib/postgresql");
        private static final String SERVER_USER = "postgres";
        private static final String PORTAL_USER = "clicklog";

        private final Path bin;
        private final Path dir;
        private final boolean asServerUser;
        private final int port;
        private int databases;

        private ThrowawayPostgres(Path bin, Path dir, boolean asServerUser, int port) {
            this.bin = bin;
            this.dir = dir;
            this.asServerUser = asServerUser;
            this.port = port;
        }

        /** A running server, or null when this machine has no PostgreSQL server programs. */
        static ThrowawayPostgres start() throws IOException, InterruptedException {
            Path bin = newestPrograms();
            if (bin == null) {
                return null;
            }
            boolean asServerUser = "root".equals(System.getProperty("user.name"));
            Path dir = Files.createTempDirectory("clicklog-cds-postgres-");
            if (asServerUser) {
                Files.setOwner(dir, dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(SERVER_USER));
            }
            ThrowawayPostgres server = new ThrowawayPostgres(bin, dir, asServerUser, freePort());
            try {
                server.run("initdb", "-D", server.data(), "-U", SERVER_USER, "-A", "trust", "-E", "UTF8",
                        "--no-locale", "--no-sync");
                server.run("pg_ctl", "-D", server.data(), "-l", dir.resolve("server.log").toString(), "-w", "-t", "60",
                        "-o", "-c listen_addresses=127.0.0.1 -p " + server.port + " -c unix_socket_directories=''"
                                + " -c fsync=off", "start");
                server.run("createuser", "-h", "127.0.0.1", "-p", String.valueOf(server.port), "-U", SERVER_USER,
                        PORTAL_USER);
                return server;
            } catch (IOException | InterruptedException | RuntimeException e) {
                server.close();
                throw e;
            }
        }

        @Override
        public String freshUrl(Path scratch) throws IOException, InterruptedException {
            String name = "training" + ++databases;
            run("createdb", "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", SERVER_USER, "-O", PORTAL_USER, name);
            return "jdbc:postgresql://127.0.0.1:" + port + "/" + name;
        }

        @Override
        public void close() throws IOException, InterruptedException {
            try {
                if (Files.exists(dir.resolve("data/postmaster.pid"))) {
                    run("pg_ctl", "-D", data(), "-m", "immediate", "-w", "-t", "60", "stop");
                }
            } finally {
                deleteTree(dir);
            }
        }

        private String data() {
            return dir.resolve("data").toString();
        }

        private void run(String program, String... arguments) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>();
            if (asServerUser) {
                command.addAll(List.of("runuser", "-u", SERVER_USER, "--"));
            }
            command.add(bin.resolve(program).toString());
            command.addAll(List.of(arguments));
            Path output = Files.createTempFile("clicklog-cds-", ".out");
            try {
                Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                        .redirectOutput(output.toFile()).start();
                if (!process.waitFor(2, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    throw new TrainingFailed(program + " ran longer than 2 minutes: " + Files.readString(output));
                }
                if (process.exitValue() != 0) {
                    throw new TrainingFailed(String.join(" ", command) + " exited with " + process.exitValue() + ": "
                            + Files.readString(output));
                }
            } finally {
                Files.deleteIfExists(output);
            }
        }

        /** Debian keeps each major version's server programs in /usr/lib/postgresql/N/bin. */
        private static Path newestPrograms() throws IOException {
            if (!Files.isDirectory(PROGRAMS)) {
                return null;
            }
            try (Stream<Path> versions = Files.list(PROGRAMS)) {
                return versions.filter(v -> v.getFileName().toString().matches("\\d+"))
                        .filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                        .max(Comparator.comparingInt(v -> Integer.parseInt(v.getFileName().toString())))
                        .map(v -> v.resolve("bin")).orElse(null);
            }
        }
    }

    private static final class TrainingFailed extends RuntimeException {
        TrainingFailed(String why) {
            super(why);
        }
    }

    private static void fail(String why) {
        System.err.println("[cds] class-data-sharing archive not written: " + why
                + " (package with -Dclicklog.cds.skip=true to go without)");
        System.exit(1);
    }
}
