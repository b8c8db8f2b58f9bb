package dev.tern.ingest;

import dev.tern.filter.Filter;
import dev.tern.store.EventCursor;
import dev.tern.store.EventStore;
import dev.tern.store.Visibility;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Streams stored events as JSONL (each event's stored JSON, one a line) with bounded memory: the store's
 * export cursor reads one snapshot, so writes may continue meanwhile. Shared by `tern export` and the
 * HTTP export.
 */
public final class EventExport {
    private EventExport() {}

    /**
     * Writes every stored event matching {@code filter} (null: all, in write order) that {@code visibility}
     * shows to {@code out} and flushes it; returns how many. The caller closes {@code out}.
     */
    public static long write(EventStore store, Filter filter, Visibility visibility, OutputStream out) throws IOException {
        long n = 0;
        try (EventCursor cursor = store.export(filter, visibility)) {
            while (cursor.hasNext()) {
                out.write(cursor.next());
                out.write('\n');
                n++;
            }
        }
        out.flush();
        return n;
    }
}
