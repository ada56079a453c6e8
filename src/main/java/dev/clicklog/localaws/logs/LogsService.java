package dev.clicklog.localaws.logs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import dev.clicklog.localaws.LocalAwsConfig;
import dev.clicklog.localaws.protocol.AwsServiceException;
import dev.clicklog.localaws.spi.LogSink;
import dev.clicklog.localaws.storage.Journal;
import dev.clicklog.localaws.storage.JsonCodec;
import dev.clicklog.localaws.storage.Storage;
import io.quarkus.runtime.Startup;

/**
 * CloudWatch Logs' behaviour, independent of the wire: log groups per region with their retention
 * and tags, their streams, the events put into them, and the searches over them (GetLogEvents,
 * FilterLogEvents with filter patterns). Every change of state happens here, under this object's
 * lock. Events older than a group's retention period are dropped whenever the group is touched, so
 * nothing past its retention is ever answered.
 *
 * <p>It is also where other services deliver the logs AWS writes for them ({@link LogSink}).
 *
 * <p>Durable through the {@code logs} journal: a group's settings, its streams and every event
 * stored are recorded once checked; events past retention are left out of snapshots.
 */
@ApplicationScoped
@Startup(Storage.REGISTER_PRIORITY)
public class LogsService implements LogSink {

    static final int MAX_TAGS = 50;
    static final int DEFAULT_LIST_LIMIT = 50;
    static final int DEFAULT_EVENTS_LIMIT = 10_000;
    /** The most a PutLogEvents batch and a page of events may hold, counting 26 bytes per event. */
    static final int MAX_BATCH_BYTES = 1_048_576;
    static final long DAY = 86_400_000L;
    /** PutLogEvents accepts events from 14 days ago to 2 hours ahead. */
    static final long OLDEST = 14 * DAY;
    static final long NEWEST = 2 * 3_600_000L;
    static final List<Integer> RETENTION_DAYS = List.of(1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545,
            731, 1096, 1827, 2192, 2557, 2922, 3288, 3653);

    private static final Pattern GROUP_ARN = Pattern.compile("arn:aws[a-z-]*:logs:([a-z0-9-]+):(\\d{12}):log-group:([^:]+)(:\\*)?");

    /** An event as PutLogEvents receives it. */
    record InputEvent(long timestamp, String message) {
    }

    /** What PutLogEvents answers: the events it did not store, by their positions in the batch (null: none). */
    record PutResult(String nextSequenceToken, Integer tooNewStartIndex, Integer tooOldEndIndex, Integer expiredEndIndex) {
    }

    /** A log group as DescribeLogGroups shows it, taken under the lock. */
    record GroupView(String name, String arn, long creationTime, Integer retentionInDays, long storedBytes,
            String logGroupClass) {

        static GroupView of(LogGroup g) {
            return new GroupView(g.name, g.arn, g.creationTime, g.retentionInDays, g.storedBytes(), g.logGroupClass);
        }
    }

    /** A log stream as DescribeLogStreams shows it, taken under the lock. */
    record StreamView(String name, String arn, long creationTime, Long firstEventTimestamp, Long lastEventTimestamp,
            Long lastIngestionTime, long storedBytes) {

        static StreamView of(LogStream s) {
            return new StreamView(s.name, s.arn, s.creationTime, s.firstEventTimestamp(), s.lastEventTimestamp(),
                    s.lastIngestionTime, s.storedBytes);
        }
    }

    record GroupPage(List<GroupView> groups, String nextToken) {
    }

    record StreamPage(List<StreamView> streams, String nextToken) {
    }

    /** GetLogEvents' answer: the events, oldest first, and the tokens to read on either way. */
    record EventsPage(List<LogEvent> events, String nextForwardToken, String nextBackwardToken) {
    }

    /** An event FilterLogEvents found, with the stream it is in. */
    record Found(String logStreamName, LogEvent event) {
    }

    record FilterResult(List<Found> events, List<String> searchedStreams, String nextToken) {
    }

    /** FilterLogEvents' input, read and checked against the model. */
    record Filter(String group, List<String> streamNames, String streamPrefix, Long startTime, Long endTime,
            String pattern, String nextToken, Integer limit) {
    }

