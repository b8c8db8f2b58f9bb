package dev.tern.store;

import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;

/** A REQ's results: each filter's limited hits merged newest first (ties by id), an event once. */
final class QueryCursor extends AbstractCursor {
    private final PriorityQueue<LimitedHits> heads =
            new PriorityQueue<>((a, b) -> Hit.RESULT_ORDER.compare(a.peek(), b.peek()));
    private final ScanBudget budget;
    private byte[] lastId;

    QueryCursor(ReadContext ctx, List<LimitedHits> perFilter, ScanBudget budget, java.util.Set<OpenRead> registry) {
        super(ctx, registry);
        this.budget = budget;
        for (LimitedHits h : perFilter) if (h.peek() != null) heads.add(h);
    }

    @Override
    protected byte[] advance() {
        while (!heads.isEmpty()) {
            LimitedHits h = heads.poll();
            Hit hit = h.poll();
            if (h.peek() != null) heads.add(h);
            if (lastId != null && Arrays.equals(lastId, hit.id())) continue;
            lastId = hit.id();
            return hit.json();
        }
        return null;
    }

    @Override
    public boolean truncated() {
        return budget.exhausted();
    }
}
