package dev.tern.relay;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps how many clients may be slow (outbound buffer full, still connected for their grace period) at
 * once. Each connection's buffer is bounded, but a slow client holds up to about 1.5 buffers of direct
 * memory until it is dropped, and direct memory is a fixed share of the budget: many slow clients at once
 * (a crowd of phones on bad networks, or a deliberate attack) would exhaust it and fail the writes of
 * healthy clients too. Past the cap, a client that falls behind is disconnected at once instead.
 */
final class SlowClients {
    private final int max;
    private final AtomicInteger count = new AtomicInteger();

    SlowClients(int max) {
        if (max < 1) throw new IllegalArgumentException("at least one slow client must be allowed");
        this.max = max;
    }

    /** As many slow clients as fit, with their 1.5 buffers each, in half of {@code directMemoryBytes}. */
    static int fitting(long directMemoryBytes, int outboundBufferBytes) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, directMemoryBytes / 2 / (outboundBufferBytes * 3L / 2)));
    }

    /** Counts one more slow client; false (and not counted) if the cap is reached. */
    boolean enter() {
        while (true) {
            int n = count.get();
            if (n >= max) return false;
            if (count.compareAndSet(n, n + 1)) return true;
        }
    }

    void leave() {
        count.decrementAndGet();
    }

    int max() {
        return max;
    }
}
