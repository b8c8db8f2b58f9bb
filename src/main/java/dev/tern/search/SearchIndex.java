package dev.tern.search;

import dev.tern.event.ByteKey;
import dev.tern.event.Event;
import dev.tern.event.EventParser;
import dev.tern.filter.Filter;
import dev.tern.store.ByteBoundedQueue;
import dev.tern.store.EventSize;
import dev.tern.store.StoreWriter;
import dev.tern.store.EventStore;
import dev.tern.store.SerialCursor;
import dev.tern.store.Visibility;
import dev.tern.store.WriteOutcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.apache.lucene.document.LongField;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.MergePolicy;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.QueryTimeoutImpl;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.QueryRescorer;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FileSwitchDirectory;
import org.apache.lucene.store.MMapDirectory;
import org.apache.lucene.store.NIOFSDirectory;
import org.apache.lucene.util.BytesRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The NIP-50 full-text index: a Lucene index in {@code DATA_DIR/search} that follows the event store.
 *
 * <p>Writes: the store writer's commit listener queues each committed event (bounded in bytes) for the indexer
 * thread, so neither the writer nor the event loops analyse text; the indexer applies them in batches on every
 * core ({@link EventIndexer}). Expired events (NIP-40) are removed each minute. When the queue is full the
 * relay's writer does not wait: the listener drops events and the indexer, once it has drained the queue, reads
 * the store from the serial it last reflected. Each Lucene commit records that serial, so after a crash or
 * kill -9 the index catches up from the store at start and loses nothing.
 *
 * <p>Reads: the index may lag behind, or keep an event the store has since removed (replaced, deleted, expired,
 * vanished, banned): every hit is read back from the store by id and checked against the whole filter, the clock
 * and the reader's visibility, and hits the store no longer holds are removed from the index. Queries run with
 * a time budget.
 */
