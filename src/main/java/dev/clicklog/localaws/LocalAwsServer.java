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
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.clicklog.endpoint.AllowedHosts;
import dev.clicklog.endpoint.LocalEndpoint;
import dev.clicklog.localaws.http.AwsRequest;
import dev.clicklog.localaws.http.AwsResponse;
import dev.clicklog.localaws.http.CallerGate;
import dev.clicklog.localaws.http.RequestRouter;
import dev.clicklog.localaws.http.ServiceHandler;
import io.quarkus.runtime.Startup;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.HostAndPort;

/**
 * The embedded AWS-compatible endpoint: an HTTP server on its own port, started in local mode
 * before anything uses an AWS client, which publishes its address through {@link LocalEndpoint}.
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
    private final List<HttpServer> servers = new ArrayList<>();
    private final List<String> deployments = new ArrayList<>();
    private final AllowedHosts allowedHosts;
    private volatile URI uri;

    LocalAwsServer(LocalAwsConfig config, Vertx vertx, RequestRouter router, CallerGate gate, LocalEndpoint endpoint) {
        this.gate = gate;
        this.config = config;
        this.allowedHosts = new AllowedHosts(config.allowedHosts());
        this.vertx = vertx;
        this.router = router;
        this.endpoint = endpoint;
    }

    @PostConstruct
    void start() throws Exception {
        if (!endpoint.embedded()) {
            return;
        }
        int loops = config.eventLoops() > 0 ? config.eventLoops() : Runtime.getRuntime().availableProcessors();
        // One server per event loop, all on one port, so connections spread over the loops.
        // Vert.x shares a random port between servers asking for the same negative port.
        // (-1 is what Quarkus itself uses for its own random test port.)
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

    /** Deploys one verticle owning one server; servers on the same port share it round-robin. */
    private HttpServer listen(int port) throws Exception {
        HttpServerOptions options = new HttpServerOptions()
                .setHost(config.host())
                .setPort(port)
                .setHandle100ContinueAutomatically(true)
                .setMaxHeaderSize(64 * 1024)
                .setTcpNoDelay(true);
        CompletableFuture<HttpServer> bound = new CompletableFuture<>();
        AbstractVerticle verticle = new AbstractVerticle() {
            @Override
            public void start(Promise<Void> started) {
                vertx.createHttpServer(options).requestHandler(LocalAwsServer.this::onRequest).listen()
                        .onSuccess(s -> {
                            bound.complete(s);
                            started.complete();
                        })
                        .onFailure(e -> {
                            bound.completeExceptionally(e);
                            started.fail(e);
                        });
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
    }

    public boolean running() {
        return uri != null && !servers.isEmpty();
    }

    public URI uri() {
        return uri;
    }

    private void onRequest(HttpServerRequest req) {
        // HTTP/1.1's Host header, or HTTP/2's :authority
        HostAndPort authority = req.authority();
        if (authority == null || !allowedHosts.allows(authority.host())) {
            // Answered before the body is read; the connection is not kept.
            req.response().setStatusCode(421).putHeader("Content-Type", "text/plain; charset=UTF-8")
                    .putHeader("Connection", "close")
                    .end("Misdirected Request: this endpoint does not answer to the host in the Host header "
                            + "(clicklog.localaws.allowed-hosts)\n");
            return;
        }
        req.body().onComplete(ar -> {
            if (ar.failed()) {
                req.response().setStatusCode(400).end();
                return;
            }
            AwsRequest request = toAwsRequest(req, ar.result());
            ServiceHandler handler = router.route(request);
            AwsResponse refusal = handler == null ? null : gate.refusal(handler, request);
            if (handler == null) {
                send(req, router.unsupportedService(request));
            } else if (refusal != null) {
                send(req, refusal);
            } else if (handler.blocking()) {
                vertx.<AwsResponse>executeBlocking(() -> router.dispatch(handler, request), false)
                        .onComplete(done -> send(req, done.succeeded() ? done.result() : AwsResponse.empty(500)));
            } else {
                send(req, router.dispatch(handler, request));
            }
        });
    }

    private static AwsRequest toAwsRequest(HttpServerRequest req, Buffer body) {
        Map<String, String> headers = new HashMap<>();
        req.headers().forEach(e -> headers.merge(e.getKey(), e.getValue(), (a, b) -> a + "," + b));
        if (req.version() == HttpVersion.HTTP_2 && req.authority() != null) {
            // HTTP/2 carries the Host as the :authority pseudo-header; handlers and signatures read Host.
            headers.putIfAbsent("Host", req.authority().toString());
        }
        String remote = req.remoteAddress() == null ? null : req.remoteAddress().hostAddress();
        return new AwsRequest(req.method().name(), req.path(), req.query(), headers, body.getBytes(), remote);
    }

    private static void send(HttpServerRequest req, AwsResponse r) {
        HttpServerResponse response = req.response();
        response.setStatusCode(r.status());
        r.headers().forEach(response::putHeader);
        if (req.method() == HttpMethod.HEAD) {
            // HEAD answers carry the headers (Content-Length included) of the GET they stand for.
            response.end();
            return;
        }
        response.end(Buffer.buffer(r.body()));
    }
}
