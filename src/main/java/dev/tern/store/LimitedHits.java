package dev.tern.store;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * One filter's results in NIP-01 order, at most {@code limit} of them. Index order within one
 * created_at second is by serial, not id, so the matches of one second are gathered and sorted by id;
 * only the {@code limit} lowest ids are kept, which bounds the memory by the limit.
 */
final class LimitedHits {
    private final MatchingCandidates source;
    private final ArrayDeque<Hit> group = new ArrayDeque<>();
    private int remaining;
    private boolean current;
    private boolean exhausted;

    LimitedHits(MatchingCandidates source, int limit) {
        this.source = source;
        this.remaining = limit;
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
        if (!current && !(current = source.next())) {
            exhausted = true;
            return;
        }
        long second = source.createdAt();
        PriorityQueue<Hit> lowestIds = new PriorityQueue<>(Hit.RESULT_ORDER.reversed());
        do {
            lowestIds.add(new Hit(second, EventWriter.idOfStoredJson(source.json()), source.serial()));
            if (lowestIds.size() > remaining) lowestIds.poll();
            current = source.next();
        } while (current && source.createdAt() == second);
        exhausted = !current;
        List<Hit> sorted = new ArrayList<>(lowestIds);
        sorted.sort(Hit.RESULT_ORDER);
        group.addAll(sorted);
        remaining -= sorted.size();
    }
}
