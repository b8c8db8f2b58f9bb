package dev.tern.store;

import dev.tern.filter.Filter;
import java.util.Arrays;
import java.util.Set;
import org.rocksdb.RocksIterator;

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
        if (filter.ids() == null && filter.authors() == null && filter.kinds() == null && filter.tags().isEmpty()
                && filter.search() == null) {
            scanByTime(filter.since(), filter.until(), visitor);
            return;
        }
        Filter unlimited = filter.withLimit(null);
        try (ReadContext scan = ctx.sharingSnapshot()) {
            MatchingCandidates m = MatchingCandidates.of(scan, QueryPlanner.plan(unlimited), unlimited, ScanBudget.unlimited(), visibility);
            m.readAhead(MatchingCandidates.MAX_BATCH); // every id is read: at most a batch more than a visitor that stops early needs
            while (m.next()) {
                if (!visitor.visit(m.createdAt(), StoredJson.id(m.json()))) return;
            }
        }
    }

    /**
     * A filter of since/until alone: the created_at index, whose values hold each event's kind and id, so only the
     * events the reader may not see (and those of a store written before the index held ids) are loaded.
     */
    private void scanByTime(Long since, Long until, IdVisitor visitor) {
        long floor = since == null ? Long.MIN_VALUE : since;
        try (ReadContext scan = ctx.sharingSnapshot()) {
            RocksIterator it = scan.iterator(scan.cf.index(Index.CREATED_AT));
            for (it.seek(until == null ? new byte[0] : Keys.seekKey(new byte[0], until)); it.isValid(); it.next()) {
                byte[] key = it.key();
                long createdAt = Keys.createdAtOfIndexKey(key);
                if (createdAt < floor) return;
                long serial = Keys.serialOfIndexKey(key);
                if (scan.expired(serial)) continue;
                byte[] value = it.value();
                byte[] id;
                if (value.length == 2 + Keys.ID && !visibility.mayHideKind(Keys.getShort(value, 0))) {
                    id = Arrays.copyOfRange(value, 2, 2 + Keys.ID);
                } else {
                    byte[] json = scan.json(serial);
                    if (json == null || !visibility.visible(scan.event(json))) continue;
                    id = StoredJson.id(json);
                }
                if (!visitor.visit(createdAt, id)) return;
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
