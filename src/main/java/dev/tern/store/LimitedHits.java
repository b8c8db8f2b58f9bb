package dev.tern.store;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One filter's results in NIP-01 order, at most {@code limit} of them. Index order within one
 * created_at second is by serial, not id, so the matches of one second are gathered and sorted by id.
 * Only the lowest ids can be returned, so the gathered list is cut back to the remaining limit whenever
 * it reaches twice that: memory stays within 2 x limit events.
 */
final class LimitedHits {
    private final MatchingCandidates source;
    private final ArrayDeque<Hit> group = new ArrayDeque<>();
    private final int batch;
    private int remaining;
    private boolean current;
    private boolean exhausted;

    /** {@code batch}: the most bodies read at once ({@link MatchingCandidates#readAhead}), this filter's share of a query's. */
    LimitedHits(MatchingCandidates source, int limit, int batch) {
        this.source = source;
        this.remaining = limit;
        this.batch = batch;
    }

    Hit peek() {
        fill();
        return group.peekFirst();
    }

    Hit poll() {
        fill();
        return group.pollFirst();
    }

    private void fill() {
        if (!group.isEmpty() || remaining == 0 || exhausted) return;
        source.readAhead(Math.min(remaining, batch));
        if (!current && !(current = source.next())) {
            exhausted = true;
            return;
        }
        long second = source.createdAt();
        List<Hit> hits = new ArrayList<>();
        do {
            byte[] json = source.json();
            hits.add(new Hit(second, StoredJson.id(json), json));
            if (hits.size() >= 2L * remaining) keepLowest(hits);
            current = source.next();
        } while (current && source.createdAt() == second);
        exhausted = !current;
        keepLowest(hits);
        group.addAll(hits);
        remaining -= hits.size();
    }

    private void keepLowest(List<Hit> hits) {
        hits.sort(Hit.RESULT_ORDER);
        if (hits.size() > remaining) hits.subList(remaining, hits.size()).clear();
    }
}
