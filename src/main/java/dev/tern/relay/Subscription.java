package dev.tern.relay;

import dev.tern.event.ByteKey;
import dev.tern.event.Event;
import dev.tern.event.Hex;
import dev.tern.filter.Filter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * One REQ of one connection. Registered for live events as soon as it is opened; until its stored
 * events have been sent (EOSE), live events wait in {@code pending} (bounded in bytes) so that the
 * client sees stored, EOSE, then new events, each once. Touched only on its connection's event loop,
 * except {@code cancelled}, which the query thread reads.
 */
final class Subscription {
    final RelayConnection owner;
    final String id;
    final List<Filter> filters;
    final byte[] eventPrefix;
    /** When the REQ arrived, for the REQ latency metric (arrival to EOSE). */
    final long openedNanos = System.nanoTime();
    /** Set while this subscription's stored events are still being sent. */
    boolean replaying = true;
    volatile boolean cancelled;
    /** The fan-out dispatch that last delivered an event here: one event reaches a subscription once. */
    long lastDispatch = -1;
    private final LinkedHashMap<ByteKey, Event> pending = new LinkedHashMap<>();
    private long pendingBytes;

    Subscription(RelayConnection owner, String id, List<Filter> filters) {
        this.owner = owner;
        this.id = id;
        this.filters = List.copyOf(filters);
        this.eventPrefix = Wire.eventPrefix(id);
    }

    /** Holds a live event until EOSE; false when that would exceed {@code maxBytes}. */
    boolean hold(Event e, long maxBytes) {
        if (pendingBytes + e.json().length > maxBytes) return false;
        if (pending.putIfAbsent(ByteKey.of(e.id()), e) == null) pendingBytes += e.json().length;
        return true;
    }

    /**
     * True if the stored event {@code json} also waits here as a live event, so the stored copy is skipped
     * (it is sent once, after EOSE). Stored JSON starts with {@code {"id":"<64 hex>"} (EventJson.wire).
     */
    boolean isPending(byte[] json) {
        if (pending.isEmpty()) return false;
        byte[] id = Hex.decodeLower(new String(json, 7, 64, StandardCharsets.US_ASCII), 32);
        return id != null && pending.containsKey(ByteKey.of(id));
    }

    /** The held live events, in commit order; empties the buffer. */
    List<Event> drainPending() {
        List<Event> out = List.copyOf(pending.values());
        pending.clear();
        pendingBytes = 0;
        return out;
    }
}
