package dev.tern.relay;

import dev.tern.filter.Filter;
import dev.tern.store.EventCursor;
import java.util.ArrayList;
import java.util.List;
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

    final Subscription sub;
    private final RelayServer relay;
    private final List<Filter> filters;
    private final int sliceBytes;
    private EventCursor cursor;
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
            if (cursor == null) {
                cursor = relay.store().query(filters);
                snapshotSequence = cursor.snapshotSequence();
            }
            int bytes = 0;
            while (bytes < sliceBytes && slice.size() < SLICE_EVENTS) {
                if (!cursor.hasNext()) {
                    done = true;
                    truncated = cursor.truncated();
                    break;
                }
                byte[] json = cursor.next();
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

    void close() {
        if (cursor != null) {
            cursor.close();
            cursor = null;
        }
    }
}
