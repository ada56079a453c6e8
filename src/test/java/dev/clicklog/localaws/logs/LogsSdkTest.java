package dev.clicklog.localaws.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.clicklog.localaws.spi.LogSink;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.InvalidParameterException;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogStream;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;
import software.amazon.awssdk.services.cloudwatchlogs.model.TooManyTagsException;

/** CloudWatch Logs through the Java SDK, which speaks JSON 1.1 to it. */
@QuarkusTest
class LogsSdkTest {

    private static final long DAY = 86_400_000L;

    @Inject
    CloudWatchLogsClient logs;

    @Inject
    LogSink sink;

    private static String uniqueGroup() {
        return "/test/logs-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private LogGroup describe(String name) {
        return logs.describeLogGroups(b -> b.logGroupNamePrefix(name)).logGroups().stream()
                .filter(g -> g.logGroupName().equals(name)).findFirst().orElse(null);
    }

    private static InputLogEvent event(long timestamp, String message) {
        return InputLogEvent.builder().timestamp(timestamp).message(message).build();
    }

    @Test
    void logGroupsAreCreatedDescribedTaggedAndDeleted() {
        String name = uniqueGroup();
        long before = System.currentTimeMillis();
        logs.createLogGroup(b -> b.logGroupName(name).tags(Map.of("team", "web", "managed-by", "clicklog-portal")));
        LogGroup g = describe(name);
        assertNotNull(g);
        assertTrue(g.creationTime() >= before - 1000, "creationTime " + g.creationTime());
        assertEquals("arn:aws:logs:us-east-1:000000000000:log-group:" + name + ":*", g.arn());
        assertEquals("arn:aws:logs:us-east-1:000000000000:log-group:" + name, g.logGroupArn());
        assertNull(g.retentionInDays(), "no retention until one is put");
        assertEquals(0L, g.storedBytes());
        assertEquals("STANDARD", g.logGroupClassAsString());

        assertThrows(ResourceAlreadyExistsException.class, () -> logs.createLogGroup(b -> b.logGroupName(name)));

        logs.putRetentionPolicy(b -> b.logGroupName(name).retentionInDays(7));
        assertEquals(7, describe(name).retentionInDays());
        InvalidParameterException days = assertThrows(InvalidParameterException.class,
                () -> logs.putRetentionPolicy(b -> b.logGroupName(name).retentionInDays(2)));
        assertTrue(days.getMessage().contains("Member must satisfy enum value set: [1, 3, 5, 7, 14"), days.getMessage());
        logs.deleteRetentionPolicy(b -> b.logGroupName(name));
        assertNull(describe(name).retentionInDays());

        assertEquals(Map.of("team", "web", "managed-by", "clicklog-portal"),
                logs.listTagsForResource(b -> b.resourceArn(g.logGroupArn())).tags());
        logs.tagResource(b -> b.resourceArn(g.logGroupArn()).tags(Map.of("clicklog:pipeline", "shop")));
        logs.untagResource(b -> b.resourceArn(g.logGroupArn()).tagKeys("team"));
        assertEquals(Map.of("managed-by", "clicklog-portal", "clicklog:pipeline", "shop"),
                logs.listTagsForResource(b -> b.resourceArn(g.logGroupArn())).tags());
        Map<String, String> many = new HashMap<>();
        IntStream.range(0, 49).forEach(i -> many.put("k" + i, "v"));
        assertThrows(TooManyTagsException.class, () -> logs.tagResource(b -> b.resourceArn(g.logGroupArn()).tags(many)));

        logs.deleteLogGroup(b -> b.logGroupName(name));
        assertNull(describe(name));
        ResourceNotFoundException gone = assertThrows(ResourceNotFoundException.class,
                () -> logs.deleteLogGroup(b -> b.logGroupName(name)));
        assertTrue(gone.getMessage().startsWith("The specified log group does not exist."), gone.getMessage());
        assertThrows(ResourceNotFoundException.class,
                () -> logs.listTagsForResource(b -> b.resourceArn(g.logGroupArn())));
    }

