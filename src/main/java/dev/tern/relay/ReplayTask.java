package dev.tern.relay;

import dev.tern.event.ByteKey;
import dev.tern.event.EventParser;
import dev.tern.filter.Filter;
import dev.tern.search.SearchIndex;
import dev.tern.store.EventCursor;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.Deflater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams the stored events of one REQ: each run, on a query thread, reads one bounded slice from the
 * store cursor and hands it to the connection's event loop, which asks for the next slice only while
 * the channel is writable. So a large result never sits whole in memory or in the outbound buffer.
 * The cursor is used by one thread at a time: the executor hand-offs order its uses. On a connection that
 * compresses (permessage-deflate), the query threads also make and compress the slice's frames, its two halves
 * at once when it is large, so a REQ's compression is split between the cores instead of done on its event loop.
 */
final class ReplayTask implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ReplayTask.class);
    private static final int SLICE_EVENTS = 256;
    /** A slice smaller than this is compressed by one thread: another's hand-off would cost about what it saves. */
    private static final int SPLIT_BYTES = 32 * 1024;
    /** Each query thread's zlib context (one message never refers to another: {@link MessageDeflater}). */
    private static final ThreadLocal<Deflater> DEFLATER = ThreadLocal.withInitial(() -> MessageDeflater.newDeflater(Compression.LEVEL));
    /** How long one NIP-50 search may run; a query past it answers with the hits found so far. */
    static final long SEARCH_BUDGET_MILLIS = 1_000;

    final Subscription sub;
    private final RelayServer relay;
    private final List<Filter> filters;
    private final int sliceBytes;
    /** The connection negotiated permessage-deflate: this task sends compressed frames, not stored JSON. */
    private final boolean deflate;
    private EventCursor cursor;
    /** The ranked hits of the search filters (NIP-50), sent before the others' events; null until searched. */
    private Iterator<byte[]> searched;
    /** Ids of the hits sent, so an event the other filters also match is sent once; null without both kinds. */
    private Set<ByteKey> sentIds;
    /** A search ran out of its time budget: its best hits may be missing (the client is told, as for a scan cut short). */
    private boolean searchTimedOut;
    /** The write sequence the stored events are read at (see {@link Subscription#drainPending}). */
    private long snapshotSequence = -1;

    ReplayTask(RelayServer relay, Subscription sub, List<Filter> filters, boolean deflate) {
        this.relay = relay;
        this.sub = sub;
        this.filters = filters;
        this.deflate = deflate;
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
        Slice read = new Slice(slice, null, snapshotSequence, done, truncated, error);
        if (deflate && !slice.isEmpty()) deflate(read);
        else handOver(read);
    }

    /**
     * One slice read: the stored events, with their frames when made here ({@code frames} null: the event loop
     * makes them); read at write sequence {@code storedUpTo}. {@code truncated}: the store's scan budget ended the
     * query early (with {@code done}).
     */
    record Slice(List<byte[]> events, TextWebSocketFrame[] frames, long storedUpTo, boolean done, boolean truncated, String error) {
        TextWebSocketFrame frame(int i, RelayConnection to, byte[] prefix) {
            return frames != null ? frames[i] : Wire.event(to.alloc(), prefix, events.get(i));
        }

        /** The frames made and not written. */
        void release() {
            if (frames == null) return;
            for (TextWebSocketFrame f : frames) {
                if (f != null) f.release();
            }
        }
    }

    private void handOver(Slice slice) {
        try {
            sub.owner.eventLoop().execute(() -> sub.owner.replaySlice(this, slice));
        } catch (RejectedExecutionException shuttingDown) {
            close();
            slice.release();
        }
    }

    /** Makes and compresses the slice's frames, a large slice's second half on another query thread at once. */
    private void deflate(Slice read) {
        List<byte[]> events = read.events();
        long total = bytesOf(events);
        int half = halfway(events, total);
        int n = events.size();
        TextWebSocketFrame[] frames = new TextWebSocketFrame[n];
        Slice made = new Slice(events, frames, read.storedUpTo(), read.done(), read.truncated(), read.error());
        boolean split = total >= SPLIT_BYTES && half < n;
        AtomicInteger parts = new AtomicInteger(split ? 2 : 1); // the last part done hands the slice over
        int end = split ? half : n;
        if (split) {
            Runnable second = () -> {
                deflate(events, frames, half, n);
                if (parts.decrementAndGet() == 0) handOver(made);
            };
            try {
                relay.queryPool().execute(second);
            } catch (RejectedExecutionException full) {
                parts.decrementAndGet();
                deflate(events, frames, half, n);
            }
        }
        deflate(events, frames, 0, end);
        if (parts.decrementAndGet() == 0) handOver(made);
    }

    static long bytesOf(List<byte[]> events) {
        long bytes = 0;
        for (byte[] json : events) bytes += json.length;
        return bytes;
    }

    /** The first index past half of {@code total} bytes (at least 1). */
    private static int halfway(List<byte[]> events, long total) {
        int i = 1;
        for (long bytes = events.get(0).length; i < events.size() && bytes < total / 2; i++) bytes += events.get(i).length;
        return i;
    }

    private void deflate(List<byte[]> events, TextWebSocketFrame[] frames, int from, int to) {
        Deflater deflater = DEFLATER.get();
        for (int i = from; i < to; i++) {
            TextWebSocketFrame frame = Wire.event(sub.owner.alloc(), sub.eventPrefix, events.get(i));
            frames[i] = frame.content().readableBytes() < Compression.MIN_BYTES ? frame
                    : MessageDeflater.compressed(deflater, sub.owner.alloc(), frame);
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
