package dev.clicklog.localaws.firehose;

import java.time.Instant;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.clicklog.localaws.spi.MetricSink;
import dev.clicklog.localaws.spi.MetricId;

/**
 * The AWS/Firehose metrics of a delivery stream (dimension DeliveryStreamName), with the units
 * Firehose's documentation gives them. Each call records one sample, so Sum adds up the records or
 * bytes and SampleCount counts reads, puts or S3 writes.
 */
@ApplicationScoped
class FirehoseMetrics {

    static final String NAMESPACE = "AWS/Firehose";
    private static final String COUNT = "Count";
    private static final String BYTES = "Bytes";

    private final MetricSink store;

    FirehoseMetrics(MetricSink store) {
        this.store = store;
    }

    /** Records that entered the delivery stream: put directly, or read from its Kinesis source. */
    void incoming(String stream, long records, long bytes, Instant at) {
        record(stream, "IncomingRecords", records, COUNT, at);
        record(stream, "IncomingBytes", bytes, BYTES, at);
    }

    /** One GetRecords on the source stream: what it returned and how far behind the shard's tip it was. */
    void readFromKinesis(String stream, long records, long bytes, long millisBehindLatest, Instant at) {
        if (records > 0) {
            record(stream, "DataReadFromKinesisStream.Records", records, COUNT, at);
            record(stream, "DataReadFromKinesisStream.Bytes", bytes, BYTES, at);
            incoming(stream, records, bytes, at);
        }
        record(stream, "KinesisMillisBehindLatest", millisBehindLatest, "Milliseconds", at);
    }

    /** One object written: its records, their bytes, and the age of its oldest record. */
    void delivered(String stream, long records, long bytes, Instant oldestArrival, Instant at) {
        record(stream, "DeliveryToS3.Records", records, COUNT, at);
        record(stream, "DeliveryToS3.Bytes", bytes, BYTES, at);
        record(stream, "DeliveryToS3.Success", 1, COUNT, at);
        double freshness = Math.max(0, at.toEpochMilli() - oldestArrival.toEpochMilli()) / 1000.0;
        record(stream, "DeliveryToS3.DataFreshness", freshness, "Seconds", at);
    }

    /** One S3 write that failed (it is retried); Average of DeliveryToS3.Success is the success ratio. */
    void deliveryFailed(String stream, Instant at) {
        record(stream, "DeliveryToS3.Success", 0, COUNT, at);
    }

    private void record(String stream, String metric, double value, String unit, Instant at) {
        store.record(MetricId.of(NAMESPACE, metric, Map.of("DeliveryStreamName", stream)), value, unit, at);
    }
}
