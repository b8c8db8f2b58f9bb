package dev.tern.relay;

import dev.tern.event.Event;
import dev.tern.metrics.Metrics;
import io.netty.channel.EventLoop;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

/**
 * Live fan-out: called by the store writer after each durable commit, it hands the event to every event
 * loop, where that loop's {@link SubscriptionIndex} finds the matching subscriptions. The writer thread
 * only enqueues one task per loop; matching and writing happen on the loops.
 */
final class FanOut {
    /** One event loop and the subscriptions of its connections. */
    record Loop(EventLoop executor, SubscriptionIndex index) {}

    private final List<Loop> loops;

    FanOut(List<Loop> loops) {
        this.loops = List.copyOf(loops);
    }

    void publish(Event e) {
        if (e.kind() == AuthVerifier.AUTH_KIND) return; // NIP-42: AUTH events are never broadcast
        long committedAt = System.nanoTime();
        for (Loop l : loops) {
            try {
                l.executor.execute(() -> {
                    int[] matched = {0};
                    l.index.match(e, sub -> {
                        matched[0]++;
                        sub.owner.deliverLive(sub, e);
                    });
                    // commit -> handed to this loop's last matching subscriber
                    if (matched[0] > 0) Metrics.get().observeFanoutNanos(System.nanoTime() - committedAt);
                });
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