    @Test
    void badNamesAreRefusedInTheModelsWords() {
        InvalidParameterException e = assertThrows(InvalidParameterException.class,
                () -> logs.createLogGroup(b -> b.logGroupName("no spaces allowed")));
        assertTrue(e.getMessage().contains("Value 'no spaces allowed' at 'logGroupName' failed to satisfy constraint: "
                + "Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+"), e.getMessage());
    }

    @Test
    void describeLogGroupsPagesInNameOrder() {
        String prefix = uniqueGroup();
        List<String> names = IntStream.range(0, 5).mapToObj(i -> prefix + "/" + i).toList();
        names.forEach(n -> logs.createLogGroup(b -> b.logGroupName(n)));
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String t = token;
            var page = logs.describeLogGroups(b -> b.logGroupNamePrefix(prefix).limit(2).nextToken(t));
            page.logGroups().forEach(g -> seen.add(g.logGroupName()));
            token = page.nextToken();
            pages++;
        } while (token != null);
        assertEquals(names, seen);
        assertEquals(3, pages);
        assertEquals(5, logs.describeLogGroupsPaginator(b -> b.logGroupNamePattern(prefix.substring(6).toUpperCase()))
                .logGroups().stream().count(), "a pattern matches anywhere, case-insensitively");
        names.forEach(n -> logs.deleteLogGroup(b -> b.logGroupName(n)));
    }

    @Test
    void eventsArePutReadBothWaysAndChecked() {
        String group = uniqueGroup();
        logs.createLogGroup(b -> b.logGroupName(group));
        logs.createLogStream(b -> b.logGroupName(group).logStreamName("s1"));
        assertThrows(ResourceAlreadyExistsException.class,
                () -> logs.createLogStream(b -> b.logGroupName(group).logStreamName("s1")));
        long now = System.currentTimeMillis();
        List<InputLogEvent> events = IntStream.range(0, 10).mapToObj(i -> event(now - 10_000 + i * 1000, "event " + i))
                .toList();
        PutLogEventsResponse put = logs.putLogEvents(b -> b.logGroupName(group).logStreamName("s1").logEvents(events));
        assertNotNull(put.nextSequenceToken());
        assertNull(put.rejectedLogEventsInfo());

        // The newest by default, a page at a time backwards; from the head forwards.
        GetLogEventsResponse tail = logs.getLogEvents(b -> b.logGroupName(group).logStreamName("s1").limit(4));
        assertEquals(List.of("event 6", "event 7", "event 8", "event 9"), messages(tail.events()));
        GetLogEventsResponse earlier = logs.getLogEvents(b -> b.logGroupName(group).logStreamName("s1").limit(4)
                .nextToken(tail.nextBackwardToken()));
        assertEquals(List.of("event 2", "event 3", "event 4", "event 5"), messages(earlier.events()));
        GetLogEventsResponse head = logs.getLogEvents(b -> b.logGroupName(group).logStreamName("s1").limit(3)
                .startFromHead(true));
        assertEquals(List.of("event 0", "event 1", "event 2"), messages(head.events()));
        GetLogEventsResponse on = logs.getLogEvents(b -> b.logGroupName(group).logStreamName("s1")
                .nextToken(head.nextForwardToken()));
        assertEquals(7, on.events().size());
        GetLogEventsResponse end = logs.getLogEvents(b -> b.logGroupName(group).logStreamName("s1")
                .nextToken(on.nextForwardToken()));
        assertEquals(List.of(), end.events());
        assertEquals(on.nextForwardToken(), end.nextForwardToken(), "at the end the token is answered again");
        GetLogEventsResponse window = logs.getLogEvents(b -> b.logGroupName(group).logStreamName("s1")
                .startTime(now - 8_000).endTime(now - 6_000).startFromHead(true));
        assertEquals(List.of("event 2", "event 3"), messages(window.events()), "[start, end)");

        LogStream stream = logs.describeLogStreams(b -> b.logGroupName(group)).logStreams().get(0);
        assertEquals("s1", stream.logStreamName());
        assertEquals(now - 10_000, stream.firstEventTimestamp());
        assertEquals(now - 1_000, stream.lastEventTimestamp());
        assertNotNull(stream.lastIngestionTime());

        // A batch out of time order, and one for a stream that does not exist.
        InvalidParameterException order = assertThrows(InvalidParameterException.class, () -> logs.putLogEvents(b -> b
                .logGroupName(group).logStreamName("s1").logEvents(event(now, "b"), event(now - 1, "a"))));
        assertTrue(order.getMessage().contains("chronological order"), order.getMessage());
        ResourceNotFoundException noStream = assertThrows(ResourceNotFoundException.class, () -> logs.putLogEvents(
                b -> b.logGroupName(group).logStreamName("nope").logEvents(event(now, "x"))));
        assertTrue(noStream.getMessage().startsWith("The specified log stream does not exist."));

        // Too old, too new: not stored, their positions reported.
        PutLogEventsResponse old = logs.putLogEvents(b -> b.logGroupName(group).logStreamName("s1").logEvents(
                event(now - 15 * DAY, "too old")));
        assertEquals(1, old.rejectedLogEventsInfo().tooOldLogEventEndIndex());
        PutLogEventsResponse ahead = logs.putLogEvents(b -> b.logGroupName(group).logStreamName("s1").logEvents(
                event(now, "fine"), event(now + 3 * 3_600_000L, "too new")));
        assertEquals(1, ahead.rejectedLogEventsInfo().tooNewLogEventStartIndex());
        InvalidParameterException span = assertThrows(InvalidParameterException.class, () -> logs.putLogEvents(b -> b
                .logGroupName(group).logStreamName("s1").logEvents(event(now - 2 * DAY, "a"), event(now, "b"))));
        assertTrue(span.getMessage().contains("cannot span more than 24 hours"), span.getMessage());
        assertEquals(11, logs.getLogEvents(b -> b.logGroupName(group).logStreamName("s1").startFromHead(true))
                .events().size());
        logs.deleteLogGroup(b -> b.logGroupName(group));
    }

    @Test
    void filterLogEventsSearchesEveryStreamInTimeOrderWithAPattern() {
        String group = uniqueGroup();
        logs.createLogGroup(b -> b.logGroupName(group));
        long now = System.currentTimeMillis();
        for (String s : List.of("a", "b")) {
            logs.createLogStream(b -> b.logGroupName(group).logStreamName(s));
            List<InputLogEvent> events = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                int status = i % 2 == 0 ? 200 : 400 + i;
                events.add(event(now - 60_000 + i * 2000 + (s.equals("b") ? 1000 : 0),
                        "{\"stream\":\"" + s + "\",\"i\":" + i + ",\"status\":\"" + status + "\"}"));
            }
            logs.putLogEvents(b -> b.logGroupName(group).logStreamName(s).logEvents(events));
        }
        FilterLogEventsResponse all = logs.filterLogEvents(b -> b.logGroupName(group));
        assertEquals(12, all.events().size());
        List<Long> times = all.events().stream().map(FilteredLogEvent::timestamp).toList();
        assertEquals(times.stream().sorted().toList(), times, "in time order across the streams");
        assertEquals(List.of("a", "b"), all.searchedLogStreams().stream().map(s -> s.logStreamName()).toList());
        assertEquals(56, all.events().get(0).eventId().length());

        FilterLogEventsResponse refused = logs.filterLogEvents(b -> b.logGroupName(group)
                .filterPattern("{ $.status >= 400 }"));
        assertEquals(6, refused.events().size());
        assertTrue(refused.events().stream().allMatch(e -> e.message().contains("\"status\":\"40")));

        FilterLogEventsResponse onlyB = logs.filterLogEvents(b -> b.logGroupName(group).logStreamNames("b")
                .filterPattern("{ $.status = 4* }").startTime(now - 50_000).endTime(now - 49_000));
        assertEquals(List.of(now - 49_000), onlyB.events().stream().map(FilteredLogEvent::timestamp).toList(),
                "startTime and endTime both count");

        // Pages: 5, 5, 2, each starting where the last ended.
        List<String> paged = new ArrayList<>();
        String token = null;
        do {
            String t = token;
            FilterLogEventsResponse page = logs.filterLogEvents(b -> b.logGroupName(group).limit(5).nextToken(t));
            page.events().forEach(e -> paged.add(e.eventId()));
            token = page.nextToken();
        } while (token != null);
        assertEquals(all.events().stream().map(FilteredLogEvent::eventId).toList(), paged);

        InvalidParameterException bad = assertThrows(InvalidParameterException.class,
                () -> logs.filterLogEvents(b -> b.logGroupName(group).filterPattern("{ $.status = }")));
        assertTrue(bad.getMessage().startsWith("Invalid filter pattern"), bad.getMessage());
        logs.deleteLogGroup(b -> b.logGroupName(group));
    }

    @Test
    void retentionDropsEventsOlderThanItAllows() {
        String group = uniqueGroup();
        logs.createLogGroup(b -> b.logGroupName(group));
        logs.createLogStream(b -> b.logGroupName(group).logStreamName("s"));
        long now = System.currentTimeMillis();
        for (InputLogEvent e : List.of(event(now - 10 * DAY, "ten days old"), event(now - 2 * DAY, "two days old"),
                event(now, "new"))) {
            logs.putLogEvents(b -> b.logGroupName(group).logStreamName("s").logEvents(e));
        }
        assertEquals(3, logs.filterLogEvents(b -> b.logGroupName(group)).events().size());

        logs.putRetentionPolicy(b -> b.logGroupName(group).retentionInDays(7));
        assertEquals(List.of("two days old", "new"), logs.filterLogEvents(b -> b.logGroupName(group)).events().stream()
                .map(FilteredLogEvent::message).toList());
        logs.putRetentionPolicy(b -> b.logGroupName(group).retentionInDays(1));
        assertEquals(List.of("new"), messages(logs.getLogEvents(b -> b.logGroupName(group).logStreamName("s")).events()));
        PutLogEventsResponse expired = logs.putLogEvents(b -> b.logGroupName(group).logStreamName("s")
                .logEvents(event(now - 30 * 3_600_000L, "expired on arrival")));
        assertEquals(1, expired.rejectedLogEventsInfo().expiredLogEventEndIndex());
        logs.putLogEvents(b -> b.logGroupName(group).logStreamName("s").logEvents(event(now, "kept")));
        assertEquals(2, logs.filterLogEvents(b -> b.logGroupName(group)).events().size());
        logs.deleteLogGroup(b -> b.logGroupName(group));
    }

    @Test
    void servicesDeliverIntoStreamsTheyName() {
        String group = uniqueGroup();
        String arn = "arn:aws:logs:us-east-1:000000000000:log-group:" + group;
        long now = System.currentTimeMillis();
        assertEquals(LogSink.Outcome.NO_SUCH_GROUP, sink.deliver(arn, "s", List.of(new LogSink.Event(now, "lost"))));
        logs.createLogGroup(b -> b.logGroupName(group));
        assertEquals(LogSink.Outcome.DELIVERED, sink.deliver(arn + ":*", "0f3a", List.of(new LogSink.Event(now, "one"),
                new LogSink.Event(now - 5, "zero"))));
        assertEquals(List.of("zero", "one"), messages(logs.getLogEvents(b -> b.logGroupName(group).logStreamName("0f3a"))
                .events()));
        assertFalse(logs.describeLogStreams(b -> b.logGroupIdentifier(arn)).logStreams().isEmpty(),
                "the stream was created, and the group is found by its ARN too");
        logs.deleteLogGroup(b -> b.logGroupName(group));
    }

    private static List<String> messages(List<OutputLogEvent> events) {
        return events.stream().map(OutputLogEvent::message).toList();
    }
}
