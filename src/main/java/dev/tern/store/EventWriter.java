package dev.tern.store;

import dev.tern.event.ByteKey;
import dev.tern.event.Event;
import dev.tern.event.Hex;
import dev.tern.event.KindClass;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;

/**
 * Decides each event's NIP-01/09/40 outcome and commits each call as one atomic WriteBatch. Not
 * thread-safe: the writer thread owns it. Every decision inside a batch sees the batch's own earlier
 * changes (through {@link Pending}), so a batch's outcomes equal applying its events one by one. The
 * in-memory counters change only after the commit succeeds, so a failed batch leaves no trace.
 *
 * <p>A removal deletes the keys the decisions and reads use (ids, replace; while serving also the index and
 * expiry keys) at once and marks the record for the {@link Reclaimer}, which deletes records in bulk later:
 * the events family stays append-only, and in a bulk load a replacement need not read the old version back.
 * Until a bulk load ends a query can still find the events it removed: a bulk-loading store serves no
 * clients. An operator's removal (a NIP-86 ban) deletes the record at once.
 */
final class EventWriter {
    private static final byte[] EMPTY = new byte[0];
    private static final int SWEEP_BATCH = 1000; // events per WriteBatch of a sweep: bounds its memory
    static final int GIFT_WRAP_KIND = 1059;

    private final RocksDB db;
    private final Families cf;
    private final Reclaimer reclaimer;
    private WriteOptions writeOptions;
    /**
     * Bulk-load mode: where the index keys go instead of the batch; null otherwise. In it removals leave index keys
     * to the reclaimer and batches go in event order ({@link #newBatch}).
     */
    private IndexRuns runs;
    private long nextSerial;
    private long eventCount;
    private final Map<Integer, Long> kindCounts = new HashMap<>();
    /** The relay's host: NIP-62 requests to vanish naming it (or ALL_RELAYS) are carried out. */
    private final String relayHost;

    EventWriter(RocksDB db, Families cf, Reclaimer reclaimer, WriteOptions writeOptions, IndexRuns runs, String relayHost)
            throws RocksDBException {
        this.db = db;
        this.runs = runs;
        this.relayHost = relayHost;
        this.cf = cf;
        this.reclaimer = reclaimer;
        this.writeOptions = writeOptions;
        nextSerial = committedNextSerial(db, cf);
        byte[] count = db.get(cf.meta(), MetaKeys.EVENT_COUNT);
        eventCount = count == null ? 0 : Keys.getLong(count, 0);
        try (RocksIterator it = db.newIterator(cf.meta())) {
            for (it.seek(MetaKeys.KIND_COUNT_PREFIX); it.isValid() && Keys.startsWith(it.key(), MetaKeys.KIND_COUNT_PREFIX); it.next()) {
                kindCounts.put(MetaKeys.kindOfCountKey(it.key()), Keys.getLong(it.value(), 0));
            }
        }
    }

    /** Ingests the bulk load's index keys still buffered, through every event committed so far, and waits until they are. */
    void ingestIndexRuns() throws RocksDBException {
        runs.ingest(nextSerial);
        runs.awaitIngestion();
    }

    /** Normal mode from now on, after {@link #ingestIndexRuns}: removals delete their index keys at once; writes use these options. */
    void endBulkLoad(WriteOptions writeOptions) {
        this.writeOptions = writeOptions;
        runs = null;
    }

