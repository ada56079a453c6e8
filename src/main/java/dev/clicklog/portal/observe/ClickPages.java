package dev.clicklog.portal.observe;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The Records page's clicks: the newest {@value #PAGE} that pass a filter, at the stream's tip or
 * before a time (a page back), and where the page before them starts.
 */
@ApplicationScoped
public class ClickPages {

    public static final int PAGE = RecordTail.DEFAULT_LIMIT;

    private static final Duration FOLLOW_OVERLAP = Duration.ofSeconds(5);

    private final RecordTail records;

    ClickPages(RecordTail records) {
        this.records = records;
    }

    /** A page of clicks, newest first: those that arrived before {@code before} when it is given. */
    public ClickPage page(String pipeline, RecordFilter filter, Optional<Instant> before) {
        // A filter may pass few of the records: it looks through as many as one read returns.
        int limit = filter.isNone() ? PAGE : RecordTail.MAX_LIMIT;
        RecentRecords read = records.recent(pipeline, limit, Optional.empty(), before);
        List<StreamRecord> all = read.records();
        List<StreamRecord> shown = all.stream().filter(filter).limit(PAGE).toList();
        Instant boundary = null;
        if (shown.size() == PAGE) {
            boundary = shown.get(PAGE - 1).arrivalTime();
        } else if (!all.isEmpty() && (all.size() == limit || !read.complete())) {
            // The read stopped before the stream's oldest record: older ones may pass the filter.
            boundary = all.get(all.size() - 1).arrivalTime();
        }
        if (boundary == null) {
            return new ClickPage(read, shown, null);
        }
        // Records share milliseconds, and before takes those strictly before: the clicks of the
        // boundary's millisecond move to the page before, which starts just after it — none is
        // lost, none shown twice. Unless they fill the page: then the rest of that millisecond is skipped.
        Instant cut = boundary;
        List<StreamRecord> whole = shown.stream().filter(r -> r.arrivalTime().isAfter(cut)).toList();
        if (whole.isEmpty()) {
            return new ClickPage(read, shown, boundary);
        }
        return new ClickPage(read, whole, boundary.plusMillis(1));
    }

    /**
     * Clicks as a page shows them. {@code older} is what to pass as {@code before} for the page
     * before this one, null when the stream holds nothing older.
     */
    public record ClickPage(RecentRecords read, List<StreamRecord> records, Instant older) {

        /**
         * The arrival time live clicks follow on from: a little before the read, as arrival times
         * and the portal's clock may differ; a click the page already shows comes again and is told apart.
         */
        public Instant followFrom() {
            return read.readAt().minus(FOLLOW_OVERLAP);
        }
    }
}
