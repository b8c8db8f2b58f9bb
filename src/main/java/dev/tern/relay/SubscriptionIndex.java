package dev.tern.relay;

import dev.tern.event.ByteKey;
import dev.tern.event.Event;
import dev.tern.filter.Filter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The open subscriptions of one event loop, indexed for live fan-out. Each filter is filed under one
 * of its conditions, the most selective present: ids, then authors, then a tag, then kinds; a filter
 * with none of those goes to a plain list. A new event then looks up only the entries filed under its
 * own id, author, tags and kind (plus that list), so matching costs grow with the subscriptions that
 * could match, not with all of them. Candidates are confirmed with {@link Filter#matches}.
 * Not thread-safe: one event loop owns it.
 */
final class SubscriptionIndex {
    /** One filter of one subscription. */
    record Entry(Subscription sub, Filter filter) {}

    private final Map<ByteKey, Set<Entry>> byId = new HashMap<>();
    private final Map<ByteKey, Set<Entry>> byAuthor = new HashMap<>();
    private final Map<String, Set<Entry>> byTag = new HashMap<>();
    private final Map<Integer, Set<Entry>> byKind = new HashMap<>();
    private final Set<Entry> unindexed = new LinkedHashSet<>();
    private final Map<Subscription, List<Entry>> entries = new HashMap<>();
    private long dispatches;
    private long candidatesExamined;

    void add(Subscription sub) {
        List<Entry> list = new ArrayList<>(sub.filters.size());
        for (Filter f : sub.filters) {
            if (f.withLimit(null).isEmpty()) continue; // can never match (limit 0 only concerns stored events)
            Entry e = new Entry(sub, f);
            list.add(e);
            forEachKey(e, true);
        }
        entries.put(sub, list);
    }

    void remove(Subscription sub) {
        List<Entry> list = entries.remove(sub);
        if (list == null) return;
        for (Entry e : list) forEachKey(e, false);
    }

    int size() { return entries.size(); }

    /** Candidates checked with Filter.matches so far (tests show the index skips unrelated entries). */
    long candidatesExamined() { return candidatesExamined; }

    /** Calls {@code deliver} once for each subscription with a filter matching {@code e}. */
    void match(Event e, Consumer<Subscription> deliver) {
        long stamp = ++dispatches;
        if (!byId.isEmpty()) visit(byId.get(ByteKey.of(e.id())), e, stamp, deliver);
        if (!byAuthor.isEmpty()) visit(byAuthor.get(ByteKey.of(e.pubkey())), e, stamp, deliver);
        if (!byTag.isEmpty()) {
            for (List<String> t : e.tags()) {
                if (t.size() >= 2 && t.get(0).length() == 1) visit(byTag.get(tagKey(t.get(0).charAt(0), t.get(1))), e, stamp, deliver);
            }
        }
        if (!byKind.isEmpty()) visit(byKind.get(e.kind()), e, stamp, deliver);
        visit(unindexed, e, stamp, deliver);
    }

    private void visit(Set<Entry> candidates, Event e, long stamp, Consumer<Subscription> deliver) {
        if (candidates == null) return;
        for (Entry c : candidates) {
            candidatesExamined++;
            if (c.sub.lastDispatch != stamp && c.filter.matches(e) && c.sub.matchesText(c.filter, e)) {
                c.sub.lastDispatch = stamp;
                deliver.accept(c.sub);
            }
        }
    }

    private void forEachKey(Entry e, boolean add) {
        Filter f = e.filter;
        if (f.ids() != null) {
            for (ByteKey id : f.ids()) file(byId, id, e, add);
        } else if (f.authors() != null) {
            for (ByteKey a : f.authors()) file(byAuthor, a, e, add);
        } else if (!f.tags().isEmpty()) {
            Map.Entry<Character, Set<String>> cond = f.tags().entrySet().iterator().next();
            for (String v : cond.getValue()) file(byTag, tagKey(cond.getKey(), v), e, add);
        } else if (f.kinds() != null) {
            for (Integer k : f.kinds()) file(byKind, k, e, add);
        } else if (add) {
            unindexed.add(e);
        } else {
            unindexed.remove(e);
        }
    }

    private static <K> void file(Map<K, Set<Entry>> map, K key, Entry e, boolean add) {
        if (add) {
            map.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(e);
        } else {
            Set<Entry> set = map.get(key);
            if (set != null && set.remove(e) && set.isEmpty()) map.remove(key);
        }
    }

    private static String tagKey(char letter, String value) {
        return letter + value;
    }
}