    /** Live events, as the last commit left them (the reclaimer's threshold). */
    long eventCount() {
        return eventCount;
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
            // the removals find the author's events through the index families
            if (runs != null && !p.vanishes.isEmpty()) ingestIndexRuns();
            else if (runs != null && runs.full()) runs.ingest(nextSerial);
            for (Map.Entry<ByteKey, Long> v : p.vanishes.entrySet()) removeVanished(v.getKey().bytes(), v.getValue());
            return outcomes;
        }
    }

    /**
     * NIP-62: removes what {@code pubkey} published up to {@code until} (its requests to vanish excepted: the
     * relay keeps them) and the gift wraps addressed to it up to then (NIP-59), committing every
     * {@value #SWEEP_BATCH} removals, so memory stays bounded however much it published. The tombstone that
     * refuses these events again was committed first, with the request; this is idempotent, so a crash
     * midway is finished when the store next opens ({@link #resumeVanishes}).
     */
    private void removeVanished(byte[] pubkey, long until) throws RocksDBException {
        try (RocksIterator byAuthor = db.newIterator(cf.index(Index.AUTHOR));
             RocksIterator wraps = db.newIterator(cf.index(Index.TAG))) {
            byte[] wrapPrefix = Keys.tagPrefix('p', Hex.encode(pubkey));
            byAuthor.seek(Keys.seekKey(pubkey, until));
            wraps.seek(Keys.seekKey(wrapPrefix, until));
            while (true) {
                try (KeyOrderedBatch batch = newBatch()) {
                    Pending p = new Pending(batch);
                    int n = 0;
                    for (; n < SWEEP_BATCH && inRange(byAuthor, pubkey); byAuthor.next()) {
                        long s = Keys.serialOfIndexKey(byAuthor.key());
                        Event e = p.eventAt(s);
                        if (e.kind() == VanishRequest.KIND) continue;
                        p.remove(s, e);
                        n++;
                    }
                    for (; n < SWEEP_BATCH && inRange(wraps, wrapPrefix); wraps.next()) {
                        if (Keys.getShort(wraps.value(), 0) != GIFT_WRAP_KIND) continue;
                        long s = Keys.serialOfIndexKey(wraps.key());
                        if (p.serialOf(p.eventAt(s).id()) == null) continue; // also the author's, removed above
                        p.remove(s, p.eventAt(s));
                        n++;
                    }
                    if (n == 0) return;
                    commit(p);
                }
            }
        }
    }

    private static boolean inRange(RocksIterator it, byte[] prefix) {
        return it.isValid() && Keys.startsWith(it.key(), prefix) && it.key().length == prefix.length + Keys.SUFFIX;
    }

    /** Finishes the removals of every request to vanish (after a crash between its commit and theirs): a seek each when done. */
    void resumeVanishes() throws RocksDBException {
        byte[] prefix = {Keys.TOMBSTONE_VANISH};
        try (RocksIterator it = db.newIterator(cf.deleted())) {
            for (it.seek(prefix); it.isValid() && Keys.startsWith(it.key(), prefix); it.next()) {
                removeVanished(java.util.Arrays.copyOfRange(it.key(), 1, 1 + Keys.ID), Keys.getLong(it.value(), 0));
            }
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

    /** The next serial as last committed: from any thread, unlike {@link #nextSerial()}. */
    static long committedNextSerial(RocksDB db, Families cf) throws RocksDBException {
        byte[] next = db.get(cf.meta(), MetaKeys.NEXT_SERIAL);
        return next == null ? 1 : Keys.getLong(next, 0);
    }

    /** See {@link EventStore#nextSerial()}. */
    long nextSerial() {
        return nextSerial;
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
        nextSerial = p.serial;
        eventCount = p.count;
        newCounts.forEach((k, n) -> {
            if (n == 0) kindCounts.remove(k);
            else kindCounts.put(k, n);
        });
        reclaimer.marked(p.purges);
        if (runs != null) runs.add(p.indexEntries);
    }

    /**
     * Key order suits skiplist memtables; a bulk load's batches stay in event order, as measured when its index
     * keys went to vector memtables (they now go to {@link IndexRuns}).
     */
    private KeyOrderedBatch newBatch() {
        return new KeyOrderedBatch(runs == null);
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
        /** Requests to vanish this batch carries out: pubkey to created_at. */
        final Map<ByteKey, Long> vanishes = new HashMap<>();
        final Map<Integer, Long> kindDeltas = new HashMap<>();
        /** Bulk-load mode: the inserted events' index keys, for {@link IndexRuns} once the batch is committed. */
        final List<IndexEntry> indexEntries = new ArrayList<>();
        long serial = nextSerial;
        long count = eventCount;
        /** Records this batch left to the reclaimer's purge; none when {@link #purgeAtOnce}. */
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
                stored.want(cf.deleted(), Keys.vanishTombstone(e.pubkey()));
                for (byte[] r : giftWrapRecipients(e)) {
                    stored.want(cf.deleted(), Keys.idTombstone(e.id(), r));
                    stored.want(cf.deleted(), Keys.vanishTombstone(r));
                }
                byte[] address = addressKey(e);
                if (address != null) {
                    stored.want(cf.replace(), address);
                    stored.want(cf.deleted(), Keys.addressTombstone(address));
                }
            }
            stored.fetch();
        }

        WriteOutcome apply(Event e, long now) throws RocksDBException {
            StoredJson.requireWireForm(e);
            OptionalLong exp = e.expiration();
            WriteOutcome decided = decidedByEventAlone(e, exp, now);
            if (decided != null) return decided;
            if (serialOf(e.id()) != null) return WriteOutcome.DUPLICATE;
            byte[] address = addressKey(e);
            if (isTombstoned(e, address)) return WriteOutcome.DELETED_BEFORE;
            if (hasVanished(e)) return WriteOutcome.VANISHED;
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
            if (VanishRequest.namesRelay(e, relayHost)) requestVanish(e);
            return outcome;
        }

        /**
         * NIP-62: refused if its author asked this relay to vanish at or after its created_at (the requests
         * themselves excepted), or, for a gift wrap, its recipient did: relays MUST keep them from coming back.
         */
        private boolean hasVanished(Event e) throws RocksDBException {
            if (e.kind() == VanishRequest.KIND) return false;
            Long upTo = tombstone(Keys.vanishTombstone(e.pubkey()));
            if (upTo != null && e.createdAt() <= upTo) return true;
            for (byte[] r : giftWrapRecipients(e)) {
                Long recipientUpTo = tombstone(Keys.vanishTombstone(r));
                if (recipientUpTo != null && e.createdAt() <= recipientUpTo) return true;
            }
            return false;
        }

        /** Notes the request's tombstone in this batch; the removals follow its commit ({@link #removeVanished}). */
        private void requestVanish(Event v) throws RocksDBException {
            byte[] key = Keys.vanishTombstone(v.pubkey());
            Long previous = tombstone(key);
            if (previous != null && previous >= v.createdAt()) return;
            putTombstone(key, v.createdAt());
            vanishes.put(ByteKey.of(v.pubkey()), v.createdAt());
        }

        /** NIP-09: an id tombstone binds only events by the deleter (or a gift wrap by its recipient, NIP-59), and never deletes a deletion;
         *  an address tombstone refuses versions up to the deletion's created_at. */
        private boolean isTombstoned(Event e, byte[] address) throws RocksDBException {
            if (e.kind() != Event.DELETION_KIND && tombstone(Keys.idTombstone(e.id(), e.pubkey())) != null) return true;
            for (byte[] r : giftWrapRecipients(e)) if (tombstone(Keys.idTombstone(e.id(), r)) != null) return true;
            if (address == null) return false;
            Long deletedUpTo = tombstone(Keys.addressTombstone(address));
            return deletedUpTo != null && e.createdAt() <= deletedUpTo;
        }

        /** NIP-09: remove the author's own {@code e}-referenced events (and gift wraps addressed to the author, NIP-59) (not deletions) and {@code a}-referenced
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
                        // NIP-62: a deletion of a request to vanish has no effect
                        if (target.kind() != Event.DELETION_KIND && target.kind() != VanishRequest.KIND
                                && (Arrays.equals(target.pubkey(), d.pubkey()) || isGiftWrapTo(target, d.pubkey()))) {
                            remove(s, target);
                        }
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
            if (runs != null) indexEntries.addAll(IndexEntry.of(e, s));
            else for (IndexEntry ie : IndexEntry.of(e, s)) batch.put(cf.index(ie.index()), ie.key(), ie.value());
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
            if (runs != null) {
                batch.put(cf.meta(), MetaKeys.serialMarker(MetaKeys.REMOVED_PREFIX, s), EMPTY);
            } else if (purgeAtOnce) {
                Reclaimer.deleteRecord(cf, batch, s, eventAt(s));
            } else {
                Reclaimer.deleteDerivedKeys(cf, batch, s, eventAt(s));
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
            e = StoredJson.decode(json);
            known.put(s, e);
            return e;
        }
    }

    /**
     * NIP-59: gift wraps are signed by random one-time keys, so the relay SHOULD delete a kind 1059 event whose
     * {@code p} tag names the signer of a NIP-09 deletion: the recipient deletes it, as its author would.
     */
    static boolean isGiftWrapTo(Event e, byte[] pubkey) {
        for (byte[] r : giftWrapRecipients(e)) if (Arrays.equals(r, pubkey)) return true;
        return false;
    }

    /** The pubkeys in a gift wrap's {@code p} tags; none for other kinds. */
    static List<byte[]> giftWrapRecipients(Event e) {
        if (e.kind() != GIFT_WRAP_KIND) return List.of();
        List<byte[]> out = new ArrayList<>(1);
        for (List<String> t : e.tags()) {
            if (t.size() < 2 || !"p".equals(t.get(0))) continue;
            byte[] p = Hex.decodeLower(t.get(1), Keys.ID);
            if (p != null) out.add(p);
        }
        return out;
    }

    private static byte[] addressKey(Event e) {
        return switch (e.kindClass()) {
            case REPLACEABLE -> Keys.address(e.pubkey(), e.kind(), "");
            case ADDRESSABLE -> Keys.address(e.pubkey(), e.kind(), e.dTag());
            default -> null;
        };
    }
}
