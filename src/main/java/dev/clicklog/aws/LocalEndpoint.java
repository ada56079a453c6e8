package dev.clicklog.aws;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The address of the embedded local AWS endpoint, once it listens. The embedded endpoint publishes
 * itself here; the client producer only reads it, so this package never depends on the endpoint's
 * implementation (it may bind a random port in tests).
 */
@ApplicationScoped
public class LocalEndpoint {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final CompletableFuture<URI> uri = new CompletableFuture<>();

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