public final class SearchIndex implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SearchIndex.class);
    /**
     * Lucene warns through java.util.logging, on every start, that the incubating vector module is not enabled: our
     * choice (it would print a warning of its own), not the operator's, so it stays out of their terminal. Held here
     * because java.util.logging keeps its loggers only weakly.
     */
    private static final java.util.logging.Logger LUCENE_VECTORS = quiet("org.apache.lucene.internal.vectorization");
    /** The index's format: a change of documents or analysis rebuilds an index written by an older one. */
    static final String FORMAT = "3";
    private static final String FORMAT_KEY = "format";
    private static final String SERIAL_KEY = "serial";
    /**
     * New events become searchable at most this long after their commit. Each refresh flushes the buffered documents
     * to a new segment and applies the buffered deletes to every segment, so it runs at most this often however the
     * writes come: refreshed whenever the queue was empty, a sync's uploads flushed a tiny segment per batch.
     */
    private static final long REFRESH_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long COMMIT_NANOS = TimeUnit.SECONDS.toNanos(10);
    /**
     * An import's commits: each one flushes every indexing thread's buffer to a small segment, to be merged later, so
     * an import commits less often; after a crash the index reads the store from its last commit again.
     */
    private static final long BULK_COMMIT_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** Files mapped rather than read with read calls (the norms; see the constructor), outside compound files. */
    private static final Set<String> MAPPED_EXTENSIONS = Set.of("nvd");
    /** The largest segment a merge writes while serving ({@link #servingMergePolicy}). */
    private static final int SERVING_MAX_MERGED_MB = 64;
    private static final long EXPIRY_SWEEP_NANOS = TimeUnit.SECONDS.toNanos(60);
    /**
     * Fewest hits per page. A page is the limit and half again, a margin for hits the store no longer holds or
     * that fail the filter's other conditions (each further page runs the query again). With several words it is
     * also what the words' proximity orders ({@link SearchQuery.Plan}): a document with the words side by side
     * but a low first score may be missed when more than a page match. The smaller the page, the higher the score a
     * hit needs to enter it, and the more Lucene's block-max skipping leaves unscored: so it follows the limit
     * (BENCHMARKS.md, Search, "the page tied to the limit").
     */
    private static final int MIN_PAGE = 32;

    /**
     * A unit of work for the indexer: a committed event (with the store's next serial after its commit and its
     * size in memory), or a removal.
     */
    private record Work(Event event, long nextSerial, long sequence, long bytes, byte[] removeId) {}

    private final EventStore store;
    private final SearchSettings settings;
    private final SearchAnalyzer analyzer = new SearchAnalyzer();
    private final Directory directory;
    private final IndexWriter index;
    private final SearcherManager searchers;
    private final EventIndexer indexer;
    /** Three quarters of the queue share: the rest is the batch the indexer has taken from it. */
    private final ByteBoundedQueue<Work> queue;
    private final StoreWriter.CommitListener listener = this::committed;
    private StoreWriter writer;
    private Thread thread;
    /** Set when the listener dropped an event: the indexer reads the store after its serial. */
    private volatile boolean behind = true;
    /** Every stored event below this serial is reflected in the index (indexer thread). */
    private long serial;
    /** The last serial and write sequence seen by the indexer; the serial counts once its commit's events are all applied. */
    private long pendingSerial, appliedSequence;
    /** The write sequence the current searcher holds (every event committed up to it is searchable). */
    private volatile long searchableSequence;
    private boolean uncommitted, unrefreshed;
    private long lastCommit = System.nanoTime(), lastRefresh = System.nanoTime(), lastExpirySweep;
    /** Documents the index held before this writer added any ({@link #mergeAfterBulkLoad}). */
    private long documentsAtOpen;

    private SearchIndex(Path dir, SearchSettings settings, EventStore store) throws IOException {
        this.store = store;
        this.settings = settings;
        Files.createDirectories(dir);
        // Read calls, whose page cache is the kernel's, instead of mmap, whose pages count in the process's RSS while
        // mapped: a merge maps every segment it reads, and queries what they touch (BENCHMARKS.md, Search and Sync).
        // Norms (one byte per document) are the exception: a query reads one for every document it scores, and
        // through read calls each costs a buffered lookup (BENCHMARKS.md, Search, "the norms mapped").
        this.directory = new FileSwitchDirectory(MAPPED_EXTENSIONS, new MMapDirectory(dir), new NIOFSDirectory(dir), true);
        Map<String, String> committed = DirectoryReader.indexExists(directory)
                ? DirectoryReader.listCommits(directory).getLast().getUserData() : Map.of();
        boolean current = FORMAT.equals(committed.get(FORMAT_KEY)) && committed.containsKey(SERIAL_KEY);
        IndexWriterConfig config = new IndexWriterConfig(analyzer)
                .setRAMBufferSizeMB(settings.bufferBytes() / (1024.0 * 1024))
                .setOpenMode(current ? IndexWriterConfig.OpenMode.CREATE_OR_APPEND : IndexWriterConfig.OpenMode.CREATE)
                .setCommitOnClose(false);
        if (!settings.bulk()) config.setMergePolicy(servingMergePolicy());
        this.index = new IndexWriter(directory, config);
        this.serial = current ? Long.parseLong(committed.get(SERIAL_KEY)) : 0;
        if (serial > store.nextSerial()) { // the store is older than the index (restored): read it all again
            index.deleteAll();
            serial = 0;
        }
        if (!current && DirectoryReader.indexExists(directory)) log.info("search index format changed; rebuilding it from the store");
        this.documentsAtOpen = index.getDocStats().numDocs;
        holdMergesForBulkLoad();
        this.searchers = new SearcherManager(index, null);
        this.queue = new ByteBoundedQueue<>(settings.queueBytes() - batchBytes());
        this.indexer = new EventIndexer(index, settings.kinds(), store::contains, store::holdsAddress, settings.threads());
    }

    /**
     * While serving, merges combine only segments under half of {@value #SERVING_MAX_MERGED_MB} MB: with Lucene's
     * default (5 GB), the small segments a burst of writes flushes set off a merge of the large segments an import
     * left, which took a core and mapped most of the index during a sync's uploads. Imports keep the default.
     */
    private static MergePolicy servingMergePolicy() {
        TieredMergePolicy policy = new TieredMergePolicy();
        policy.setMaxMergedSegmentMB(SERVING_MAX_MERGED_MB);
        return policy;
    }

    /**
     * A bulk load into an empty index ends merged into one segment ({@link #mergeAfterBulkLoad}), which rewrites every
     * segment once more: merges before it would be wasted work, so there are none until then.
     */
    private void holdMergesForBulkLoad() {
        if (settings.bulk() && documentsAtOpen == 0) index.getConfig().setMergePolicy(NoMergePolicy.INSTANCE);
    }

    /** Opens (or creates) the index in {@code dir} for {@code store}; it catches up only once {@link #follow} starts it. */
    public static SearchIndex open(Path dir, SearchSettings settings, EventStore store) {
        try {
            return new SearchIndex(dir, settings, store);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the search index at " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The index's directory inside a store's data directory. */
    public static Path directoryIn(Path dataDir) {
        return dataDir.resolve("search");
    }

    /**
     * Follows {@code writer}'s commits from now on, on the indexer thread, which first catches up from the store.
     * Call once, before the writer takes requests or while it runs.
     */
    public void follow(StoreWriter writer) {
        this.writer = writer;
        writer.addListener(listener);
        thread = new Thread(this::run, "search-indexer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Reads every stored event after the reflected serial into the index and commits; {@code progress} gets the count so far. */
    public void catchUp(LongConsumer progress) {
        try {
            readStore(progress);
            commit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes every document, so that {@link #catchUp} reads the whole store ({@code tern reindex}). */
    public void clear() {
        try {
            index.deleteAll();
            serial = 0;
            documentsAtOpen = 0;
            holdMergesForBulkLoad();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A test of stored or live events against {@code filter}'s search, as the index would match them (live fan-out). */
    public java.util.function.Predicate<Event> matcher(Filter filter) {
        return SearchQuery.matcher(filter, analyzer, settings.kinds());
    }

    public boolean indexes(int kind) {
        return settings.kinds().contains(kind);
    }

    // ---- writes ----

    /** On the store writer's thread: queue, never wait unless this is an import ({@link SearchSettings#bulk}). */
    private void committed(Event e, WriteOutcome outcome, long sequence) {
        if (outcome == WriteOutcome.EPHEMERAL_NOT_STORED || behind) return;
        if (!indexer.concerns(e)) return;
        long bytes = EventSize.heapBytes(e);
        Work w = new Work(e, store.nextSerial(), sequence, bytes, null);
        if (settings.bulk()) {
            try {
                queue.put(w, bytes);
                return;
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            } catch (IllegalStateException closed) {
                return;
            }
        } else if (queue.offer(w, bytes)) {
            return;
        }
        behind = true;
    }

    /** The most bytes of events the indexer applies at once. */
    private long batchBytes() {
        return settings.queueBytes() / 4;
    }

    private void run() {
        try {
            List<Work> batch = new ArrayList<>();
            while (true) {
                long wait = unrefreshed && !settings.bulk() ? lastRefresh + REFRESH_NANOS - System.nanoTime() : REFRESH_NANOS;
                Work w = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : queue.pollNow();
                if (w != null) {
                    long bytes = w.bytes;
                    batch.add(w);
                    while (bytes < batchBytes() && (w = queue.pollNow()) != null) {
                        batch.add(w);
                        bytes += w.bytes;
                    }
                    apply(batch);
                    batch.clear();
                } else if (queue.isClosedAndEmpty()) {
                    break;
                }
                if (behind && queue.peek() == null) readStore(n -> { });
                long now = System.nanoTime();
                // an import's searcher is opened at the end: each refresh would write a small segment to merge later
                if (unrefreshed && !settings.bulk() && now - lastRefresh >= REFRESH_NANOS) refresh();
                if (uncommitted && now - lastCommit >= commitNanos()) commit();
                if (now - lastExpirySweep >= EXPIRY_SWEEP_NANOS) removeExpired();
            }
            if (!behind) serial = Math.max(serial, pendingSerial); // the writer has stopped: every queued commit is applied
            commit();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            log.error("the search indexer stopped; searches answer from what it indexed, and the index catches up at the next start", e);
        }
    }

    /** Applies a batch taken from the queue; commits happen between batches, so the serial may count a commit once its last event is in the batch. */
    private void apply(List<Work> batch) throws IOException {
        List<Event> events = new ArrayList<>(batch.size());
        for (Work w : batch) {
            if (w.removeId != null) {
                index.deleteDocuments(SearchDocuments.idTerm(w.removeId));
                continue;
            }
            // a new commit's first event: the commits before it are in this batch or were applied
            if (w.nextSerial != pendingSerial) serial = Math.max(serial, pendingSerial);
            pendingSerial = w.nextSerial;
            appliedSequence = Math.max(appliedSequence, w.sequence);
            events.add(w.event);
        }
        indexer.apply(events);
        uncommitted = unrefreshed = true;
    }

    /** Reads the store from the reflected serial on; a commit's events queued meanwhile are applied again after it, harmlessly. */
    private void readStore(LongConsumer progress) throws IOException {
        behind = false; // from here on the listener queues again; what it dropped is in the store
        long read = 0;
        long now = System.currentTimeMillis() / 1000;
        List<Event> batch = new ArrayList<>();
        long bytes = 0;
        try (SerialCursor cursor = store.readFrom(serial)) {
            while (cursor.hasNext()) {
                byte[] json = cursor.next();
                long next = cursor.serial() + 1;
                Event e = EventParser.parseStored(json);
                OptionalLong exp = e.expiration();
                if (indexer.concerns(e) && !(exp.isPresent() && exp.getAsLong() <= now)) {
                    batch.add(e);
                    bytes += EventSize.heapBytes(e);
                }
                if (bytes >= batchBytes() || !cursor.hasNext()) {
                    indexer.apply(batch);
                    batch.clear();
                    bytes = 0;
                    uncommitted = unrefreshed = true;
                    serial = next;
                    if (System.nanoTime() - lastCommit >= commitNanos()) commit();
                }
                if (++read % 10_000 == 0) progress.accept(read);
            }
            appliedSequence = Math.max(appliedSequence, cursor.snapshotSequence());
        }
        progress.accept(read);
        if (read > 0) log.info("search index caught up with {} stored events", read);
        refresh();
    }

    private void removeExpired() throws IOException {
        lastExpirySweep = System.nanoTime();
        long now = System.currentTimeMillis() / 1000;
        index.deleteDocuments(LongField.newRangeQuery(SearchDocuments.EXPIRATION, Long.MIN_VALUE, now));
        uncommitted = unrefreshed = true;
    }

    private void refresh() throws IOException {
        long sequence = appliedSequence;
        searchers.maybeRefreshBlocking();
        searchableSequence = sequence;
        unrefreshed = false;
        lastRefresh = System.nanoTime();
    }

    private long commitNanos() {
        return settings.bulk() ? BULK_COMMIT_NANOS : COMMIT_NANOS;
    }

    private void commit() throws IOException {
        index.setLiveCommitData(Map.of(FORMAT_KEY, FORMAT, SERIAL_KEY, Long.toString(serial)).entrySet());
        index.commit();
        uncommitted = false;
        lastCommit = System.nanoTime();
    }

    // ---- reads ----

    /**
     * The ranked hits of a filter with a {@code search}, best first, read back from the store and checked
     * against the whole filter and the clock.
     *
     * @param events    the stored json of up to {@code limit} events
     * @param sequence  the write sequence the index reflected: events committed up to it could be found
     * @param timedOut  the time budget ran out, so better hits may be missing
     */
    public record Hits(List<byte[]> events, long sequence, boolean timedOut) {}

    /**
     * Searches on the calling thread (a query thread), within {@code budgetMillis}, for a reader who sees what
     * {@code visibility} shows: hidden events are dropped before the limit, as on every read path (NIP-17/59/04).
     */
    public Hits search(Filter filter, Visibility visibility, int limit, long budgetMillis) {
        long sequence = searchableSequence;
        SearchQuery.Plan plan = SearchQuery.of(filter, analyzer);
        if (plan == null || limit <= 0) return new Hits(List.of(), sequence, false);
        List<byte[]> found = new ArrayList<>();
        Set<ByteKey> seen = new HashSet<>();
        long now = System.currentTimeMillis() / 1000;
        IndexSearcher shared = acquire();
        try {
            IndexSearcher searcher = new IndexSearcher(shared.getIndexReader());
            searcher.setTimeout(new QueryTimeoutImpl(budgetMillis));
            List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
            int page = Math.max(MIN_PAGE, limit + limit / 2);
            ScoreDoc after = null;
            int examined = 0;
            while (found.size() < limit && examined < limit * 10 + 1000 && !searcher.timedOut()) {
                TopDocs top = searcher.searchAfter(after, plan.match(), page);
                if (top.scoreDocs.length == 0) break;
                after = top.scoreDocs[top.scoreDocs.length - 1]; // the next page follows the first pass's order
                ScoreDoc[] ranked = plan.proximity() == null ? top.scoreDocs
                        : QueryRescorer.rescore(searcher, top, plan.proximity(), SearchQuery.PROXIMITY_BOOST, page).scoreDocs;
                for (ScoreDoc sd : ranked) {
                    examined++;
                    byte[] id = idOf(leaves, sd.doc);
                    if (!seen.add(ByteKey.of(id))) continue; // the copy a catch-up overlapping the queue made
                    byte[] json = checked(id, filter, visibility, now);
                    if (json != null) found.add(json);
                    if (found.size() == limit) break;
                }
                if (top.scoreDocs.length < page) break;
            }
            return new Hits(found, sequence, searcher.timedOut());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            release(shared);
        }
    }

    /** The event id of document {@code doc} of the reader whose leaves are {@code leaves}. */
    private static byte[] idOf(List<LeafReaderContext> leaves, int doc) throws IOException {
        LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
        BinaryDocValues ids = DocValues.getBinary(leaf.reader(), SearchDocuments.ID);
        if (!ids.advanceExact(doc - leaf.docBase)) throw new IllegalStateException("search document " + doc + " has no id");
        return BytesRef.deepCopyOf(ids.binaryValue()).bytes;
    }

    /** The stored event {@code id} if the store still holds it, it matches and the reader may see it; removes the hits the store has dropped. */
    private byte[] checked(byte[] id, Filter filter, Visibility visibility, long now) {
        Optional<byte[]> json = store.get(id);
        if (json.isEmpty()) {
            queue.offer(new Work(null, 0, 0, 256, id), 256); // replaced, deleted, vanished or banned: the index forgets it too
            return null;
        }
        Event e = EventParser.parseStored(json.get());
        OptionalLong exp = e.expiration();
        if (exp.isPresent() && exp.getAsLong() <= now) return null; // NIP-40: gone once expired, swept later
        return filter.matches(e) && visibility.visible(e) ? json.get() : null;
    }

    private IndexSearcher acquire() {
        try {
            return searchers.acquire();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void release(IndexSearcher s) {
        try {
            searchers.release(s);
        } catch (IOException e) {
            log.warn("releasing a searcher failed", e);
        }
    }

    /** The write sequence the current searcher reflects: events committed up to it can be found. */
    public long searchableSequence() {
        return searchableSequence;
    }

    /** Documents in the index (stats). */
    public long documents() {
        return index.getDocStats().numDocs;
    }

    /**
     * Stops following the writer (after it has stopped, so every commit is indexed), applies what is queued, commits
     * and closes. The caller closes the store afterwards.
     */
    @Override
    public void close() {
        try {
            if (writer != null) writer.removeListener(listener);
            queue.close();
            if (thread != null) thread.join();
            else commit();
            if (settings.bulk()) mergeAfterBulkLoad();
            indexer.close();
            searchers.close();
            index.close();
            directory.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing the search index failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A bulk load that wrote most of the index (a reindex, an import into a new store) ends with the index merged into
     * one segment: a query then reads each word's postings from one segment instead of one per segment, and no norms
     * stay in the small segments' compound files, which are read with read calls (BENCHMARKS.md, Search, "one
     * segment"). A smaller import leaves the segments as they are, since the merge rewrites the whole index.
     */
    private void mergeAfterBulkLoad() throws IOException {
        IndexWriter.DocStats stats = index.getDocStats();
        long documents = stats.numDocs;
        if (documents < 2 * documentsAtOpen || stats.maxDoc == 0) return;
        long t0 = System.nanoTime();
        index.getConfig().setMergePolicy(new TieredMergePolicy()); // the merges held back in bulk (holdMergesForBulkLoad)
        index.forceMerge(1);
        commit();
        log.info("search index merged into one segment ({} documents) in {} s", documents,
                String.format(Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9));
    }

    @Override
    public String toString() {
        return "SearchIndex{serial=" + serial + ", kinds=" + settings.kinds() + "}";
    }

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger l = java.util.logging.Logger.getLogger(name);
        l.setLevel(java.util.logging.Level.SEVERE);
        return l;
    }
}
