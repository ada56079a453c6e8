package dev.clicklog.localaws.logs;

import java.util.List;
import java.util.Map;

/**
 * What changes CloudWatch Logs' state, as its journal records it: a log group's settings as they now
 * are (created, retention or tags changed), a stream created, events stored, a group or a stream
 * deleted. Events past a group's retention are not logged as removed: they are dropped again at
 * the next touch after a replay, and left out of snapshots.
 */
sealed interface LogsChange permits LogsChange.GroupPut, LogsChange.GroupDeleted, LogsChange.StreamPut,
        LogsChange.StreamDeleted, LogsChange.EventsAdded {

    /** The store's name and codec version: its files' names and on-disk format. */
    String STORE = "logs";
    int VERSION = 1;

    /** A group's settings; its streams are changes of their own. */
    record GroupPut(String region, String name, String arn, long creationTime, String logGroupClass,
            Integer retentionInDays, Map<String, String> tags) implements LogsChange {
    }

    record GroupDeleted(String region, String name) implements LogsChange {
    }

    record StreamPut(String region, String group, String name, String arn, long creationTime) implements LogsChange {
    }

    record StreamDeleted(String region, String group, String name) implements LogsChange {
    }

    /** Events stored into a stream (created first if it was not there, as a delivery creates it). */
    record EventsAdded(String region, String group, String stream, List<LogEvent> events) implements LogsChange {
    }
}
