package dev.tern.relay;

import dev.tern.event.ByteKey;
import dev.tern.event.Event;
import dev.tern.event.KindClass;
import dev.tern.filter.Filter;
import dev.tern.store.Visibility;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One REQ of one connection. Registered for live events as soon as it is opened; until its stored
 * events have been sent (EOSE), live events wait in {@code pending} (bounded in bytes) so that the
 * client sees stored, EOSE, then new events, each once. A live event can reach the loop before or after
 * the query's snapshot was taken, and its stored copy before or after it: what decides is the write
 * sequence of its commit against the snapshot's, so an event the stored events already included is
 * dropped at EOSE, or after it: the query can read an event and end between its commit and its fan-out.
 * Touched only on its connection's event loop, except {@code cancelled}, which the query thread reads.
 */
final class Subscription {
    final RelayConnection owner;
    final String id;
    final List<Filter> filters;
    /** What this REQ's reader may see (NIP-17/59 private messages), decided when it was opened. */
    final Visibility visibility;
    final byte[] eventPrefix;
    /** When the REQ arrived, for the REQ latency metric (arrival to EOSE). */
    final long openedNanos = System.nanoTime();
    /** Set while this subscription's stored events are still being sent. */
    boolean replaying = true;
    volatile boolean cancelled;
    /** The fan-out dispatch that last delivered an event here: one event reaches a subscription once. */
    long lastDispatch = -1;
    private final LinkedHashMap<ByteKey, Held> pending = new LinkedHashMap<>();
    private long pendingBytes;
    /** The write sequence the stored events were read at; events committed up to it were among them. */
    long storedUpTo = -1;

    /** A live event held until EOSE, with the write sequence of its commit. */
    private record Held(Event event, long sequence) {}

    /** Each NIP-50 filter's test of live events' text (by identity: the filters are this subscription's own). */
    private final Map<Filter, Predicate<Event>> texts = new IdentityHashMap<>();

    Subscription(RelayConnection owner, String id, List<Filter> filters) {
        this(owner, id, filters, Visibility.ALL, null);
    }

    /**
     * {@code visibility}: what this REQ's reader may see (NIP-17/59/04); {@code textMatcher} makes the live test
     * of a filter's {@code search} (NIP-50), null when search is off.
     */
    Subscription(RelayConnection owner, String id, List<Filter> filters, Visibility visibility,
                 Function<Filter, Predicate<Event>> textMatcher) {
        this.owner = owner;
        this.id = id;
        this.filters = List.copyOf(filters);
        this.visibility = visibility;
        this.eventPrefix = Wire.eventPrefix(id);
        for (Filter f : this.filters) if (f.search() != null && textMatcher != null) texts.put(f, textMatcher.apply(f));
    }

    /** True if a live event that {@link Filter#matches} also matches the filter's search, if it has one. */
    boolean matchesText(Filter f, Event e) {
        if (f.search() == null) return true;
        Predicate<Event> text = texts.get(f);
        return text != null && text.test(e);
    }

    /** Holds a live event until EOSE; false when that would exceed {@code maxBytes}. */
    boolean hold(Event e, long sequence, long maxBytes) {
        if (pendingBytes + e.json().length > maxBytes) return false;
        if (pending.putIfAbsent(ByteKey.of(e.id()), new Held(e, sequence)) == null) pendingBytes += e.json().length;
        return true;
    }

    /**
     * True if the stored events sent for this REQ held {@code e}: its commit ({@code sequence}) came no later
     * than their snapshot. Ephemeral events are never stored, so they are always new.
     */
    boolean sentAsStored(Event e, long sequence) {
        return sequence <= storedUpTo && e.kindClass() != KindClass.EPHEMERAL;
    }

    /** The held live events the stored events did not include, in commit order; empties the buffer. */
    List<Event> drainPending() {
        List<Event> out = pending.values().stream()
                .filter(h -> !sentAsStored(h.event, h.sequence))
                .map(Held::event).toList();
        pending.clear();
        pendingBytes = 0;
        return out;
    }
}
