package dev.tern.search;

import dev.tern.event.Event;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.Term;

/**
 * Applies committed events to the Lucene index. A batch's regular events are added on every core at once
 * (IndexWriter is thread-safe, and analysis, the bulk of the work, runs on the adding thread); the rest follow
 * in commit order on the calling thread: a new version of a replaceable or addressable event takes its
 * address's place (NIP-01), a deletion (NIP-09) removes what it names, which may be in the same batch.
 */
final class EventIndexer implements AutoCloseable {
    /** Fewer regular events than this per extra thread are added on the calling thread alone. */
    private static final int PER_THREAD = 64;

    private final IndexWriter index;
    private final Set<Integer> kinds;
    /** Whether the store still holds an event id (it has applied every event given here before they come). */
    private final Predicate<byte[]> stored;
    /** Whether the store still holds a version at an address ({@code kind:pubkey:d}), likewise. */
    private final Predicate<String> storedAddress;
    private final ExecutorService helpers;
    private final int threads;

    EventIndexer(IndexWriter index, Set<Integer> kinds, Predicate<byte[]> stored, Predicate<String> storedAddress, int threads) {
        this.index = index;
        this.kinds = kinds;
        this.stored = stored;
        this.storedAddress = storedAddress;
        this.threads = Math.max(1, threads);
        this.helpers = this.threads == 1 ? null : Executors.newFixedThreadPool(this.threads - 1, r -> {
            Thread t = new Thread(r, "search-indexer-helper");
            t.setDaemon(true);
            return t;
        });
    }

    /** True if {@code e} changes the index: a kind with text, or a deletion. */
    boolean concerns(Event e) {
        return kinds.contains(e.kind()) || e.kind() == Event.DELETION_KIND;
    }

    /** Applies {@code events} (each {@link #concerns} the index), in commit order. */
    void apply(List<Event> events) throws IOException {
        List<Event> regular = new ArrayList<>(events.size());
        List<Event> ordered = new ArrayList<>();
        for (Event e : events) {
            if (e.kind() != Event.DELETION_KIND && e.address() == null) regular.add(e);
            else ordered.add(e);
        }
        addAll(regular);
        for (Event e : ordered) apply(e);
    }

    /** Applies one event. */
    void apply(Event e) throws IOException {
        if (e.kind() == Event.DELETION_KIND) {
            applyDeletion(e);
            if (!kinds.contains(e.kind())) return;
        }
        Document d = SearchDocuments.of(e);
        String address = e.address();
        if (address != null) {
            Term t = new Term(SearchDocuments.ADDRESS, address);
            if (d == null) index.deleteDocuments(t);
            else index.updateDocument(t, d);
        } else if (d != null) {
            // The store stores an event once, so it comes here once, but for a catch-up that overlaps the queue: the
            // copy that makes is dropped at read time. An update by id would have Lucene resolve a delete per event.
            index.addDocument(d);
        }
    }

    /** Adds regular events, split among the threads when there are enough of them. */
    private void addAll(List<Event> events) throws IOException {
        int parts = Math.min(threads, events.size() / PER_THREAD);
        if (parts <= 1) {
            for (Event e : events) apply(e);
            return;
        }
        int size = (events.size() + parts - 1) / parts;
        List<Future<?>> running = new ArrayList<>(parts - 1);
        for (int p = 1; p < parts; p++) {
            List<Event> part = events.subList(p * size, Math.min(events.size(), (p + 1) * size));
            running.add(helpers.submit(() -> {
                for (Event e : part) apply(e);
                return null;
            }));
        }
        IOException failure = null;
        try {
            for (Event e : events.subList(0, size)) apply(e);
        } catch (IOException e) {
            failure = e;
        }
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (failure == null) failure = e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (failure == null) failure = new IOException("interrupted while indexing", e);
            }
        }
        if (failure != null) throw failure;
    }

    /**
     * NIP-09: the author's events named by {@code e} tags, and versions of {@code a} addresses up to the deletion's
     * created_at. The store has applied the deletion already, so a named event it no longer holds leaves the index by
     * its id term (a query delete, author and all, is run again on every segment at each flush: a tenth of an
     * import's indexing time), and one it still holds was not the author's. Likewise an address: the index holds one
     * version of it (each replaces the last by its address term), so if the store holds none the address term goes,
     * and if it holds one, that version is newer than the deletion. Term deletes, not a query of address and
     * created_at: applying such queries to every segment made C2 compile Lucene's query rewriting during an import
     * (BENCHMARKS.md, Search).
     */
    private void applyDeletion(Event deletion) throws IOException {
        String prefix = ":" + deletion.pubkeyHex() + ":";
        for (List<String> t : deletion.tags()) {
            if (t.size() < 2) continue;
            if (t.get(0).equals("e") && t.get(1).length() == 64) {
                byte[] id = dev.tern.event.Hex.decodeLower(t.get(1), 32);
                if (id != null && !stored.test(id)) index.deleteDocuments(SearchDocuments.idTerm(id));
            } else if (t.get(0).equals("a") && t.get(1).contains(prefix) && !storedAddress.test(t.get(1))) {
                index.deleteDocuments(new Term(SearchDocuments.ADDRESS, t.get(1)));
            }
        }
    }

    @Override
    public void close() {
        if (helpers != null) helpers.shutdown();
    }
}
