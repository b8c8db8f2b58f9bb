package dev.tern.store;

/**
 * Server protection for one query: {@code maxLimit} caps each filter's limit (and is the limit when a
 * filter has none); {@code maxScannedKeys} caps the index keys and id lookups one query may visit,
 * after which the cursor ends early and reports {@link EventCursor#truncated()}.
 */
public record QueryLimits(int maxLimit, long maxScannedKeys) {
    public QueryLimits {
        if (maxLimit < 1) throw new IllegalArgumentException("maxLimit must be >= 1");
        if (maxScannedKeys < 1) throw new IllegalArgumentException("maxScannedKeys must be >= 1");
    }

    /** The number of events a filter with {@code limit} (null: none) may return. */
    int effectiveLimit(Integer limit) {
        return limit == null ? maxLimit : Math.min(limit, maxLimit);
    }
}
