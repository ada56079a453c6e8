package dev.clicklog.observe;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;

import dev.clicklog.aws.AwsErrors;
import dev.clicklog.aws.AwsException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * Finds the newest records of one shard without reading its retention window. Kinesis only reads
 * forward, from a position such as "the first record that arrived at or after T", so this probes
 * time ranges that end where the records already found begin:
 * <ul>
 * <li>the first probe reads the last few seconds (AT_TIMESTAMP now − window) up to the shard's tip;
 * <li>too few records: the next probe reads the range just before, ×4 as long, back to the
 * oldest time that counts ({@code floor}: {@code since}, or the retention period);
 * <li>too many records in a range (more than a few times what is still wanted, e.g. a burst of a
 * million records): the probe stops early and the next one starts later, where the density just
 * seen says the wanted number of records begins (bisecting when that guess is off).
 * </ul>
 * Every probe costs a GetShardIterator and usually one GetRecords; the calls and the wall time are
 * bounded, and a throttled call (ProvisionedThroughputExceeded, which Firehose's reads of the same
 * shard can cause) is retried after a backoff instead of failing the read.
 */
final class ShardTail {

    /** Kinesis' maximum records per GetRecords call. */
    private static final int MAX_PAGE = 10_000;
    /** Records a probe reads before it calls its range dense, at the least. */
    private static final int MIN_PROBE_RECORDS = 500;
    private static final long FIRST_BACKOFF_MILLIS = 100;
    private static final long MAX_BACKOFF_MILLIS = 1_000;

    /** What one shard gave: its newest records (at most the number wanted), oldest first. */
    record Result(String shardId, List<Record> records, boolean complete) {
    }

    /** Records of a time range: all of them, or (dense) the proof that there are too many to read. */
    private record Probe(List<Record> records, boolean dense, int read, long firstArrival, long lastArrival) {
    }

    private final KinesisClient kinesis;
    private final String stream;
    private final String shardId;
    private final int wanted;
    private final long floor;
    private final long now;
    private final long initialWindow;
    private final int maxCalls;
    private final long deadlineNanos;
    private int calls;

    /**
     * @param wanted how many of the shard's newest records to find
     * @param floor the oldest arrival time that counts (epoch millis)
     * @param now the time the read is for (epoch millis)
     * @param initialWindow how far back from {@code now} the first probe starts (millis)
     * @param maxCalls AWS calls this shard may use
     * @param deadlineNanos {@link System#nanoTime()} by which the read must stop
     */
    ShardTail(KinesisClient kinesis, String stream, String shardId, int wanted, long floor, long now, long initialWindow,
            int maxCalls, long deadlineNanos) {
        this.kinesis = kinesis;
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
        // Every record from coveredFrom up to the tip, oldest first; nothing is covered yet.
        Deque<Record> found = new ArrayDeque<>();
        long coveredFrom = Long.MAX_VALUE;
        // A probe start known to have too many records before coveredFrom, and their density (records/ms).
        long denseFrom = Long.MIN_VALUE;
        double density = 0;
        long start = Math.max(floor, now - initialWindow);
        while (true) {
            int missing = wanted - found.size();
            long end = Math.min(coveredFrom, now);
            boolean drain = start <= denseFrom;
            Probe probe = probe(start, coveredFrom, missing, drain);
            if (probe == null) {
                return result(found, false);
            }
            if (probe.dense()) {
                denseFrom = start;
                density = probe.read() / (double) Math.max(1, probe.lastArrival() - probe.firstArrival() + 1);
                start = within(denseFrom, end, missing, density);
                continue;
            }
            for (int i = probe.records().size() - 1; i >= 0; i--) {
                found.addFirst(probe.records().get(i));
            }
            coveredFrom = start;
            if (start <= denseFrom) {
                // The dense range is read now; what lies before it is unknown again.
                denseFrom = Long.MIN_VALUE;
            }
            if (found.size() >= wanted || start <= floor) {
                return result(found, true);
            }
            long widened = Math.max(floor, now - 4 * (now - start));
            start = widened > denseFrom ? widened : within(denseFrom, coveredFrom, wanted - found.size(), density);
        }
    }

    /**
     * Where to start the next probe inside (denseFrom, end): far enough back to hold about twice the
     * records still missing at the density seen, halfway when that guess leaves no room; denseFrom
     * itself (drained) when the range is a single millisecond.
     */
    private static long within(long denseFrom, long end, int missing, double density) {
        if (end - denseFrom <= 1) {
            return denseFrom;
        }
        long span = (long) Math.ceil(2 * missing / density);
        long start = end - Math.max(1, span);
        return start > denseFrom ? start : denseFrom + (end - denseFrom) / 2;
    }

    /**
     * Reads the records that arrived in [start, end) — {@code end} MAX_VALUE meaning the tip — or
     * gives up on the range once more than a few times {@code missing} records are in it. Drained, it
     * reads the whole range keeping only the newest {@code missing}. Null when the budget ran out.
     */
    private Probe probe(long start, long end, int missing, boolean drain) {
        int budget = Math.max(MIN_PROBE_RECORDS, 4 * missing);
        String iterator = call(() -> kinesis.getShardIterator(b -> b.streamName(stream).shardId(shardId)
                .shardIteratorType(ShardIteratorType.AT_TIMESTAMP).timestamp(Instant.ofEpochMilli(start)))
                .shardIterator(), "GetShardIterator");
        if (iterator == null) {
            return null;
        }
        Deque<Record> records = new ArrayDeque<>();
        int read = 0;
        long first = -1;
        long last = -1;
        while (iterator != null) {
            String from = iterator;
            int limit = drain ? MAX_PAGE : Math.min(MAX_PAGE, budget - read + 1);
            GetRecordsResponse page = call(() -> kinesis.getRecords(b -> b.shardIterator(from).limit(limit)),
                    "GetRecords");
            if (page == null) {
                return null;
            }
            for (Record r : page.records()) {
                long arrival = r.approximateArrivalTimestamp().toEpochMilli();
                if (arrival >= end) {
                    return complete(records);
                }
                records.addLast(r);
                if (drain && records.size() > missing) {
                    records.removeFirst();
                }
                if (read == 0) {
                    first = arrival;
                }
                read++;
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
            iterator = page.nextShardIterator();
        }
        return complete(records);
    }

    private static Probe complete(Deque<Record> records) {
        return new Probe(new ArrayList<>(records), false, records.size(), -1, -1);
    }

    private Result result(Deque<Record> found, boolean complete) {
        List<Record> newest = new ArrayList<>(found);
        return new Result(shardId, newest.subList(Math.max(0, newest.size() - wanted), newest.size()), complete);
    }

    /**
     * One AWS call within the budget; a throttled call waits (doubling) and is made again. Null when
     * the calls or the time ran out.
     */
    private <T> T call(Supplier<T> call, String operation) {
        long backoff = FIRST_BACKOFF_MILLIS;
        while (calls < maxCalls && System.nanoTime() < deadlineNanos) {
            calls++;
            try {
                return AwsErrors.call(call);
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
