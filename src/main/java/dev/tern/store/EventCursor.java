package dev.tern.store;

import java.util.Iterator;

/**
 * A stream of stored events' json bytes (the NIP-01 wire form), read from one snapshot with bounded
 * memory. Close it (try-with-resources) to release the snapshot and its iterators; exhausting it
 * does not. Used by one thread at a time.
 */
public interface EventCursor extends Iterator<byte[]>, AutoCloseable {
    /** True if the query stopped early at the scan budget ({@link StoreConfig#maxScannedKeys()}); results are then incomplete. */
    boolean truncated();

    /**
     * The store's write sequence ({@link EventStore#writeSequence}) when this cursor's snapshot was taken:
     * every event committed at or before it is in the snapshot, none committed after.
     */
    long snapshotSequence();

    @Override
    void close();
}
