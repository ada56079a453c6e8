package dev.clicklog.localaws.apigateway.invoke;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.clicklog.localaws.LocalAwsConfig;
import dev.clicklog.localaws.apigateway.ApiGatewayService;
import dev.clicklog.localaws.apigateway.template.TemplateContext;
import dev.clicklog.localaws.http.AwsResponse;
import dev.clicklog.localaws.spi.LogSink;
import dev.clicklog.localaws.spi.RoleAccess;

/**
 * API Gateway's access logs: after every request a stage with access logging answered — its
 * integration's answers and the gateway's own refusals alike (a body failing its model, a wrong
 * content type, a missing key, throttling) — one line in the stage's format goes to its CloudWatch
 * Logs log group. As on AWS they arrive a little later, in batches: a line is delivered once it is
 * {@code access-log-delay} old, through {@link LogSink}, as the account's CloudWatch role — which
 * apigateway.amazonaws.com must be allowed to assume, and which must allow logs:CreateLogStream and
 * logs:PutLogEvents on the stream. Lines that cannot be delivered (no role, a role that does not
 * allow it, a log group that is gone) are dropped, as AWS drops them.
 */
@Singleton
public class AccessLogs {

    private static final Logger LOG = Logger.getLogger(AccessLogs.class);
    private static final long HOUR = 3_600_000L;

    /** One line waiting for its delivery. */
    private record Line(long dueNanos, String destinationArn, String stream, LogSink.Event event) {
    }

    /** Lines of one delivery: the same log group and stream. */
    private record Batch(String destinationArn, String stream) {
    }

    private final ApiGatewayService state;
    private final LogSink logs;
    private final RoleAccess iam;
    private final String accountId;
    private final long delayNanos;
    private final Queue<Line> pending = new ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService deliveries;

    AccessLogs(ApiGatewayService state, LogSink logs, RoleAccess iam, LocalAwsConfig config) {
        this.state = state;
        this.logs = logs;
        this.iam = iam;
        this.accountId = config.accountId();
        this.delayNanos = config.apiGateway().accessLogDelay().toNanos();
        this.deliveries = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "apigateway-access-logs");
            t.setDaemon(true);
            return t;
        });
        long tick = Math.max(50, Math.min(1000, config.apiGateway().accessLogDelay().toMillis() / 4));
        deliveries.scheduleWithFixedDelay(this::deliverDue, tick, tick, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        deliveries.shutdownNow();
    }

    /** Writes the request's line, if its stage logs access; on the request path, so it only queues it. */
    void record(LiveStage stage, Invocation invocation, AwsResponse response, double latencyMs, Instant at) {
        LiveStage.AccessLog accessLog = stage.accessLog;
        if (accessLog == null) {
            return;
        }
        TemplateContext context = invocation.logContext();
        String line = accessLog.format().render(name -> value(name, context, invocation, response, latencyMs));
        long now = at.toEpochMilli();
        pending.add(new Line(System.nanoTime() + delayNanos, accessLog.destinationArn(),
                streamName(stage.api.apiId, stage.stageName, now), new LogSink.Event(now, line)));
    }

    /** A variable of the access log: the ones only an access log has, then those mapping templates read too. */
    private static String value(String name, TemplateContext context, Invocation invocation, AwsResponse response,
            double latencyMs) {
        return switch (name) {
            case "status" -> Integer.toString(response.status());
            case "responseLength" -> Integer.toString(response.body().length);
            case "responseLatency" -> Long.toString(Math.round(latencyMs));
            case "requestLength" -> Integer.toString(invocation.request().body().length);
            case "integrationLatency", "integration.latency" -> invocation.integrationLatencyMs < 0 ? null
                    : Long.toString(Math.round(invocation.integrationLatencyMs));
            case "integrationStatus", "integration.status", "integration.integrationStatus" ->
                invocation.integrationStatus < 0 ? null : Integer.toString(invocation.integrationStatus);
            case "responseOverride.status" -> context.responseOverride() == null
                    || context.responseOverride().status() == null ? null
                            : context.responseOverride().status().toString();
            default -> context.value(name);
        };
    }

    /**
     * Streams are named as API Gateway names them, by a hex id: one per stage per hour here, so a
     * busy stage's lines spread over a few streams as on AWS.
     */
    static String streamName(String apiId, String stage, long epochMillis) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest((apiId + "/" + stage + "/" + epochMillis / HOUR)
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Delivers the lines that are due, a batch per log group and stream. */
    private void deliverDue() {
        try {
            long now = System.nanoTime();
            Map<Batch, List<LogSink.Event>> batches = new LinkedHashMap<>();
            Line line;
            while ((line = pending.peek()) != null && line.dueNanos() - now <= 0) {
                pending.poll();
                batches.computeIfAbsent(new Batch(line.destinationArn(), line.stream()), b -> new ArrayList<>())
                        .add(line.event());
            }
            batches.forEach(this::deliver);
        } catch (RuntimeException e) {
            LOG.warnf(e, "API Gateway: access logs could not be delivered");
        }
    }

    private void deliver(Batch batch, List<LogSink.Event> events) {
        String role = state.cloudwatchRoleArn();
        String groupArn = batch.destinationArn().endsWith(":*")
                ? batch.destinationArn().substring(0, batch.destinationArn().length() - 2) : batch.destinationArn();
        String streamArn = groupArn + ":log-stream:" + batch.stream();
        String dropped = null;
        if (role == null) {
            dropped = "the account has no CloudWatch role";
        } else if (!iam.mayAssume(ApiGatewayService.PRINCIPAL, role, Map.of("aws:SourceAccount", accountId))) {
            dropped = "apigateway.amazonaws.com may not assume " + role;
        } else if (!iam.decide(role, "logs:CreateLogStream", streamArn, Map.of()).allowed()
                || !iam.decide(role, "logs:PutLogEvents", streamArn, Map.of()).allowed()) {
            dropped = role + " may not write " + streamArn;
        } else if (logs.deliver(groupArn, batch.stream(), events) == LogSink.Outcome.NO_SUCH_GROUP) {
            dropped = "there is no log group " + groupArn;
        }
        if (dropped != null) {
            LOG.debugf("API Gateway: %d access log lines dropped: %s", events.size(), dropped);
        }
    }
}
