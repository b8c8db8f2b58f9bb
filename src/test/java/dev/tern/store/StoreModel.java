package dev.tern.store;

import dev.tern.event.ByteKey;
import dev.tern.event.Event;
import dev.tern.event.Hex;
import dev.tern.filter.Filter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A naive in-memory statement of the store's semantics, written independently of it, for property tests. */
final class StoreModel {
    static final Comparator<Event> RESULT_ORDER = Comparator.comparingLong(Event::createdAt).reversed()
            .thenComparing((a, b) -> Arrays.compareUnsigned(a.id(), b.id()));

    private final Map<ByteKey, Event> stored = new LinkedHashMap<>();
    private final Set<String> idTombstones = new HashSet<>();
    private final Map<String, Long> addressTombstones = new HashMap<>();

    WriteOutcome write(Event e, long now) {
        if (e.kind() >= 20000 && e.kind() < 30000) return WriteOutcome.EPHEMERAL_NOT_STORED;
        if (e.expiration().isPresent() && e.expiration().getAsLong() <= now) return WriteOutcome.EXPIRED;
        if (stored.containsKey(ByteKey.of(e.id()))) return WriteOutcome.DUPLICATE;
        if (e.kind() != 5 && idTombstones.contains(e.idHex() + e.pubkeyHex())) return WriteOutcome.DELETED_BEFORE;
        String address = e.address();
        if (address != null && addressTombstones.getOrDefault(address, -1L) >= e.createdAt()) return WriteOutcome.DELETED_BEFORE;
        WriteOutcome outcome = WriteOutcome.STORED;
        if (address != null) {
            Event current = stored.values().stream().filter(s -> address.equals(s.address())).findFirst().orElse(null);
            if (current != null) {
                boolean currentWins = current.createdAt() > e.createdAt()
                        || (current.createdAt() == e.createdAt() && Arrays.compareUnsigned(current.id(), e.id()) < 0);
                if (currentWins) return WriteOutcome.SUPERSEDED;
                stored.remove(ByteKey.of(current.id()));
                outcome = WriteOutcome.REPLACED_OLDER;
            }
        }
        stored.put(ByteKey.of(e.id()), e);
        if (e.kind() == 5) {
            for (List<String> t : e.tags()) {
                if (t.size() < 2) continue;
                if (t.get(0).equals("e") && Hex.isLowerHex(t.get(1), 64)) {
                    idTombstones.add(t.get(1) + e.pubkeyHex());
                    Event target = stored.get(ByteKey.of(Hex.decode(t.get(1))));
                    if (target != null && target.pubkeyHex().equals(e.pubkeyHex()) && target.kind() != 5) stored.remove(ByteKey.of(target.id()));
                }
                if (t.get(0).equals("a") && t.get(1).startsWith(t.get(1).split(":")[0] + ":" + e.pubkeyHex() + ":")) {
                    String a = t.get(1);
                    addressTombstones.merge(a, e.createdAt(), Math::max);
                    stored.values().removeIf(s -> a.equals(s.address()) && s.createdAt() <= e.createdAt());
                }
            }
        }
        return outcome;
    }

    int sweep(long now) {
        int before = stored.size();
        stored.values().removeIf(e -> e.expiration().isPresent() && e.expiration().getAsLong() <= now);
        return before - stored.size();
    }

    /** NIP-40: what a read at {@code now} may return; an expired event is left out even before a sweep. */
    private java.util.stream.Stream<Event> served(long now) {
        return stored.values().stream().filter(e -> e.expiration().isEmpty() || e.expiration().getAsLong() > now);
    }

    /** NIP-01 REQ at {@code now}: each filter's limit applies (none: every match). */
    List<String> query(List<Filter> filters, long now) {
        Set<Event> union = new HashSet<>();
        for (Filter f : filters) {
            if (f.isEmpty()) continue;
            long limit = f.limit() == null ? Long.MAX_VALUE : f.limit();
            served(now).filter(f::matches).sorted(RESULT_ORDER).limit(limit).forEach(union::add);
        }
        return union.stream().sorted(RESULT_ORDER).map(Event::idHex).toList();
    }

    long count(List<Filter> filters, long now) {
        return served(now).filter(e -> filters.stream().map(f -> f.withLimit(null))
                .anyMatch(f -> !f.isEmpty() && f.matches(e))).count();
    }

    List<Event> all() {
        return new ArrayList<>(stored.values());
    }
}
