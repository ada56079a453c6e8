package dev.clicklog.localaws.apigateway.invoke;

/**
 * API Gateway's throttle: a bucket of {@code burst} requests refilled at {@code rate} per second.
 * A zero burst admits nothing, as on AWS.
 */
final class TokenBucket {

    private final double perNano;
    private final double capacity;
    private double tokens;
    private long last;

    TokenBucket(double ratePerSecond, int burst) {
        this.perNano = Math.max(0, ratePerSecond) / 1e9;
        this.capacity = Math.max(0, burst);
        this.tokens = capacity;
        this.last = System.nanoTime();
    }

    synchronized boolean tryAcquire() {
        long now = System.nanoTime();
        tokens = Math.min(capacity, tokens + (now - last) * perNano);
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