    private final Map<String, LogGroup> groups = new HashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final LocalAwsConfig config;
    private final Journal<LogsChange> journal;
    /** Events per change in a snapshot: a stream's events in parts, so no change grows without bound. */
    private static final int SNAPSHOT_EVENTS = 1000;

    LogsService(LocalAwsConfig config, Storage storage) {
        this.config = config;
        this.journal = storage.journal(LogsChange.STORE, JsonCodec.of(LogsChange.class, LogsChange.VERSION), this,
                this::apply, this::snapshot);
    }

    private void snapshot(Consumer<LogsChange> out) {
        long now = now();
        for (LogGroup g : groups.values()) {
            g.expire(now);
            out.accept(groupPut(g));
            for (LogStream s : g.streams.values()) {
                out.accept(new LogsChange.StreamPut(g.region, g.name, s.name, s.arn, s.creationTime));
                List<LogEvent> part = new ArrayList<>(SNAPSHOT_EVENTS);
                for (LogEvent e : s.events) {
                    part.add(e);
                    if (part.size() == SNAPSHOT_EVENTS) {
                        out.accept(new LogsChange.EventsAdded(g.region, g.name, s.name, part));
                        part = new ArrayList<>(SNAPSHOT_EVENTS);
                    }
                }
                if (!part.isEmpty()) {
                    out.accept(new LogsChange.EventsAdded(g.region, g.name, s.name, part));
                }
            }
        }
    }

    private static LogsChange.GroupPut groupPut(LogGroup g) {
        return new LogsChange.GroupPut(g.region, g.name, g.arn, g.creationTime, g.logGroupClass, g.retentionInDays,
                new LinkedHashMap<>(g.tags));
    }

    /** The one way the state changes, live and when the journal is replayed. */
    private void apply(LogsChange change) {
        if (change instanceof LogsChange.GroupPut put) {
            LogGroup previous = groups.get(key(put.region(), put.name()));
            LogGroup g = new LogGroup(put.region(), put.name(), put.arn(), put.creationTime(), put.logGroupClass());
            g.retentionInDays = put.retentionInDays();
            g.tags.putAll(put.tags());
            if (previous != null) {
                g.streams.putAll(previous.streams);
            }
            groups.put(key(put.region(), put.name()), g);
        } else if (change instanceof LogsChange.GroupDeleted deleted) {
            groups.remove(key(deleted.region(), deleted.name()));
        } else if (change instanceof LogsChange.StreamPut put) {
            groups.get(key(put.region(), put.group())).streams.put(put.name(),
                    new LogStream(put.name(), put.arn(), put.creationTime()));
        } else if (change instanceof LogsChange.StreamDeleted deleted) {
            groups.get(key(deleted.region(), deleted.group())).streams.remove(deleted.name());
        } else if (change instanceof LogsChange.EventsAdded added) {
            LogGroup g = groups.get(key(added.region(), added.group()));
            LogEvent first = added.events().get(0);
            LogStream s = g.streams.computeIfAbsent(added.stream(),
                    n -> new LogStream(n, g.arn + ":log-stream:" + n, first.ingestionTime()));
            for (LogEvent e : added.events()) {
                s.add(e);
                sequence.accumulateAndGet(e.sequence(), Math::max);
            }
        }
    }

    String account() {
        return config.accountId();
    }

    // ---- log groups ----

    synchronized GroupView createGroup(String region, String name, Map<String, String> tags, String logGroupClass) {
        if (groups.containsKey(key(region, name))) {
            throw LogsErrors.groupExists();
        }
        LogGroup group = new LogGroup(region, name, groupArn(region, name), now(),
                logGroupClass == null ? "STANDARD" : logGroupClass);
        if (tags != null) {
            group.tags.putAll(tags);
        }
        journal.record(groupPut(group));
        return GroupView.of(groups.get(key(region, name)));
    }

    synchronized void deleteGroup(String region, String name) {
        if (!groups.containsKey(key(region, name))) {
            throw LogsErrors.noSuchGroup();
        }
        journal.record(new LogsChange.GroupDeleted(region, name));
    }

