package dev.clicklog.localaws.logs;

import java.util.Comparator;

/**
 * One stored log event: its time, a sequence number in the order CloudWatch Logs received it
 * (which orders events of the same millisecond and makes their ids), its text and when it was received.
 */
record LogEvent(long timestamp, long sequence, String message, long ingestionTime) {

    /** Time order, then arrival order: how streams keep their events and how searches return them. */
    static final Comparator<LogEvent> ORDER = Comparator.comparingLong(LogEvent::timestamp)
            .thenComparingLong(LogEvent::sequence);

    /** Bytes CloudWatch Logs counts for an event: its message in UTF-8 plus 26. */
    static final int OVERHEAD = 26;

    /** A 56-digit id, as CloudWatch Logs gives, from the event's time and sequence. */
    String eventId() {
        return String.format("%020d%036d", timestamp, sequence);
    }

    /** A position between events, before every event with this time and sequence or later. */
    static LogEvent position(long timestamp, long sequence) {
        return new LogEvent(timestamp, sequence, "", 0);
    }
}
