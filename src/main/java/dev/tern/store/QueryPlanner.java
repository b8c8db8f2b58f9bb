package dev.tern.store;

import dev.tern.event.ByteKey;
import dev.tern.filter.Filter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Picks the most selective index for a filter: ids > author+kind > tag > author > kind > created_at.
 * Every other condition of the filter is checked afterwards on the event itself.
 */
final class QueryPlanner {
    /** Beyond this many author x kind pairs, the author index alone is cheaper to merge. */
    static final int MAX_AUTHOR_KIND_RANGES = 4096;

    private QueryPlanner() {}

    static QueryPlan plan(Filter f) {
        if (f.isEmpty()) return new QueryPlan.NoMatch();
        if (f.ids() != null) return new QueryPlan.IdLookup(f.ids().stream().sorted().map(ByteKey::bytes).toList());
        boolean noTags = f.tags().isEmpty();
        Set<ByteKey> authors = f.authors();
        Set<Integer> kinds = f.kinds();
        if (authors != null && kinds != null && (long) authors.size() * kinds.size() <= MAX_AUTHOR_KIND_RANGES) {
            List<byte[]> prefixes = new ArrayList<>(authors.size() * kinds.size());
            for (ByteKey a : authors.stream().sorted().toList()) {
                for (int k : kinds.stream().sorted().toList()) prefixes.add(Keys.authorKindPrefix(a.bytes(), k));
            }
            return new QueryPlan.Scan(Index.AUTHOR_KIND, prefixes, null, noTags);
        }
        Map.Entry<Character, Set<String>> tag = mostSelectiveTag(f);
        if (tag != null) {
            List<byte[]> prefixes = tag.getValue().stream().sorted().map(v -> Keys.tagPrefix(tag.getKey(), v)).toList();
            boolean exact = f.tags().size() == 1 && authors == null && prefixes.stream().allMatch(Keys::isExactTagPrefix);
            return new QueryPlan.Scan(Index.TAG, prefixes, kinds, exact);
        }
        if (authors != null) {
            return new QueryPlan.Scan(Index.AUTHOR, authors.stream().sorted().map(ByteKey::bytes).toList(), null,
                    kinds == null && noTags);
        }
        if (kinds != null) {
            return new QueryPlan.Scan(Index.KIND, kinds.stream().sorted().map(Keys::kindPrefix).toList(), null, noTags);
        }
        return new QueryPlan.Scan(Index.CREATED_AT, List.of(new byte[0]), null, noTags);
    }

    /** The indexed tag condition with the fewest values (ties: the lower letter), or null. */
    private static Map.Entry<Character, Set<String>> mostSelectiveTag(Filter f) {
        return f.tags().entrySet().stream()
                .filter(e -> Keys.isIndexedLetter(e.getKey()))
                .min(Comparator.<Map.Entry<Character, Set<String>>>comparingInt(e -> e.getValue().size())
                        .thenComparing(Map.Entry::getKey))
                .orElse(null);
    }
}
