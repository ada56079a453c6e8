package dev.clicklog.localaws.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.clicklog.localaws.protocol.AwsServiceException;
import dev.clicklog.localaws.spi.LogSink;
import dev.clicklog.localaws.storage.Durability;
import dev.clicklog.localaws.storage.Storage;
import dev.clicklog.testing.DataDirs;
import dev.clicklog.testing.LocalAwsConfigs;

/**
 * CloudWatch Logs through its journal: log groups (retention, tags), streams and their events —
 * put by clients and delivered by other services — are answered exactly as before after a clean
 * close and after a kill -9 (a crash copy), events past retention stay gone, and new events follow
 * the kept ones in order.
 */
class LogsDurabilityTest {

    private static final String REGION = "us-east-1";

    @TempDir
    Path dir;

    private final List<Storage> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(Storage::close);
    }

    private LogsService open(Path data) {
        Storage storage = new Storage(Storage.Settings.of(data, Durability.FSYNC));
        opened.add(storage);
        return open(storage);
    }

    static LogsService open(Storage storage) {
        LogsService logs = new LogsService(LocalAwsConfigs.accountOnly("000000000000"), storage);
        storage.ready();
        return logs;
    }

    private static List<LogsService.InputEvent> events(long from, int count, String text) {
        List<LogsService.InputEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(new LogsService.InputEvent(from + i, text + " " + i));
        }
        return events;
    }

    /** What the fixture holds: groups, streams and events, part of it snapshotted. */
    static void writeState(LogsService logs, Storage storage) {
        long now = System.currentTimeMillis();
        logs.createGroup(REGION, "/clicks/app", Map.of("team", "web"), null);
        logs.createStream(REGION, "/clicks/app", "web-1");
        logs.createStream(REGION, "/clicks/app", "gone");
        logs.put(REGION, "/clicks/app", "web-1", events(now - 60_000, 1100, "c"));
        logs.createGroup(REGION, "/clicks/old", Map.of(), "INFREQUENT_ACCESS");
        logs.createStream(REGION, "/clicks/old", "s");
        // Two days old: dropped once the group keeps one day.
        logs.put(REGION, "/clicks/old", "s", events(now - 2 * LogsService.DAY, 5, "old"));
        logs.put(REGION, "/clicks/old", "s", events(now - 1000, 2, "new"));
        // A stream of more events than a snapshot puts in one change.
        storage.checkpoint();
        logs.putRetention(REGION, "/clicks/old", 1);
        logs.tagGroup(REGION, "/clicks/app", Map.of("cost", "42"));
        logs.untagGroup(REGION, "/clicks/app", List.of("team"));
        logs.deleteStream(REGION, "/clicks/app", "gone");
        logs.put(REGION, "/clicks/app", "web-1", events(now - 30_000, 20, "more"));
        logs.createGroup(REGION, "/deleted", null, null);
        logs.deleteGroup(REGION, "/deleted");
        // Access logs as API Gateway delivers them: the stream is made on delivery.
        logs.deliver("arn:aws:logs:us-east-1:000000000000:log-group:/clicks/app", "access-prod",
                List.of(new LogSink.Event(now - 500, "req-1 200"), new LogSink.Event(now - 400, "req-2 429")));
    }

    /** What DescribeLogGroups, DescribeLogStreams, ListTagsForResource and GetLogEvents answer. */
    private static Map<String, String> view(LogsService logs) {
        Map<String, String> out = new LinkedHashMap<>();
        LogsService.GroupPage groups = logs.describeGroups(REGION, null, null, null, null, null, null);
        out.put("groups", groups.groups().toString());
        for (LogsService.GroupView g : groups.groups()) {
            out.put(g.name() + " tags", new TreeMap<>(logs.groupTags(REGION, g.name())).toString());
            LogsService.StreamPage streams = logs.describeStreams(REGION, g.name(), null, false, false, null, null);
            out.put(g.name() + " streams", streams.streams().toString());
            for (LogsService.StreamView s : streams.streams()) {
                out.put(g.name() + " " + s.name(), logs.events(REGION, g.name(), s.name(), null, null, null, null, true)
                        .events().toString());
            }
        }
        return out;
    }

    @Test
    void groupsStreamsAndEventsComeBackAfterACleanClose() {
        Path data = dir.resolve("data");
        LogsService logs = open(data);
        writeState(logs, opened.get(0));
        Map<String, String> before = view(logs);
        opened.remove(0).close();

        LogsService again = open(data);
        assertEquals(before, view(again));
        assertTrue(before.get("/clicks/app web-1").contains("more 19"), "every event is compared");
        assertEquals(2, again.events(REGION, "/clicks/old", "s", null, null, null, null, true).events().size(),
                "events past the retention stay gone");
        assertThrows(AwsServiceException.class,
                () -> again.events(REGION, "/clicks/app", "gone", null, null, null, null, true));
        // New events after the kept ones: sequence numbers go on, so ids stay unique and ordered.
        long last = again.events(REGION, "/clicks/app", "web-1", null, null, null, null, false).events().stream()
                .mapToLong(LogEvent::sequence).max().orElseThrow();
        again.put(REGION, "/clicks/app", "web-1", events(System.currentTimeMillis(), 1, "after"));
        List<LogEvent> now = again.events(REGION, "/clicks/app", "web-1", null, null, null, 1, false).events();
        assertTrue(now.get(0).sequence() > last, now.toString());
    }

    @Test
    void groupsStreamsAndEventsComeBackAfterAKill() {
        Path data = dir.resolve("data");
        LogsService logs = open(data);
        writeState(logs, opened.get(0));
        Map<String, String> before = view(logs);
        opened.get(0).awaitDurable();

        LogsService again = open(DataDirs.crashCopy(data, dir.resolve("crashed")));
        assertEquals(before, view(again));
    }

    @Test
    void readsTheCommittedVersion1Fixture() {
        LogsService logs = open(DataDirs.crashCopy(Path.of("src/test/resources/storage/v1-logs"), dir.resolve("v1")));
        assertEquals(List.of("/clicks/app", "/clicks/old"), logs.describeGroups(REGION, null, null, null, null, null, null)
                .groups().stream().map(LogsService.GroupView::name).toList());
        assertEquals(Map.of("cost", "42"), logs.groupTags(REGION, "/clicks/app"));
        assertEquals(List.of("access-prod", "web-1"), logs.describeStreams(REGION, "/clicks/app", null, false, false, null,
                null).streams().stream().map(LogsService.StreamView::name).toList());
        List<LogEvent> web = logs.events(REGION, "/clicks/app", "web-1", null, null, null, null, true).events();
        assertEquals(1120, web.size());
        assertEquals("c 0", web.get(0).message());
        assertEquals(List.of("req-1 200", "req-2 429"), logs.events(REGION, "/clicks/app", "access-prod", null, null, null,
                null, true).events().stream().map(LogEvent::message).toList());
    }
}
