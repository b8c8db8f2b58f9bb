package dev.tern.http;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * Decides when a request body has stalled. Only time the relay spends waiting for bytes counts (from
 * asking the socket for more until a read ends), never time it stopped reading on purpose because what
 * consumes the body is full: a slow disk is not the client's fault. The body has stalled when a window
 * of {@link HttpTimeouts#uploadIdle()} waiting brings no byte, or fewer than
 * {@link HttpTimeouts#uploadMinBytesPerSecond()} per second on average. Times are {@code System.nanoTime()}
 * values passed in, so the rule needs no clock of its own. One per body, on the connection's event loop (or
 * on the one thread reading a Blossom mirror's origin, which is held to the same rule).
 */
public final class StallMeter {
    private final long windowNanos;
    private final long minBytesPerWindow;
    private final long minBytesPerSecond;
    private final String windowSeconds;

    private boolean waiting;
    private long waitingSince;
    private long waitedInWindow;
    private long bytesInWindow;
    private long waitedSinceByte;

    public StallMeter(HttpTimeouts timeouts) {
        this.windowNanos = timeouts.uploadIdle().toNanos();
        this.minBytesPerSecond = timeouts.uploadMinBytesPerSecond();
        this.minBytesPerWindow = (long) Math.ceil(minBytesPerSecond * (windowNanos / 1e9));
        this.windowSeconds = seconds(timeouts.uploadIdle());
    }

    /** The relay asked the socket for bytes. */
    public void waiting(long now) {
        if (!waiting) {
            waiting = true;
            waitingSince = now;
        }
    }

    /** The relay stopped asking: a read ended, or it paused reading. */
    public void notWaiting(long now) {
        settle(now);
        waiting = false;
    }

    boolean isWaiting() {
        return waiting;
    }

    public void received(long now, long bytes) {
        settle(now);
        bytesInWindow += bytes;
        waitedSinceByte = 0;
    }

    /** Why the body counts as stalled at {@code now}, or null while it may go on. */
    public String stalled(long now) {
        settle(now);
        if (waitedSinceByte >= windowNanos) return "nothing received for " + windowSeconds + " s";
        if (minBytesPerWindow > 0 && waitedInWindow >= windowNanos) {
            if (bytesInWindow < minBytesPerWindow) {
                return "fewer than " + minBytesPerSecond + " bytes/s for " + windowSeconds + " s";
            }
            waitedInWindow = 0;
            bytesInWindow = 0;
        }
        return null;
    }

    /** Waiting time before {@link #stalled} can first answer non-null: when to look again. */
    long nanosUntilDue(long now) {
        settle(now);
        long due = windowNanos - waitedSinceByte;
        if (minBytesPerWindow > 0) due = Math.min(due, windowNanos - waitedInWindow);
        return Math.max(0, due);
    }

    /** Adds the wait under way up to {@code now} to both clocks. */
    private void settle(long now) {
        if (!waiting) return;
        long waited = now - waitingSince;
        waitedInWindow += waited;
        waitedSinceByte += waited;
        waitingSince = now;
    }

    /** "30" for 30 s, "1.5" for 1500 ms. */
    public static String seconds(Duration d) {
        return BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros().toPlainString();
    }
}