    /**
     * The groups of the region in name order, after the page token, those whose names start with
     * {@code prefix} or contain {@code pattern} (case-insensitively), or are named by {@code identifiers}.
     */
    synchronized GroupPage describeGroups(String region, String prefix, String pattern, List<String> identifiers,
            String logGroupClass, String token, Integer limit) {
        String after = token == null ? null : decodeToken(token);
        int max = limit == null ? DEFAULT_LIST_LIMIT : limit;
        String lowerPattern = pattern == null ? null : pattern.toLowerCase(Locale.ROOT);
        long now = now();
        List<LogGroup> matching = groups.values().stream()
                .filter(g -> g.region.equals(region))
                .filter(g -> prefix == null || g.name.startsWith(prefix))
                .filter(g -> lowerPattern == null || g.name.toLowerCase(Locale.ROOT).contains(lowerPattern))
                .filter(g -> identifiers == null || identifiers.contains(g.name) || identifiers.contains(g.arn))
                .filter(g -> logGroupClass == null || g.logGroupClass.equals(logGroupClass))
                .filter(g -> after == null || g.name.compareTo(after) > 0)
                .sorted(Comparator.comparing(g -> g.name))
                .toList();
        matching.forEach(g -> g.expire(now));
        List<LogGroup> page = matching.subList(0, Math.min(max, matching.size()));
        String next = matching.size() > max ? encodeToken(page.get(page.size() - 1).name) : null;
        return new GroupPage(page.stream().map(GroupView::of).toList(), next);
    }

    synchronized void putRetention(String region, String name, int days) {
        LogGroup group = group(region, name);
        group.retentionInDays = days;
        group.expire(now());
        journal.record(groupPut(group));
    }

    synchronized void deleteRetention(String region, String name) {
        LogGroup group = group(region, name);
        group.retentionInDays = null;
        journal.record(groupPut(group));
    }

    // ---- tags: by ARN (TagResource) or by group name (the older TagLogGroup) ----

    synchronized Map<String, String> tags(String region, String resourceArn) {
        return Map.copyOf(byArn(region, resourceArn).tags);
    }

    /** The tags of the group a name or ARN names, or none when there is no such group. */
    synchronized Map<String, String> tagsIfAny(String region, String nameOrArn) {
        try {
            return nameOrArn == null ? Map.of() : Map.copyOf(group(region, nameOrArn).tags);
        } catch (AwsServiceException e) {
            return Map.of();
        }
    }

    synchronized Map<String, String> groupTags(String region, String name) {
        return Map.copyOf(group(region, name).tags);
    }

    synchronized void tag(String region, String resourceArn, Map<String, String> tags) {
        tag(byArn(region, resourceArn), tags);
    }

    synchronized void tagGroup(String region, String name, Map<String, String> tags) {
        tag(group(region, name), tags);
    }

    synchronized void untag(String region, String resourceArn, Collection<String> keys) {
        untag(byArn(region, resourceArn), keys);
    }

    synchronized void untagGroup(String region, String name, Collection<String> keys) {
        untag(group(region, name), keys);
    }

    private void tag(LogGroup group, Map<String, String> tags) {
        Map<String, String> merged = new HashMap<>(group.tags);
        merged.putAll(tags);
        if (merged.size() > MAX_TAGS) {
            throw LogsErrors.tooManyTags(group.arn);
        }
        group.tags.putAll(tags);
        journal.record(groupPut(group));
    }

    private void untag(LogGroup group, Collection<String> keys) {
        group.tags.keySet().removeAll(keys);
        journal.record(groupPut(group));
    }

    // ---- log streams ----

    synchronized StreamView createStream(String region, String group, String name) {
        LogGroup g = group(region, group);
        if (g.streams.containsKey(name)) {
            throw LogsErrors.streamExists();
        }
        journal.record(new LogsChange.StreamPut(region, group, name, g.arn + ":log-stream:" + name, now()));
        return StreamView.of(g.streams.get(name));
    }

    synchronized void deleteStream(String region, String group, String name) {
        if (!group(region, group).streams.containsKey(name)) {
            throw LogsErrors.noSuchStream();
        }
        journal.record(new LogsChange.StreamDeleted(region, group, name));
    }

