package dev.tern.store;

import dev.tern.event.Event;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;

/**
 * One consistent view of the store for one cursor or count: a snapshot, its ReadOptions, and every
 * iterator opened on it, all released by {@link #close()}. Used by one thread at a time. Every read path
 * asks it {@link #expired} before it yields an event.
 */
final class ReadContext implements AutoCloseable {
    /** Most expired-but-unswept serials held per read; past it each candidate's own expiration is read. */
    static final int MAX_EXPIRED_SERIALS = 4096;
    private static final long[] NOT_LOADED = new long[0];

    private final RocksDB db;
    final Families cf;
    private final Snapshot snapshot;
    private final boolean ownsSnapshot;
    private final ReadOptions options;
    private final List<RocksIterator> iterators = new ArrayList<>();
    private final long nowSeconds;
    /** Sorted; NOT_LOADED until first asked, null when there were more than MAX_EXPIRED_SERIALS. */
    private long[] expiredSerials = NOT_LOADED;
    private boolean closed;

    /** {@code fillCache} false for bulk scans (export), so they do not evict the working set; {@code nowSeconds} decides expiry. */
    ReadContext(RocksDB db, Families cf, boolean fillCache, long nowSeconds) {
        this(db, cf, db.getSnapshot(), true, fillCache, nowSeconds);
    }

    private ReadContext(RocksDB db, Families cf, Snapshot snapshot, boolean ownsSnapshot, boolean fillCache, long nowSeconds) {
        this.db = db;
        this.cf = cf;
        this.snapshot = snapshot;
        this.ownsSnapshot = ownsSnapshot;
        this.options = new ReadOptions().setSnapshot(snapshot).setFillCache(fillCache);
        this.nowSeconds = nowSeconds;
    }

    /**
     * NIP-40: relays should not send expired events, even if stored. The writer's sweep removes them from
     * the disk only every minute, so each read leaves out the ones whose expiration (<= now, as the writer
     * decides) has passed. They are the head of the expiry family, read once per context: few, since the
     * sweep keeps removing them; when more than {@link #MAX_EXPIRED_SERIALS} wait, each serial's own record says.
     */
    boolean expired(long serial) {
        if (expiredSerials == NOT_LOADED) expiredSerials = loadExpiredSerials();
        if (expiredSerials != null) return Arrays.binarySearch(expiredSerials, serial) >= 0;
        byte[] j = json(serial);
        if (j == null) return false;
        var exp = event(j).expiration();
        return exp.isPresent() && exp.getAsLong() <= nowSeconds;
    }

    private long[] loadExpiredSerials() {
        long[] serials = new long[16];
        int n = 0;
        RocksIterator it = iterator(cf.expiry());
        for (it.seekToFirst(); it.isValid() && Keys.expirationOfExpiryKey(it.key()) <= nowSeconds; it.next()) {
            if (n == MAX_EXPIRED_SERIALS) return null;
            if (n == serials.length) serials = Arrays.copyOf(serials, 2 * n);
            serials[n++] = Keys.serialOfExpiryKey(it.key());
        }
        long[] sorted = Arrays.copyOf(serials, n);
        Arrays.sort(sorted);
        return sorted;
    }

    /** A context on this one's snapshot whose close releases only its own iterators (one scan of many). */
    ReadContext sharingSnapshot() {
        return new ReadContext(db, cf, snapshot, false, options.fillCache(), nowSeconds);
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

    /** The stored json of each serial, null where it is not in this snapshot: one batched read (RocksDB MultiGet). */
    byte[][] jsons(long[] serials) {
        if (serials.length == 1) return new byte[][] {json(serials[0])};
        List<byte[]> keys = new ArrayList<>(serials.length);
        for (long s : serials) keys.add(Keys.serial(s));
        return values(cf.events(), keys).toArray(new byte[0][]);
    }

    /** The value of each key in {@code family} (null where absent), in the keys' order, in one batched read. */
    List<byte[]> values(ColumnFamilyHandle family, List<byte[]> keys) {
        if (keys.isEmpty()) return List.of();
        try {
            return db.multiGetAsList(options, Collections.nCopies(keys.size(), family), keys);
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
