package dev.tern.store;

import dev.tern.event.Event;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Event writes for tests outside this package, through a real {@link StoreWriter} as production code must. */
public final class TestWrites {
    private TestWrites() {}

    /** Queues {@code events} as one request and waits (at most a minute) for their outcomes. */
    public static List<WriteOutcome> write(StoreWriter writer, List<Event> events) throws Exception {
        CompletableFuture<List<WriteOutcome>> done = new CompletableFuture<>();
        writer.put(events, null, (outcomes, failure) -> {
            if (failure == null) done.complete(outcomes);
            else done.completeExceptionally(failure);
        });
        return done.get(1, TimeUnit.MINUTES);
    }

    /** Writes {@code events} with a writer of its own, closed before it returns. */
    public static List<WriteOutcome> write(EventStore store, List<Event> events) throws Exception {
        try (StoreWriter writer = new StoreWriter(store, StoreWriter.Settings.defaults(8L << 20))) {
            return write(writer, events);
        }
    }
}
