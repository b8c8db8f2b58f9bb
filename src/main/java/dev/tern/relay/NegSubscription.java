package dev.tern.relay;

import dev.tern.sync.ServerSession;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * One NIP-77 session of a connection. Confined to the connection's event loop, except {@link #session}, which a
 * query thread uses while {@link #busy}: so a session closed meanwhile is released when that thread is done.
 */
final class NegSubscription {
    final String id;
    final ServerSession session;
    boolean busy;
    boolean closed;
    boolean released;
    ScheduledFuture<?> idle;

    NegSubscription(String id, ServerSession session) {
        this.id = id;
        this.session = session;
    }

    void cancelIdle() {
        if (idle != null) idle.cancel(false);
        idle = null;
    }
}
