package dev.clicklog.localaws.logs;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.NavigableSet;
import java.util.TreeSet;

/** A log stream: its events in time order, and the times CloudWatch Logs reports about it. */
final class LogStream {

    final String name;
    final String arn;
    final long creationTime;
    final NavigableSet<LogEvent> events = new TreeSet<>(LogEvent.ORDER);
    /** When an event was last received; null before the first. */
    Long lastIngestionTime;
    long storedBytes;

    LogStream(String name, String arn, long creationTime) {
        this.name = name;
        this.arn = arn;
        this.creationTime = creationTime;
    }

    void add(LogEvent event) {
        events.add(event);
        storedBytes += event.message().getBytes(StandardCharsets.UTF_8).length;
        lastIngestionTime = event.ingestionTime();
    }

    /** Drops the events older than {@code cutoff} (epoch millis), as a retention period does. */
    void expire(long cutoff) {
        Iterator<LogEvent> it = events.iterator();
        while (it.hasNext()) {
            LogEvent e = it.next();
            if (e.timestamp() >= cutoff) {
                return;
            }
            it.remove();
            storedBytes -= e.message().getBytes(StandardCharsets.UTF_8).length;
        }
    }

    Long firstEventTimestamp() {
        return events.isEmpty() ? null : events.first().timestamp();
    }

    Long lastEventTimestamp() {
        return events.isEmpty() ? null : events.last().timestamp();
    }
}
