package dev.tern.relay;

import dev.tern.http.HttpTimeouts;
import dev.tern.sync.SyncSettings;
import java.util.Objects;

/**
 * Everything the relay server needs besides the store and the writer.
 *
 * @param host         address to listen on
 * @param port         TCP port; 0 picks a free one (tests)
 * @param ioThreads    Netty event loops; 0 = one per core
 * @param queryThreads threads running REQ and COUNT queries off the event loops
 * @param queryQueue   queries waiting for a query thread before new ones are refused
 * @param httpTimeouts how long HTTP clients may take to send their requests
 * @param maxSlowClients clients that may be slow (outbound buffer full) at once; past it, a client that
 *                       falls behind is disconnected without a grace period ({@link SlowClients#fitting})
 * @param sync         NIP-77 negentropy sessions
 */
public record RelayConfig(String host, int port, int ioThreads, int queryThreads, int queryQueue, AuthMode authMode,
                          RelayInfo info, RelayLimits limits, HttpTimeouts httpTimeouts, int maxSlowClients, SyncSettings sync) {
    /** With the default sync settings. */
    public RelayConfig(String host, int port, int ioThreads, int queryThreads, int queryQueue, AuthMode authMode,
                       RelayInfo info, RelayLimits limits, HttpTimeouts httpTimeouts, int maxSlowClients) {
        this(host, port, ioThreads, queryThreads, queryQueue, authMode, info, limits, httpTimeouts, maxSlowClients,
                SyncSettings.DEFAULTS);
    }

    public RelayConfig {
        Objects.requireNonNull(sync, "sync");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(authMode, "authMode");
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(httpTimeouts, "httpTimeouts");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0..65535");
        if (ioThreads < 0 || queryThreads < 1 || queryQueue < 1 || maxSlowClients < 1) {
            throw new IllegalArgumentException("thread and queue sizes must be positive");
        }
    }

    /** The slow-client cap that keeps slow clients within half of this JVM's direct memory. */
    public static int slowClientsFittingDirectMemory(RelayLimits limits) {
        return SlowClients.fitting(io.netty.util.internal.PlatformDependent.maxDirectMemory(), limits.outboundBufferBytes());
    }

    public RelayConfig withSync(SyncSettings settings) {
        return new RelayConfig(host, port, ioThreads, queryThreads, queryQueue, authMode, info, limits, httpTimeouts,
                maxSlowClients, settings);
    }

    int effectiveIoThreads() {
        return ioThreads > 0 ? ioThreads : Runtime.getRuntime().availableProcessors();
    }
}