    /** A page of the group's streams, by name (optionally with a prefix) or by their last event's time. */
    synchronized StreamPage describeStreams(String region, String group, String prefix, boolean byLastEventTime,
            boolean descending, String token, Integer limit) {
        if (prefix != null && byLastEventTime) {
            throw LogsErrors.invalidParameter("Cannot order by LastEventTime with a logStreamNamePrefix.");
        }
        LogGroup g = group(region, group);
        g.expire(now());
        Comparator<LogStream> order = byLastEventTime
                ? Comparator.comparing((LogStream s) -> s.lastEventTimestamp() == null ? 0L : s.lastEventTimestamp())
                        .thenComparing(s -> s.name)
                : Comparator.comparing(s -> s.name);
        if (descending) {
            order = order.reversed();
        }
        List<LogStream> sorted = g.streams.values().stream()
                .filter(s -> prefix == null || s.name.startsWith(prefix))
                .sorted(order)
                .toList();
        int from = token == null ? 0 : pageIndex(token, sorted.size());
        int max = limit == null ? DEFAULT_LIST_LIMIT : limit;
        int to = Math.min(sorted.size(), from + max);
        return new StreamPage(sorted.subList(from, to).stream().map(StreamView::of).toList(),
                to < sorted.size() ? encodeToken("#" + to) : null);
    }

    // ---- events ----

