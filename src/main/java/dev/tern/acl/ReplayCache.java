package dev.tern.acl;

import dev.tern.event.ByteKey;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Ids of NIP-98 auth events already used, each kept until its event leaves the time window (after
 * which the window check refuses it anyway). Bounded: when full of unexpired ids it refuses new
 * ones rather than forget one that could then be replayed.
 */
final class ReplayCache {
    private final int maxSize;
    /** id -> epoch second after which the event is outside the window; insertion order. */
    private final LinkedHashMap<ByteKey, Long> used = new LinkedHashMap<>();

    ReplayCache(int maxSize) {
        if (maxSize < 1) throw new IllegalArgumentException("replay cache size must be at least 1, got " + maxSize);
        this.maxSize = maxSize;
    }

    enum Outcome { FIRST_USE, REPLAYED, FULL }

    /** Records {@code id} as used until {@code expiresAt}. */
    synchronized Outcome use(ByteKey id, long expiresAt, long now) {
        if (used.containsKey(id)) return Outcome.REPLAYED;
        if (used.size() >= maxSize) evictExpired(now);
        if (used.size() >= maxSize) return Outcome.FULL;
        used.put(id, expiresAt);
        return Outcome.FIRST_USE;
    }

    synchronized int size() {
        return used.size();
    }

    private void evictExpired(long now) {
        for (Iterator<Map.Entry<ByteKey, Long>> it = used.entrySet().iterator(); it.hasNext(); ) {
            if (it.next().getValue() < now) it.remove();
        }
    }
}
