package dev.clicklog.localaws.kinesis;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * UpdateShardCount's UNIFORM_SCALING, done as Kinesis does it: by splits and merges of individual
 * shards. First every open shard is split at each new boundary that falls inside it; then the pieces
 * that make up one new range are merged, left to right. Doubling is one split per shard, halving one
 * merge per pair; other targets leave short-lived shards (closed as soon as they exist, with no
 * records), which ListShards shows as AWS does. Every new shard names its parents, so a consumer
 * that reads parents to their end before their children keeps each key's records in order.
 */
final class UniformScaling {

    /**
     * @param created  every new shard, in index order (short-lived ones already closed)
     * @param replaced the open shards the reshard closes
     * @param open     the open shards afterwards, by hash key
     */
    record Plan(List<StreamShard> created, List<StreamShard> replaced, List<StreamShard> open) {
    }

    /** A hash-key range on its way to the final layout, and the shard that holds it. */
    private record Piece(BigInteger start, BigInteger end, StreamShard shard) {
    }

    private final long streamCreatedMillis;
    private final long nowMillis;
    private final List<StreamShard> created = new ArrayList<>();
    private int nextIndex;

    private UniformScaling(int nextIndex, long streamCreatedMillis, long nowMillis) {
        this.nextIndex = nextIndex;
        this.streamCreatedMillis = streamCreatedMillis;
        this.nowMillis = nowMillis;
    }

    /**
     * The shards that take {@code open} (sorted by hash key) to {@code target} shards of equal
     * size; new shards are numbered from {@code nextIndex}.
     */
    static Plan plan(StreamShard[] open, int target, int nextIndex, long streamCreatedMillis, long nowMillis) {
        return new UniformScaling(nextIndex, streamCreatedMillis, nowMillis).plan(open, target);
    }

    private Plan plan(StreamShard[] open, int target) {
        BigInteger n = BigInteger.valueOf(target);
        List<Piece> pieces = new ArrayList<>();
        for (StreamShard shard : open) {
            pieces.addAll(split(new Piece(shard.startingHashKey.toBigInteger(), shard.endingHashKey.toBigInteger(), shard), n));
        }
        List<StreamShard> result = new ArrayList<>();
        int i = 0;
        while (i < pieces.size()) {
            Piece merged = pieces.get(i);
            BigInteger range = rangeOf(merged.start(), n);
            int j = i + 1;
            while (j < pieces.size() && rangeOf(pieces.get(j).start(), n).equals(range)) {
                Piece next = pieces.get(j);
                merged = new Piece(merged.start(), next.end(),
                        child(merged.start(), next.end(), merged.shard().shardId, next.shard().shardId));
                j++;
            }
            result.add(merged.shard());
            i = j;
        }
        List<StreamShard> replaced = new ArrayList<>();
        for (StreamShard shard : open) {
            if (!result.contains(shard)) {
                replaced.add(shard);
            }
        }
        for (StreamShard shard : created) {
            if (!result.contains(shard)) {
                shard.close(nowMillis);
            }
        }
        return new Plan(List.copyOf(created), List.copyOf(replaced), List.copyOf(result));
    }

    /** The piece, split at every new boundary inside it (each split closes the piece it splits). */
    private List<Piece> split(Piece piece, BigInteger n) {
        BigInteger boundary = firstBoundaryInside(piece, n);
        if (boundary == null) {
            return List.of(piece);
        }
        String parent = piece.shard().shardId;
        Piece left = new Piece(piece.start(), boundary.subtract(BigInteger.ONE),
                child(piece.start(), boundary.subtract(BigInteger.ONE), parent, null));
        Piece right = new Piece(boundary, piece.end(), child(boundary, piece.end(), parent, null));
        List<Piece> pieces = new ArrayList<>(split(left, n));
        pieces.addAll(split(right, n));
        return pieces;
    }

    /** The lowest start of a new range that lies strictly inside the piece, or null. */
    private static BigInteger firstBoundaryInside(Piece piece, BigInteger n) {
        BigInteger k = rangeOf(piece.start(), n).add(BigInteger.ONE);
        BigInteger boundary = start(k, n);
        return boundary.compareTo(piece.end()) <= 0 && k.compareTo(n) < 0 ? boundary : null;
    }

    /** Which of the n equal ranges a hash key falls in: the largest k with start(k) ≤ key. */
    private static BigInteger rangeOf(BigInteger key, BigInteger n) {
        BigInteger k = key.multiply(n).divide(HashKey.SPACE);
        // start(k) rounds down, so the key may lie at or just past the next range's start.
        while (k.add(BigInteger.ONE).compareTo(n) < 0 && start(k.add(BigInteger.ONE), n).compareTo(key) <= 0) {
            k = k.add(BigInteger.ONE);
        }
        while (start(k, n).compareTo(key) > 0) {
            k = k.subtract(BigInteger.ONE);
        }
        return k;
    }

    /** Where range k of n starts: as CreateStream splits the space, k·2^128/n rounded down. */
    private static BigInteger start(BigInteger k, BigInteger n) {
        return HashKey.SPACE.multiply(k).divide(n);
    }

    private StreamShard child(BigInteger start, BigInteger end, String parent, String adjacentParent) {
        StreamShard shard = new StreamShard(nextIndex++, HashKey.of(start), HashKey.of(end), streamCreatedMillis,
                parent, adjacentParent, nowMillis);
        created.add(shard);
        return shard;
    }
}
