package dev.tern.store;

import dev.tern.event.Event;
import dev.tern.filter.Filter;
import java.util.Arrays;

/**
 * The candidates of one plan that match the filter exactly. An exact plan's candidates all match, so
 * bodies are loaded only when asked for (the id, for ordering); otherwise each body is loaded and
 * checked with {@link Filter#matches}. Every filtered read (REQ, COUNT, export by filter) passes here,
 * so expired events (NIP-40) are left out here. When the reader's
 * {@link Visibility} may hide some of the filter's events, the bodies of the candidates that may be hidden (every
 * one, unless the source tells their kinds) are loaded and the hidden ones are skipped here, before limits and counts.
 *
 * <p>A reader that will take the bodies of the next {@code n} candidates says so with {@link #readAhead}: the
 * candidates are then taken from the index {@code n} at a time and their bodies read in one batched read
 * ({@link ReadContext#jsons}), one JNI crossing and one pass over the files instead of one point read each.
 */
final class MatchingCandidates implements Candidates {
    /** The most bodies read at once. */
    static final int MAX_BATCH = 32;
    /**
     * The bytes of bodies a batch may hold, judged by the largest body read so far: a REQ's cursor keeps what its
     * last slice did not send while the client drains, so 50 open cursors over follow lists (about 60 KB each) in
     * batches of 32 held 95 MB and a 67 MB heap ran out (BENCHMARKS.md, issue 17).
     */
    static final int BATCH_BYTES = 64 * 1024;

    private final ReadContext ctx;
    private final Candidates source;
    private final Filter postFilter;
    private final Visibility visibility;
    private int readAhead = 1;
    /** The current batch: candidates taken from the source, and their bodies once read (null: not read yet). */
    private final long[] createdAts = new long[MAX_BATCH];
    private final long[] serials = new long[MAX_BATCH];
    private final int[] kinds = new int[MAX_BATCH];
    private final byte[][] bodies = new byte[MAX_BATCH][];
    private int size;
    private int pos;
    private boolean sourceDone;
    /** The largest body read so far, 0 before the first: the first batch is one event. */
    private int largestBody;

    /**
     * {@code postFilter} null: every candidate matches; {@code visibility} null: every candidate is visible, else a
     * candidate whose kind the source knows is checked only if that kind may be hidden.
     */
    private MatchingCandidates(ReadContext ctx, Candidates source, Filter postFilter, Visibility visibility) {
        this.ctx = ctx;
        this.source = source;
        this.postFilter = postFilter;
        this.visibility = visibility;
    }

    static MatchingCandidates of(ReadContext ctx, QueryPlan plan, Filter filter, ScanBudget budget, Visibility visibility) {
        Visibility check = visibility.mayHide(filter) ? visibility : null;
        return switch (plan) {
            case QueryPlan.NoMatch n -> new MatchingCandidates(ctx, new IdCandidates(ctx, java.util.List.of(), filter, budget), null, null);
            // the ids' events were checked against the filter as they were found, and their kinds read
            case QueryPlan.IdLookup l -> new MatchingCandidates(ctx, new IdCandidates(ctx, l.ids(), filter, budget), null, check);
            // a filter without kinds (e.g. #p alone) may match hidden kinds: the index values that carry the kind
            // spare loading and parsing the bodies of the others (follow lists of 1,000 tags, for #p)
            case QueryPlan.Scan s -> new MatchingCandidates(ctx,
                    new RangeMerge(ctx, ctx.cf.index(s.index()), s.prefixes(), filter.since(), filter.until(), s.kindsInValue(),
                            check != null && s.index().kindInValue, budget),
                    s.exact() ? null : filter, check);
        };
    }

    /**
     * The reader will ask for the bodies of at least the next {@code n} candidates (if there are so many): the
     * next batch takes up to that many (at most {@link #MAX_BATCH}, and as many as {@link #BATCH_BYTES} holds of
     * bodies the size of the largest read so far) and reads their bodies together. It never
     * takes more from the index than the reader would have, so the scan budget is spent as without it.
     */
    void readAhead(int n) {
        readAhead = Math.max(1, Math.min(n, MAX_BATCH));
    }

    @Override
    public boolean next() {
        if (++pos < size) return true;
        while (!sourceDone) {
            fill();
            if (size > 0) return true;
        }
        return false;
    }

    /** The next batch: up to {@link #readAhead} unexpired candidates, bodies read when they are needed now. */
    private void fill() {
        Arrays.fill(bodies, 0, size, null);
        size = 0;
        pos = 0;
        int want = largestBody == 0 ? 1 : Math.max(1, Math.min(readAhead, BATCH_BYTES / largestBody));
        while (size < want && !(sourceDone = !source.next())) {
            if (ctx.expired(source.serial())) continue;
            createdAts[size] = source.createdAt();
            serials[size] = source.serial();
            kinds[size] = source.kind();
            bodies[size] = source.loadedJson();
            size++;
        }
        boolean checking = false;
        for (int i = 0; i < size && !checking; i++) checking = mustCheck(i);
        if (size == 0 || (!checking && want == 1)) return;
        readBodies();
        for (int i = 0; i < size; i++) if (bodies[i] != null) largestBody = Math.max(largestBody, bodies[i].length);
        if (checking) keepMatching();
    }

    /** Whether candidate {@code i}'s body must be parsed: to match the filter, or to check a kind that may be hidden. */
    private boolean mustCheck(int i) {
        return postFilter != null || (visibility != null && (kinds[i] < 0 || visibility.mayHideKind(kinds[i])));
    }

    private void readBodies() {
        int missing = 0;
        for (int i = 0; i < size; i++) if (bodies[i] == null) missing++;
        if (missing == 0) return;
        long[] wanted = new long[missing];
        for (int i = 0, k = 0; i < size; i++) if (bodies[i] == null) wanted[k++] = serials[i];
        byte[][] read = ctx.jsons(wanted);
        for (int i = 0, k = 0; i < size; i++) if (bodies[i] == null) bodies[i] = read[k++];
    }

    /** Drops the candidates whose body is gone from the snapshot, does not match, or is hidden from this reader. */
    private void keepMatching() {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            byte[] j = bodies[i];
            if (j == null) continue;
            if (mustCheck(i)) {
                Event e = ctx.event(j);
                if (postFilter != null && !postFilter.matches(e) || visibility != null && !visibility.visible(e)) continue;
            }
            createdAts[kept] = createdAts[i];
            serials[kept] = serials[i];
            kinds[kept] = kinds[i];
            bodies[kept++] = j;
        }
        for (int i = kept; i < size; i++) bodies[i] = null;
        size = kept;
    }

    @Override
    public long createdAt() {
        return createdAts[pos];
    }

    @Override
    public long serial() {
        return serials[pos];
    }

    /** The current event's stored json (loaded on first use). */
    byte[] json() {
        if (bodies[pos] == null) {
            bodies[pos] = ctx.json(serials[pos]);
            if (bodies[pos] != null) largestBody = Math.max(largestBody, bodies[pos].length);
        }
        return bodies[pos];
    }
}
