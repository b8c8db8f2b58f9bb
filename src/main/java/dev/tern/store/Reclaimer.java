package dev.tern.store;

import dev.tern.event.Event;
import java.util.OptionalLong;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the records of removed events, which the {@link EventWriter} leaves behind marked in the meta
 * family. While serving, a removal marks its record under {@link MetaKeys#PURGE_PREFIX}; the records go
 * together once there are {@value #MIN_RECORDS} of them and an eighth as many as live events, a batch of
 * {@value #STEP_RECORDS} per {@link #step}, which the writer loop runs between requests beside the expiry
 * sweep. Deleting each at once would stretch every new file of the append-only events family over the old
 * ones, so that each compaction rewrote all of it (figures in BENCHMARKS.md). A bulk load marks under
 * {@link MetaKeys#REMOVED_PREFIX} and leaves the index keys too; {@link #removeDeferred} deletes them when it ends.
 * Writer thread only, but {@link #pending} may be read on any.
 */
final class Reclaimer {
    private static final Logger log = LoggerFactory.getLogger(Reclaimer.class);
    private static final int OPS_PER_BATCH = 10_000; // ~0.6 MB of deletions per WriteBatch
    static final int MIN_RECORDS = 1_000;
    private static final int LIVE_FRACTION = 8;
    static final int STEP_RECORDS = OPS_PER_BATCH / 2; // a marker and a record each

    private final RocksDB db;
    private final Families cf;
    private WriteOptions writeOptions;
    private boolean bulkLoad;
    /** Records waiting under {@link MetaKeys#PURGE_PREFIX}; written by the writer thread, read by stats on any. */
    private volatile long pending;
    /** After a failed purge, how many there must be before the next try. */
    private long retryAt;
    /** While a purge is under way, the serial it continues from; -1 when none is. */
    private long from = -1;

    Reclaimer(RocksDB db, Families cf, WriteOptions writeOptions, boolean bulkLoad) {
        this.db = db;
        this.cf = cf;
        this.writeOptions = writeOptions;
        this.bulkLoad = bulkLoad;
        long marked = 0;
        try (RocksIterator it = db.newIterator(cf.meta())) {
            for (it.seek(MetaKeys.PURGE_PREFIX); it.isValid() && Keys.startsWith(it.key(), MetaKeys.PURGE_PREFIX); it.next()) marked++;
        }
        pending = marked;
    }

    /** Normal mode from now on; writes use these options. */
    void endBulkLoad(WriteOptions writeOptions) {
        this.writeOptions = writeOptions;
        bulkLoad = false;
    }

    long pending() {
        return pending;
    }

    /** A commit marked {@code records} more for the purge. */
    void marked(int records) {
        pending += records;
    }

    /**
     * One batch of the purge when one is due or under way, {@code liveEvents} being the store's count; true if
     * more remains. A whole purge at once (an eighth of a large store's events) would hold up every request
     * behind it. A failed step is logged and the purge tried again after another threshold's worth of removals.
     */
    boolean step(long liveEvents) {
        long threshold = Math.max(MIN_RECORDS, liveEvents / LIVE_FRACTION);
        if (from < 0) {
            if (pending < Math.max(threshold, retryAt)) return false;
            log.info("purging the records of {} removed events", pending);
            from = 0;
        }
        try {
            int n = drainMarkers(MetaKeys.PURGE_PREFIX, from, STEP_RECORDS, (batch, s) -> {
                batch.delete(cf.events(), Keys.serial(s));
                from = s + 1;
            });
            pending -= n;
            if (n < STEP_RECORDS) { // none left
                from = -1;
                retryAt = 0;
            }
        } catch (RocksDBException e) {
            from = -1;
            retryAt = pending + threshold;
            log.warn("could not purge the records of {} removed events ({}); trying again later", pending, e.getMessage());
        }
        return from >= 0;
    }

    /**
     * Deletes the records, index and expiry keys of the events whose removal a bulk load deferred, in
     * serial order (reads move forward through the files); returns how many events. Idempotent, so a crash
     * midway is finished by the next call.
     */
    int removeDeferred() throws RocksDBException {
        // each record is read once: keep the cache for the blocks that are read again
        try (ReadOptions once = new ReadOptions().setFillCache(false)) {
            return drainMarkers(MetaKeys.REMOVED_PREFIX, 0, Long.MAX_VALUE, (batch, s) -> {
                byte[] json = db.get(cf.events(), once, Keys.serial(s));
                if (json != null) deleteRecord(cf, batch, s, StoredJson.decode(json));
            });
        }
    }

    /** Deletes an event's record and the keys derived from it. */
    static void deleteRecord(Families cf, KeyOrderedBatch batch, long s, Event e) throws RocksDBException {
        batch.delete(cf.events(), Keys.serial(s));
        deleteDerivedKeys(cf, batch, s, e);
    }

    /** Deletes the index and expiry keys of the event stored at serial {@code s}. */
    static void deleteDerivedKeys(Families cf, KeyOrderedBatch batch, long s, Event e) throws RocksDBException {
        for (IndexEntry ie : IndexEntry.of(e, s)) batch.delete(cf.index(ie.index()), ie.key());
        OptionalLong exp = e.expiration();
        if (exp.isPresent()) batch.delete(cf.expiry(), Keys.expiryKey(exp.getAsLong(), s));
    }

    private interface MarkedSerial {
        void apply(KeyOrderedBatch batch, long serial) throws RocksDBException;
    }

    /**
     * Applies {@code action} to each serial from {@code start} on marked under {@code prefix}, at most {@code limit}
     * of them, in serial order, and deletes the marker with it, committing every {@value #OPS_PER_BATCH}
     * operations or so; returns how many.
     */
    private int drainMarkers(byte[] prefix, long start, long limit, MarkedSerial action) throws RocksDBException {
        int drained = 0;
        try (RocksIterator it = db.newIterator(cf.meta())) {
            it.seek(MetaKeys.serialMarker(prefix, start));
            while (drained < limit && it.isValid() && Keys.startsWith(it.key(), prefix)) {
                try (KeyOrderedBatch batch = new KeyOrderedBatch(!bulkLoad)) {
                    while (batch.count() < OPS_PER_BATCH && drained < limit && it.isValid() && Keys.startsWith(it.key(), prefix)) {
                        action.apply(batch, MetaKeys.serialOfMarker(it.key()));
                        batch.delete(cf.meta(), it.key());
                        drained++;
                        it.next();
                    }
                    db.write(writeOptions, batch.writeBatch());
                }
            }
        }
        return drained;
    }
}
