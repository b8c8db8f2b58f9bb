package dev.tern.relay;

import dev.tern.event.ByteKey;
import dev.tern.event.EventParser;
import dev.tern.filter.Filter;
import dev.tern.search.SearchIndex;
import dev.tern.store.EventCursor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams the stored events of one REQ: each run, on a query thread, reads one bounded slice from the
 * store cursor and hands it to the connection's event loop, which asks for the next slice only while
 * the channel is writable. So a large result never sits whole in memory or in the outbound buffer.
 * The cursor is used by one thread at a time: the executor hand-offs order its uses.
 */
final class ReplayTask implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ReplayTask.class);
    private static final int SLICE_EVENTS = 256;
    /** How long one NIP-50 search may run; a query past it answers with the hits found so far. */
    static final long SEARCH_BUDGET_MILLIS = 1_000;

    final Subscription sub;
    private final RelayServer relay;
    private final List<Filter> filters;
    private final int sliceBytes;
    private EventCursor cursor;
    /** The ranked hits of the search filters (NIP-50), sent before the others' events; null until searched. */
    private Iterator<byte[]> searched;
    /** Ids of the hits sent, so an event the other filters also match is sent once; null without both kinds. */
    private Set<ByteKey> sentIds;
    /** A search ran out of its time budget: its best hits may be missing (the client is told, as for a scan cut short). */
    private boolean searchTimedOut;
    /** The write sequence the stored events are read at (see {@link Subscription#drainPending}). */
    private long snapshotSequence = -1;

    ReplayTask(RelayServer relay, Subscription sub, List<Filter> filters) {
        this.relay = relay;
        this.sub = sub;
        this.filters = filters;
        this.sliceBytes = Math.max(1024, relay.config().limits().outboundBufferBytes() / 4);
    }

    @Override
    public void run() {
        if (sub.cancelled) {
            close();
            return;
        }
        List<byte[]> slice = new ArrayList<>();
        boolean done = false;
        boolean truncated = false;
        String error = null;
        try {
            if (searched == null) search();
            if (cursor == null) {
                List<Filter> plain = filters.stream().filter(f -> f.search() == null).toList();
                cursor = relay.store().query(plain, sub.visibility);
                snapshotSequence = snapshotSequence < 0 ? cursor.snapshotSequence() : Math.min(snapshotSequence, cursor.snapshotSequence());
            }
            int bytes = 0;
            while (bytes < sliceBytes && slice.size() < SLICE_EVENTS) {
                byte[] json;
                if (searched.hasNext()) {
                    json = searched.next();
                } else if (cursor.hasNext()) {
                    json = cursor.next();
                    if (sentIds != null && sentIds.contains(ByteKey.of(EventParser.parseStored(json).id()))) continue;
                } else {
                    done = true;
                    truncated = cursor.truncated() || searchTimedOut;
                    break;
                }
                slice.add(json);
                bytes += json.length;
            }
        } catch (RuntimeException e) {
            log.warn("query failed for {}", filters, e);
            error = "error: the query failed";
        }
        if (done || error != null) close();
        boolean finished = done;
        boolean cutShort = truncated;
        String failure = error;
        long storedUpTo = snapshotSequence;
        try {
            sub.owner.eventLoop().execute(() -> sub.owner.replaySlice(this, slice, storedUpTo, finished, cutShort, failure));
        } catch (RejectedExecutionException shuttingDown) {
            close();
        }
    }

    List<Filter> filters() {
        return filters;
    }

    /**
     * NIP-50: each search filter's hits, best first, limit after ranking; an event found by two of them is sent once.
     * The live events a subscription holds are then those committed after what the index reflected.
     */
    private void search() {
        List<byte[]> hits = new ArrayList<>();
        Set<ByteKey> ids = new HashSet<>();
        boolean plain = false;
        for (Filter f : filters) {
            if (f.search() == null) {
                plain = true;
                continue;
            }
            SearchIndex.Hits h = relay.search().search(f, sub.visibility, f.limit(), SEARCH_BUDGET_MILLIS); // NIP-17/59: hidden too
            snapshotSequence = snapshotSequence < 0 ? h.sequence() : Math.min(snapshotSequence, h.sequence());
            searchTimedOut |= h.timedOut();
            for (byte[] json : h.events()) {
                if (ids.add(ByteKey.of(EventParser.parseStored(json).id()))) hits.add(json);
            }
        }
        if (plain && !ids.isEmpty()) sentIds = ids;
        searched = hits.iterator();
    }

    void close() {
        if (cursor != null) {
            cursor.close();
            cursor = null;
        }
    }
}
