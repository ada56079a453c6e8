package dev.clicklog.portal.observe;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

/**
 * The pace of GetRecords calls per shard. Waits are checked from below only (a loaded machine can
 * make them longer, never shorter).
 */
class ShardReadPacerTest {

    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    @Test
    void aCallBeyondThePaceWaitsASecondAfterTheFirstEnded() {
        ShardReadPacer pacer = new ShardReadPacer(4);
        long firstEnded = 0;
        for (int i = 0; i < 4; i++) {
            ShardReadPacer.Slot slot = pacer.acquire("s", "shard-0", far());
            assertNotNull(slot, "the first 4 calls go at once");
            slot.close();
            if (i == 0) {
                firstEnded = System.nanoTime();
            }
        }
        ShardReadPacer.Slot fifth = pacer.acquire("s", "shard-0", far());
        long waited = System.nanoTime() - firstEnded;
        assertNotNull(fifth);
        assertTrue(waited >= SECOND, "the fifth call went " + waited / 1_000_000 + " ms after the first ended");
        fifth.close();
    }

    @Test
    void callsUnderWayHoldTheirPlaceAndTheDeadlineEndsTheWait() {
        ShardReadPacer pacer = new ShardReadPacer(2);
        ShardReadPacer.Slot a = pacer.acquire("s", "shard-0", far());
        ShardReadPacer.Slot b = pacer.acquire("s", "shard-0", far());
        long started = System.nanoTime();
        assertNull(pacer.acquire("s", "shard-0", started + Duration.ofMillis(200).toNanos()),
                "two calls under way leave no place, whatever their age");
        assertTrue(System.nanoTime() - started >= Duration.ofMillis(200).toNanos());
        assertNotNull(pacer.acquire("s", "shard-1", System.nanoTime()), "another shard has its own pace");
        assertNotNull(pacer.acquire("t", "shard-0", System.nanoTime()), "so has the same shard of another stream");
        a.close();
        b.close();
    }

    @Test
    void anInterruptedWaitGivesUpAndKeepsTheFlag() throws Exception {
        ShardReadPacer pacer = new ShardReadPacer(1);
        ShardReadPacer.Slot held = pacer.acquire("s", "shard-0", far());
        CompletableFuture<Boolean> waiter = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            ShardReadPacer.Slot slot = pacer.acquire("s", "shard-0", far());
            waiter.complete(slot == null && Thread.currentThread().isInterrupted());
        });
        thread.start();
        thread.interrupt();
        assertTrue(waiter.get());
        held.close();
    }

    @Test
    void concurrentCallersNeverExceedThePaceInAnySecond() throws Exception {
        ShardReadPacer pacer = new ShardReadPacer(3);
        List<long[]> calls = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        long until = System.nanoTime() + Duration.ofMillis(2_500).toNanos();
        try {
            List<Future<?>> callers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                callers.add(pool.submit(() -> {
                    while (true) {
                        ShardReadPacer.Slot slot = pacer.acquire("s", "shard-0", until);
                        if (slot == null) {
                            return null;
                        }
                        long sent = System.nanoTime();
                        long ended = System.nanoTime();
                        slot.close();
                        synchronized (calls) {
                            calls.add(new long[] { sent, ended });
                        }
                    }
                }));
            }
            for (Future<?> caller : callers) {
                caller.get();
            }
        } finally {
            pool.shutdownNow();
        }
        calls.sort((x, y) -> Long.compare(x[0], y[0]));
        assertTrue(calls.size() >= 6, calls.size() + " calls in 2.5 s");
        // Any 4 calls in a row: the last one was sent a second or more after one of the others ended.
        for (int i = 0; i + 3 < calls.size(); i++) {
            long firstEnd = calls.subList(i, i + 4).stream().mapToLong(c -> c[1]).min().orElseThrow();
            assertTrue(calls.get(i + 3)[0] - firstEnd >= SECOND, "calls " + i + " to " + (i + 3));
        }
    }

    @Test
    void aShardIdleForASecondIsForgottenAndStartsAfresh() {
        ShardReadPacer pacer = new ShardReadPacer(1);
        pacer.acquire("s", "shard-0", far()).close();
        await().pollDelay(Duration.ofMillis(1_050)).atMost(Duration.ofSeconds(5)).until(() -> true);
        pacer.forgetIdle();
        assertEquals(0, pacer.shardsRemembered());
        assertNotNull(pacer.acquire("s", "shard-0", System.nanoTime()), "a call goes at once");
    }

    private static long far() {
        return System.nanoTime() + Duration.ofSeconds(30).toNanos();
    }

    @Test
    void aPaceBelowOneIsRefused() {
        assertFalse(tryPace(0));
        assertTrue(tryPace(1));
    }

    private static boolean tryPace(int perSecond) {
        try {
            new ShardReadPacer(perSecond);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
