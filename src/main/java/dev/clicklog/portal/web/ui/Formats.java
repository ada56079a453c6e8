package dev.clicklog.portal.web.ui;

import java.time.Duration;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

import dev.clicklog.portal.pipeline.Pipeline;
import dev.clicklog.portal.pipeline.PipelineStatus;
import dev.clicklog.portal.pipeline.PipelineView;
import dev.clicklog.portal.pipeline.StepState;
import io.quarkus.qute.TemplateExtension;

/** What the templates need beyond the views' own fields: times, sizes, badge styles, step progress. */
@TemplateExtension
public final class Formats {

    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'",
            Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DATE_CLOCK = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS 'UTC'",
            Locale.ROOT).withZone(ZoneOffset.UTC);

    private Formats() {
    }

    /** 2025-01-31 12:03:04 UTC. */
    static String utc(Instant t) {
        return t == null ? "—" : DATE_TIME.format(t);
    }

    /** 12:03:04.567, for events close together. */
    static String clock(Instant t) {
        return t == null ? "—" : TIME.format(t);
    }

    /** 2025-01-31 12:03:04.567 UTC: the day, and the events of one step told apart. */
    static String dateClock(Instant t) {
        return t == null ? "—" : DATE_CLOCK.format(t);
    }

    /** The machine-readable form, for {@code <time datetime>}. */
    static String iso(Instant t) {
        return t == null ? "" : t.toString();
    }

    /**
     * How long a step has taken: until now while it runs or waits for a retry, until its last change
     * once it is done or failed; empty before it started.
     */
    static String elapsed(PipelineView.Step s) {
        if (s.startedAt() == null) {
            return "";
        }
        boolean running = s.state() == StepState.IN_PROGRESS || s.state() == StepState.PENDING;
        Instant end = running || s.updatedAt() == null ? Instant.now() : s.updatedAt();
        return duration(Duration.between(s.startedAt(), end));
    }

    /** The number of a retrying step's coming attempt. */
    static int nextAttempt(PipelineView.Step s) {
        return s.attempts() + 1;
    }

    /** 0.4 s, 12 s, 3 min 05 s, 1 h 02 min. */
    static String duration(Duration d) {
        long millis = Math.max(0, d.toMillis());
        if (millis < 10_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        long seconds = millis / 1000;
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", seconds / 3600, seconds % 3600 / 60);
    }

    static String pretty(JsonNode json) {
        return json.toPrettyString();
    }

    static String size(Number bytes) {
        return Units.bytes(bytes.doubleValue());
    }

    static String count(Long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** The badge style of a status: ready, provisioning, failed, deleting, deleted. */
    static String css(PipelineStatus status) {
        return status.name().toLowerCase(Locale.ROOT);
    }

    static String css(StepState state) {
        return state.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Whether the page should keep asking for the pipeline's progress: it is still changing by itself. */
    static boolean changing(PipelineView p) {
        return p.status().active();
    }

    /** Whether it can be changed: it is to exist (not being deleted, nor gone). */
    static boolean editable(PipelineView p) {
        return p.target() == Pipeline.Target.PRESENT;
    }

    /** Whether its clicks can still be purged: a DELETED pipeline that kept them. */
    static boolean purgeable(PipelineView p) {
        return p.status() == PipelineStatus.DELETED && p.clicks() == Pipeline.Clicks.KEPT;
    }

    /** US dollars with cents; a cost below a cent says so. */
    static String usd(Double amount) {
        if (amount > 0 && amount < 0.005) {
            return "< $0.01";
        }
        return String.format(Locale.ROOT, "$%,.2f", amount);
    }

    /** A quantity with what precision it needs: 2,190, 0.42, 0.0031. */
    static String quantity(Double v) {
        if (v == 0 || Math.abs(v) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return new BigDecimal(v).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }

    /** A number as a form field holds it: 2.5, 100. */
    static String number(double v) {
        return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }

    /** Whether it can be deleted (again): it is not being deleted, nor gone. */
    static boolean deletable(PipelineView p) {
        return p.status() != PipelineStatus.DELETING && p.status() != PipelineStatus.DELETED;
    }

    static long stepsDone(PipelineView p) {
        return p.steps().stream().filter(s -> s.state() == StepState.DONE).count();
    }

    /** The history, most recent first. */
    static List<PipelineView.Event> newestFirst(PipelineView p) {
        List<PipelineView.Event> events = new ArrayList<>(p.events());
        Collections.reverse(events);
        return events;
    }

    /** Capacity in words: "2 shards", "on demand". */
    static String capacity(PipelineView p) {
        if (p.onDemand()) {
            return "on demand";
        }
        return p.shards() + (p.shards() == 1 ? " shard" : " shards");
    }
}
