package dev.tern.store;

import dev.tern.event.Event;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;

/**
 * One consistent view of the store for one cursor or count: a snapshot, its ReadOptions, and every
 * iterator opened on it, all released by {@link #close()}. Used by one thread at a time.
 */
final class ReadContext implements AutoCloseable {
    private final RocksDB db;
    final Families cf;
    private final Snapshot snapshot;
    private final boolean ownsSnapshot;
    private final ReadOptions options;
    private final List<RocksIterator> iterators = new ArrayList<>();
    private boolean closed;

    /** {@code fillCache} false for bulk scans (export), so they do not evict the working set. */
    ReadContext(RocksDB db, Families cf, boolean fillCache) {
        this(db, cf, db.getSnapshot(), true, fillCache);
    }

    private ReadContext(RocksDB db, Families cf, Snapshot snapshot, boolean ownsSnapshot, boolean fillCache) {
        this.db = db;
        this.cf = cf;
        this.snapshot = snapshot;
        this.ownsSnapshot = ownsSnapshot;
        this.options = new ReadOptions().setSnapshot(snapshot).setFillCache(fillCache);
    }

    /** A context on this one's snapshot whose close releases only its own iterators (one scan of many). */
    ReadContext sharingSnapshot() {
        return new ReadContext(db, cf, snapshot, false, options.fillCache());
    }

    RocksIterator iterator(ColumnFamilyHandle family) {
        RocksIterator it = db.newIterator(family, options);
        iterators.add(it);
        return it;
    }

    /** The write sequence of this snapshot: it holds every commit up to it ({@link EventStore#writeSequence}). */
    long sequence() {
        return snapshot.getSequenceNumber();
    }

    /** The stored json of {@code serial}, or null if it is not in this snapshot. */
    byte[] json(long serial) {
        try {
            return db.get(cf.events(), options, Keys.serial(serial));
        } catch (RocksDBException e) {
            throw new StoreException("read failed", e);
        }
    }

    Event event(byte[] json) {
        return StoredJson.decode(json);
    }

    Long serialOf(byte[] id) {
        try {
            byte[] v = db.get(cf.ids(), options, id);
            return v == null ? null : Keys.getLong(v, 0);
        } catch (RocksDBException e) {
            throw new StoreException("read failed", e);
        }
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        for (RocksIterator it : iterators) it.close();
        options.close();
        if (ownsSnapshot) db.releaseSnapshot(snapshot);
    }
}
