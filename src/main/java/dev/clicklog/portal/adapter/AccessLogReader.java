package dev.clicklog.portal.adapter;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsResponse;

/**
 * Reading a pipeline's access log group: the lines that match a filter pattern in a time range,
 * a page of FilterLogEvents at a time (oldest first, as CloudWatch Logs answers). Each call is one
 * CloudWatch Logs call (errors as {@link AwsException}); how far to page is the caller's.
 */
@ApplicationScoped
public class AccessLogReader {

    /** One line as CloudWatch Logs stored it: when it was logged, and the line. */
    public record Line(Instant timestamp, String message) {
    }

    /** A page of lines, oldest first, and the token of the next page (null after the last). */
    public record Page(List<Line> lines, String nextToken) {
    }

    /** The most lines FilterLogEvents answers in one page. */
    public static final int MAX_PAGE = 10_000;

    private final CloudWatchLogsClient logs;

    AccessLogReader(CloudWatchLogsClient logs) {
        this.logs = logs;
    }

    /**
     * The lines of {@code logGroup} logged from {@code from} to {@code to} (both included) that match {@code pattern}; {@code token}
     * the previous page's next token, or null for the first page.
     */
    public Page filter(String logGroup, String pattern, Instant from, Instant to, int limit, String token) {
        FilterLogEventsResponse page = AwsErrors.call(() -> logs.filterLogEvents(r -> r.logGroupName(logGroup)
                .filterPattern(pattern)
                .startTime(from.toEpochMilli())
                .endTime(to.toEpochMilli())
                .limit(Math.min(limit, MAX_PAGE))
                .nextToken(token)));
        List<Line> lines = page.events().stream()
                .map(e -> new Line(Instant.ofEpochMilli(e.timestamp()), e.message()))
                .toList();
        return new Page(lines, page.nextToken());
    }
}
