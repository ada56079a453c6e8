package dev.clicklog.localaws.logs;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** A log group: its settings, tags and streams (by name). */
final class LogGroup {

    final String region;
    final String name;
    /** The ARN without the {@code :*} that DescribeLogGroups' {@code arn} adds. */
    final String arn;
    final long creationTime;
    final String logGroupClass;
    /** Days events are kept; null: forever. */
    Integer retentionInDays;
    final Map<String, String> tags = new LinkedHashMap<>();
    final TreeMap<String, LogStream> streams = new TreeMap<>();

    LogGroup(String region, String name, String arn, long creationTime, String logGroupClass) {
        this.region = region;
        this.name = name;
        this.arn = arn;
        this.creationTime = creationTime;
        this.logGroupClass = logGroupClass;
    }

    /** Drops every event older than the retention period allows, as CloudWatch Logs does on its own. */
    void expire(long now) {
        if (retentionInDays != null) {
            long cutoff = now - retentionInDays * 86_400_000L;
            streams.values().forEach(s -> s.expire(cutoff));
        }
    }

    long storedBytes() {
        return streams.values().stream().mapToLong(s -> s.storedBytes).sum();
    }
}
