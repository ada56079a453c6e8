package dev.clicklog.localaws.kinesis;

import java.time.Instant;
import java.util.Map;
import java.util.function.Function;

import dev.clicklog.localaws.spi.MetricSink;
import dev.clicklog.localaws.spi.MetricId;

/**
 * The stream-level metrics AWS publishes in the AWS/Kinesis namespace (dimension StreamName), with
 * AWS's units, recorded per call as CloudWatch receives them. The metric ids are built once per
 * stream because recording sits on every request's path.
 */
final class StreamMetrics {

    static final String NAMESPACE = "AWS/Kinesis";
    private static final String COUNT = "Count";
    private static final String BYTES = "Bytes";
    private static final String MILLISECONDS = "Milliseconds";

    private final MetricSink store;
    private final MetricId incomingRecords;
    private final MetricId incomingBytes;
    private final MetricId putRecordSuccess;
    private final MetricId putRecordBytes;
    private final MetricId putRecordsRecords;
    private final MetricId putRecordsSuccess;
    private final MetricId putRecordsBytes;
    private final MetricId getRecordsRecords;
    private final MetricId getRecordsBytes;
    private final MetricId getRecordsSuccess;
    private final MetricId iteratorAge;
    private final MetricId writeExceeded;
    private final MetricId readExceeded;

    StreamMetrics(MetricSink store, String streamName) {
        this.store = store;
        Map<String, String> dimensions = Map.of("StreamName", streamName);
        Function<String, MetricId> id = name -> MetricId.of(NAMESPACE, name, dimensions);
        incomingRecords = id.apply("IncomingRecords");
        incomingBytes = id.apply("IncomingBytes");
        putRecordSuccess = id.apply("PutRecord.Success");
        putRecordBytes = id.apply("PutRecord.Bytes");
        putRecordsRecords = id.apply("PutRecords.Records");
        putRecordsSuccess = id.apply("PutRecords.Success");
        putRecordsBytes = id.apply("PutRecords.Bytes");
        getRecordsRecords = id.apply("GetRecords.Records");
        getRecordsBytes = id.apply("GetRecords.Bytes");
        getRecordsSuccess = id.apply("GetRecords.Success");
        iteratorAge = id.apply("GetRecords.IteratorAgeMilliseconds");
        writeExceeded = id.apply("WriteProvisionedThroughputExceeded");
        readExceeded = id.apply("ReadProvisionedThroughputExceeded");
    }

    /** A PutRecord call: Success is 1 or 0, so its average is the success rate, as on AWS. */
    void putRecord(boolean written, long bytes, Instant at) {
        store.record(putRecordSuccess, written ? 1 : 0, COUNT, at);
        store.record(writeExceeded, written ? 0 : 1, COUNT, at);
        if (written) {
            store.record(putRecordBytes, bytes, BYTES, at);
            incoming(1, bytes, at);
        }
    }

    /** A PutRecords call: Success counts calls with at least one record written. */
    void putRecords(int written, long bytes, int throttled, Instant at) {
        store.record(putRecordsSuccess, written > 0 ? 1 : 0, COUNT, at);
        store.record(putRecordsRecords, written, COUNT, at);
        store.record(putRecordsBytes, bytes, BYTES, at);
        store.record(writeExceeded, throttled, COUNT, at);
        if (written > 0) {
            incoming(written, bytes, at);
        }
    }

    /** A successful GetRecords call; the iterator age is that of its last record (0 when caught up). */
    void getRecords(int records, long bytes, long iteratorAgeMillis, Instant at) {
        store.record(getRecordsSuccess, 1, COUNT, at);
        store.record(getRecordsRecords, records, COUNT, at);
        store.record(getRecordsBytes, bytes, BYTES, at);
        store.record(iteratorAge, iteratorAgeMillis, MILLISECONDS, at);
        store.record(readExceeded, 0, COUNT, at);
    }

    void readThrottled(Instant at) {
        store.record(getRecordsSuccess, 0, COUNT, at);
        store.record(readExceeded, 1, COUNT, at);
    }

    private void incoming(int records, long bytes, Instant at) {
        store.record(incomingRecords, records, COUNT, at);
        store.record(incomingBytes, bytes, BYTES, at);
    }
}
