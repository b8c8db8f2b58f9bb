package dev.tern.relay;

import dev.tern.event.Event;
import dev.tern.metrics.Metrics;
import io.netty.channel.EventLoop;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;

/**
 * Live fan-out: called by the store writer after each durable commit, it hands the event to every event
 * loop, where that loop's {@link SubscriptionIndex} finds the matching subscriptions. The writer thread
 * only enqueues one task per loop; matching and writing happen on the loops.
 */
final class FanOut {
    /** One event loop and the subscriptions of its connections; used only on that loop. */
    static final class Loop {
        final EventLoop executor;
        final SubscriptionIndex index = new SubscriptionIndex();
        private final Set<RelayConnection> written = Collections.newSetFromMap(new IdentityHashMap<>());

        Loop(EventLoop executor) {
            this.executor = executor;
        }

        /** Writes {@code e} to every matching subscription, then flushes each connection written to once. */
        void deliver(Event e, long sequence, long committedAt) {
            index.match(e, sub -> {
                if (sub.owner.deliverLive(sub, e, sequence)) written.add(sub.owner);
            });
            for (RelayConnection c : written) c.flush();
            // commit -> flushed to this loop's matching subscribers
            if (!written.isEmpty()) Metrics.get().observeFanoutNanos(System.nanoTime() - committedAt);
            written.clear();
        }
    }

    private final List<Loop> loops;

    FanOut(List<Loop> loops) {
        this.loops = List.copyOf(loops);
    }

    /** {@code sequence}: the store's write sequence after the event's commit (StoreWriter.CommitListener). */
    void publish(Event e, long sequence) {
        if (e.kind() == AuthVerifier.AUTH_KIND) return; // NIP-42: AUTH events are never broadcast
        long committedAt = System.nanoTime();
        for (Loop l : loops) {
            try {
                l.executor.execute(() -> l.deliver(e, sequence, committedAt));
            } catch (RejectedExecutionException shuttingDown) {
                return; // the relay is stopping; its subscriptions are being closed
            }
        }
    }

    SubscriptionIndex indexFor(EventLoop executor) {
        for (Loop l : loops) if (l.executor == executor) return l.index;
        throw new IllegalStateException("not one of the relay's event loops: " + executor);
    }
}
