package dev.clicklog.testing;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real AWS CLI against an endpoint, with throwaway credentials (localaws accepts any),
 * so tests can replay the commands a person would type.
 */
public final class AwsCli {

    /** What one CLI invocation printed and how it exited. */
    public record Result(int exitCode, String stdout, String stderr) {
        public Result assertOk() {
            if (exitCode != 0) {
                throw new AssertionError("aws exited " + exitCode + ": " + stderr + stdout);
            }
            return this;
        }
    }

    private final URI endpoint;
    private final String region;
    private final Map<String, String> environment;

    public AwsCli(URI endpoint, String region) {
        this(endpoint, region, Map.of());
    }

    private AwsCli(URI endpoint, String region, Map<String, String> environment) {
        this.endpoint = endpoint;
        this.region = region;
        this.environment = environment;
    }

    /** The same CLI with one more environment variable (e.g. AWS_DATA_PATH for other service models). */
    public AwsCli withEnvironment(String name, String value) {
        Map<String, String> env = new HashMap<>(environment);
        env.put(name, value);
        return new AwsCli(endpoint, region, Map.copyOf(env));
    }

    public Result run(String... args) {
        return run(null, args);
    }

    /** Runs {@code aws --endpoint-url … --region … args…} in the given working directory. */
    public Result run(Path workDir, String... args) {
        List<String> command = new ArrayList<>(List.of("aws", "--endpoint-url", endpoint.toString(), "--region", region,
                "--output", "json"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        if (workDir != null) {
            pb.directory(workDir.toFile());
        }
        var env = pb.environment();
        env.put("AWS_ACCESS_KEY_ID", "test");
        env.put("AWS_SECRET_ACCESS_KEY", "test");
        env.remove("AWS_PROFILE");
        env.put("AWS_CONFIG_FILE", "/dev/null");
        env.put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
        env.put("AWS_PAGER", "");
        env.putAll(environment);
        try {
            // stderr goes to a file so that neither stream can fill up and block the CLI.
            Path errFile = Files.createTempFile("aws-cli", ".err");
            pb.redirectError(errFile.toFile());
            Process p = pb.start();
            p.getOutputStream().close();
            var out = p.getInputStream().readAllBytes();
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("aws " + String.join(" ", args) + " did not finish in 2 minutes");
            }
            String err = Files.readString(errFile);
            Files.deleteIfExists(errFile);
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), err);
        } catch (IOException e) {
            throw new AssertionError("could not run the AWS CLI (is it installed?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
