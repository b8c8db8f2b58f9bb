package dev.tern.relay;

/** A token bucket for one connection's EVENT rate; a zero rate never refuses. Not thread-safe. */
final class TokenBucket {
    private final double perSecond;
    private final double capacity;
    private double tokens;
    private long lastNanos;

    TokenBucket(double perSecond, int burst, long nowNanos) {
        this.perSecond = perSecond;
        this.capacity = Math.max(1, burst);
        this.tokens = capacity;
        this.lastNanos = nowNanos;
    }

    boolean tryTake(long nowNanos) {
        if (perSecond == 0) return true;
        tokens = Math.min(capacity, tokens + (nowNanos - lastNanos) * perSecond / 1e9);
        lastNanos = nowNanos;
        if (tokens < 1) return false;
        tokens -= 1;
        return true;
    }
}
