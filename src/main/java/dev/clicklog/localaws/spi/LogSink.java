package dev.clicklog.localaws.spi;

import java.util.List;

/**
 * Where a service delivers the logs AWS writes for it into CloudWatch Logs (API Gateway's access
 * logs); CloudWatch Logs serves them. A delivery goes to a log group the customer named, into a
 * stream the delivering service names and CloudWatch Logs creates when it is missing, as a service
 * writing with the customer's role does (CreateLogStream, then PutLogEvents).
 */
public interface LogSink {

    /** One log event: its time (epoch milliseconds) and its text. */
    record Event(long timestamp, String message) {
    }

    /** What became of a delivery. */
    enum Outcome {
        DELIVERED,
        /** The log group does not exist (any more): the events are dropped. */
        NO_SUCH_GROUP
    }

    /**
     * Appends the events to the stream of the log group named by {@code logGroupArn} (an ARN, with or
     * without its trailing {@code :*}), creating the stream when it does not exist. Events the
     * group's retention has already expired are dropped, as PutLogEvents rejects them.
     */
    Outcome deliver(String logGroupArn, String logStreamName, List<Event> events);
}
