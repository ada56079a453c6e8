package dev.clicklog.localaws;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.jboss.logging.Logger;

import dev.clicklog.localaws.http.AwsRequest;
import dev.clicklog.localaws.http.AwsResponse;
import dev.clicklog.localaws.http.Body;
import dev.clicklog.localaws.http.BodyLimit;
import dev.clicklog.localaws.http.CallerGate;
import dev.clicklog.localaws.http.RequestRouter;
import dev.clicklog.localaws.http.ServiceHandler;
import dev.clicklog.localaws.protocol.AwsServiceException;
import dev.clicklog.localaws.storage.Storage;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * One request from its head to its answer. The head alone picks the service and the body's limit;
 * a body over the limit is refused in the service's error shape before it is read (by its
 * Content-Length, or as soon as the bytes received pass the limit). The body is received into
 * memory or, where the service wants it (S3 objects), straight into a file, with backpressure, so
 * heap use does not depend on its size. A body that stops coming is answered RequestTimeout. The
 * answer leaves only once every change made so far is durable ({@link Storage#durable()}).
 */
final class Exchange {

    private static final Logger LOG = Logger.getLogger(Exchange.class);
    /** Bodies sent only to be routed (unsigned query-protocol requests) are small forms. */
    private static final long ROUTING_BODY_LIMIT = 1024 * 1024;
    /** A body must deliver at least this much per body timeout. */
    static final long MIN_PROGRESS_BYTES = 16 * 1024;

    private final Vertx vertx;
    private final Context context;
    private final RequestRouter router;
    private final CallerGate gate;
    private final Storage storage;
    private final long bodyTimeoutMillis;
    private final long answerTimeoutMillis;
    private final HttpServerRequest req;
    private final Runnable onEnd;

    private AwsRequest head;
    private ServiceHandler handler;
    private BodyLimit limit;
    private long received;
    private long progressAtLastCheck;
    private long timer = -1;
    private boolean ended;
    private boolean answered;
    private boolean finished;
    private Path spool;
    private AsyncFile file;

    Exchange(Vertx vertx, RequestRouter router, CallerGate gate, Storage storage, long bodyTimeoutMillis,
            long answerTimeoutMillis, HttpServerRequest req, Runnable onEnd) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.router = router;
        this.gate = gate;
        this.storage = storage;
        this.bodyTimeoutMillis = bodyTimeoutMillis;
        this.answerTimeoutMillis = answerTimeoutMillis;
        this.req = req;
        this.onEnd = onEnd;
    }

    void start() {
        head = head(req);
        req.exceptionHandler(e -> {
            // The client went away while sending; once the body is in, the answer finds the connection closed.
            if (!ended) {
                abandon();
            }
        });
        if (router.routeNeedsBody(head)) {
            // Only the form body names the service (the head alone would go to S3): read it (it is small), then route.
            receive(BodyLimit.inMemory(ROUTING_BODY_LIMIT), null);
            return;
        }
        handler = router.route(head);
        if (handler == null) {
            req.pause();
            answer(router.unsupportedService(head), true);
            return;
        }
        receive(handler.bodyLimit(head), handler);
    }

    private static AwsRequest head(HttpServerRequest req) {
        Map<String, String> headers = new HashMap<>();
        req.headers().forEach(e -> headers.merge(e.getKey(), e.getValue(), (a, b) -> a + "," + b));
        if (req.version() == HttpVersion.HTTP_2 && req.authority() != null) {
            // HTTP/2 carries the Host as the :authority pseudo-header; handlers and signatures read Host.
            headers.putIfAbsent("Host", req.authority().toString());
        }
        String remote = req.remoteAddress() == null ? null : req.remoteAddress().hostAddress();
        return new AwsRequest(req.method().name(), req.path(), req.query(), headers, Body.EMPTY, remote);
    }

    private void receive(BodyLimit bodyLimit, ServiceHandler refusing) {
        limit = bodyLimit;
        long declared = declaredLength();
        if (declared > limit.maxBytes()) {
            // Refused unread: no 100 Continue, so a client that waits for one never sends the body.
            req.pause();
            refuse(refusing, limit.refusal().tooLarge(declared, limit.maxBytes()));
            return;
        }
        if (declared == 0 || (declared < 0 && !hasBody())) {
            received(Body.EMPTY);
            return;
        }
        if ("100-continue".equalsIgnoreCase(req.getHeader("Expect"))) {
            req.response().writeContinue();
        }
        timer = vertx.setPeriodic(bodyTimeoutMillis, id -> checkProgress(refusing));
        if (limit.toFile()) {
            receiveIntoFile(refusing);
        } else {
            receiveIntoMemory(refusing, declared);
        }
    }

    private long declaredLength() {
        String value = req.getHeader("Content-Length");
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Without a Content-Length, only a chunked transfer carries a body. */
    private boolean hasBody() {
        String te = req.getHeader("Transfer-Encoding");
        return te != null && te.toLowerCase(Locale.ROOT).contains("chunked");
    }

    private void receiveIntoMemory(ServiceHandler refusing, long declared) {
        Buffer body = Buffer.buffer(declared > 0 ? (int) declared : 1024);
        req.handler(chunk -> {
            if (count(chunk, refusing)) {
                body.appendBuffer(chunk);
            }
        });
        req.endHandler(v -> {
            if (!answered) {
                received(Body.of(body.getBytes()));
            }
        });
    }

    private void receiveIntoFile(ServiceHandler refusing) {
        req.pause();
        spool = storage.tempDir().resolve("body-" + UUID.randomUUID());
        vertx.fileSystem().open(spool.toString(), new OpenOptions().setCreateNew(true).setWrite(true))
                .onFailure(e -> {
                    LOG.errorf(e, "localaws: cannot receive a body into %s", spool);
                    refuse(refusing, AwsServiceException.internal(e));
                })
                .onSuccess(opened -> {
                    file = opened;
                    if (answered) {
                        opened.close();
                    } else {
                        pipe(opened, refusing);
                    }
                });
    }

    /** Request → file with backpressure: reading pauses while the file's write queue is full. */
    private void pipe(AsyncFile file, ServiceHandler refusing) {
        file.drainHandler(v -> {
            if (!answered) {
                req.resume();
            }
        });
        req.handler(chunk -> {
            if (!count(chunk, refusing)) {
                return;
            }
            file.write(chunk);
            if (file.writeQueueFull()) {
                req.pause();
            }
        });
        req.endHandler(v -> file.close().onComplete(closed -> {
            this.file = null;
            if (answered) {
                return;
            }
            if (closed.failed()) {
                refuse(refusing, AwsServiceException.internal(closed.cause()));
            } else {
                received(Body.file(spool, received));
            }
        }));
        req.resume();
    }

    /** Counts a chunk; refuses the request (false) once the body passes its limit. */
    private boolean count(Buffer chunk, ServiceHandler refusing) {
        if (answered) {
            return false;
        }
        received += chunk.length();
        if (received > limit.maxBytes()) {
            refuse(refusing, limit.refusal().tooLarge(received, limit.maxBytes()));
            return false;
        }
        return true;
    }

    private void checkProgress(ServiceHandler refusing) {
        if (ended || answered) {
            cancelTimer();
            return;
        }
        if (received - progressAtLastCheck < MIN_PROGRESS_BYTES) {
            refuse(refusing, BodyLimit.requestTimeout());
            return;
        }
        progressAtLastCheck = received;
    }

    private void cancelTimer() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }

    /** Answers an error before the body was read whole; the connection cannot be reused, so it is closed. */
    private void refuse(ServiceHandler refusing, AwsServiceException error) {
        AwsResponse response = refusing != null ? refusing.error(head, error) : router.unsupportedService(head);
        answer(response, true);
    }

    private void received(Body body) {
        ended = true;
        cancelTimer();
        AwsRequest request = head.withContent(body);
        if (handler == null) {
            handler = router.route(request);
            if (handler == null) {
                answer(router.unsupportedService(request), false);
                return;
            }
        }
        if (handler.blocking()) {
            vertx.<AwsResponse>executeBlocking(() -> checkedDispatch(request), false)
                    .onComplete(done -> afterDurable(request, done.succeeded() ? done.result() : AwsResponse.empty(500)));
        } else {
            afterDurable(request, checkedDispatch(request));
        }
    }

    /**
     * The caller is held to IAM (when callers are enforced) before the service sees the request: with
     * its body, which some actions' resources and a payload hash the request did not sign need.
     */
    private AwsResponse checkedDispatch(AwsRequest request) {
        AwsResponse refusal = gate.refusal(handler, request);
        return refusal != null ? refusal : router.dispatch(handler, request);
    }

    /** Sends the answer once everything it could have seen is durable; the service's error if that fails. */
    private void afterDurable(AwsRequest request, AwsResponse response) {
        var durable = storage.durable().toCompletableFuture();
        if (durable.isDone() && !durable.isCompletedExceptionally()) {
            answer(response, false);
            return;
        }
        durable.whenComplete((v, failure) -> context.runOnContext(x -> {
            if (failure == null) {
                answer(response, false);
            } else {
                answer(handler.error(request, new AwsServiceException(500, "InternalFailure",
                        "The change could not be made durable: " + failure.getMessage())), false);
            }
        }));
    }

    private void answer(AwsResponse r, boolean close) {
        if (answered) {
            return;
        }
        answered = true;
        cancelTimer();
        HttpServerResponse response = req.response();
        if (response.closed() || response.ended()) {
            finish();
            return;
        }
        response.setStatusCode(r.status());
        r.headers().forEach(response::putHeader);
        if (close) {
            response.putHeader("Connection", "close");
        }
        var sent = req.method() == HttpMethod.HEAD
                // HEAD answers carry the headers (Content-Length included) of the GET they stand for.
                ? response.end()
                : response.end(Buffer.buffer(r.body()));
        // A client that does not take its answer does not keep the connection.
        long deadline = vertx.setTimer(answerTimeoutMillis, id -> req.connection().close());
        sent.onComplete(done -> {
            vertx.cancelTimer(deadline);
            if (close) {
                req.connection().close();
            }
            finish();
        });
    }

    /** The client went away before its answer: nothing to send, only clean up. */
    private void abandon() {
        answered = true;
        cancelTimer();
        finish();
    }

    private void finish() {
        if (finished) {
            return;
        }
        finished = true;
        AsyncFile open = file;
        file = null;
        if (open != null) {
            open.close();
        }
        if (spool != null) {
            Path file = spool;
            spool = null;
            vertx.fileSystem().delete(file.toString()).onFailure(e -> {
                // Moved away by the handler (an S3 object now), or never created.
            });
        }
        onEnd.run();
    }
}
