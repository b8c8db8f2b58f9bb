package dev.tern.store;

import dev.tern.event.Event;
import dev.tern.filter.Filter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.CompactRangeOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.Holder;
import org.rocksdb.MutableColumnFamilyOptions;
import org.rocksdb.MutableDBOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.ReadTier;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event store on RocksDB (its column families and key layouts: docs/ARCHITECTURE.md, "Storage").
 *
 * <p>Threads: the mutations ({@link #write}, {@link #remove}, {@link #sweepExpired}, {@link #putMeta},
 * {@link #finishBulkLoad}, ...) are package-private: only the {@link StoreWriter}'s thread calls them, and
 * tasks it runs reach them through {@link StoreMutations}. Reads (get, query, count, export, meta, stats) are
 * public and may run on any thread concurrently with the writer; each cursor reads one snapshot.
 *
 * <p>Durability: in normal mode every write goes to the WAL (not fsynced), so once {@link #write}
 * returns its events survive a process kill (kill -9), though not necessarily a power loss. In bulk-load
 * mode there is no WAL; families are flushed atomically, so after a crash the store holds exactly the
 * batches up to some point, and since a checkpoint is committed in the same WriteBatch as its events,
 * the stored checkpoint never claims more than what is durable. A bulk load's index keys go to the index
 * families as ingested files ({@link IndexRuns}), behind the events: a durable event whose keys were not yet
 * ingested gets them from the events family when the store next opens, in either mode. Its queries miss the
 * keys not yet ingested. Bulk mode also leaves the records and index keys of replaced and deleted events
 * until {@link #finishBulkLoad} (or the next open in normal mode), so its reads may still return them: a
 * bulk-loading store serves no clients.
 */
public final class EventStore implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventStore.class);
    private final StoreConfig config;
    /** Seconds; the reads' clock, which leaves out events expired by it (NIP-40). */
    private final LongSupplier clockSeconds;
    private final RocksSetup setup;
    private final RocksDB db;
    private final Families cf;
    private final List<ColumnFamilyHandle> handles;
    private final EventWriter writer;
    private final Reclaimer reclaimer;
    /** A bulk load's index keys on their way to the index families; null in normal mode. */
    private final IndexRuns runs;
    private final Set<OpenRead> openCursors = ConcurrentHashMap.newKeySet();
    private WriteOptions writeOptions;
    /** Reads that answer from the memtables and the block cache only: never a disk read. */
    private final ReadOptions memoryOnly = new ReadOptions().setReadTier(ReadTier.BLOCK_CACHE_TIER);
    private volatile boolean bulkLoad;
    private volatile boolean closed;
    /** An upload's deferral of compactions is on ({@link #beginUpload}). */
    private final AtomicBoolean uploading = new AtomicBoolean();
    /** Held while an upload's compactions run, so {@link #close} waits for them to stop before closing the DB. */
    private final ReentrantLock compacting = new ReentrantLock();
    /** The key of the first serial an upload wrote ({@link #beginUpload}): its end rewrites the events from there. */
    private volatile byte[] uploadFrom;

    private EventStore(StoreConfig config, LongSupplier clockSeconds, RocksSetup setup, RocksDB db,
                       List<ColumnFamilyHandle> handles, WriteOptions writeOptions) throws RocksDBException {
        this.config = config;
        this.clockSeconds = clockSeconds;
        this.setup = setup;
        this.db = db;
        this.handles = handles;
        this.cf = Families.of(setup.descriptors, handles);
        this.writeOptions = writeOptions;
        this.bulkLoad = config.bulkLoad();
        this.reclaimer = new Reclaimer(db, cf, writeOptions, bulkLoad);
        this.runs = bulkLoad ? indexRuns() : null;
        try {
            reindexAfterCrash();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RocksDBException e) {
            // a store must open on a full disk; a bulk load cannot go on without the keys
            if (bulkLoad) throw e;
            log.warn("could not build the index keys an unfinished bulk load left out ({}); queries may miss its "
                    + "last events until the store is opened again with room to write", e.getMessage());
        }
        this.writer = new EventWriter(db, cf, reclaimer, writeOptions, runs, config.relayHost());
        if (!bulkLoad) writer.resumeVanishes();
        // A bulk load that crashed, or was stopped and not resumed, left the events it removed behind. A store
        // must still open when they cannot be removed now (a full disk): reads may return them until then.
        if (!bulkLoad) {
            try {
                removeDeferred();
            } catch (RocksDBException e) {
                log.warn("could not remove the events an unfinished bulk load replaced or deleted ({}); queries may "
                        + "return them until the store is opened again with room to write", e.getMessage());
            }
        }
    }

    private IndexRuns indexRuns() {
        try {
            return new IndexRuns(db, cf, config.dataDir(), config.indexRunBytes(), setup.memtableBytes, setup.dbOptions,
                    setup.indexOptions, writeOptions);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Builds again the index keys a crashed bulk load may have left out ({@link MetaKeys#INDEXED_THROUGH}), from
     * the events family: into the runs in a bulk load (the marker moves with their next ingestion), else in
     * batches with the WAL, the marker deleted with the last. A fresh bulk load sets the marker first, so a
     * durable event is never past it unrecorded (atomic flushes keep a prefix of the writes). Only events the ids
     * family still maps to their serial get keys: a removed event's record may outlive its removal.
     */
    private void reindexAfterCrash() throws RocksDBException, IOException {
        byte[] marker = db.get(cf.meta(), MetaKeys.INDEXED_THROUGH);
        if (marker == null) {
            if (bulkLoad) db.put(cf.meta(), writeOptions, MetaKeys.INDEXED_THROUGH, Keys.longValue(EventWriter.committedNextSerial(db, cf)));
            return;
        }
        long from = Keys.getLong(marker, 0);
        int events = 0;
        KeyOrderedBatch batch = new KeyOrderedBatch(true);
        try (RocksIterator it = db.newIterator(cf.events())) {
            for (it.seek(Keys.serial(from)); it.isValid(); it.next()) {
                long s = Keys.getLong(it.key(), 0);
                byte[] stored = db.get(cf.ids(), StoredJson.id(it.value()));
                if (stored == null || Keys.getLong(stored, 0) != s) continue;
                List<IndexEntry> entries = IndexEntry.of(StoredJson.decode(it.value()), s);
                events++;
                if (runs != null) {
                    runs.add(entries);
                    if (runs.full()) runs.ingest(s + 1);
                    continue;
                }
                for (IndexEntry ie : entries) batch.put(cf.index(ie.index()), ie.key(), ie.value());
                if (batch.count() >= REINDEX_BATCH_KEYS) {
                    db.write(writeOptions, batch.writeBatch());
                    batch.close();
                    batch = new KeyOrderedBatch(true);
                }
            }
            if (runs == null) {
                batch.delete(cf.meta(), MetaKeys.INDEXED_THROUGH);
                db.write(writeOptions, batch.writeBatch());
                IndexRuns.removeLeftFiles(config.dataDir());
            }
        } finally {
            batch.close();
        }
        if (events > 0) log.info("built the index keys of {} events an unfinished bulk load left without them", events);
    }

    /** Index keys per batch of {@link #reindexAfterCrash} in normal mode: bounds its memory. */
    private static final int REINDEX_BATCH_KEYS = 10_000;

    public static EventStore open(StoreConfig config) {
        return open(config, () -> System.currentTimeMillis() / 1000);
    }

    /** With an explicit clock (seconds) for the reads, as the writer's is passed to {@link #write}. */
    public static EventStore open(StoreConfig config, LongSupplier clockSeconds) {
        RocksSetup setup = new RocksSetup(config);
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        RocksDB db = null;
        try {
            Files.createDirectories(config.dataDir());
            removeLeftSnapshots(config.dataDir());
            db = RocksDB.open(setup.dbOptions, config.dataDir().toString(), setup.descriptors, handles);
            WriteOptions wo = new WriteOptions().setDisableWAL(config.bulkLoad());
            return new EventStore(config, clockSeconds, setup, db, handles, wo);
        } catch (RocksDBException | IOException | RuntimeException e) {
            handles.forEach(ColumnFamilyHandle::close);
            if (db != null) db.close();
            setup.close();
            throw new StoreException("cannot open store at " + config.dataDir() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Applies a batch with NIP-01/09/40 semantics and commits it atomically. Outcomes are in input order and
     * equal applying the events one by one. {@code checkpoint} (nullable) makes a checkpoint from this batch's
     * outcomes (called once, before the commit; it may return null), stored in the same WriteBatch, so counters
     * stored with it include this batch.
     */
    List<WriteOutcome> write(List<Event> batch, Function<List<WriteOutcome>, Checkpoint> checkpoint, long nowSeconds) {
        ensureOpen();
        try {
            return writer.write(batch, checkpoint, nowSeconds);
        } catch (RocksDBException e) {
            throw new StoreException("write failed: " + e.getMessage(), e);
        }
    }

    /**
     * NIP-40: removes stored events whose expiration is <= now; returns how many. Writer thread only. A
     * bulk load sweeps nothing: the expiry keys of events it removed stay until it ends (see EventWriter).
     */
    int sweepExpired(long nowSeconds) {
        ensureOpen();
        if (bulkLoad) return 0;
        try {
            return writer.sweepExpired(nowSeconds);
        } catch (RocksDBException e) {
            throw new StoreException("expiry sweep failed", e);
        }
    }

    /**
     * Removes the event with this id, as an operator's ban does (NIP-86 banevent); unlike a NIP-09
     * deletion it leaves no tombstone, since the ban that asked for it refuses the event from then on.
     * Returns false if no such event is stored. Writer thread only.
     */
    boolean remove(byte[] id) {
        ensureOpen();
        try {
            return writer.remove(id);
        } catch (RocksDBException e) {
            throw new StoreException("remove failed", e);
        }
    }

    /** The stored json of the event with this id, unless it has expired (NIP-40). */
    public Optional<byte[]> get(byte[] id) {
        ensureOpen();
        try (ReadContext ctx = new ReadContext(db, cf, true, clockSeconds.getAsLong())) {
            Long serial = ctx.serialOf(id);
            return serial == null || ctx.expired(serial) ? Optional.empty() : Optional.ofNullable(ctx.json(serial));
        }
    }

    /** True if the store holds an event with this id (expired or not): one point read, no snapshot. */
    public boolean contains(byte[] id) {
        ensureOpen();
        try {
            return db.get(cf.ids(), id) != null;
        } catch (RocksDBException e) {
            throw new StoreException("read failed", e);
        }
    }

    /**
     * True if the store holds a version of the replaceable or addressable event at NIP-01 address {@code value}
     * ({@code kind:pubkey:d}, an {@code a} tag's value): one point read, no snapshot; false for a value that is no address.
     */
    public boolean holdsAddress(String value) {
        Address a = Address.parse(value);
        if (a == null) return false;
        ensureOpen();
        try {
            return db.get(cf.replace(), a.key()) != null;
        } catch (RocksDBException e) {
            throw new StoreException("read failed", e);
        }
    }

    /**
     * True if the event with this id is stored with exactly this signature: byte for byte an event whose
     * signature was checked when it was stored. Two point reads, no snapshot: a record removed between them
     * answers false.
     */
    public boolean holds(byte[] id, byte[] sig) {
        ensureOpen();
        try {
            byte[] serial = db.get(cf.ids(), id);
            byte[] json = serial == null ? null : db.get(cf.events(), serial);
            return json != null && StoredJson.hasSignature(json, sig);
        } catch (RocksDBException e) {
            throw new StoreException("read failed", e);
        }
    }

    /** Calls {@code visitor} with stored ids in key order until it answers false; reads bypass the block cache. */
    public void forEachId(Predicate<byte[]> visitor) {
        ensureOpen();
        try (ReadContext ctx = new ReadContext(db, cf, false, clockSeconds.getAsLong())) {
            RocksIterator it = ctx.iterator(cf.ids());
            for (it.seekToFirst(); it.isValid() && visitor.test(it.key()); it.next()) { }
        }
    }

    /** True while the store is open in bulk-load mode (an offline import, nobody else reading). */
    public boolean bulkLoading() {
        return bulkLoad;
    }

    /**
     * True if writing {@code e} at {@code nowSeconds} would be a duplicate and memory alone says so: its id is in
     * the memtables or cached blocks, and the event alone decides nothing first (the writer's order). False means
     * not a duplicate or not known without a disk read. Never reads the disk, so an event loop may ask.
     */
    public boolean isDuplicatePerMemory(Event e, long nowSeconds) {
        ensureOpen();
        Holder<byte[]> serial = new Holder<>();
        // With a block not cached (an index partition after a restart) RocksDB says "may exist" with an empty
        // value found (facebook/rocksdb#12921): only an 8-byte serial is one.
        if (!db.keyMayExist(cf.ids(), memoryOnly, e.id(), serial) || serial.getValue() == null
                || serial.getValue().length != Long.BYTES) return false;
        // only now, for the few events already stored: finding the expiration scans the tags
        return EventWriter.decidedByEventAlone(e, e.expiration(), nowSeconds) == null;
    }

    public Optional<byte[]> meta(String key) {
        ensureOpen();
        try {
            return Optional.ofNullable(db.get(cf.meta(), MetaKeys.userKey(key)));
        } catch (RocksDBException e) {
            throw new StoreException("read failed", e);
        }
    }

    /** Writer thread only; in bulk-load mode durable with the next flush, like the events. */
    void putMeta(String key, byte[] value) {
        ensureOpen();
        try {
            db.put(cf.meta(), writeOptions, MetaKeys.userKey(key), value);
        } catch (RocksDBException e) {
            throw new StoreException("write failed: " + e.getMessage(), e);
        }
    }

    /**
     * Puts and deletes (a null value) several meta values in one atomic commit, so related records (a blob
     * and its owner's usage) never disagree after a crash. Writer thread only (through {@link StoreMutations}).
     */
    void writeMeta(java.util.Map<String, byte[]> changes) {
        ensureOpen();
        try (org.rocksdb.WriteBatch batch = new org.rocksdb.WriteBatch()) {
            for (var e : changes.entrySet()) {
                byte[] key = MetaKeys.userKey(e.getKey());
                if (e.getValue() == null) batch.delete(cf.meta(), key);
                else batch.put(cf.meta(), key, e.getValue());
            }
            db.write(writeOptions, batch);
        } catch (RocksDBException e) {
            throw new StoreException("write failed: " + e.getMessage(), e);
        }
    }

    /**
     * Visits the meta values whose key starts with {@code prefix}, in key order, until {@code visitor}
     * answers false. Reads one snapshot; any thread.
     */
    public void scanMeta(String prefix, java.util.function.BiPredicate<String, byte[]> visitor) {
        ensureOpen();
        byte[] p = MetaKeys.userKey(prefix);
        try (RocksIterator it = db.newIterator(cf.meta())) {
            for (it.seek(p); it.isValid() && Keys.startsWith(it.key(), p); it.next()) {
                if (!visitor.test(new String(it.key(), java.nio.charset.StandardCharsets.UTF_8), it.value())) return;
            }
        }
    }

    /**
     * NIP-01 REQ: events matching any filter, each once, newest first (ties: lowest id first), at most
     * each filter's limit per filter (none: every match). The caller owns limit policy (the relay clamps
     * to its max_limit); the store bounds the work: past its scan budget
     * ({@link StoreConfig#maxScannedKeys()}) the cursor ends early and reports {@link EventCursor#truncated()}.
     */
    public EventCursor query(List<Filter> filters) {
        return query(filters, Visibility.ALL);
    }

    /** {@link #query(List)} as seen by a reader who may see only what {@code visibility} shows. */
    public EventCursor query(List<Filter> filters, Visibility visibility) {
        ensureOpen();
        ReadContext ctx = new ReadContext(db, cf, true, clockSeconds.getAsLong());
        try {
            ScanBudget budget = new ScanBudget(config.maxScannedKeys());
            List<LimitedHits> perFilter = new ArrayList<>(filters.size());
            // every filter reads its first batch when the cursor opens: they share one batch's worth of bodies
            int batch = Math.max(1, MatchingCandidates.MAX_BATCH / Math.max(1, filters.size()));
            for (Filter f : filters) {
                int limit = f.limit() == null ? Integer.MAX_VALUE : f.limit();
                // "limit":0 asks for no stored events (NIP-01: subscribe to new ones only)
                if (limit > 0) perFilter.add(new LimitedHits(MatchingCandidates.of(ctx, QueryPlanner.plan(f), f, budget, visibility), limit, batch));
            }
            return new QueryCursor(ctx, perFilter, budget, openCursors);
        } catch (RuntimeException e) {
            ctx.close();
            throw e;
        }
    }

    /**
     * NIP-45 COUNT: the number of distinct events matching any filter; filter limits are ignored. Plans
     * that the index answers exactly count keys without loading events. If the scan reaches the scan
     * budget ({@link StoreConfig#maxScannedKeys()}), the count covers only what was scanned (a lower bound).
     */
    public long count(List<Filter> filters) {
        return count(filters, Visibility.ALL);
    }

    /** {@link #count(List)} of the events {@code visibility} shows. */
    public long count(List<Filter> filters, Visibility visibility) {
        return count(filters, visibility, null);
    }

    /**
     * {@link #count(List, Visibility)}, handing each counted event's pubkey to {@code pubkeys} (null: none), e.g.
     * for a NIP-45 HyperLogLog; the events are then loaded to read it.
     */
    public long count(List<Filter> filters, Visibility visibility, Consumer<byte[]> pubkeys) {
        ensureOpen();
        try (ReadContext ctx = new ReadContext(db, cf, true, clockSeconds.getAsLong())) {
            ScanBudget budget = new ScanBudget(config.maxScannedKeys());
            PriorityQueue<MatchingCandidates> heads =
                    new PriorityQueue<>((a, b) -> Candidates.compare(a.createdAt(), a.serial(), b.createdAt(), b.serial()));
            for (Filter f : filters) {
                Filter unlimited = f.withLimit(null);
                MatchingCandidates m = MatchingCandidates.of(ctx, QueryPlanner.plan(unlimited), unlimited, budget, visibility);
                if (m.next()) heads.add(m);
            }
            long count = 0;
            long last = -1;
            while (!heads.isEmpty()) {
                MatchingCandidates m = heads.poll();
                if (m.serial() != last) {
                    count++;
                    last = m.serial();
                    if (pubkeys != null) pubkeys.accept(StoredJson.pubkey(m.json()));
                }
                if (m.next()) heads.add(m);
            }
            return count;
        }
    }

    /**
     * Export: every stored event in serial (write) order when {@code filter} is null, else the events
     * matching it in index order (created_at descending), up to its limit if it has one. No scan cap.
     */
    public EventCursor export(Filter filter) {
        return export(filter, Visibility.ALL);
    }

    /** {@link #export(Filter)} of the events {@code visibility} shows. */
    public EventCursor export(Filter filter, Visibility visibility) {
        ensureOpen();
        ReadContext ctx = new ReadContext(db, cf, false, clockSeconds.getAsLong());
        try {
            if (filter == null) return new ExportCursor(ctx, openCursors, 0, visibility);
            MatchingCandidates m = MatchingCandidates.of(ctx, QueryPlanner.plan(filter), filter, ScanBudget.unlimited(), visibility);
            return new FilterExportCursor(ctx, m, filter.limit(), openCursors);
        } catch (RuntimeException e) {
            ctx.close();
            throw e;
        }
    }

    /** A snapshot for repeated scans (NIP-77 sync) of the events {@code visibility} shows; close it to release the snapshot. */
    public StoreSnapshot snapshot(Visibility visibility) {
        ensureOpen();
        return new StoreSnapshot(new ReadContext(db, cf, true, clockSeconds.getAsLong()), openCursors, visibility);
    }

    /**
     * Every stored event with a serial at or after {@code fromSerial}, in serial (commit) order: what an index
     * that follows the store (the search index) reads to catch up after the serial it last reflected.
     */
    public SerialCursor readFrom(long fromSerial) {
        ensureOpen();
        ReadContext ctx = new ReadContext(db, cf, false, clockSeconds.getAsLong());
        try {
            return new ExportCursor(ctx, openCursors, fromSerial, Visibility.ALL);
        } catch (RuntimeException e) {
            ctx.close();
            throw e;
        }
    }

    /**
     * The serial the next stored event will get: every event committed so far has a smaller one. Writer thread
     * (a commit listener), or before the writer starts.
     */
    public long nextSerial() {
        return writer.nextSerial();
    }

    public StoreStats stats() {
        ensureOpen();
        try {
            byte[] count = db.get(cf.meta(), MetaKeys.EVENT_COUNT);
            SortedMap<Integer, Long> byKind = new TreeMap<>();
            try (RocksIterator it = db.newIterator(cf.meta())) {
                for (it.seek(MetaKeys.KIND_COUNT_PREFIX); it.isValid() && Keys.startsWith(it.key(), MetaKeys.KIND_COUNT_PREFIX); it.next()) {
                    byKind.put(MetaKeys.kindOfCountKey(it.key()), Keys.getLong(it.value(), 0));
                }
            }
            return new StoreStats(count == null ? 0 : Keys.getLong(count, 0), byKind, diskBytes(), reclaimer.pending(),
                    config.blockCacheBytes(), setup.cache.getUsage(), setup.cache.getPinnedUsage(),
                    db.getAggregatedLongProperty("rocksdb.cur-size-all-mem-tables"),
                    db.getAggregatedLongProperty("rocksdb.estimate-table-readers-mem"));
        } catch (RocksDBException e) {
            throw new StoreException("stats failed", e);
        }
    }

    /** RocksDB's last sequence number: it changes with every committed write, so readers can tell if the store changed. */
    public long writeSequence() {
        ensureOpen();
        return db.getLatestSequenceNumber();
    }

    /**
     * One step of reclaiming removed events' records ({@link Reclaimer#step}), when one is due; true if more
     * remains. The writer loop runs it between requests.
     */
    boolean reclaimStep() {
        if (closed) return false;
        return reclaimer.step(writer.eventCount());
    }

    /** A RocksDB integer property summed over the column families (compaction figures for metrics). */
    public long rocksProperty(String name) {
        ensureOpen();
        try {
            return db.getAggregatedLongProperty(name);
        } catch (RocksDBException e) {
            throw new StoreException("reading " + name + " failed", e);
        }
    }

    /**
     * Ends bulk-load mode: ingests the index keys still buffered, removes the deferred records, flushes the
     * memtables (making everything written durable), restores normal write buffers and auto-compaction, compacts
     * every family, and turns the WAL back on. Writer thread only; does nothing in normal mode. The store keeps
     * bulk mode's atomic flushes and small arena blocks until it is opened again, as `tern import` does by closing it.
     */
    void finishBulkLoad() {
        ensureOpen();
        if (!bulkLoad) return;
        List<ColumnFamilyHandle> families = cf.all();
        try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            // the removals delete index keys: an ingested file would be newer than the deletes before it
            writer.ingestIndexRuns();
            db.delete(cf.meta(), writeOptions, MetaKeys.INDEXED_THROUGH);
            removeDeferred();
            db.flush(flush, families);
            compactAll(families, setup.normalMode(), null);
        } catch (RocksDBException e) {
            throw new StoreException("finishing the bulk load failed", e);
        }
        WriteOptions old = writeOptions;
        writeOptions = new WriteOptions();
        writer.endBulkLoad(writeOptions);
        reclaimer.endBulkLoad(writeOptions);
        old.close();
        runs.close();
        bulkLoad = false;
    }

    /**
     * An upload into the serving store begins (POST /api/import): until {@link #endUpload} the families only the
     * writer writes and queries scan (events, expiry, the indexes) stop compacting, as in a bulk load, so they are
     * compacted once at its end instead of rewritten level by level as they grow; the point-lookup families keep
     * compacting, as the writer's checks need. Writes keep the WAL and every outcome is the same; queries meanwhile
     * merge more L0 files. Nothing is stored: a restart opens with the normal options. Any thread; false (nothing
     * changed) in a bulk load or while another upload's deferral is on.
     */
    public boolean beginUpload() {
        ensureOpen();
        if (bulkLoad || !uploading.compareAndSet(false, true)) return false;
        try {
            uploadFrom = Keys.serial(EventWriter.committedNextSerial(db, cf));
            var deferred = setup.deferredCompaction();
            for (ColumnFamilyHandle h : writeOnlyFamilies()) db.setOptions(h, deferred);
            return true;
        } catch (RocksDBException e) {
            uploading.set(false);
            throw new StoreException("deferring compactions for an upload failed", e);
        }
    }

    /**
     * Ends what {@link #beginUpload} began: with {@code compact}, compacts the deferred families side by side first
     * (while the relay serves: writes go on meanwhile), then restores their normal options. Any thread; waits for
     * the compactions. Without {@code compact} (shutting down) RocksDB's own compactions take the files later.
     */
    public void endUpload(boolean compact) {
        compacting.lock();
        try {
            ensureOpen();
            if (!uploading.get()) return;
            List<ColumnFamilyHandle> families = writeOnlyFamilies();
            try {
                if (compact) compactAll(families, null, uploadFrom);
            } finally {
                var normal = setup.normalMode();
                for (ColumnFamilyHandle h : families) db.setOptions(h, normal);
                uploading.set(false);
            }
        } catch (RocksDBException e) {
            throw new StoreException("ending an upload's deferred compactions failed", e);
        } finally {
            compacting.unlock();
        }
    }

    /** The families no decision of the writer reads: events (read back by serial only), expiry and the indexes. */
    private List<ColumnFamilyHandle> writeOnlyFamilies() {
        List<ColumnFamilyHandle> families = new ArrayList<>(List.of(cf.events(), cf.expiry()));
        families.addAll(cf.indexes().values());
        return families;
    }

    /**
     * Compacts every family, as many at once as there are cores ({@link Families#all} lists the events family,
     * the largest, first): one after the other kept one core idle (figures in BENCHMARKS.md). RocksDB's compaction
     * pool is grown by as many meanwhile, so its own compactions cannot take every slot; {@code first}, if given, is
     * set on every family once it has grown (normal mode turns RocksDB's own compactions on at once).
     * Every compaction has ended when this returns, failed or not, so the caller may close the store. With
     * {@code eventsFrom} (an upload's first serial key) the events family is compacted from there on only, and its
     * last level rewritten: its files never overlap (serials grow), so they would otherwise move down as flushed,
     * in LZ4 instead of the last level's ZSTD.
     */
    private void compactAll(List<ColumnFamilyHandle> families, MutableColumnFamilyOptions first, byte[] eventsFrom)
            throws RocksDBException {
        int threads = Math.min(families.size(), Runtime.getRuntime().availableProcessors());
        setBackgroundJobs(RocksSetup.BACKGROUND_JOBS + threads);
        try {
            if (first != null) for (ColumnFamilyHandle h : families) db.setOptions(h, first);
            compactSideBySide(families, threads, eventsFrom);
        } finally {
            setBackgroundJobs(RocksSetup.BACKGROUND_JOBS);
        }
    }

    private void compactSideBySide(List<ColumnFamilyHandle> families, int threads, byte[] eventsFrom) throws RocksDBException {
        List<Future<?>> running = new ArrayList<>();
        // the pool is declared last, so it is closed first: close() waits for every compaction
        try (CompactRangeOptions options = new CompactRangeOptions().setExclusiveManualCompaction(false);
             CompactRangeOptions rewrite = new CompactRangeOptions().setExclusiveManualCompaction(false)
                     .setBottommostLevelCompaction(CompactRangeOptions.BottommostLevelCompaction.kForceOptimized);
             ExecutorService pool = Executors.newFixedThreadPool(threads, Thread.ofPlatform().name("store-compact-", 0).factory())) {
            for (ColumnFamilyHandle h : families) {
                running.add(pool.submit(() -> {
                    if (eventsFrom != null && h == cf.events()) db.compactRange(h, eventsFrom, null, rewrite);
                    else db.compactRange(h, null, null, options);
                    return null;
                }));
            }
        }
        for (Future<?> f : running) {
            if (f.state() != Future.State.FAILED) continue;
            if (f.exceptionNow() instanceof RocksDBException e) throw e;
            throw new StoreException("compaction failed", f.exceptionNow());
        }
    }

    private void setBackgroundJobs(int jobs) throws RocksDBException {
        db.setDBOptions(MutableDBOptions.builder().setMaxBackgroundJobs(jobs).build());
    }

    private void removeDeferred() throws RocksDBException {
        int n = reclaimer.removeDeferred();
        if (n > 0) log.info("removed {} event records superseded or deleted during a bulk load", n);
    }

    /**
     * Closes open cursors, stops background work, and releases every RocksDB object in dependency
     * order. In bulk-load mode the memtables are flushed first, so a clean close keeps everything.
     */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        for (OpenRead r : List.copyOf(openCursors)) r.close();
        try {
            if (bulkLoad) {
                writer.ingestIndexRuns();
                try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
                    db.flush(flush, cf.all());
                }
            }
        } catch (RocksDBException e) {
            throw new StoreException("flush on close failed: " + e.getMessage(), e);
        } finally {
            db.cancelAllBackgroundWork(true);
            // an upload's manual compactions return once background work is cancelled; wait for them to
            compacting.lock();
            compacting.unlock();
            handles.forEach(ColumnFamilyHandle::close);
            db.close();
            writeOptions.close();
            memoryOnly.close();
            if (bulkLoad) runs.close();
            setup.close();
        }
    }

    /** Sum of the store's files (RocksDB keeps them in one flat directory); files compacted away meanwhile count 0. */
    private long diskBytes() {
        long total = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(config.dataDir())) {
            for (Path p : files) {
                try {
                    total += Files.size(p);
                } catch (IOException e) {
                    // deleted by a compaction between listing and size
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return total;
    }

    /**
     * A consistent copy of the store (RocksDB's checkpoint: the memtables flushed, the files hard-linked) in a new
     * directory inside the data directory, which it returns; the caller sends it and deletes it. A cluster node
     * starts from one: the copy's meta values say where in the log it stands.
     */
    public Path checkpoint() {
        ensureOpen();
        Path target = config.dataDir().resolve(SNAPSHOT_PREFIX + System.nanoTime());
        try (org.rocksdb.Checkpoint checkpoint = org.rocksdb.Checkpoint.create(db)) {
            checkpoint.createCheckpoint(target.toString());
        } catch (RocksDBException e) {
            throw new StoreException("creating a snapshot in " + target + " failed: " + e.getMessage(), e);
        }
        return target;
    }

    /** Snapshot directories left by a process that stopped while sending one, removed when the store opens. */
    private static final String SNAPSHOT_PREFIX = "snapshot-";

    private static void removeLeftSnapshots(Path dataDir) throws IOException {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(dataDir, SNAPSHOT_PREFIX + "*")) {
            for (Path dir : dirs) Directories.deleteTree(dir);
        }
    }

    /** False once {@link #close} has begun (health checks). */
    public boolean isOpen() {
        return !closed;
    }

    private void ensureOpen() {
        if (closed) throw new StoreException("store is closed");
    }
}
