package dev.tern.relay;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;

/** Counts open connections per client address, refusing those beyond the per-IP limit. Thread-safe. */
final class ConnectionLimiter {
    private final int maxPerAddress;
    private final ConcurrentHashMap<InetAddress, Integer> open = new ConcurrentHashMap<>();

    ConnectionLimiter(int maxPerAddress) {
        this.maxPerAddress = maxPerAddress;
    }

    /** Counts a new connection; false (and nothing counted) if the address is at its limit. */
    boolean tryAcquire(InetAddress address) {
        boolean[] ok = {false};
        open.compute(address, (a, n) -> {
            int current = n == null ? 0 : n;
            if (current >= maxPerAddress) return n;
            ok[0] = true;
            return current + 1;
        });
        return ok[0];
    }

    void release(InetAddress address) {
        open.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }
}
