package dev.tern.store;

/** The events matching one filter in index order (created_at descending, then serial), unlimited unless the filter has a limit. */
final class FilterExportCursor extends AbstractCursor {
    private final MatchingCandidates source;
    private long remaining;

    FilterExportCursor(ReadContext ctx, MatchingCandidates source, Integer limit, java.util.Set<OpenRead> registry) {
        super(ctx, registry);
        this.source = source;
        this.remaining = limit == null ? Long.MAX_VALUE : limit;
    }

    @Override
    protected byte[] advance() {
        source.readAhead((int) Math.min(remaining, MatchingCandidates.MAX_BATCH));
        if (remaining == 0 || !source.next()) return null;
        remaining--;
        return source.json();
    }
}
