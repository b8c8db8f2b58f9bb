package dev.tern.relay;

import dev.tern.acl.Acl;
import dev.tern.acl.AclMode;
import dev.tern.acl.AclSettings;
import dev.tern.acl.Identities;
import dev.tern.search.SearchIndex;
import dev.tern.search.SearchSettings;
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
    /** NIP-50's index, or null for a relay without search. */
    final SearchIndex search;

    private TestRelay(Path dir, RelayConfig config) throws InterruptedException {
        this(dir, config, StoreConfig.DEFAULT_MAX_SCANNED_KEYS, false);
    }

    private TestRelay(Path dir, RelayConfig config, long scanBudget) throws InterruptedException {
        this(dir, config, scanBudget, false);
    }

    private TestRelay(Path dir, RelayConfig config, long scanBudget, boolean search) throws InterruptedException {
        this.config = config;
        StoreConfig sc = StoreConfig.forBudget(dir, 192).withMaxScannedKeys(scanBudget)
                .withRelayHost(config.info().host());
        this.store = EventStore.open(sc);
        this.writer = new StoreWriter(store, StoreWriter.Settings.defaults(16L << 20));
        if (search) {
            SearchSettings settings = new SearchSettings(true, SearchSettings.DEFAULT_KINDS, 4L << 20, 1L << 20, false);
            this.search = SearchIndex.open(SearchIndex.directoryIn(dir), settings, store);
            this.search.follow(writer);
        } else {
            this.search = null;
        }
        Acl open = Acl.attach(AclSettings.defaults(AclMode.NONE, Identities.NONE), store, writer, Clock.systemUTC());
        this.server = RelayServer.start(config, store, writer, open, this.search, r -> { });
    }

    /** A relay with NIP-50 search on. */
    static TestRelay startWithSearch(Path dir) throws InterruptedException {
        return new TestRelay(dir, config(AuthMode.NONE, limits()), StoreConfig.DEFAULT_MAX_SCANNED_KEYS, true);
    }

    /** Waits (at most 10 s) until the search index can find every event committed so far. */
    void awaitSearchable() throws InterruptedException {
        long target = store.writeSequence();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (search.searchableSequence() < target) {
            if (System.nanoTime() > deadline) throw new AssertionError("the search index did not catch up within 10 s");
            Thread.sleep(10);
        }
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
        if (search != null) search.close();
        store.close();
    }
}
