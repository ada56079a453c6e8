package dev.clicklog.localaws;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import dev.clicklog.endpoint.AllowedHosts;
import dev.clicklog.endpoint.LocalEndpoint;
import dev.clicklog.localaws.http.CallerGate;
import dev.clicklog.localaws.http.RequestRouter;
import dev.clicklog.localaws.storage.Storage;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;

/**
 * The embedded AWS-compatible endpoint: an HTTP server on its own port, started in local mode
 * before anything uses an AWS client, which publishes its address through {@link LocalEndpoint}.
 * It opens the {@link Storage} (every service's state, replayed) before it listens, and closes it
 * after it stopped listening.
 *
 * <p>Connections are bounded in time: one with no request under way (an idle keep-alive, a request
 * head trickling in) is closed after the idle timeout; a body that stalls is answered
 * RequestTimeout, and an answer the client does not take within the idle timeout ends its
 * connection ({@link Exchange}). A request being handled may take its time.
 */
@Singleton
@Startup(100)
public class LocalAwsServer {

    private static final Logger LOG = Logger.getLogger(LocalAwsServer.class);

    private final LocalAwsConfig config;
    private final Vertx vertx;
    private final RequestRouter router;
    private final CallerGate gate;
    private final LocalEndpoint endpoint;
    private final Storage storage;
    private final List<HttpServer> servers = new ArrayList<>();
    private final List<String> deployments = new ArrayList<>();
    private final AllowedHosts allowedHosts;
    private volatile URI uri;

    LocalAwsServer(LocalAwsConfig config, Vertx vertx, RequestRouter router, CallerGate gate, LocalEndpoint endpoint,
            Storage storage) {
        this.gate = gate;
        this.config = config;
        this.allowedHosts = new AllowedHosts(config.allowedHosts());
        this.vertx = vertx;
        this.router = router;
        this.endpoint = endpoint;
        this.storage = storage;
    }

    @PostConstruct
    void start() throws Exception {
        if (!endpoint.embedded()) {
            return;
        }
        // Every service with state registered its store (they start first): replay them, then serve.
        storage.open();
        int loops = config.eventLoops() > 0 ? config.eventLoops() : Runtime.getRuntime().availableProcessors();
        // One server per event loop, all on one port, so connections spread over the loops.
        // Vert.x shares a random port between servers asking for the same negative port.
        // (-1 is what Quarkus itself uses for its own random test port.)
        refuseThePortalsPort(config.port());
        int requested = config.port() == 0 ? -4566 : config.port();
        int port = listen(requested).actualPort();
        for (int i = 1; i < loops; i++) {
            listen(requested);
        }
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        uri = URI.create("http://" + host + ":" + port);
        endpoint.publish(uri);
        LOG.infof("localaws listening on %s", uri);
    }

    /**
     * localaws runs on the portal's own Vert.x, which shares a port between servers of one process
     * instead of failing: on the portal's port both would answer, each half of the requests.
     */
    private static void refuseThePortalsPort(int port) {
        String portSetting = LaunchMode.current() == LaunchMode.TEST ? "quarkus.http.test-port" : "quarkus.http.port";
        int portals = ConfigProvider.getConfig().getOptionalValue(portSetting, Integer.class).orElse(0);
        if (port != 0 && port == portals) {
            throw new IllegalStateException("clicklog.localaws.port " + port + " is the portal's own port ("
                    + portSetting + "): give localaws a port of its own, or 0 for any free one");
        }
    }

    /** Start-up is over: every store that will register has, so checkpoints may run. */
    void onStart(@Observes StartupEvent event) {
        if (endpoint.embedded()) {
            storage.ready();
        }
    }

    /** Deploys one verticle owning one server; servers on the same port share it round-robin. */
    private HttpServer listen(int port) throws Exception {
        long idleMillis = config.http().idleTimeout().toMillis();
        HttpServerOptions options = new HttpServerOptions()
                .setHost(config.host())
                .setPort(port)
                // Answered by the exchange once the head passed the body limit: a refused body is never sent.
                .setHandle100ContinueAutomatically(false)
                .setMaxHeaderSize(64 * 1024)
                // No idle timeout of the connection itself: a request being handled (hashing a 5 GiB
                // object) is silent for a while. The exchange bounds a request's body and answer instead.
                .setTcpNoDelay(true);
        CompletableFuture<HttpServer> bound = new CompletableFuture<>();
        AbstractVerticle verticle = new AbstractVerticle() {
            /** Per connection of this verticle (its event loop alone touches them): requests under way, and since when none. */
            private final Map<HttpConnection, long[]> connections = new HashMap<>();

            @Override
            public void start(Promise<Void> started) {
                vertx.setPeriodic(Math.max(100, Math.min(1000, idleMillis / 2)), id -> closeIdle(idleMillis));
                vertx.createHttpServer(options)
                        .connectionHandler(conn -> {
                            connections.put(conn, new long[] { 0, System.nanoTime() });
                            conn.closeHandler(v -> connections.remove(conn));
                        })
                        .requestHandler(req -> {
                            if (!allowedHost(req)) {
                                return;
                            }
                            long[] state = connections.computeIfAbsent(req.connection(), c -> new long[] { 0, System.nanoTime() });
                            state[0]++;
                            long bodyMillis = config.http().bodyTimeout().toMillis();
                            new Exchange(vertx, router, gate, storage, bodyMillis, idleMillis, req, () -> {
                                state[0]--;
                                state[1] = System.nanoTime();
                            }).start();
                        })
                        .listen()
                        .onSuccess(s -> {
                            bound.complete(s);
                            started.complete();
                        })
                        .onFailure(e -> {
                            bound.completeExceptionally(e);
                            started.fail(e);
                        });
            }

            /** Closes connections with no request under way for longer than the idle timeout (idle, or trickling a head). */
            private void closeIdle(long idleMillis) {
                long now = System.nanoTime();
                List<HttpConnection> idle = new ArrayList<>();
                connections.forEach((conn, state) -> {
                    if (state[0] == 0 && now - state[1] > idleMillis * 1_000_000) {
                        idle.add(conn);
                    }
                });
                idle.forEach(HttpConnection::close);
            }
        };
        String id = vertx.deployVerticle(verticle).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        deployments.add(id);
        HttpServer server = bound.get(30, TimeUnit.SECONDS);
        servers.add(server);
        return server;
    }

    @PreDestroy
    void stop() {
        for (String id : deployments) {
            try {
                vertx.undeploy(id).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.debug("localaws: error while closing", e);
            }
        }
        deployments.clear();
        servers.clear();
        // After the servers: nothing arrives any more; the services' last changes are written and forced.
        storage.close();
    }

    public boolean running() {
        return uri != null && !servers.isEmpty();
    }

    public URI uri() {
        return uri;
    }

    /** Whether the request names a host this endpoint answers to; if not, it is answered 421 here. */
    private boolean allowedHost(HttpServerRequest req) {
        // HTTP/1.1's Host header, or HTTP/2's :authority
        HostAndPort authority = req.authority();
        if (authority == null || !allowedHosts.allows(authority.host())) {
            // Answered before the body is read; the connection is not kept.
            req.response().setStatusCode(421).putHeader("Content-Type", "text/plain; charset=UTF-8")
                    .putHeader("Connection", "close")
                    .end("Misdirected Request: this endpoint does not answer to the host in the Host header "
                            + "(clicklog.localaws.allowed-hosts)\n");
            return false;
        }
        return true;
    }
}
