package dev.clicklog.endpoint;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Where the product and the embedded AWS endpoint meet (with {@link AllowedHosts}, all they share). The embedded
 * endpoint (localaws) asks whether it is wanted and publishes the address it bound; the portal's
 * AWS client producer reads that address. Neither half imports the other, so localaws could be
 * cut out as a program of its own and the portal would only notice a different URL.
 */
@ApplicationScoped
public class LocalEndpoint {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final boolean embedded;
    private final CompletableFuture<URI> uri = new CompletableFuture<>();

    public LocalEndpoint(@ConfigProperty(name = "clicklog.aws.mode", defaultValue = "local") String mode) {
        this.embedded = "local".equalsIgnoreCase(mode.strip());
    }

    /** Whether the portal runs on the embedded endpoint ({@code clicklog.aws.mode=local}), so it must start. */
    public boolean embedded() {
        return embedded;
    }

    public void publish(URI endpoint) {
        uri.complete(endpoint);
    }

    public boolean published() {
        return uri.isDone();
    }

    /** The endpoint, waiting for it to start listening if needed. */
    public URI uri() {
        try {
            return uri.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the local AWS endpoint", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the local AWS endpoint did not start within " + WAIT, e);
        }
    }
}
