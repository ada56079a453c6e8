package dev.clicklog.portal.observe;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * New records of a pipeline's stream, pushed as they arrive. One feed per pipeline, shared by all
 * its viewers: while anyone follows it, it asks {@link RecordTail} for the records since its last
 * read began, once every {@code clicklog.observe.records.cache-ttl} (a second), and passes on the
 * ones it has not seen — so twenty viewers cost one read a second, and a push to each. A viewer
 * joining late first gets what arrived since the newest record it shows, then the shared feed; a
 * record can come twice at that seam, and carries its shard and sequence number to be told apart.
 * When the last viewer leaves, the feed stops reading and is forgotten.
 */
@ApplicationScoped
public class RecordFeed {

    private static final Logger LOG = Logger.getLogger(RecordFeed.class);
    /** How far before the last read each read looks again: arrival times and the portal's clock may differ. */
    private static final Duration OVERLAP = Duration.ofSeconds(2);
    /** Records remembered as passed on, per feed, to pass on each once. */
    private static final int REMEMBERED = 2 * RecordTail.MAX_LIMIT;

    private final RecordTail records;
    private final ReadyPipelines pipelines;
    private final Duration every;
    private final Map<String, Feed> feeds = new ConcurrentHashMap<>();
    private final AtomicLong reads = new AtomicLong();

    RecordFeed(RecordTail records, ReadyPipelines pipelines, ObserveConfig config) {
        this.records = records;
        this.pipelines = pipelines;
        this.every = config.records().cacheTtl();
    }

    /**
     * The records of the READY pipeline's stream that arrive from now on, oldest first, preceded by
     * those that arrived after {@code since} (the newest a viewer shows) when it is given. Ends when
     * the pipeline stops being READY.
     *
     * @throws ObserveException (NOT_READY) when it is not READY now
     */
    public Multi<StreamRecord> follow(String pipeline, Optional<Instant> since) {
        pipelines.get(pipeline);
        Multi<StreamRecord> live = Multi.createFrom().deferred(() -> feeds.computeIfAbsent(pipeline, this::feed).viewed());
        if (since.isEmpty()) {
            return live;
        }
        Multi<StreamRecord> catchUp = Multi.createFrom().item(() -> newestFirst(pipeline, since.get()))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onItem().transformToIterable(RecordFeed::oldestFirst)
                .filter(r -> r.arrivalTime().isAfter(since.get()));
        // A feed made just now first reads a little into the past: nothing from before the viewer's since.
        Multi<StreamRecord> after = live.filter(r -> r.arrivalTime().isAfter(since.get()));
        return Multi.createBy().concatenating().streams(catchUp, after);
    }

    /** How many viewers follow the pipeline's feed now. */
    public int viewers(String pipeline) {
        Feed feed = feeds.get(pipeline);
        return feed == null ? 0 : feed.viewers.get();
    }

    /** The reads of a stream every feed together made since the start: one a second per followed pipeline. */
    public long reads() {
        return reads.get();
    }

    private Feed feed(String pipeline) {
        Passed passed = new Passed();
        Feed feed = new Feed();
        feed.records = Multi.createFrom().ticks().every(every)
                .onOverflow().drop()
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(tick -> poll(pipeline, passed))
                .onItem().transformToIterable(batch -> batch)
                // A pipeline that stopped being READY ends its feed; its viewers see the stream end.
                .onFailure(e -> e instanceof ObserveException o && o.kind() == ObserveException.Kind.NOT_READY)
                .recoverWithCompletion()
                // Ended, or cancelled when its last viewer left: the next viewer starts a feed afresh.
                .onTermination().invoke(() -> feeds.remove(pipeline, feed))
                .broadcast().withCancellationAfterLastSubscriberDeparture().toAllSubscribers();
        return feed;
    }

    /**
     * The records since the last read that were not passed on yet, oldest first; empty when a
     * read failed (the next tick reads again). Ends the feed when the pipeline is not READY any more.
     */
    private List<StreamRecord> poll(String pipeline, Passed passed) {
        // From where the last read began (or the feed was made, before a late joiner's catch-up read):
        // a read that takes a while, or a catch-up that does, leaves no gap behind it.
        Instant started = Instant.now();
        Instant since = passed.readFrom.minus(OVERLAP);
        List<StreamRecord> batch;
        try {
            reads.incrementAndGet();
            batch = oldestFirst(newestFirst(pipeline, since));
            passed.readFrom = started;
        } catch (ObserveException e) {
            if (e.kind() == ObserveException.Kind.NOT_READY) {
                throw e;
            }
            LOG.debugf("feed of %s: %s", pipeline, e.getMessage());
            return List.of();
        }
        List<StreamRecord> fresh = new ArrayList<>();
        for (StreamRecord r : batch) {
            if (passed.add(r)) {
                fresh.add(r);
            }
        }
        return fresh;
    }

    private List<StreamRecord> newestFirst(String pipeline, Instant since) {
        return records.recent(pipeline, RecordTail.MAX_LIMIT, Optional.of(since)).records();
    }

    private static List<StreamRecord> oldestFirst(List<StreamRecord> newestFirst) {
        List<StreamRecord> list = new ArrayList<>(newestFirst);
        Collections.reverse(list);
        return list;
    }

    /** One pipeline's shared feed and who follows it. */
    private static final class Feed {

        private final AtomicInteger viewers = new AtomicInteger();
        private Multi<StreamRecord> records;

        /** The shared records, counting this viewer while it follows them. */
        Multi<StreamRecord> viewed() {
            return records.onSubscription().invoke(viewers::incrementAndGet)
                    .onTermination().invoke(viewers::decrementAndGet);
        }
    }

    /** The records a feed passed on (the last ones' ids), and where its last read began. */
    private static final class Passed {

        private final LinkedHashSet<String> ids = new LinkedHashSet<>();
        private volatile Instant readFrom = Instant.now();

        synchronized boolean add(StreamRecord r) {
            if (!ids.add(r.shardId() + "/" + r.sequenceNumber())) {
                return false;
            }
            if (ids.size() > REMEMBERED) {
                ids.remove(ids.iterator().next());
            }
            return true;
        }
    }
}
