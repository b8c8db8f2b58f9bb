package dev.tern.store;

import java.util.List;
import java.util.Set;

/** How one filter is answered; chosen by {@link QueryPlanner}. */
public sealed interface QueryPlan {
    /** The filter can match nothing (an empty list, or since > until). */
    record NoMatch() implements QueryPlan {}

    /** Point lookups of the filter's ids. */
    record IdLookup(List<byte[]> ids) implements QueryPlan {}

    /**
     * One key range per prefix of {@code index}, each scanned from until down to since and merged
     * newest first. {@code kindsInValue} (tag index only; null: any) is checked against the entry's
     * value. {@code exact}: every entry in range matches the filter, so no event body is needed to
     * decide (COUNT can skip loading bodies).
     */
    record Scan(Index index, List<byte[]> prefixes, Set<Integer> kindsInValue, boolean exact) implements QueryPlan {}
}
