package dev.clicklog.portal.observe;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;

import dev.clicklog.portal.adapter.AwsException;
import dev.clicklog.portal.adapter.StreamReader;
import dev.clicklog.portal.adapter.StreamReader.StoredRecord;

/**
 * Finds the newest records of one shard without reading its retention window. Kinesis only reads
 * forward, from a position such as "the first record that arrived at or after T", so this probes
 * time ranges that end where the records already found begin:
 * <ul>
 * <li>the first probe reads the last few seconds (AT_TIMESTAMP now − window) up to the shard's tip;
 * <li>too few records: the next probe reads the range just before, back to now − 4 × window, and so
 * on back to the oldest time that counts ({@code floor}: {@code since}, or the retention period);
 * <li>too many records in a range (a burst: more than a page of records, e.g. a million put at
 * once): the probe stops after its first page, and the next one starts just far enough before the
 * end of the records found so far to hold what is still missing at the burst's rate; when it finds
 * nothing, the burst ended earlier, and the search halves the time between the burst's known part
 * and that end (a bisection, so a gap before now costs a few probes, not a walk through the burst).
 * </ul>
 * A probe costs a GetShardIterator and usually one GetRecords; the calls and the wall time are
 * bounded. Each GetRecords waits for its place in the shard's pace ({@link ShardReadPacer}), which
 * leaves Firehose its share of the shard's reads; a call throttled all the same
 * (ProvisionedThroughputExceeded: another portal, or another consumer, reading the shard) is
 * retried after a backoff instead of failing the read.
 */
final class ShardTail {

    /** Kinesis' maximum records per GetRecords call. */
    private static final int MAX_PAGE = 10_000;
    /** Records a probe reads before it calls its range a burst, at the least. */
    private static final int MIN_PROBE_RECORDS = 1_000;
    /** How many times the records still missing a probe reads before it calls its range a burst. */
    private static final int PROBE_RECORDS_PER_MISSING = 20;
    private static final long FIRST_BACKOFF_MILLIS = 100;
    private static final long MAX_BACKOFF_MILLIS = 1_000;

    /** What one shard gave: its newest records (at most the number wanted), oldest first. */
    record Result(String shardId, List<StoredRecord> records, boolean complete) {
    }

    /**
     * Records of a time range: all of them, or (a burst) the first page of more than a probe reads,
     * which arrived from {@code firstArrival} to {@code lastArrival}.
     */
    private record Probe(List<StoredRecord> records, boolean burst, int read, long firstArrival, long lastArrival) {
    }

    /** A range with more records than a probe reads: where it starts, how far its first page reached, its rate. */
    private record Burst(long start, long reached, double perMilli) {
    }

    private final StreamReader kinesis;
    private final ShardReadPacer pacer;
    private final String stream;
    private final String shardId;
    private final int wanted;
    private final long floor;
    private final long now;
    /** Records that arrived at or after this are not the read's (epoch millis; MAX_VALUE: up to the tip). */
    private final long end;
    private final long initialWindow;
    private final int maxCalls;
    private final long deadlineNanos;
    private int calls;

    /**
     * @param pacer the pace of GetRecords calls every read of this process keeps
     * @param wanted how many of the shard's newest records to find
     * @param floor the oldest arrival time that counts (epoch millis)
     * @param now the time the read is for (epoch millis)
     * @param initialWindow how far back from {@code now} the first probe starts (millis)
     * @param maxCalls AWS calls this shard may use
     * @param deadlineNanos {@link System#nanoTime()} by which the read must stop
     */
    ShardTail(StreamReader kinesis, ShardReadPacer pacer, String stream, String shardId, int wanted, long floor,
            long now, long initialWindow, int maxCalls, long deadlineNanos) {
        this(kinesis, pacer, stream, shardId, wanted, floor, now, Long.MAX_VALUE, initialWindow, maxCalls, deadlineNanos);
    }

    /**
     * A read of the records that arrived before {@code end} — a page back in time — with {@code now}
     * at {@code end}: it searches back from there as a read of the tip searches back from now.
     */
    ShardTail(StreamReader kinesis, ShardReadPacer pacer, String stream, String shardId, int wanted, long floor,
            long now, long end, long initialWindow, int maxCalls, long deadlineNanos) {
        this.end = end;
        this.kinesis = kinesis;
        this.pacer = pacer;
        this.stream = stream;
        this.shardId = shardId;
        this.wanted = wanted;
        this.floor = floor;
        this.now = now;
        this.initialWindow = initialWindow;
        this.maxCalls = maxCalls;
        this.deadlineNanos = deadlineNanos;
    }

    Result read() {
        // Every record from `covered` up to the tip (or the end), oldest first; nothing is covered yet.
        Deque<StoredRecord> found = new ArrayDeque<>();
        long covered = end;
        Burst burst = null;
        // How far before the edge of the records the next probe starts, while searching below a burst.
        long step = 0;
        // Whether a probe found nothing between the burst and `covered`: the burst ended before.
        boolean gap = false;
        long start = Math.max(floor, now - initialWindow);
        while (true) {
            int missing = wanted - found.size();
            boolean drain = burst != null && start <= burst.start();
            Probe probe = probe(start, covered, missing, drain);
            if (probe == null) {
                return result(found, false);
            }
            if (probe.burst()) {
                // The rate of the records themselves: the range may begin well before the burst does.
                burst = new Burst(start, probe.lastArrival(), probe.read() / (double) Math.max(1,
                        probe.lastArrival() - probe.firstArrival() + 1));
                step = stepFor(wanted - found.size(), burst);
            } else {
                for (int i = probe.records().size() - 1; i >= 0; i--) {
                    found.addFirst(probe.records().get(i));
                }
                covered = start;
                if (found.size() >= wanted || start <= floor) {
                    return result(found, true);
                }
                if (drain) {
                    // The burst's first millisecond is read: what lies before it is unknown again.
                    burst = null;
                }
                gap = probe.records().isEmpty();
                // Too few records right below: look further back next time.
                step *= 4;
            }
            start = Math.max(floor, burst == null ? now - 4 * (now - start) : below(burst, covered, step, gap));
        }
    }

