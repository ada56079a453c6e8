package dev.clicklog.portal.observe;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Paces the portal's GetRecords calls so that none is throttled. Kinesis serves 5 GetRecords per
 * second per shard to all its consumers together, and the stream's Firehose takes one of them
 * every second; this lets the portal's reads of a shard — every read in this process — make at
 * most {@code perSecond} calls in any one-second window, so the rest is left for Firehose.
 * <p>
 * A call takes its place from when it is sent until one second after its answer came back: Kinesis
 * counts each call at some moment in between, so even a call that was slow on its way counts in
 * a window of its own.
 */
final class ShardReadPacer {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final int perSecond;
    private final Map<String, Window> shards = new ConcurrentHashMap<>();

    ShardReadPacer(int perSecond) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("GetRecords calls per shard per second must be at least 1, not "
                    + perSecond);
        }
        this.perSecond = perSecond;
    }

    /** A place taken for one call; {@link #close()} once its answer (or failure) came back. */
    interface Slot extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Waits until the shard may be called, and takes the place. Null when {@code deadlineNanos}
     * ({@link System#nanoTime()}) came first, or the thread was interrupted (its flag is kept).
     */
    Slot acquire(String stream, String shardId, long deadlineNanos) {
        String key = stream + "/" + shardId;
        while (true) {
            Window window = shards.computeIfAbsent(key, k -> new Window());
            Boolean taken;
            try {
                taken = window.take(perSecond, deadlineNanos);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            if (taken == null) {
                // Forgotten meanwhile: the shard's current window is in the map.
                shards.remove(key, window);
                continue;
            }
            return taken ? window::release : null;
        }
    }

    /** Forgets the shards not called for a second, so that deleted streams leave nothing behind. */
    void forgetIdle() {
        long now = System.nanoTime();
        shards.forEach((key, window) -> {
            if (window.retireIfIdle(now)) {
                shards.remove(key, window);
            }
        });
    }

    /** The shards whose recent calls are remembered. */
    int shardsRemembered() {
        return shards.size();
    }

    /** One shard's calls under way, and when the recent ones ended. */
    private static final class Window {

        private final Deque<Long> ended = new ArrayDeque<>();
        private int underWay;
        private boolean retired;

        /** True once a place is taken; false when the deadline came first; null when this window was retired. */
        synchronized Boolean take(int perSecond, long deadlineNanos) throws InterruptedException {
            while (!retired) {
                long now = System.nanoTime();
                forget(now);
                if (underWay + ended.size() < perSecond) {
                    underWay++;
                    return true;
                }
                if (now >= deadlineNanos) {
                    return false;
                }
                // The oldest ended call leaves the window a second after it ended; one under way, when it ends.
                long until = ended.isEmpty() ? deadlineNanos : Math.min(deadlineNanos, ended.peekFirst() + SECOND);
                TimeUnit.NANOSECONDS.timedWait(this, Math.max(1, until - now));
            }
            return null;
        }

        synchronized void release() {
            underWay--;
            ended.addLast(System.nanoTime());
            notifyAll();
        }

        synchronized boolean retireIfIdle(long now) {
            forget(now);
            retired = underWay == 0 && ended.isEmpty();
            return retired;
        }

        private void forget(long now) {
            while (!ended.isEmpty() && now - ended.peekFirst() >= SECOND) {
                ended.removeFirst();
            }
        }
    }
}
