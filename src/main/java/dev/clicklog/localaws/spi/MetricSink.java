package dev.clicklog.localaws.spi;

import java.time.Instant;

/**
 * Where a service publishes the metrics AWS publishes for it (AWS/Kinesis, AWS/Firehose,
 * AWS/ApiGateway); CloudWatch serves them. On the request path of every service, so cheap.
 */
public interface MetricSink {

    /** One sample of {@code metric} at {@code at}, in CloudWatch's {@code unit} (Count, Bytes, …). */
    void record(MetricId metric, double value, String unit, Instant at);
}
