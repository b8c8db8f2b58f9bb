package dev.tern.filter;

import dev.tern.event.ByteKey;
import dev.tern.event.Event;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One NIP-01 filter. A null field is absent (matches everything); a present list must hold one or more
 * values, and the conditions are AND-ed. {@code tags} maps a single letter (a-zA-Z) to the values of
 * its {@code #x} condition. {@code since <= created_at <= until}. {@code limit} applies only to the
 * initial query. {@code search} (NIP-50) is null when absent; {@link #matches} does not check it: the text
 * is the search index's to match (dev.tern.search), and a store query must not be given such a filter.
 */
public record Filter(Set<ByteKey> ids, Set<ByteKey> authors, Set<Integer> kinds, Map<Character, Set<String>> tags,
                     Long since, Long until, Integer limit, Search search) {

    public static final Filter ALL = new Filter(null, null, null, Map.of(), null, null, null);

    public Filter {
        tags = tags == null ? Map.of() : tags;
    }

    /** A filter without {@code search}. */
    public Filter(Set<ByteKey> ids, Set<ByteKey> authors, Set<Integer> kinds, Map<Character, Set<String>> tags,
                  Long since, Long until, Integer limit) {
        this(ids, authors, kinds, tags, since, until, limit, null);
    }

    /** Whether {@code createdAt} is within since and until. */
    public boolean within(long createdAt) {
        return (since == null || createdAt >= since) && (until == null || createdAt <= until);
    }

    public boolean matches(Event e) {
        if (ids != null && !ids.contains(ByteKey.of(e.id()))) return false;
        if (authors != null && !authors.contains(ByteKey.of(e.pubkey()))) return false;
        if (kinds != null && !kinds.contains(e.kind())) return false;
        if (!within(e.createdAt())) return false;
        for (Map.Entry<Character, Set<String>> cond : tags.entrySet()) {
            if (!hasTag(e, cond.getKey(), cond.getValue())) return false;
        }
        return true;
    }

    /**
     * True if the filter can match no event at all (an empty list, or since after until). A
     * {@code limit} of 0 does not make a filter empty: NIP-01 applies limit to the initial query only,
     * and clients use {@code "limit":0} to receive new events without stored ones.
     */
    public boolean isEmpty() {
        if ((ids != null && ids.isEmpty()) || (authors != null && authors.isEmpty()) || (kinds != null && kinds.isEmpty())) return true;
        for (Set<String> v : tags.values()) if (v.isEmpty()) return true;
        return since != null && until != null && since > until;
    }

    public Filter withLimit(Integer newLimit) {
        return new Filter(ids, authors, kinds, tags, since, until, newLimit, search);
    }

    /** This filter with {@code since} and {@code until} replaced where given (null keeps the filter's own). */
    public Filter withBounds(Long newSince, Long newUntil) {
        return new Filter(ids, authors, kinds, tags, newSince != null ? newSince : since, newUntil != null ? newUntil : until, limit, search);
    }

    private static boolean hasTag(Event e, char letter, Set<String> values) {
        for (List<String> t : e.tags()) {
            if (t.size() >= 2 && t.get(0).length() == 1 && t.get(0).charAt(0) == letter && values.contains(t.get(1))) {
                return true;
            }
        }
        return false;
    }
}