    synchronized PutResult put(String region, String group, String stream, List<InputEvent> events) {
        LogGroup g = group(region, group);
        LogStream s = g.streams.get(stream);
        if (s == null) {
            throw LogsErrors.noSuchStream();
        }
        checkBatch(events);
        long now = now();
        g.expire(now);
        long expiredBefore = g.retentionInDays == null ? Long.MIN_VALUE : now - g.retentionInDays * DAY;
        Integer tooNew = null;
        Integer tooOld = null;
        Integer expired = null;
        List<LogEvent> stored = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            InputEvent e = events.get(i);
            if (e.timestamp() > now + NEWEST) {
                tooNew = tooNew == null ? i : tooNew;
            } else if (e.timestamp() < now - OLDEST) {
                tooOld = i + 1;
            } else if (e.timestamp() < expiredBefore) {
                expired = i + 1;
            } else {
                stored.add(new LogEvent(e.timestamp(), sequence.incrementAndGet(), e.message(), now));
            }
        }
        if (!stored.isEmpty()) {
            journal.record(new LogsChange.EventsAdded(region, group, stream, stored));
        }
        return new PutResult(sequenceToken(), tooNew, tooOld, expired);
    }

    /** A batch's own rules: in time order, within 24 hours, within the size limits. */
    private static void checkBatch(List<InputEvent> events) {
        long bytes = 0;
        for (int i = 0; i < events.size(); i++) {
            InputEvent e = events.get(i);
            if (i > 0 && e.timestamp() < events.get(i - 1).timestamp()) {
                throw LogsErrors.invalidParameter("Log events in a single PutLogEvents request must be in chronological order.");
            }
            int size = e.message().getBytes(StandardCharsets.UTF_8).length + LogEvent.OVERHEAD;
            if (size > MAX_BATCH_BYTES) {
                throw LogsErrors.invalidParameter("Log event too large: " + size + " bytes exceeds limit of "
                        + MAX_BATCH_BYTES);
            }
            bytes += size;
        }
        if (bytes > MAX_BATCH_BYTES) {
            throw LogsErrors.invalidParameter("Upload too large: " + bytes + " bytes exceeds limit of " + MAX_BATCH_BYTES);
        }
        if (!events.isEmpty() && events.get(events.size() - 1).timestamp() - events.get(0).timestamp() > DAY) {
            throw LogsErrors.invalidParameter(
                    "The batch of log events in a single PutLogEvents request cannot span more than 24 hours.");
        }
    }

    /**
     * GetLogEvents: events of one stream with timestamps in [start, end), a page of {@code limit} (or
     * 1 MB): from the head, from the tail (the newest), or on from a token. At either end the token
     * given is answered again.
     */
    synchronized EventsPage events(String region, String group, String stream, Long start, Long end, String token,
            Integer limit, boolean startFromHead) {
        LogGroup g = group(region, group);
        LogStream s = g.streams.get(stream);
        if (s == null) {
            throw LogsErrors.noSuchStream();
        }
        g.expire(now());
        NavigableSet<LogEvent> range = s.events;
        if (start != null) {
            range = range.tailSet(LogEvent.position(start, Long.MIN_VALUE), true);
        }
        if (end != null) {
            range = range.headSet(LogEvent.position(end, Long.MIN_VALUE), false);
        }
        boolean forward = startFromHead;
        if (token != null) {
            LogEvent at = parseStreamToken(token);
            forward = token.startsWith("f/");
            range = forward ? range.tailSet(at, false) : range.headSet(at, false);
        }
        int max = limit == null ? DEFAULT_EVENTS_LIMIT : limit;
        List<LogEvent> page = new ArrayList<>();
        long bytes = 0;
        for (LogEvent e : forward ? range : range.descendingSet()) {
            bytes += e.message().getBytes(StandardCharsets.UTF_8).length + LogEvent.OVERHEAD;
            if (page.size() >= max || bytes > MAX_BATCH_BYTES) {
                break;
            }
            page.add(e);
        }
        if (!forward) {
            Collections.reverse(page);
        }
        String forwardToken;
        String backwardToken;
        if (page.isEmpty()) {
            String here = token != null ? token.substring(2)
                    : streamPosition(LogEvent.position(start == null ? 0 : start, 0));
            forwardToken = "f/" + here;
            backwardToken = "b/" + here;
        } else {
            forwardToken = "f/" + streamPosition(page.get(page.size() - 1));
            backwardToken = "b/" + streamPosition(page.get(0));
        }
        return new EventsPage(List.copyOf(page), forwardToken, backwardToken);
    }

    /**
     * FilterLogEvents: the events of the group's streams (all, those named, or those with a prefix)
     * with timestamps in [start, end] that match the pattern, in time order across the streams, a
     * page of {@code limit} (or 1 MB) at a time.
     */
    synchronized FilterResult filter(String region, Filter f) {
        FilterPattern pattern = FilterPattern.compile(f.pattern());
        LogGroup g = group(region, f.group());
        g.expire(now());
        LogEvent after = f.nextToken() == null ? null : parseFilterToken(f.nextToken());
        List<LogStream> streams = g.streams.values().stream()
                .filter(s -> f.streamNames() == null || f.streamNames().contains(s.name))
                .filter(s -> f.streamPrefix() == null || s.name.startsWith(f.streamPrefix()))
                .toList();
        if (f.streamNames() != null && streams.isEmpty()) {
            throw LogsErrors.noSuchStream();
        }
        // A merge of the streams' events in time order, each stream walked from the start of the range.
        record Cursor(LogStream stream, Iterator<LogEvent> events, LogEvent head) {
        }
        PriorityQueue<Cursor> merge = new PriorityQueue<>(Comparator.comparing(Cursor::head, LogEvent.ORDER));
        for (LogStream s : streams) {
            NavigableSet<LogEvent> range = s.events;
            if (f.startTime() != null) {
                range = range.tailSet(LogEvent.position(f.startTime(), Long.MIN_VALUE), true);
            }
            if (after != null) {
                range = range.tailSet(after, false);
            }
            var it = range.iterator();
            if (it.hasNext()) {
                merge.add(new Cursor(s, it, it.next()));
            }
        }
        int max = f.limit() == null ? DEFAULT_EVENTS_LIMIT : f.limit();
        List<Found> found = new ArrayList<>();
        long bytes = 0;
        boolean more = false;
        while (!merge.isEmpty()) {
            Cursor c = merge.poll();
            LogEvent e = c.head();
            if (f.endTime() != null && e.timestamp() > f.endTime()) {
                continue;
            }
            if (pattern.matches(e.message())) {
                long size = e.message().getBytes(StandardCharsets.UTF_8).length + LogEvent.OVERHEAD;
                if (found.size() >= max || bytes + size > MAX_BATCH_BYTES) {
                    more = true;
                    break;
                }
                bytes += size;
                found.add(new Found(c.stream().name, e));
            }
            if (c.events().hasNext()) {
                merge.add(new Cursor(c.stream(), c.events(), c.events().next()));
            }
        }
        String next = more ? encodeToken(streamPosition(found.get(found.size() - 1).event())) : null;
        return new FilterResult(List.copyOf(found), streams.stream().map(s -> s.name).toList(), next);
    }

    // ---- the port other services deliver through ----

    @Override
    public synchronized Outcome deliver(String logGroupArn, String logStreamName, List<Event> events) {
        Matcher arn = GROUP_ARN.matcher(logGroupArn);
        if (!arn.matches() || !arn.group(2).equals(account())) {
            return Outcome.NO_SUCH_GROUP;
        }
        LogGroup g = groups.get(key(arn.group(1), arn.group(3)));
        if (g == null) {
            return Outcome.NO_SUCH_GROUP;
        }
        long now = now();
        g.expire(now);
        long expiredBefore = g.retentionInDays == null ? now - OLDEST : now - Math.min(OLDEST, g.retentionInDays * DAY);
        List<LogEvent> stored = events.stream()
                .sorted(Comparator.comparingLong(Event::timestamp))
                .filter(e -> e.timestamp() >= expiredBefore)
                .map(e -> new LogEvent(e.timestamp(), sequence.incrementAndGet(), e.message(), now))
                .toList();
        if (!stored.isEmpty()) {
            journal.record(new LogsChange.EventsAdded(arn.group(1), arn.group(3), logStreamName, stored));
        } else if (!g.streams.containsKey(logStreamName)) {
            journal.record(new LogsChange.StreamPut(arn.group(1), arn.group(3), logStreamName,
                    g.arn + ":log-stream:" + logStreamName, now));
        }
        return Outcome.DELIVERED;
    }

    // ---- lookups ----

    /** A group by name, or by ARN (with or without its {@code :*}), as logGroupIdentifier allows. */
    private LogGroup group(String region, String nameOrArn) {
        Matcher arn = GROUP_ARN.matcher(nameOrArn);
        LogGroup g = arn.matches() ? groups.get(key(arn.group(1), arn.group(3))) : groups.get(key(region, nameOrArn));
        if (g == null || arn.matches() && !arn.group(2).equals(account())) {
            throw LogsErrors.noSuchGroup();
        }
        return g;
    }

    private LogGroup byArn(String region, String resourceArn) {
        Matcher arn = GROUP_ARN.matcher(resourceArn);
        if (!arn.matches()) {
            throw LogsErrors.invalidParameter("Invalid resource ARN: " + resourceArn
                    + "; localaws tags log groups only (arn:aws:logs:<region>:<account>:log-group:<name>)");
        }
        return group(region, resourceArn);
    }

    String groupArn(String region, String name) {
        return "arn:aws:logs:" + region + ":" + account() + ":log-group:" + name;
    }

    private static String key(String region, String name) {
        return region + "/" + name;
    }

    private static long now() {
        return System.currentTimeMillis();
    }

    // ---- tokens ----

    private static String streamPosition(LogEvent e) {
        return String.format("%020d%036d", e.timestamp(), e.sequence());
    }

    /** {@code f/<56 digits>} or {@code b/<56 digits>}: the event a page ended with. */
    private static LogEvent parseStreamToken(String token) {
        if (!(token.startsWith("f/") || token.startsWith("b/"))) {
            throw LogsErrors.invalidToken();
        }
        return parsePosition(token.substring(2));
    }

    private static LogEvent parseFilterToken(String token) {
        return parsePosition(decodeToken(token));
    }

    private static LogEvent parsePosition(String digits) {
        if (digits.length() != 56 || !digits.chars().allMatch(Character::isDigit)) {
            throw LogsErrors.invalidToken();
        }
        try {
            return LogEvent.position(Long.parseLong(digits.substring(0, 20)), Long.parseLong(digits.substring(20)));
        } catch (NumberFormatException e) {
            throw LogsErrors.invalidToken();
        }
    }

    private static int pageIndex(String token, int size) {
        String decoded = decodeToken(token);
        try {
            int index = Integer.parseInt(decoded.substring(1));
            if (!decoded.startsWith("#") || index < 0 || index > size) {
                throw LogsErrors.invalidToken();
            }
            return index;
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw LogsErrors.invalidToken();
        }
    }

    private static String encodeToken(String position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeToken(String token) {
        try {
            return new String(Base64.getUrlDecoder().decode(Objects.requireNonNull(token)), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw LogsErrors.invalidToken();
        }
    }

    private static String sequenceToken() {
        StringBuilder digits = new StringBuilder(56);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < 56; i++) {
            digits.append(random.nextInt(10));
        }
        return digits.toString();
    }
}
