package dev.clicklog.bench;

import java.time.Duration;

import org.awaitility.Awaitility;

/** The schedule of a benchmark: measured periods, sampling periods, requests a second apart. */
final class Pacing {

    private Pacing() {
    }

    /** Returns once {@link System#nanoTime()} has reached {@code deadline}, polled every 5 ms. */
    static void awaitNanoTime(long deadline) {
        long left = Math.max(0, deadline - System.nanoTime());
        Awaitility.await().atMost(Duration.ofNanos(left).plusSeconds(5)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(5)).until(() -> System.nanoTime() - deadline >= 0);
    }
}
