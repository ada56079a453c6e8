package dev.clicklog.portal.observe;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import dev.clicklog.portal.adapter.AwsException;
import dev.clicklog.portal.adapter.StreamReader;
import dev.clicklog.portal.adapter.StreamReader.StoredRecord;
import dev.clicklog.portal.pipeline.PipelineView;

/**
 * The latest records of a pipeline's stream, newest first across its shards. Each shard is read
 * from near its tip backwards only as far as needed ({@link ShardTail}), the shards in parallel.
 * Kinesis allows 5 GetRecords calls per second per shard, shared with the stream's Firehose, so
 * one read of a stream serves every viewer for a short while: a request that arrives while a read
 * is under way waits for it, and its answer is reused until it is {@code cacheTtl} old. The reads
 * that still reach Kinesis keep one pace per shard ({@link ShardReadPacer}), within a read and
 * from one read to the next.
 */
@ApplicationScoped
public class RecordTail {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;
    private static final Pattern SHARD_ID = Pattern.compile("shardId-[0-9]{12}");
    private static final Pattern SEQUENCE_NUMBER = Pattern.compile("[0-9]{1,128}");
    /** A stream not read for this long forgets its last read. */
    private static final Duration IDLE = Duration.ofMinutes(1);
    /** How long past its deadline a read waits for a shard's call that is still under way. */
    private static final Duration GRACE = Duration.ofSeconds(2);

    private final StreamReader kinesis;
    private final ReadyPipelines pipelines;
    private final RecordDecoder decoder;
    private final ObserveConfig.Records config;
    private final ExecutorService shardReaders;
    private final ShardReadPacer pacer;
    private final Map<String, StreamReads> streams = new ConcurrentHashMap<>();

    RecordTail(StreamReader kinesis, ReadyPipelines pipelines, RecordDecoder decoder, ObserveConfig config) {
        this.kinesis = kinesis;
        this.pipelines = pipelines;
        this.decoder = decoder;
        this.config = config.records();
        this.shardReaders = Executors.newFixedThreadPool(this.config.readThreads(), daemonThreads());
        this.pacer = new ShardReadPacer(this.config.readsPerShardPerSecond());
    }

    @PreDestroy
    void stop() {
        shardReaders.shutdownNow();
    }

    /**
     * The newest {@code limit} records of the READY pipeline's stream that arrived at or after
     * {@code since} (by default: within the stream's retention period), newest first.
     */
    public RecentRecords recent(String pipeline, int limit, Optional<Instant> since) {
        return recent(pipeline, limit, since, Optional.empty());
    }

