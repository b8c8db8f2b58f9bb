package dev.tern.sync;

/**
 * The pace of uploads to a remote relay, learnt from its {@code rate-limited:} answers (NIP-01 OK), which state no
 * rate: none until the first such answer, then half the rate sent over the last second (a relay answers a refusal at
 * once, its accepted events only once written, so what it accepted is not known yet); halved again at each later such
 * answer (at most once a second: the answers to one burst come together), and a tenth faster after each second
 * without one. So a sync settles near the rate the remote allows instead of retrying into its limit.
 * Times are {@link System#nanoTime} readings, passed in. Not thread-safe: the sync's one thread uses it.
 */
final class Pacer {
    private static final long SECOND = 1_000_000_000L;
    private static final double MIN_RATE = 1;
    private static final double GROWTH = 1.1;
    /** Events per second; 0 while unpaced. */
    private double rate;
    /** At most one event's worth: paced events go out evenly, never in bursts. */
    private double tokens;
    private long at, lastChange;
    private long second = Long.MIN_VALUE, sentThisSecond, sentLastSecond;

    /** Events per second now, 0 while unpaced. */
    double rate() {
        return rate;
    }

    /** When the next event may go (at or before {@code now}: at once). */
    long nextAt(long now) {
        if (rate == 0) return now;
        refill(now);
        return tokens >= 1 ? now : now + (long) Math.ceil((1 - tokens) * SECOND / rate);
    }

    /** An event went out (only when {@link #nextAt} allowed it). */
    void sent(long now) {
        roll(now);
        sentThisSecond++;
        if (rate == 0) return;
        refill(now);
        tokens -= 1;
    }

    /** The remote accepted an event. */
    void accepted(long now) {
        if (rate > 0 && now - lastChange >= SECOND) {
            rate *= GROWTH;
            lastChange = now;
        }
    }

    /** The remote answered {@code rate-limited:}. */
    void limited(long now) {
        if (rate > 0 && now - lastChange < SECOND) return;
        roll(now);
        double current = rate > 0 ? rate : Math.max(sentThisSecond, sentLastSecond);
        rate = Math.max(MIN_RATE, current / 2);
        tokens = 0;
        at = now;
        lastChange = now;
    }

    private void refill(long now) {
        tokens = Math.min(1, tokens + (double) Math.max(0, now - at) * rate / SECOND);
        at = now;
    }

    /** Counts the events sent per whole second since the first. */
    private void roll(long now) {
        if (second == Long.MIN_VALUE) second = now;
        long elapsed = (now - second) / SECOND;
        if (elapsed == 0) return;
        sentLastSecond = elapsed == 1 ? sentThisSecond : 0;
        sentThisSecond = 0;
        second += elapsed * SECOND;
    }
}
