package dev.tern.store;

import dev.tern.event.Event;
import dev.tern.filter.Filter;

/**
 * The candidates of one plan that match the filter exactly. An exact plan's candidates all match, so
 * bodies are loaded only when asked for (the id, for ordering); otherwise each body is loaded and
 * checked with {@link Filter#matches}. Every filtered read (REQ, COUNT, export by filter) passes here,
 * so expired events (NIP-40) are left out here. When the reader's
 * {@link Visibility} may hide some of the filter's events, every body is loaded and the hidden ones are
 * skipped here, before limits and counts.
 */
final class MatchingCandidates implements Candidates {
    private final ReadContext ctx;
    private final Candidates source;
    private final Filter postFilter;
    private final Visibility visibility;
    private byte[] json;

    /** {@code postFilter} null: every candidate matches and is visible. */
    private MatchingCandidates(ReadContext ctx, Candidates source, Filter postFilter, Visibility visibility) {
        this.ctx = ctx;
        this.source = source;
        this.postFilter = postFilter;
        this.visibility = visibility;
    }

    static MatchingCandidates of(ReadContext ctx, QueryPlan plan, Filter filter, ScanBudget budget, Visibility visibility) {
        boolean check = visibility.mayHide(filter);
        return switch (plan) {
            case QueryPlan.NoMatch n -> new MatchingCandidates(ctx, new IdCandidates(ctx, java.util.List.of(), filter, budget), null, visibility);
            case QueryPlan.IdLookup l -> new MatchingCandidates(ctx, new IdCandidates(ctx, l.ids(), filter, budget),
                    check ? filter : null, visibility);
            case QueryPlan.Scan s -> new MatchingCandidates(ctx,
                    new RangeMerge(ctx, ctx.cf.index(s.index()), s.prefixes(), filter.since(), filter.until(), s.kindsInValue(), budget),
                    s.exact() && !check ? null : filter, visibility);
        };
    }

    @Override
    public boolean next() {
        while (source.next()) {
            json = null;
            if (ctx.expired(source.serial())) continue;
            if (postFilter == null) return true;
            byte[] j = ctx.json(source.serial());
            if (j == null) continue;
            Event e = ctx.event(j);
            if (postFilter.matches(e) && visibility.visible(e)) {
                json = j;
                return true;
            }
        }
        return false;
    }

    @Override
    public long createdAt() {
        return source.createdAt();
    }

    @Override
    public long serial() {
        return source.serial();
    }

    /** The current event's stored json (loaded on first use). */
    byte[] json() {
        if (json == null) json = ctx.json(source.serial());
        return json;
    }
}