    /**
     * The same, of the records that arrived before {@code before} when it is given: a page back in
     * time (pass the oldest arrival time of a page to get the page before it). Such a read is the
     * asker's own — it is not shared like a read of the stream's tip — but keeps the same pace per shard.
     */
    public RecentRecords recent(String pipeline, int limit, Optional<Instant> since, Optional<Instant> before) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ObserveException.invalid("limit", "must be between 1 and " + MAX_LIMIT);
        }
        PipelineView view = pipelines.get(pipeline);
        String stream = view.resources().streamName();
        Instant now = Instant.now();
        Instant retained = now.minus(Duration.ofHours(view.retentionHours()));
        Instant floor = since.filter(s -> s.isAfter(retained)).orElse(retained);
        forgetIdle();
        Read read;
        if (before.isPresent() && before.get().isBefore(now)) {
            read = readStream(stream, limit, floor, before.get());
        } else {
            do {
                read = streams.computeIfAbsent(stream, StreamReads::new).read(limit, floor);
            } while (read == null);
        }
        List<StreamRecord> records = read.records().stream()
                .filter(r -> !r.arrivalTime().isBefore(floor))
                .filter(r -> before.map(b -> r.arrivalTime().isBefore(b)).orElse(true))
                .limit(limit)
                .toList();
        return new RecentRecords(view.name(), stream, limit, since.orElse(null), before.orElse(null), read.at(),
                read.complete(), records);
    }

    /**
     * One record of the READY pipeline's stream, whole: what a page cut short shows in full. One
     * GetShardIterator and one GetRecords, at the shard's pace.
     *
     * @throws ObserveException NOT_FOUND when the stream holds no such record (any more)
     */
    public StreamRecord one(String pipeline, String shardId, String sequenceNumber) {
        if (shardId == null || !SHARD_ID.matcher(shardId).matches()) {
            throw ObserveException.invalid("shardId", "must be a shard id such as shardId-000000000000");
        }
        if (sequenceNumber == null || !SEQUENCE_NUMBER.matcher(sequenceNumber).matches()) {
            throw ObserveException.invalid("sequenceNumber", "must be a record's sequence number (digits)");
        }
        String stream = pipelines.get(pipeline).resources().streamName();
        try {
            String iterator = kinesis.iteratorAtSequence(stream, shardId, sequenceNumber);
            ShardReadPacer.Slot slot = pacer.acquire(stream, shardId, System.nanoTime() + config.deadline().toNanos());
            if (slot == null) {
                throw ObserveException.upstream("Kinesis GetRecords on " + stream + ": the shard stayed busy for "
                        + config.deadline().toSeconds() + " s; try again", (Throwable) null);
            }
            List<StoredRecord> page;
            try (slot) {
                page = kinesis.read(iterator, 1).records();
            }
            return page.stream()
                    .filter(r -> r.sequenceNumber().equals(sequenceNumber))
                    .findFirst()
                    .map(r -> toStreamRecord(shardId, r))
                    .orElseThrow(() -> ObserveException.notFound("no record " + sequenceNumber + " in shard " + shardId
                            + " of stream " + stream + " (any more)"));
        } catch (AwsException e) {
            if ("ResourceNotFoundException".equals(e.failure().code())
                    || "InvalidArgumentException".equals(e.failure().code())) {
                throw ObserveException.notFound("no record " + sequenceNumber + " in shard " + shardId + " of stream "
                        + stream + ": " + e.failure());
            }
            throw ObserveException.upstream("Kinesis GetRecords on " + stream, e);
        }
    }

    /** One read of a stream: its records (the newest first), when it was made and whether it finished within budget. */
    private record Read(Instant at, boolean complete, List<StreamRecord> records) {
    }

    /** A read asked for, under way or done: the newest {@code limit} records at or after {@code floor}. */
    private record Flight(int limit, Instant floor, CompletableFuture<Read> read) {

        /**
         * Whether this read holds a request's answer: the newest records of a range that reaches as
         * far back, at least as many of them. The newest N at or after a later time are then among them.
         */
        boolean serves(int wantedLimit, Instant wantedFloor) {
            return limit >= wantedLimit && !floor.isAfter(wantedFloor);
        }
    }

    /**
     * The reads of one stream: at most one under way, the last one kept while it is fresh. Retired
     * once idle, so a request that still holds it goes back to the map for the stream's current one.
     */
    private final class StreamReads {

        private final String stream;
        private Flight latest;
        private long finishedNanos;
        private boolean retired;

        StreamReads(String stream) {
            this.stream = stream;
        }

        /** The answer to a request, or null when these reads were retired meanwhile. */
        Read read(int limit, Instant floor) {
            while (true) {
                Flight flight;
                boolean mine = false;
                synchronized (this) {
                    if (retired) {
                        return null;
                    }
                    if (latest == null || latest.read().isDone() && !usable(limit, floor)) {
                        latest = new Flight(limit, floor, new CompletableFuture<>());
                        mine = true;
                    }
                    // Under way for other parameters, it is waited for all the same: one read per stream at a time.
                    flight = latest;
                }
                if (mine) {
                    readInto(flight);
                }
                if (flight.serves(limit, floor)) {
                    return await(flight.read());
                }
                // Another request's read: only its end matters here, not its outcome.
                flight.read().handle((read, failure) -> null).join();
            }
        }

        /** The last read, finished, answers this request: it succeeded, serves it and is still fresh. */
        private boolean usable(int limit, Instant floor) {
            return latest.serves(limit, floor) && !latest.read().isCompletedExceptionally()
                    && System.nanoTime() - finishedNanos < config.cacheTtl().toNanos();
        }

        private void readInto(Flight flight) {
            try {
                Read read = readStream(stream, flight.limit(), flight.floor(), null);
                synchronized (this) {
                    finishedNanos = System.nanoTime();
                }
                flight.read().complete(read);
            } catch (RuntimeException e) {
                flight.read().completeExceptionally(e);
            }
        }

        /** Retires these reads when none is under way and the last one is older than {@link #IDLE}. */
        synchronized boolean retireIfIdle(long nowNanos) {
            retired = latest != null && latest.read().isDone() && nowNanos - finishedNanos > IDLE.toNanos();
            return retired;
        }
    }

    private static Read await(CompletableFuture<Read> flight) {
        try {
            return flight.get();
        } catch (ExecutionException e) {
            throw unwrap(e);
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }

    private static RuntimeException unwrap(ExecutionException e) {
        return e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    }

    private static RuntimeException interrupted(InterruptedException e) {
        Thread.currentThread().interrupt();
        return ObserveException.upstream("interrupted while reading the stream", e);
    }

    private void forgetIdle() {
        pacer.forgetIdle();
        long nowNanos = System.nanoTime();
        streams.forEach((name, reads) -> {
            if (reads.retireIfIdle(nowNanos)) {
                streams.remove(name, reads);
            }
        });
    }

    /**
     * Reads every shard in parallel and merges them, newest first: the records up to the tip, or
     * those that arrived before {@code before} when it is not null.
     */
    private Read readStream(String stream, int limit, Instant floor, Instant before) {
        Instant now = Instant.now();
        Instant end = before == null ? now : before;
        if (floor.isAfter(now) || before != null && !floor.isBefore(before)) {
            return new Read(now, true, List.of());
        }
        long endMillis = before == null ? Long.MAX_VALUE : before.toEpochMilli();
        long deadline = System.nanoTime() + config.deadline().toNanos();
        List<CompletableFuture<ShardTail.Result>> shards = shardIds(stream).stream()
                .map(shardId -> new ShardTail(kinesis, pacer, stream, shardId, limit, floor.toEpochMilli(),
                        end.toEpochMilli(), endMillis, config.initialWindow().toMillis(), config.maxCallsPerShard(),
                        deadline))
                .map(tail -> CompletableFuture.supplyAsync(tail::read, shardReaders))
                .toList();
        List<StreamRecord> merged = new ArrayList<>();
        boolean complete = true;
        for (CompletableFuture<ShardTail.Result> shard : shards) {
            ShardTail.Result result = shardResult(shard, deadline);
            if (result == null) {
                complete = false;
                continue;
            }
            complete &= result.complete();
            result.records().forEach(r -> merged.add(toStreamRecord(result.shardId(), r)));
        }
        merged.sort(NEWEST_FIRST);
        return new Read(now, complete, List.copyOf(merged.subList(0, Math.min(limit, merged.size()))));
    }

    private static ShardTail.Result shardResult(CompletableFuture<ShardTail.Result> shard, long deadline) {
        long wait = deadline - System.nanoTime() + GRACE.toNanos();
        try {
            return shard.get(Math.max(0, wait), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw unwrap(e);
        } catch (TimeoutException e) {
            shard.cancel(true);
            return null;
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }

    /** Every shard the stream still retains records of, closed parents of a resharding included. */
    private List<String> shardIds(String stream) {
        try {
            return kinesis.shardIds(stream);
        } catch (AwsException e) {
            throw ObserveException.upstream("Kinesis ListShards on " + stream, e);
        }
    }

    private StreamRecord toStreamRecord(String shardId, StoredRecord r) {
        byte[] data = r.data();
        return new StreamRecord(shardId, r.sequenceNumber(), r.partitionKey(), r.arrival(),
                data.length, decoder.decode(data));
    }

    /** Newest arrival first; within a millisecond, the later sequence number first. */
    private static final Comparator<StreamRecord> NEWEST_FIRST = Comparator
            .comparing(StreamRecord::arrivalTime)
            .thenComparing(StreamRecord::sequenceNumber, Comparator.comparingInt(String::length)
                    .thenComparing(Comparator.naturalOrder()))
            .reversed();

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread t = new Thread(task, "record-tail-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
