package dev.clicklog.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.clicklog.testing.Host;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * A live reload in {@code quarkus:dev} keeps localaws' state: README's run command, on free ports
 * and a data directory of the test's own, with its console reading keys from a pipe. A stream and
 * its records made before the reload (forced with the console's {@code s}, as a developer presses
 * it) are read back after it; the reload's replay of the data directory is logged and printed.
 */
class DevModeReloadIT {

    private static final Duration START = Duration.ofMinutes(5);
    private static final Pattern REPLAYED = Pattern.compile("localaws storage: .* replayed in (\\d+) ms");
    private static final String RELOADED = "Live reload total time";

    @TempDir
    Path work;

    private Process devMode;

    @AfterEach
    void stopDevMode() throws InterruptedException {
        if (devMode == null) {
            return;
        }
        // Maven runs the application in a child JVM: stop the whole tree.
        List<ProcessHandle> tree = devMode.descendants().toList();
        devMode.destroy();
        tree.forEach(ProcessHandle::destroy);
        if (!devMode.waitFor(30, TimeUnit.SECONDS)) {
            devMode.destroyForcibly();
        }
        tree.forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void aReloadKeepsAStreamAndItsRecords() throws Exception {
        int httpPort = Host.freePort();
        int localawsPort = Host.freePort();
        Path log = work.resolve("dev.log");
        ProcessBuilder builder = new ProcessBuilder("./mvnw", "-B", "quarkus:dev",
                "-Dquarkus.http.port=" + httpPort,
                "-Dclicklog.localaws.port=" + localawsPort,
                "-Dclicklog.localaws.data-dir=" + work.resolve("localaws"),
                "-Dquarkus.datasource.jdbc.url=jdbc:h2:file:" + work.resolve("db/clicklog") + ";DB_CLOSE_ON_EXIT=FALSE",
                "-Dclicklog.auth.admin-password=dev-mode-admin-password",
                "-Dclicklog.auth.bcrypt-cost=4",
                // keys from the pipe below; no question about build analytics waiting for an answer
                "-Dquarkus.console.basic=true",
                "-Dquarkus.analytics.disabled=true",
                // no debugger port: 5005 may be taken
                "-Ddebug=false")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        devMode = builder.start();
        OutputStream keys = devMode.getOutputStream();
        HttpClient http = HttpClient.newHttpClient();
        awaitReady(http, httpPort, log);

        URI endpoint = URI.create("http://127.0.0.1:" + localawsPort);
        try (KinesisClient kinesis = KinesisClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build()) {
            kinesis.createStream(b -> b.streamName("dev-clicks").shardCount(1));
            await("stream ACTIVE").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> kinesis.describeStreamSummary(b -> b.streamName("dev-clicks")).streamDescriptionSummary()
                            .streamStatus() == StreamStatus.ACTIVE);
            List<PutRecordsRequestEntry> entries = IntStream.range(0, 100).mapToObj(i -> PutRecordsRequestEntry.builder()
                    .partitionKey("k" + i).data(SdkBytes.fromUtf8String("{\"click\":" + i + "}")).build()).toList();
            assertEquals(0, kinesis.putRecords(b -> b.streamName("dev-clicks").records(entries)).failedRecordCount());
            List<String> before = records(kinesis);
            assertEquals(100, before.size());

            int replaysBefore = replays(log).size();
            keys.write("s\n".getBytes(StandardCharsets.US_ASCII));
            keys.flush();
            await("the live reload").atMost(START).pollInterval(Duration.ofMillis(200)).until(() -> {
                assertTrue(devMode.isAlive(), () -> "dev mode exited:\n" + tail(log));
                return Files.readString(log).contains(RELOADED) && replays(log).size() > replaysBefore;
            });
            awaitReady(http, httpPort, log);
            List<Long> replays = replays(log);
            System.out.printf("dev mode: the reload replayed localaws' data directory in %d ms%n",
                    replays.get(replays.size() - 1));
            assertEquals(before, records(kinesis), "the stream's records after the reload");
        }
    }

    private List<String> records(KinesisClient kinesis) {
        String iterator = kinesis.getShardIterator(b -> b.streamName("dev-clicks").shardId("shardId-000000000000")
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        return kinesis.getRecords(b -> b.shardIterator(iterator)).records().stream()
                .map(r -> r.sequenceNumber() + " " + r.data().asUtf8String()).toList();
    }

    private static List<Long> replays(Path log) throws IOException {
        Matcher m = REPLAYED.matcher(Files.readString(log));
        return m.results().map(r -> Long.parseLong(r.group(1))).toList();
    }

    private void awaitReady(HttpClient http, int port, Path log) {
        await("dev mode ready").atMost(START).pollInterval(Duration.ofMillis(500)).until(() -> {
            assertTrue(devMode.isAlive(), () -> "dev mode exited:\n" + tail(log));
            try {
                return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException notYet) {
                return false;
            }
        });
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
