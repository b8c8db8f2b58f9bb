package dev.tern.acl;

/**
 * A token bucket: holds up to {@code capacity} tokens, refilled at {@code tokensPerPeriod} per
 * {@code periodNanos}; each admitted action takes one. A zero rate never refuses. Not thread-safe: the
 * owner confines it to one thread or locks around it. The relay's one rate mechanism, per connection and
 * per address.
 */
public final class TokenBucket {
    private final double tokensPerPeriod;
    private final long periodNanos;
    private final double capacity;
    private double tokens;
    private long at;

    /** {@code nowNanos} is a reading of the clock {@link #tryTake} is then called with (only differences matter). */
    public TokenBucket(double tokensPerPeriod, long periodNanos, double capacity, long nowNanos) {
        if (tokensPerPeriod < 0 || periodNanos <= 0) throw new IllegalArgumentException("a bucket's rate must be >= 0 per a positive period");
        this.tokensPerPeriod = tokensPerPeriod;
        this.periodNanos = periodNanos;
        this.capacity = Math.max(1, capacity);
        this.tokens = this.capacity;
        this.at = nowNanos;
    }

    /** Refills for the time since the last call, then takes a token if there is one. */
    public boolean tryTake(long nowNanos) {
        if (tokensPerPeriod == 0) return true;
        long elapsed = Math.max(0, nowNanos - at);
        at = nowNanos;
        tokens = Math.min(capacity, tokens + (double) elapsed * tokensPerPeriod / periodNanos);
        if (tokens < 1) return false;
        tokens -= 1;
        return true;
    }
}
