package dev.clicklog.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * botocore's service models, which the AWS CLI the tests install ships: the operations, shapes,
 * protocols and HTTP bindings of every AWS service, the reference localaws is held to.
 */
public final class Botocore {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path data;

    private Botocore() {
    }

    /** The newest model of a service by its botocore name ("kinesis", "cloudwatch", …). */
    public static ObjectNode model(String service) {
        Path dir = data().resolve(service);
        try (Stream<Path> versions = Files.list(dir)) {
            Path version = versions.filter(Files::isDirectory).max(Comparator.naturalOrder())
                    .orElseThrow(() -> new IllegalStateException("no model of " + service + " in " + dir));
            Path gz = version.resolve("service-2.json.gz");
            try (InputStream in = Files.exists(gz) ? new GZIPInputStream(Files.newInputStream(gz))
                    : Files.newInputStream(version.resolve("service-2.json"))) {
                return (ObjectNode) JSON.readTree(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code botocore/data}, found through the Python that runs the AWS CLI. */
    private static synchronized Path data() {
        if (data == null) {
            try {
                Process p = new ProcessBuilder("python3", "-c",
                        "import botocore,os;print(os.path.dirname(botocore.__file__))").redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                if (p.waitFor() != 0) {
                    throw new IllegalStateException("botocore not found: " + out);
                }
                data = Path.of(out, "data");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return data;
    }
}
