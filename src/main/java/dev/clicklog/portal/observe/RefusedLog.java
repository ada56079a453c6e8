package dev.clicklog.portal.observe;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.clicklog.portal.adapter.AccessLogFields;
import dev.clicklog.portal.adapter.AccessLogReader;
import dev.clicklog.portal.adapter.AccessLogReader.Line;
import dev.clicklog.portal.adapter.AwsException;
import dev.clicklog.portal.adapter.OptionalFeature;
import dev.clicklog.portal.pipeline.PipelineView;
import dev.clicklog.portal.pipeline.PipelinesConfig;

/**
 * The requests a pipeline's gateway refused, newest first, read from its access log group with the
 * filter pattern of a 4xx or 5xx answer. CloudWatch Logs answers oldest first, so the log is read
 * in windows back from now — 5 minutes, then each one 4× wider — until {@code limit} refusals are
 * found or {@code since} is reached; a read makes at most {@value #MAX_PAGES} FilterLogEvents calls
 * and says when it stopped short.
 */
@ApplicationScoped
public class RefusedLog {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;
    static final int MAX_PAGES = 20;
    private static final Duration FIRST_WINDOW = Duration.ofMinutes(5);

    private final AccessLogReader reader;
    private final ReadyPipelines pipelines;
    private final PipelinesConfig config;
    private final ObjectMapper json;

    RefusedLog(AccessLogReader reader, ReadyPipelines pipelines, PipelinesConfig config, ObjectMapper json) {
        this.reader = reader;
        this.pipelines = pipelines;
        this.config = config;
        this.json = json;
    }

    /**
     * The newest {@code limit} requests the READY pipeline's gateway refused at or after {@code since}
     * (by default: as far back as its log group keeps), newest first.
     */
    public RefusedRequests recent(String pipeline, int limit, Optional<Instant> since) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ObserveException.invalid("limit", "must be between 1 and " + MAX_LIMIT);
        }
        PipelineView view = pipelines.get(pipeline);
        String group = view.resources().logGroup();
        Instant now = Instant.now();
        if (group == null) {
            return unavailable(view).map(why -> RefusedRequests.unavailable(view.name(), limit, since.orElse(null), now, why))
                    .orElseThrow(() -> ObserveException.noAccessLogs(pipeline));
        }
        Instant kept = now.minus(Duration.ofDays(config.accessLogs().retentionDays()));
        Instant floor = since.filter(s -> s.isAfter(kept)).orElse(kept);
        List<RefusedRequest> found = new ArrayList<>();
        int pages = 0;
        boolean complete = true;
        Instant to = now;
        Duration window = FIRST_WINDOW;
        try {
            while (found.size() < limit && !to.isBefore(floor)) {
                Instant from = to.minus(window);
                if (from.isBefore(floor)) {
                    from = floor;
                }
                // The newest (limit - found) of this window, oldest first as they come.
                Deque<RefusedRequest> newest = new ArrayDeque<>();
                String token = null;
                do {
                    if (pages == MAX_PAGES) {
                        complete = false;
                        break;
                    }
                    AccessLogReader.Page page = reader.filter(group, AccessLogFields.REFUSED, from, to, MAX_LIMIT, token);
                    pages++;
                    for (Line line : page.lines()) {
                        parse(line).ifPresent(newest::addLast);
                        if (newest.size() > limit - found.size()) {
                            newest.removeFirst();
                        }
                    }
                    token = page.nextToken();
                } while (token != null);
                newest.descendingIterator().forEachRemaining(found::add);
                if (!complete) {
                    break;
                }
                // FilterLogEvents includes both ends of a range: the next window ends just before this one.
                to = from.minusMillis(1);
                window = window.multipliedBy(4);
            }
        } catch (AwsException e) {
            throw ObserveException.upstream("CloudWatch Logs FilterLogEvents", e);
        }
        return new RefusedRequests(view.name(), group, limit, since.orElse(null), now, complete, List.copyOf(found),
                true, null);
    }

    /**
     * Why the pipeline writes no access logs, when it goes without them: its DEGRADED note says what
     * the endpoint answered (and the setting that would help, if any).
     */
    private static Optional<String> unavailable(PipelineView view) {
        return view.degradations().stream()
                .filter(d -> OptionalFeature.ACCESS_LOGS.name().equals(d.feature()))
                .findFirst()
                .map(d -> "this endpoint does not serve access logs, so the gateway's refusals are not recorded: "
                        + d.reason() + (d.suggestion() == null ? "" : "; suggested setting: " + d.suggestion()));
    }

    /** A line of the stage's access log; empty when it is not one the portal's format wrote. */
    Optional<RefusedRequest> parse(Line line) {
        JsonNode o;
        try {
            o = json.readTree(line.message());
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
        Long status = number(o, AccessLogFields.STATUS);
        if (o == null || !o.isObject() || status == null) {
            return Optional.empty();
        }
        Long epochMillis = number(o, AccessLogFields.TIME);
        return Optional.of(new RefusedRequest(
                text(o, AccessLogFields.REQUEST_ID),
                epochMillis == null ? line.timestamp() : Instant.ofEpochMilli(epochMillis),
                status.intValue(),
                text(o, AccessLogFields.ERROR),
                text(o, AccessLogFields.RESPONSE_TYPE),
                text(o, AccessLogFields.METHOD),
                text(o, AccessLogFields.PATH),
                text(o, AccessLogFields.SOURCE_IP),
                text(o, AccessLogFields.USER_AGENT),
                number(o, AccessLogFields.REQUEST_LENGTH)));
    }

    /** A field's value; null where API Gateway wrote {@code -} (no value). */
    private static String text(JsonNode o, String field) {
        JsonNode v = o == null ? null : o.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        String s = v.asText();
        return s.isEmpty() || s.equals("-") ? null : s;
    }

    private static Long number(JsonNode o, String field) {
        String s = text(o, field);
        if (s == null) {
            return null;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
