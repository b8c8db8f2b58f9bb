package dev.tern.sync.mirror;

import java.util.random.RandomGenerator;

/**
 * Waits between reconnection attempts: doubling from {@code minMillis} up to {@code maxMillis}, each a random
 * point in the upper half of its step, so peers restarted together do not all reconnect in the same instant.
 */
final class Backoff {
    private final long minMillis, maxMillis;
    private final RandomGenerator random;
    private int attempts;

    Backoff(long minMillis, long maxMillis, RandomGenerator random) {
        this.minMillis = minMillis;
        this.maxMillis = maxMillis;
        this.random = random;
    }

    /** The next wait, in milliseconds. */
    long next() {
        long step = Math.min(maxMillis, minMillis << Math.min(attempts, 30));
        attempts++;
        return step / 2 + random.nextLong(step / 2 + 1);
    }

    /** After a connection that worked: the next failure waits the shortest step again. */
    void reset() {
        attempts = 0;
    }
}
