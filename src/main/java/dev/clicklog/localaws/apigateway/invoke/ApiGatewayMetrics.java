package dev.clicklog.localaws.apigateway.invoke;

import dev.clicklog.localaws.apigateway.Stage;

import java.time.Instant;
import java.util.Map;

import jakarta.inject.Singleton;

import dev.clicklog.localaws.spi.MetricSink;
import dev.clicklog.localaws.spi.MetricId;

/**
 * AWS/ApiGateway metrics of every invocation, published like CloudWatch does: by {ApiName, Stage}
 * and by {ApiName}. 4XXError and 5XXError are 0 or 1 per request, so their Average is the error rate.
 */
@Singleton
public class ApiGatewayMetrics {

    static final String NAMESPACE = "AWS/ApiGateway";

    /** The metric ids of one stage, built once so recording does not allocate them per request. */
    public record StageMetrics(MetricId[] count, MetricId[] error4xx, MetricId[] error5xx, MetricId[] latency,
            MetricId[] integrationLatency) {

        public static StageMetrics of(String apiName, String stage) {
            return new StageMetrics(ids("Count", apiName, stage), ids("4XXError", apiName, stage),
                    ids("5XXError", apiName, stage), ids("Latency", apiName, stage),
                    ids("IntegrationLatency", apiName, stage));
        }

        private static MetricId[] ids(String metric, String apiName, String stage) {
            return new MetricId[] {
                    MetricId.of(NAMESPACE, metric, Map.of("ApiName", apiName, "Stage", stage)),
                    MetricId.of(NAMESPACE, metric, Map.of("ApiName", apiName)) };
        }
    }

    private final MetricSink store;

    ApiGatewayMetrics(MetricSink store) {
        this.store = store;
    }

    /** One request: its status, its latency and, when the integration was called, the integration's. */
    void record(StageMetrics m, int status, double latencyMs, double integrationLatencyMs, Instant at) {
        put(m.count(), 1, "Count", at);
        put(m.error4xx(), status >= 400 && status < 500 ? 1 : 0, "Count", at);
        put(m.error5xx(), status >= 500 ? 1 : 0, "Count", at);
        put(m.latency(), latencyMs, "Milliseconds", at);
        if (integrationLatencyMs >= 0) {
            put(m.integrationLatency(), integrationLatencyMs, "Milliseconds", at);
        }
    }

    private void put(MetricId[] ids, double value, String unit, Instant at) {
        for (MetricId id : ids) {
            store.record(id, value, unit, at);
        }
    }
}
