package dev.tern.store;

import dev.tern.filter.Filter;
import java.util.Set;

/**
 * One snapshot of the store read by many scans (a NIP-77 reconciliation reads ranges again each round and
 * must see the same set every time). Each scan holds only its own iterators; {@link #close} releases the
 * snapshot. Used by one thread at a time.
 */
public final class StoreSnapshot implements OpenRead, AutoCloseable {
    /** Receives the (created_at, id) of each matching event; returns false to stop the scan. */
    @FunctionalInterface
    public interface IdVisitor {
        boolean visit(long createdAt, byte[] id);
    }

    private final ReadContext ctx;
    private final Set<OpenRead> registry;
    private final Visibility visibility;
    private boolean closed;

    StoreSnapshot(ReadContext ctx, Set<OpenRead> registry, Visibility visibility) {
        this.ctx = ctx;
        this.registry = registry;
        this.visibility = visibility;
        registry.add(this);
    }

    /**
     * The events matching {@code filter} (its limit ignored) that the snapshot's reader may see, in index order: created_at descending, then in
     * write order within one second. No scan cap: the caller bounds its work by the filter's since/until.
     */
    public void scan(Filter filter, IdVisitor visitor) {
        if (closed) throw new StoreException("snapshot is closed");
        Filter unlimited = filter.withLimit(null);
        try (ReadContext scan = ctx.sharingSnapshot()) {
            MatchingCandidates m = MatchingCandidates.of(scan, QueryPlanner.plan(unlimited), unlimited, ScanBudget.unlimited(), visibility);
            while (m.next()) {
                if (!visitor.visit(m.createdAt(), StoredJson.id(m.json()))) return;
            }
        }
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        ctx.close();
        registry.remove(this);
    }
}
