package dev.tern.relay;

import dev.tern.acl.Acl;
import dev.tern.acl.AclMode;
import dev.tern.acl.AclSettings;
import dev.tern.acl.Identities;
import dev.tern.http.HttpTimeouts;
import dev.tern.store.StoreWriter;
import dev.tern.store.EventStore;
import dev.tern.store.StoreConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.UnaryOperator;

/** A real relay (store, writer, server) on 127.0.0.1 and a free port, for end-to-end tests. */
final class TestRelay implements AutoCloseable {
    final EventStore store;
    final StoreWriter writer;
    final RelayServer server;
    final RelayConfig config;

    private TestRelay(Path dir, RelayConfig config) throws InterruptedException {
        this(dir, config, StoreConfig.DEFAULT_MAX_SCANNED_KEYS);
    }

    private TestRelay(Path dir, RelayConfig config, long scanBudget) throws InterruptedException {
        this.config = config;
        StoreConfig sc = StoreConfig.forBudget(dir, 192).withMaxScannedKeys(scanBudget);
        this.store = EventStore.open(sc);
        this.writer = new StoreWriter(store, StoreWriter.Settings.defaults(16L << 20));
        Acl open = Acl.attach(AclSettings.defaults(AclMode.NONE, Identities.NONE), store, writer, Clock.systemUTC());
        this.server = RelayServer.start(config, store, writer, open, r -> { });
    }

    static RelayLimits limits() {
        // tests publish quickly: no rate limit unless a test sets one
        RelayLimits d = RelayLimits.DEFAULTS;
        return new RelayLimits(d.maxMessageBytes(), d.maxSubscriptions(), d.maxFilters(), d.maxFilterValues(), d.maxLimit(), d.defaultLimit(),
                d.maxEventTags(), d.maxContentLength(), d.createdAtLowerLimit(), d.createdAtUpperLimit(), 512, 0, 0,
                d.maxEventsInFlight(), d.outboundBufferBytes(), d.slowConsumerGraceMillis());
    }

    static RelayConfig config(AuthMode auth, RelayLimits limits) {
        RelayInfo info = new RelayInfo("test relay", "a relay under test", "", "mailto:ops@example.org", "", "0.0-test",
                "ws://127.0.0.1:3334");
        return new RelayConfig("127.0.0.1", 0, 2, 2, 256, auth, info, limits, HttpTimeouts.DEFAULTS, 64);
    }

    static TestRelay start(Path dir) throws InterruptedException {
        return new TestRelay(dir, config(AuthMode.NONE, limits()));
    }

    static TestRelay start(Path dir, RelayConfig config) throws InterruptedException {
        return new TestRelay(dir, config);
    }

    /** A relay whose store visits at most {@code keys} index keys per query. */
    static TestRelay withScanBudget(Path dir, long keys) throws InterruptedException {
        return new TestRelay(dir, config(AuthMode.NONE, limits()), keys);
    }

    static TestRelay start(Path dir, UnaryOperator<RelayLimits> limits) throws InterruptedException {
        return new TestRelay(dir, config(AuthMode.NONE, limits.apply(limits())));
    }

    URI ws() {
        return URI.create("ws://127.0.0.1:" + server.port() + "/");
    }

    URI http(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    @Override
    public void close() {
        server.close();
        writer.close();
        store.close();
    }
}
