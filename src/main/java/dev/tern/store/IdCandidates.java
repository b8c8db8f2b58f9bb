package dev.tern.store;

import dev.tern.event.Event;
import dev.tern.filter.Filter;
import java.util.ArrayList;
import java.util.List;

/**
 * The events of an {@code ids} filter: looked up, checked against the whole filter, and sorted into
 * index order. Holds one (created_at, serial) pair per requested id, so it is bounded by the filter.
 */
final class IdCandidates implements Candidates {
    private final List<long[]> found = new ArrayList<>();
    private int pos = -1;

    IdCandidates(ReadContext ctx, List<byte[]> ids, Filter filter, ScanBudget budget) {
        for (byte[] id : ids) {
            if (!budget.take()) break;
            Long serial = ctx.serialOf(id);
            if (serial == null) continue;
            byte[] json = ctx.json(serial);
            if (json == null) continue;
            Event e = ctx.event(json);
            if (filter.matches(e)) found.add(new long[] {e.createdAt(), serial});
        }
        found.sort((a, b) -> Candidates.compare(a[0], a[1], b[0], b[1]));
    }

    @Override
    public boolean next() {
        return ++pos < found.size();
    }

    @Override
    public long createdAt() {
        return found.get(pos)[0];
    }

    @Override
    public long serial() {
        return found.get(pos)[1];
    }
}