    /**
     * The time range that holds, at the burst's rate, a number of records halfway (geometrically)
     * between those still missing and a burst's worth: room for the rate to be off either way.
     */
    private static long stepFor(int missing, Burst burst) {
        double target = Math.sqrt((double) missing * probeRecords(missing));
        return Math.max(1, (long) Math.ceil(target / burst.perMilli()));
    }

    /**
     * Where the next probe starts between a burst and the records covered: {@code step} before the
     * edge of the records, which is where the covered records begin, or — once a probe there found
     * nothing — halfway between the part of the burst known and that. Never at or before the burst's
     * start (except to drain a single millisecond).
     */
    private long below(Burst burst, long covered, long step, boolean gap) {
        long upTo = Math.min(covered, now);
        if (upTo - burst.start() <= 1) {
            return burst.start();
        }
        long edge = gap && burst.reached() < upTo ? burst.reached() + (upTo - burst.reached()) / 2 : upTo;
        long start = edge - step;
        return start > burst.start() ? start : burst.start() + (upTo - burst.start()) / 2;
    }

    /** Records a probe reads before it calls its range a burst. */
    private static int probeRecords(int missing) {
        return Math.min(MAX_PAGE - 1, Math.max(MIN_PROBE_RECORDS, PROBE_RECORDS_PER_MISSING * missing));
    }

    /**
     * Reads the records that arrived in [start, end) — {@code end} MAX_VALUE meaning the tip — or
     * gives up on the range (a burst) once it holds more than {@link #probeRecords} records. Drained, it
     * reads the whole range keeping only the newest {@code missing}. Null when the budget ran out.
     */
    private Probe probe(long start, long end, int missing, boolean drain) {
        int budget = probeRecords(missing);
        String iterator = call(() -> kinesis.iteratorAt(stream, shardId, Instant.ofEpochMilli(start)),
                "GetShardIterator", false);
        if (iterator == null) {
            return null;
        }
        Deque<StoredRecord> records = new ArrayDeque<>();
        int read = 0;
        long first = -1;
        long last = -1;
        while (iterator != null) {
            String from = iterator;
            int limit = drain ? MAX_PAGE : Math.min(MAX_PAGE, budget - read + 1);
            StreamReader.Page page = call(() -> kinesis.read(from, limit), "GetRecords", true);
            if (page == null) {
                return null;
            }
            for (StoredRecord r : page.records()) {
                long arrival = r.arrival().toEpochMilli();
                if (arrival >= end) {
                    return complete(records);
                }
                records.addLast(r);
                if (drain && records.size() > missing) {
                    records.removeFirst();
                }
                if (read++ == 0) {
                    first = arrival;
                }
                last = arrival;
            }
            if (!drain && read > budget) {
                return new Probe(List.of(), true, read, first, last);
            }
            // Caught up with the tip. (An empty page while behind is normal: Kinesis asks to read on.)
            Long behind = page.millisBehindLatest();
            if (behind == null ? page.records().isEmpty() : behind == 0) {
                return complete(records);
            }
            // Null once a closed shard has been read to its end.
            iterator = page.nextIterator();
        }
        return complete(records);
    }

    private static Probe complete(Deque<StoredRecord> records) {
        return new Probe(new ArrayList<>(records), false, records.size(), -1, -1);
    }

    private Result result(Deque<StoredRecord> found, boolean complete) {
        List<StoredRecord> newest = new ArrayList<>(found);
        return new Result(shardId, newest.subList(Math.max(0, newest.size() - wanted), newest.size()), complete);
    }

    /**
     * One AWS call within the budget, a paced one once the shard's pace allows it; a throttled call
     * waits (doubling) and is made again. Null when the calls or the time ran out.
     */
    private <T> T call(Supplier<T> call, String operation, boolean paced) {
        long backoff = FIRST_BACKOFF_MILLIS;
        while (calls < maxCalls && System.nanoTime() < deadlineNanos) {
            ShardReadPacer.Slot slot = paced ? pacer.acquire(stream, shardId, deadlineNanos) : () -> { };
            if (slot == null) {
                return null;
            }
            calls++;
            try (slot) {
                return call.get();
            } catch (AwsException e) {
                if (!throttled(e)) {
                    throw ObserveException.upstream("Kinesis " + operation + " on " + stream + "/" + shardId, e);
                }
            }
            long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
            if (left <= 0 || !sleep(Math.min(backoff, left))) {
                return null;
            }
            backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
        }
        return null;
    }

    /** Kinesis' per-shard read limits (shared with Firehose) and KMS throttling: wait, then read again. */
    private static boolean throttled(AwsException e) {
        String code = e.failure().code();
        return "ProvisionedThroughputExceededException".equals(code) || "LimitExceededException".equals(code)
                || "KMSThrottlingException".equals(code);
    }

    private static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
