package dev.tern.relay;

import dev.tern.filter.Filter;
import java.net.SocketAddress;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the REQs whose stored events the store's scan budget cut short: each at DEBUG, and at INFO the
 * first one and then at most one line a minute with how many there were, so a busy relay's log is not
 * flooded but an operator sees that the budget bites. Thread-safe.
 */
final class TruncatedReplays {
    private static final Logger log = LoggerFactory.getLogger(TruncatedReplays.class);
    private final LogThrottle throttle = new LogThrottle();

    void record(String subId, SocketAddress client, List<Filter> filters) {
        log.debug("REQ {} from {} cut short by the store's scan budget: {}", subId, client, filters);
        long n = throttle.count();
        if (n > 0) {
            log.info("{} REQ(s) cut short by the store's scan budget (TERN_MAX_SCANNED_KEYS) since the last report; "
                    + "the latest from {}: {}", n, client, filters);
        }
    }
}
