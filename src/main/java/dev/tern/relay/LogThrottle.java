package dev.tern.relay;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Decides when a summary line may go to INFO: the first time, then at most once a minute. Thread-safe. */
final class LogThrottle {
    private static final long INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final AtomicLong since = new AtomicLong();
    private final AtomicLong nextNanos = new AtomicLong(System.nanoTime());

    /** Counts one occurrence; returns how many there were since the last summary when one is due, else 0. */
    long count() {
        long n = since.incrementAndGet();
        long now = System.nanoTime();
        long next = nextNanos.get();
        if (now - next >= 0 && nextNanos.compareAndSet(next, now + INTERVAL_NANOS)) {
            since.addAndGet(-n);
            return n;
        }
        return 0;
    }
}
