package dev.clicklog.localaws.apigateway.invoke;

import dev.clicklog.localaws.apigateway.UsagePlan;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;

/**
 * A usage plan's quota for one API key: at most {@code limit} requests per UTC day, week (starting
 * Sunday plus {@code offset} days) or month (starting on day 1 plus {@code offset}).
 */
final class QuotaCounter {

    private final UsagePlan.Quota quota;
    private LocalDate window;
    private long used;
    /** Counted since {@link #takeChanged} last read it: the journal logs it written behind. */
    private boolean changed;

    QuotaCounter(UsagePlan.Quota quota) {
        this.quota = quota;
    }

    synchronized boolean tryConsume(Instant now) {
        LocalDate start = windowStart(LocalDate.ofInstant(now, ZoneOffset.UTC));
        if (!start.equals(window)) {
            window = start;
            used = 0;
        }
        if (used >= quota.limit()) {
            return false;
        }
        used++;
        changed = true;
        return true;
    }

    /** The count as it now is, once after each change (null when unchanged since the last call). */
    synchronized KeyAccess.QuotaUsage takeChanged() {
        if (!changed) {
            return null;
        }
        changed = false;
        return new KeyAccess.QuotaUsage(window, used);
    }

    /** The count as it now is, changed or not (null before the first request). */
    synchronized KeyAccess.QuotaUsage usage() {
        return window == null ? null : new KeyAccess.QuotaUsage(window, used);
    }

    /** Puts back a count kept across a restart; a period that is over starts over at the next request. */
    synchronized void restore(KeyAccess.QuotaUsage usage) {
        window = usage.window();
        used = usage.used();
    }

    private LocalDate windowStart(LocalDate today) {
        return switch (quota.period()) {
            case "WEEK" -> {
                LocalDate sunday = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.SUNDAY));
                LocalDate start = sunday.plusDays(quota.offset());
                yield start.isAfter(today) ? start.minusWeeks(1) : start;
            }
            case "MONTH" -> {
                LocalDate start = today.withDayOfMonth(1).plusDays(quota.offset());
                yield start.isAfter(today) ? start.minusMonths(1) : start;
            }
            default -> today;
        };
    }
}
