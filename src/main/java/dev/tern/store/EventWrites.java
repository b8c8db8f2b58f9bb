package dev.tern.store;

import dev.tern.event.Event;
import java.util.List;
import java.util.function.Function;

/**
 * Where verified events go to be stored: the {@link StoreWriter} itself on a single node, the cluster log
 * in cluster mode (which the writer of every node then applies). Completions report each event's outcome.
 */
public interface EventWrites {
    /** The store these writes end in, for reads that decide nothing for the writer (e.g. ids already verified). */
    EventStore store();

    /** Queues a write without waiting (the relay); false if there is no room now. */
    boolean offer(List<Event> events, StoreWriter.Completion done);

    /**
     * Queues a write, waiting for room (imports). {@code checkpoint} (nullable) is made from the write's own
     * outcomes and committed with them where the path allows (see the implementation).
     */
    void put(List<Event> events, Function<List<WriteOutcome>, Checkpoint> checkpoint, StoreWriter.Completion done)
            throws InterruptedException;
}
