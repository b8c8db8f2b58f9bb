package dev.tern.store;

import dev.tern.filter.Filter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The events of an {@code ids} filter: looked up, checked against the whole filter (parsed only when it names
 * authors, kinds or tags: the lookup matched the id, and created_at and kind are read at their fixed places), and
 * sorted into index order. Holds one (created_at, serial) pair per requested id, so it is bounded by the filter, and the
 * json of the first found up to {@link MatchingCandidates#BATCH_BYTES} (read to check them, then handed on instead
 * of read again). The ids, then their events, are read a batch at a time (one MultiGet each).
 */
final class IdCandidates implements Candidates {
    private record Found(long createdAt, long serial, int kind, byte[] json) { }

    private final List<Found> found = new ArrayList<>();
    private int pos = -1;

    IdCandidates(ReadContext ctx, List<byte[]> ids, Filter filter, ScanBudget budget) {
        int admitted = 0;
        long keptBytes = 0;
        boolean idsAndTimesOnly = filter.authors() == null && filter.kinds() == null && filter.tags().isEmpty();
        while (admitted < ids.size() && budget.take()) admitted++;
        for (int from = 0; from < admitted; from += MatchingCandidates.MAX_BATCH) {
            List<byte[]> serialValues = ctx.values(ctx.cf.ids(), ids.subList(from, Math.min(admitted, from + MatchingCandidates.MAX_BATCH)));
            long[] serials = new long[serialValues.size()];
            int n = 0;
            for (byte[] v : serialValues) if (v != null) serials[n++] = Keys.getLong(v, 0);
            byte[][] jsons = ctx.jsons(Arrays.copyOf(serials, n));
            for (int i = 0; i < n; i++) {
                byte[] json = jsons[i];
                if (json == null) continue;
                long createdAt = StoredJson.createdAt(json);
                if (idsAndTimesOnly ? !filter.within(createdAt) : !filter.matches(ctx.event(json))) continue;
                boolean keep = keptBytes + json.length <= MatchingCandidates.BATCH_BYTES;
                if (keep) keptBytes += json.length;
                found.add(new Found(createdAt, serials[i], StoredJson.kind(json), keep ? json : null));
            }
        }
        found.sort((a, b) -> Candidates.compare(a.createdAt, a.serial, b.createdAt, b.serial));
    }

    @Override
    public boolean next() {
        return ++pos < found.size();
    }

    @Override
    public long createdAt() {
        return found.get(pos).createdAt;
    }

    @Override
    public long serial() {
        return found.get(pos).serial;
    }

    @Override
    public int kind() {
        return found.get(pos).kind;
    }

    @Override
    public byte[] loadedJson() {
        return found.get(pos).json;
    }
}
