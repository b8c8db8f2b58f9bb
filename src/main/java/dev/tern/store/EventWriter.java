package dev.tern.store;

import dev.tern.event.ByteKey;
import dev.tern.event.Event;
import dev.tern.event.EventParser;
import dev.tern.event.Hex;
import dev.tern.event.KindClass;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.rocksdb.RocksDB;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies NIP-01/09/40 write semantics and commits each call as one atomic WriteBatch. Not
 * thread-safe: one writer thread owns it. Every decision inside a batch sees the batch's own earlier
 * changes (through {@link Pending}), so a batch's outcomes equal applying its events one by one. The
 * in-memory counters change only after the commit succeeds, so a failed batch leaves no trace.
 *
 * <p>In bulk-load mode removing an event deletes its {@code ids} and {@code replace} keys at once (the
 * writer's decisions read those) and notes its serial under {@link MetaKeys#REMOVED_PREFIX}; its record
 * and its index and expiry keys go when the load ends ({@link #removeDeferred}), in serial order. So a
 * replacement need not read the old version back (a follow list of kilobytes, at a random place in
 * gigabytes of uncompacted files: the import slowed as replacements grew, most with a small budget),
 * and the events family gets inserts only, so each L0 file holds one range of new serials. Until then
 * a query can still find removed events: a bulk-loading store serves no clients.
 *
 * <p>In normal mode removing an event deletes its ids, replace, index and expiry keys at once, so no read
 * finds it, but its record waits under {@link MetaKeys#PURGE_PREFIX} (export skips it) until there are
 * {@value #PURGE_MIN_RECORDS} of them and an eighth as many as live events; then they are deleted, a batch
 * of {@value #PURGE_STEP_RECORDS} after each commit until none is left.
 * The events family is otherwise append-only (serials grow), so a compaction of new files touches no old
 * ones. Each deletion at an old serial stretches a new file's key range over the old files instead, and
 * deleting replaced versions at once made every compaction of the events family rewrite all of it: after
 * 600,000 published events, "4@0 + 4@6 files to L6" again and again, and compaction used a third of the
 * relay's CPU. An operator's removal (a NIP-86 ban) still deletes the record at once.
 */
final class EventWriter {
    private static final Logger log = LoggerFactory.getLogger(EventWriter.class);
    private static final byte[] EMPTY = new byte[0];
    private static final int SWEEP_BATCH = 1000; // events per WriteBatch of a sweep: bounds its memory
    private static final int DEFERRED_OPS_PER_BATCH = 10_000; // ~0.6 MB of deletions per WriteBatch
    static final int PURGE_MIN_RECORDS = 1_000;
    private static final int PURGE_LIVE_FRACTION = 8;
    static final int PURGE_STEP_RECORDS = DEFERRED_OPS_PER_BATCH / 2; // a marker and a record each
    private static final byte[] JSON_ID_PREFIX = "{\"id\":\"".getBytes(StandardCharsets.US_ASCII);

    private final RocksDB db;
    private final Families cf;
    private WriteOptions writeOptions;
    /** Bulk-load mode: removals are deferred (see above) and batches go in event order ({@link #newBatch}). */
    private boolean bulkLoad;
    private long nextSerial;
    private long eventCount;
    private final Map<Integer, Long> kindCounts = new HashMap<>();
    /** Records waiting under {@link MetaKeys#PURGE_PREFIX}; written by the writer thread, read by stats on any. */
    private volatile long purgePending;
    /** After a failed purge, how many there must be before the next try. */
    private long purgeRetryAt;
    /** While a purge is under way, the serial it continues from: one batch of it follows each commit. */
    private long purgeFrom = -1;
    /** RocksDB's sequence right after the last commit of events, before any purge step that follows it. */
    private long committedSequence;

    EventWriter(RocksDB db, Families cf, WriteOptions writeOptions, boolean bulkLoad) throws RocksDBException {
        this.db = db;
        this.cf = cf;
        this.writeOptions = writeOptions;
        this.bulkLoad = bulkLoad;
        byte[] next = db.get(cf.meta(), MetaKeys.NEXT_SERIAL);
        nextSerial = next == null ? 1 : Keys.getLong(next, 0);
        byte[] count = db.get(cf.meta(), MetaKeys.EVENT_COUNT);
        eventCount = count == null ? 0 : Keys.getLong(count, 0);
        try (RocksIterator it = db.newIterator(cf.meta())) {
            for (it.seek(MetaKeys.KIND_COUNT_PREFIX); it.isValid() && Keys.startsWith(it.key(), MetaKeys.KIND_COUNT_PREFIX); it.next()) {
                kindCounts.put(MetaKeys.kindOfCountKey(it.key()), Keys.getLong(it.value(), 0));
            }
            long marked = 0;
            for (it.seek(MetaKeys.PURGE_PREFIX); it.isValid() && Keys.startsWith(it.key(), MetaKeys.PURGE_PREFIX); it.next()) marked++;
            purgePending = marked;
        }
    }

    /** Normal mode from now on: removals delete their keys at once and leave records to the purge; writes use these options. */
    void endBulkLoad(WriteOptions writeOptions) {
        this.writeOptions = writeOptions;
        bulkLoad = false;
    }

    /**
     * Deletes the records, index and expiry keys of the events whose removal a bulk load deferred, in
     * serial order (reads move forward through the files), committing every {@value #DEFERRED_OPS_PER_BATCH}
     * deletions or so; returns how many events. Idempotent, so a crash midway is finished by the next call.
     */
    int removeDeferred() throws RocksDBException {
        // each record is read once: keep the cache for the blocks that are read again
        try (ReadOptions once = new ReadOptions().setFillCache(false)) {
            return drainMarkers(MetaKeys.REMOVED_PREFIX, 0, Long.MAX_VALUE, (batch, s) -> {
                byte[] json = db.get(cf.events(), once, Keys.serial(s));
                if (json != null) deleteRecord(batch, s, decodeStored(json));
            });
        }
    }

    long purgePending() {
        return purgePending;
    }

    private long purgeThreshold() {
        return Math.max(PURGE_MIN_RECORDS, eventCount / PURGE_LIVE_FRACTION);
    }

    private interface MarkedSerial {
        void apply(KeyOrderedBatch batch, long serial) throws RocksDBException;
    }

    /**
     * Applies {@code action} to each serial from {@code from} on marked under {@code prefix} in the meta family,
     * at most {@code limit} of them, in serial order, and deletes the marker with it, committing every
     * {@value #DEFERRED_OPS_PER_BATCH} operations or so; returns how many. Idempotent, so a crash midway is
     * finished by the next call.
     */
    private int drainMarkers(byte[] prefix, long from, long limit, MarkedSerial action) throws RocksDBException {
        int drained = 0;
        try (RocksIterator it = db.newIterator(cf.meta())) {
            it.seek(MetaKeys.serialMarker(prefix, from));
            while (drained < limit && it.isValid() && Keys.startsWith(it.key(), prefix)) {
                try (KeyOrderedBatch batch = newBatch()) {
                    while (batch.count() < DEFERRED_OPS_PER_BATCH && drained < limit && it.isValid() && Keys.startsWith(it.key(), prefix)) {
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

    /** Deletes an event's record and the index and expiry keys derived from it. */
    private void deleteRecord(KeyOrderedBatch batch, long s, Event e) throws RocksDBException {
        batch.delete(cf.events(), Keys.serial(s));
        deleteDerivedKeys(batch, s, e);
    }

    private void deleteDerivedKeys(KeyOrderedBatch batch, long s, Event e) throws RocksDBException {
        for (IndexEntry ie : IndexEntry.of(e, s)) batch.delete(cf.index(ie.index()), ie.key());
        OptionalLong exp = e.expiration();
        if (exp.isPresent()) batch.delete(cf.expiry(), Keys.expiryKey(exp.getAsLong(), s));
    }

    List<WriteOutcome> write(List<Event> events, java.util.function.Function<List<WriteOutcome>, Checkpoint> checkpointOf,
                             long nowSeconds) throws RocksDBException {
        try (KeyOrderedBatch batch = newBatch()) {
            Pending p = new Pending(batch);
            p.prefetch(events);
            List<WriteOutcome> outcomes = new ArrayList<>(events.size());
            for (Event e : events) outcomes.add(p.apply(e, nowSeconds));
            Checkpoint checkpoint = checkpointOf == null ? null : checkpointOf.apply(outcomes);
            if (checkpoint != null) batch.put(cf.meta(), MetaKeys.userKey(checkpoint.key()), checkpoint.value());
            commit(p);
            return outcomes;
        }
    }

    /** NIP-40: removes every stored event whose expiration is <= now, in batches; returns how many. */
    int sweepExpired(long nowSeconds) throws RocksDBException {
        int removed = 0;
        while (true) {
            List<Long> serials = new ArrayList<>();
            try (RocksIterator it = db.newIterator(cf.expiry())) {
                for (it.seekToFirst(); it.isValid() && serials.size() < SWEEP_BATCH; it.next()) {
                    if (Keys.expirationOfExpiryKey(it.key()) > nowSeconds) break;
                    serials.add(Keys.getLong(it.key(), 8));
                }
            }
            if (serials.isEmpty()) return removed;
            try (KeyOrderedBatch batch = newBatch()) {
                Pending p = new Pending(batch);
                for (long s : serials) p.remove(s, p.eventAt(s));
                commit(p);
            }
            removed += serials.size();
        }
    }

    /** Removes the stored event with this id and every key derived from it; false if none is stored. */
    boolean remove(byte[] id) throws RocksDBException {
        try (KeyOrderedBatch batch = newBatch()) {
            Pending p = new Pending(batch);
            Long s = p.serialOf(id);
            if (s == null) return false;
            p.purgeAtOnce = true; // an operator's removal: the bytes go with the next compaction, not a later purge
            p.remove(s, p.eventAt(s));
            commit(p);
            return true;
        }
    }

    /**
     * The outcome the event alone decides, before any lookup: never stored (ephemeral, NIP-01) or expired
     * (NIP-40, {@code exp} being its expiration); null when the store must be asked.
     */
    static WriteOutcome decidedByEventAlone(Event e, OptionalLong exp, long now) {
        if (e.kindClass() == KindClass.EPHEMERAL) return WriteOutcome.EPHEMERAL_NOT_STORED;
        if (exp.isPresent() && exp.getAsLong() <= now) return WriteOutcome.EXPIRED;
        return null;
    }

    /** See {@link EventStore#committedSequence()}. */
    long committedSequence() {
        return committedSequence;
    }

    private void commit(Pending p) throws RocksDBException {
        if (p.serial != nextSerial) p.batch.put(cf.meta(), MetaKeys.NEXT_SERIAL, Keys.longValue(p.serial));
        if (p.count != eventCount) p.batch.put(cf.meta(), MetaKeys.EVENT_COUNT, Keys.longValue(p.count));
        Map<Integer, Long> newCounts = new HashMap<>();
        for (Map.Entry<Integer, Long> d : p.kindDeltas.entrySet()) {
            if (d.getValue() == 0) continue;
            long n = kindCounts.getOrDefault(d.getKey(), 0L) + d.getValue();
            newCounts.put(d.getKey(), n);
            if (n == 0) p.batch.delete(cf.meta(), MetaKeys.kindCount(d.getKey()));
            else p.batch.put(cf.meta(), MetaKeys.kindCount(d.getKey()), Keys.longValue(n));
        }
        db.write(writeOptions, p.batch.writeBatch());
        committedSequence = db.getLatestSequenceNumber();
        nextSerial = p.serial;
        eventCount = p.count;
        newCounts.forEach((k, n) -> {
            if (n == 0) kindCounts.remove(k);
            else kindCounts.put(k, n);
        });
        purgePending += p.purges;
        if (purgeFrom < 0 && purgePending >= Math.max(purgeThreshold(), purgeRetryAt)) {
            log.info("purging the records of {} removed events", purgePending);
            purgeFrom = 0;
        }
        if (purgeFrom >= 0) purgeStep();
    }

    /**
     * One batch of the purge under way, after a commit: a whole purge at once (an eighth of a large store's
     * events) would hold up every commit behind it, and its batches, a commit apart, still reach the same few
     * memtables. A failed step is logged and the purge tried again after another threshold's worth of removals.
     */
    private void purgeStep() {
        try {
            int n = drainMarkers(MetaKeys.PURGE_PREFIX, purgeFrom, PURGE_STEP_RECORDS, (batch, s) -> {
                batch.delete(cf.events(), Keys.serial(s));
                purgeFrom = s + 1;
            });
            purgePending -= n;
            if (n < PURGE_STEP_RECORDS) { // none left
                purgeFrom = -1;
                purgeRetryAt = 0;
            }
        } catch (RocksDBException e) {
            purgeFrom = -1;
            purgeRetryAt = purgePending + purgeThreshold();
            log.warn("could not purge the records of {} removed events ({}); trying again later", purgePending, e.getMessage());
        }
    }

    /** Key order suits skiplist memtables; bulk mode's index families have vector memtables. */
    private KeyOrderedBatch newBatch() {
        return new KeyOrderedBatch(!bulkLoad);
    }

    /** One batch in progress: its writes plus an overlay of what it changed, read before the DB. */
    private final class Pending {
        private static final long REMOVED = -1;
        private static final ReplaceEntry NO_ENTRY = new ReplaceEntry(REMOVED, 0, new byte[Keys.ID]);

        final KeyOrderedBatch batch;
        final BatchLookups stored = new BatchLookups(db);
        final Map<ByteKey, Long> ids = new HashMap<>();
        /** Events at hand by serial: inserted by this batch, or read back by it. */
        final Map<Long, Event> known = new HashMap<>();
        final Map<ByteKey, ReplaceEntry> replace = new HashMap<>();
        final Map<ByteKey, Long> tombstones = new HashMap<>();
        final Map<Integer, Long> kindDeltas = new HashMap<>();
        long serial = nextSerial;
        long count = eventCount;
        /** Records this batch left to the next purge; none when {@link #purgeAtOnce}. */
        int purges;
        boolean purgeAtOnce;

        Pending(KeyOrderedBatch batch) {
            this.batch = batch;
        }

        /** Fetches at once what {@link #apply} will look up for these events: ids, id tombstones, addresses. */
        void prefetch(List<Event> events) throws RocksDBException {
            for (Event e : events) {
                if (e.kindClass() == KindClass.EPHEMERAL) continue;
                stored.want(cf.ids(), e.id());
                if (e.kind() != Event.DELETION_KIND) stored.want(cf.deleted(), Keys.idTombstone(e.id(), e.pubkey()));
                byte[] address = addressKey(e);
                if (address != null) {
                    stored.want(cf.replace(), address);
                    stored.want(cf.deleted(), Keys.addressTombstone(address));
                }
            }
            stored.fetch();
        }

        WriteOutcome apply(Event e, long now) throws RocksDBException {
            requireWireJson(e);
            OptionalLong exp = e.expiration();
            WriteOutcome decided = decidedByEventAlone(e, exp, now);
            if (decided != null) return decided;
            if (serialOf(e.id()) != null) return WriteOutcome.DUPLICATE;
            byte[] address = addressKey(e);
            if (isTombstoned(e, address)) return WriteOutcome.DELETED_BEFORE;
            WriteOutcome outcome = WriteOutcome.STORED;
            if (address != null) {
                ReplaceEntry current = replaceOf(address);
                if (current != null) {
                    if (current.beats(e)) return WriteOutcome.SUPERSEDED;
                    removeVersion(address, current);
                    outcome = WriteOutcome.REPLACED_OLDER;
                }
            }
            insert(e, address, exp);
            if (e.kind() == Event.DELETION_KIND) applyDeletion(e);
            return outcome;
        }

        /** NIP-09: an id tombstone binds only events by the deleter, and never deletes a deletion;
         *  an address tombstone refuses versions up to the deletion's created_at. */
        private boolean isTombstoned(Event e, byte[] address) throws RocksDBException {
            if (e.kind() != Event.DELETION_KIND && tombstone(Keys.idTombstone(e.id(), e.pubkey())) != null) return true;
            if (address == null) return false;
            Long deletedUpTo = tombstone(Keys.addressTombstone(address));
            return deletedUpTo != null && e.createdAt() <= deletedUpTo;
        }

        /** NIP-09: remove the author's own {@code e}-referenced events (not deletions) and {@code a}-referenced
         *  addresses up to the deletion's created_at; leave tombstones for events not seen yet. */
        private void applyDeletion(Event d) throws RocksDBException {
            for (List<String> tag : d.tags()) {
                if (tag.size() < 2) continue;
                switch (tag.get(0)) {
                    case "e" -> {
                        byte[] id = Hex.decodeLower(tag.get(1), Keys.ID);
                        if (id == null) continue;
                        putTombstone(Keys.idTombstone(id, d.pubkey()), d.createdAt());
                        Long s = serialOf(id);
                        if (s == null) continue;
                        Event target = eventAt(s);
                        if (Arrays.equals(target.pubkey(), d.pubkey()) && target.kind() != Event.DELETION_KIND) remove(s, target);
                    }
                    case "a" -> {
                        Address a = Address.parse(tag.get(1));
                        if (a == null || !Arrays.equals(a.pubkey(), d.pubkey())) continue;
                        byte[] key = Keys.addressTombstone(a.key());
                        Long previous = tombstone(key);
                        if (previous == null || previous < d.createdAt()) putTombstone(key, d.createdAt());
                        ReplaceEntry current = replaceOf(a.key());
                        if (current != null && current.createdAt() <= d.createdAt()) removeVersion(a.key(), current);
                    }
                    default -> { }
                }
            }
        }

        /** {@code exp} is {@code e.expiration()}, already found by {@link #apply} (it scans every tag). */
        private void insert(Event e, byte[] address, OptionalLong exp) throws RocksDBException {
            long s = serial++;
            batch.put(cf.events(), Keys.serial(s), e.json());
            batch.put(cf.ids(), e.id(), Keys.serial(s));
            for (IndexEntry ie : IndexEntry.of(e, s)) batch.put(cf.index(ie.index()), ie.key(), ie.value());
            if (exp.isPresent()) batch.put(cf.expiry(), Keys.expiryKey(exp.getAsLong(), s), EMPTY);
            if (address != null) {
                ReplaceEntry entry = ReplaceEntry.of(s, e);
                batch.put(cf.replace(), address, entry.encode());
                replace.put(ByteKey.of(address), entry);
            }
            ids.put(ByteKey.of(e.id()), s);
            known.put(s, e);
            count++;
            kindDeltas.merge(e.kind(), 1L, Long::sum);
        }

        /** Deletes a stored event and every key derived from it. */
        void remove(long s, Event e) throws RocksDBException {
            remove(s, e.id(), e.kind(), addressKey(e));
        }

        /** Removes the version stored at an address; its replace entry has what the removal needs. */
        private void removeVersion(byte[] address, ReplaceEntry current) throws RocksDBException {
            remove(current.serial(), current.id(), Keys.kindOfAddress(address), address);
        }

        /** The event is only read back here, in normal mode, unless the caller had it (see the class comment). */
        private void remove(long s, byte[] id, int kind, byte[] address) throws RocksDBException {
            batch.delete(cf.ids(), id);
            if (address != null) {
                ReplaceEntry current = replaceOf(address);
                if (current != null && current.serial() == s) {
                    batch.delete(cf.replace(), address);
                    replace.put(ByteKey.of(address), NO_ENTRY);
                }
            }
            if (bulkLoad) {
                batch.put(cf.meta(), MetaKeys.serialMarker(MetaKeys.REMOVED_PREFIX, s), EMPTY);
            } else if (purgeAtOnce) {
                deleteRecord(batch, s, eventAt(s));
            } else {
                deleteDerivedKeys(batch, s, eventAt(s));
                batch.put(cf.meta(), MetaKeys.serialMarker(MetaKeys.PURGE_PREFIX, s), EMPTY);
                purges++;
            }
            ids.put(ByteKey.of(id), REMOVED);
            known.remove(s);
            count--;
            kindDeltas.merge(kind, -1L, Long::sum);
        }

        private Long serialOf(byte[] id) throws RocksDBException {
            Long s = ids.get(ByteKey.of(id));
            if (s != null) return s == REMOVED ? null : s;
            byte[] v = stored.get(cf.ids(), id);
            return v == null ? null : Keys.getLong(v, 0);
        }

        private ReplaceEntry replaceOf(byte[] address) throws RocksDBException {
            ReplaceEntry r = replace.get(ByteKey.of(address));
            if (r != null) return r == NO_ENTRY ? null : r;
            byte[] v = stored.get(cf.replace(), address);
            return v == null ? null : ReplaceEntry.decode(v);
        }

        private Long tombstone(byte[] key) throws RocksDBException {
            Long t = tombstones.get(ByteKey.of(key));
            if (t != null) return t;
            byte[] v = stored.get(cf.deleted(), key);
            return v == null ? null : Keys.getLong(v, 0);
        }

        private void putTombstone(byte[] key, long createdAt) throws RocksDBException {
            batch.put(cf.deleted(), key, Keys.longValue(createdAt));
            tombstones.put(ByteKey.of(key), createdAt);
        }

        Event eventAt(long s) throws RocksDBException {
            Event e = known.get(s);
            if (e != null) return e;
            byte[] json = db.get(cf.events(), Keys.serial(s));
            if (json == null) throw new StoreException("index points at missing event serial " + s);
            e = decodeStored(json);
            known.put(s, e);
            return e;
        }
    }

    static Event decodeStored(byte[] json) {
        try {
            return EventParser.parseStored(json);
        } catch (IllegalArgumentException e) {
            throw new StoreException("stored event does not parse (" + e.getMessage() + "): " + new String(json, StandardCharsets.UTF_8));
        }
    }

    private static byte[] addressKey(Event e) {
        return switch (e.kindClass()) {
            case REPLACEABLE -> Keys.address(e.pubkey(), e.kind(), "");
            case ADDRESSABLE -> Keys.address(e.pubkey(), e.kind(), e.dTag());
            default -> null;
        };
    }

    /** Readers take the id from the stored json's fixed prefix, so the json must be the wire form. */
    private static void requireWireJson(Event e) {
        byte[] j = e.json();
        int start = JSON_ID_PREFIX.length;
        byte[] idHex = new byte[2 * Keys.ID];
        Hex.encodeTo(e.id(), idHex, 0); // compared as bytes: this runs for every event on the writer thread
        if (j == null || j.length < start + idHex.length
                || !Arrays.equals(j, 0, start, JSON_ID_PREFIX, 0, start)
                || !Arrays.equals(j, start, start + idHex.length, idHex, 0, idHex.length)) {
            throw new IllegalArgumentException("event json is not the NIP-01 wire form starting with its id");
        }
    }

    static byte[] idOfStoredJson(byte[] json) {
        return Hex.decodeLower(new String(json, JSON_ID_PREFIX.length, 64, StandardCharsets.US_ASCII), Keys.ID);
    }
}
