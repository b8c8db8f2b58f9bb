package dev.tern.store;

import dev.tern.filter.Filter;

/**
 * The candidates of one plan that match the filter exactly. An exact plan's candidates all match, so
 * bodies are loaded only when asked for (the id, for ordering); otherwise each body is loaded and
 * checked with {@link Filter#matches}. Every filtered read (REQ, COUNT, export by filter) passes here,
 * so expired events (NIP-40) are left out here.
 */
final class MatchingCandidates implements Candidates {
    private final ReadContext ctx;
    private final Candidates source;
    private final Filter postFilter;
    private byte[] json;

    /** {@code postFilter} null: every candidate matches. */
    MatchingCandidates(ReadContext ctx, Candidates source, Filter postFilter) {
        this.ctx = ctx;
        this.source = source;
        this.postFilter = postFilter;
    }

    static MatchingCandidates of(ReadContext ctx, QueryPlan plan, Filter filter, ScanBudget budget) {
        return switch (plan) {
            case QueryPlan.NoMatch n -> new MatchingCandidates(ctx, new IdCandidates(ctx, java.util.List.of(), filter, budget), null);
            case QueryPlan.IdLookup l -> new MatchingCandidates(ctx, new IdCandidates(ctx, l.ids(), filter, budget), null);
            case QueryPlan.Scan s -> new MatchingCandidates(ctx,
                    new RangeMerge(ctx, ctx.cf.index(s.index()), s.prefixes(), filter.since(), filter.until(), s.kindsInValue(), budget),
                    s.exact() ? null : filter);
        };
    }

    @Override
    public boolean next() {
        while (source.next()) {
            json = null;
            if (ctx.expired(source.serial())) continue;
            if (postFilter == null) return true;
            byte[] j = ctx.json(source.serial());
            if (j != null && postFilter.matches(ctx.event(j))) {
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
