package dev.tern.relay;

import dev.tern.filter.Filter;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the REQs whose stored events the store's scan budget cut short: each at DEBUG, and at INFO the
 * first one and then at most one line a minute with how many there were, so a busy relay's log is not
 * flooded but an operator sees that the budget bites. Thread-safe.
 */
final class TruncatedReplays {
    private static final Logger log = LoggerFactory.getLogger(TruncatedReplays.class);
    private static final long INFO_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final AtomicLong sinceInfo = new AtomicLong();
    private final AtomicLong nextInfoNanos = new AtomicLong(System.nanoTime());

    void record(String subId, SocketAddress client, List<Filter> filters) {
        log.debug("REQ {} from {} cut short by the store's scan budget: {}", subId, client, filters);
        long n = sinceInfo.incrementAndGet();
        long now = System.nanoTime();
        long next = nextInfoNanos.get();
        if (now - next >= 0 && nextInfoNanos.compareAndSet(next, now + INFO_INTERVAL_NANOS)) {
            sinceInfo.addAndGet(-n);
            log.info("{} REQ(s) cut short by the store's scan budget (TERN_MAX_SCANNED_KEYS) since the last report; "
                    + "the latest from {}: {}", n, client, filters);
        }
    }
}
