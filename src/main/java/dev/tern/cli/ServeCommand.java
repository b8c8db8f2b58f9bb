package dev.tern.cli;

import dev.tern.acl.Acl;
import dev.tern.acl.AclSettings;
import dev.tern.blob.BlobAdmin;
import dev.tern.blob.BlobRoutes;
import dev.tern.blob.BlobService;
import dev.tern.cluster.Bootstrap;
import dev.tern.cluster.Cluster;
import dev.tern.cluster.ClusterSettings;
import dev.tern.config.MemoryBudget;
import dev.tern.event.Schnorr;
import dev.tern.metrics.Metrics;
import dev.tern.http.HttpApi;
import dev.tern.http.HttpTimeouts;
import dev.tern.ingest.ImportSettings;
import dev.tern.store.EventWrites;
import dev.tern.store.StoreWriter;
import dev.tern.relay.AuthMode;
import dev.tern.relay.RelayConfig;
import dev.tern.relay.RelayInfo;
import dev.tern.relay.RelayLimits;
import dev.tern.relay.RelayServer;
import dev.tern.search.SearchIndex;
import dev.tern.search.SearchSettings;
import dev.tern.store.EventStore;
import dev.tern.store.StoreConfig;
import dev.tern.sync.mirror.Mirror;
import dev.tern.sync.mirror.MirrorSettings;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.ServerSocketChannel;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `tern serve`: the relay (WebSocket + HTTP) on the embedded store, until SIGTERM/SIGINT. */
@Command(name = "serve", description = "Run the relay (WebSocket + HTTP) on the embedded store.")
final class ServeCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);
    private static final long MB = 1024L * 1024;

    @Mixin MemoryOptions memory;
    @Mixin StoreOptions storeOptions;
    @Mixin AclOptions aclOptions;
    @Mixin RateOptions rates;
    @Mixin BlossomOptions blossomOptions;
    @Mixin SearchOptions searchOptions;

    @Option(names = "--listen", paramLabel = "HOST", defaultValue = "${env:TERN_LISTEN:-127.0.0.1}",
            description = "Address to listen on (env TERN_LISTEN, default 127.0.0.1).")
    String listen;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "${env:TERN_PORT:-3334}",
            description = "TCP port for WebSocket and HTTP (env TERN_PORT, default 3334).")
    int port;

    @Option(names = "--relay-url", paramLabel = "URL", defaultValue = "${env:TERN_RELAY_URL:-}",
            description = "Public ws:// or wss:// URL of the relay; NIP-42 AUTH events must name its host; "
                    + "empty = ws://LISTEN:PORT (env TERN_RELAY_URL, default empty).")
    String relayUrl;

    @Option(names = "--relay-name", paramLabel = "TEXT", defaultValue = "${env:TERN_RELAY_NAME:-tern}",
            description = "NIP-11 name (env TERN_RELAY_NAME, default tern).")
    String name;

    @Option(names = "--relay-description", paramLabel = "TEXT",
            defaultValue = "${env:TERN_RELAY_DESCRIPTION:-A Nostr relay with an embedded store.}",
            description = "NIP-11 description (env TERN_RELAY_DESCRIPTION, default \"A Nostr relay with an embedded store.\").")
    String description;

    @Mixin
    SyncOptions sync;

    @Mixin
    MirrorOptions mirrorOptions;

    @Mixin
    ClusterOptions clusterOptions;

    @Option(names = "--relay-pubkey", paramLabel = "HEX", defaultValue = "${env:TERN_RELAY_PUBKEY:-}",
            description = "NIP-11 pubkey of the operator, 64 hex characters (env TERN_RELAY_PUBKEY, default empty).")
    String pubkey;

    @Option(names = "--relay-contact", paramLabel = "URI", defaultValue = "${env:TERN_RELAY_CONTACT:-}",
            description = "NIP-11 contact, e.g. mailto:... (env TERN_RELAY_CONTACT, default empty).")
    String contact;

    @Option(names = "--relay-software", paramLabel = "URL", defaultValue = "${env:TERN_RELAY_SOFTWARE:-tern}",
            description = "NIP-11 software, which relay directories group relays by: the URL you got tern from, or its "
                    + "name (env TERN_RELAY_SOFTWARE, default tern).")
    String software;

    @Option(names = "--auth-required", paramLabel = "MODE", defaultValue = "${env:TERN_AUTH_REQUIRED:-none}",
            description = "NIP-42 AUTH needed for: none, write (EVENT) or all (EVENT, REQ, COUNT) "
                    + "(env TERN_AUTH_REQUIRED, default none).")
    AuthMode authMode;

    @Option(names = "--max-message-bytes", paramLabel = "N", defaultValue = "${env:TERN_MAX_MESSAGE_BYTES:-" + RelayLimits.DEFAULT_MAX_MESSAGE_BYTES + "}",
            description = "Largest client message acted upon (the import's line size: long follow lists fit); frames over "
                    + "twice this get a NOTICE and close 1009 (env TERN_MAX_MESSAGE_BYTES, default " + RelayLimits.DEFAULT_MAX_MESSAGE_BYTES + ").")
    int maxMessageBytes;

    @Option(names = "--max-subscriptions", paramLabel = "N", defaultValue = "${env:TERN_MAX_SUBSCRIPTIONS:-" + RelayLimits.DEFAULT_MAX_SUBSCRIPTIONS + "}",
            description = "Open subscriptions per connection (env TERN_MAX_SUBSCRIPTIONS, default " + RelayLimits.DEFAULT_MAX_SUBSCRIPTIONS + ").")
    int maxSubscriptions;

    @Option(names = "--max-filters", paramLabel = "N", defaultValue = "${env:TERN_MAX_FILTERS:-" + RelayLimits.DEFAULT_MAX_FILTERS + "}",
            description = "Filters per REQ or COUNT; clients send one per author (env TERN_MAX_FILTERS, default " + RelayLimits.DEFAULT_MAX_FILTERS + ").")
    int maxFilters;

    @Option(names = "--max-filter-values", paramLabel = "N", defaultValue = "${env:TERN_MAX_FILTER_VALUES:-" + RelayLimits.DEFAULT_MAX_FILTER_VALUES + "}",
            description = "Values in one list of a filter: ids, authors, kinds or a #tag; a home feed lists every follow "
                    + "(env TERN_MAX_FILTER_VALUES, default " + RelayLimits.DEFAULT_MAX_FILTER_VALUES + ").")
    int maxFilterValues;

    @Option(names = "--max-limit", paramLabel = "N", defaultValue = "${env:TERN_MAX_LIMIT:-" + RelayLimits.DEFAULT_MAX_LIMIT + "}",
            description = "A filter's limit is clamped to this (env TERN_MAX_LIMIT, default " + RelayLimits.DEFAULT_MAX_LIMIT + ").")
    int maxLimit;

    @Option(names = "--max-scanned-keys", paramLabel = "N", defaultValue = "${env:TERN_MAX_SCANNED_KEYS:-" + StoreConfig.DEFAULT_MAX_SCANNED_KEYS + "}",
            description = "Scan budget of one REQ or COUNT: index keys and id lookups it may visit; a REQ that reaches it "
                    + "gets what was found, then EOSE and a NOTICE saying it is incomplete; a COUNT counts what was scanned "
                    + "(env TERN_MAX_SCANNED_KEYS, default " + StoreConfig.DEFAULT_MAX_SCANNED_KEYS + ").")
    long maxScannedKeys;

    @Option(names = "--default-limit", paramLabel = "N", defaultValue = "${env:TERN_DEFAULT_LIMIT:-" + RelayLimits.DEFAULT_DEFAULT_LIMIT + "}",
            description = "Events returned for a filter without a limit (env TERN_DEFAULT_LIMIT, default " + RelayLimits.DEFAULT_DEFAULT_LIMIT + ").")
    int defaultLimit;

    @Option(names = "--max-event-tags", paramLabel = "N", defaultValue = "${env:TERN_MAX_EVENT_TAGS:-" + RelayLimits.DEFAULT_MAX_EVENT_TAGS + "}",
            description = "Tags per event; follow lists and NIP-51 lists (kind 3, 10000-19999) are bounded by the message "
                    + "size instead (env TERN_MAX_EVENT_TAGS, default " + RelayLimits.DEFAULT_MAX_EVENT_TAGS + ").")
    int maxEventTags;

    @Option(names = "--max-content-length", paramLabel = "N", defaultValue = "${env:TERN_MAX_CONTENT_LENGTH:-" + RelayLimits.DEFAULT_MAX_CONTENT_LENGTH + "}",
            description = "Characters in an event's content; lists (kind 3, 10000-19999) are bounded by the message size "
                    + "instead (env TERN_MAX_CONTENT_LENGTH, default " + RelayLimits.DEFAULT_MAX_CONTENT_LENGTH + ").")
    int maxContentLength;

    @Option(names = "--created-at-lower-limit", paramLabel = "SECONDS", defaultValue = "${env:TERN_CREATED_AT_LOWER_LIMIT:-" + RelayLimits.DEFAULT_CREATED_AT_LOWER_LIMIT + "}",
            description = "How far in the past created_at may be; 0 = any (env TERN_CREATED_AT_LOWER_LIMIT, default " + RelayLimits.DEFAULT_CREATED_AT_LOWER_LIMIT + ").")
    long createdAtLowerLimit;

    @Option(names = "--created-at-upper-limit", paramLabel = "SECONDS", defaultValue = "${env:TERN_CREATED_AT_UPPER_LIMIT:-" + RelayLimits.DEFAULT_CREATED_AT_UPPER_LIMIT + "}",
            description = "How far in the future created_at may be; 0 = any (env TERN_CREATED_AT_UPPER_LIMIT, default " + RelayLimits.DEFAULT_CREATED_AT_UPPER_LIMIT + ").")
    long createdAtUpperLimit;

    @Option(names = "--max-events-in-flight", paramLabel = "N", defaultValue = "${env:TERN_MAX_EVENTS_IN_FLIGHT:-" + RelayLimits.DEFAULT_MAX_EVENTS_IN_FLIGHT + "}",
            description = "A connection's EVENTs awaiting the writer before the relay stops reading it "
                    + "(env TERN_MAX_EVENTS_IN_FLIGHT, default " + RelayLimits.DEFAULT_MAX_EVENTS_IN_FLIGHT + ").")
    int maxEventsInFlight;

    @Option(names = "--outbound-buffer-bytes", paramLabel = "N", defaultValue = "${env:TERN_OUTBOUND_BUFFER_BYTES:-" + RelayLimits.DEFAULT_OUTBOUND_BUFFER_BYTES + "}",
            description = "Bytes queued towards one client before it counts as slow and loses its subscriptions "
                    + "(env TERN_OUTBOUND_BUFFER_BYTES, default " + RelayLimits.DEFAULT_OUTBOUND_BUFFER_BYTES + ").")
    int outboundBufferBytes;

    @Option(names = "--slow-consumer-grace-ms", paramLabel = "MS", defaultValue = "${env:TERN_SLOW_CONSUMER_GRACE_MS:-" + RelayLimits.DEFAULT_SLOW_CONSUMER_GRACE_MILLIS + "}",
            description = "How long a client may leave its buffer full before it is disconnected "
                    + "(env TERN_SLOW_CONSUMER_GRACE_MS, default " + RelayLimits.DEFAULT_SLOW_CONSUMER_GRACE_MILLIS + ").")
    long slowConsumerGraceMs;

    @Option(names = "--io-threads", paramLabel = "N", defaultValue = "${env:TERN_IO_THREADS:-0}",
            description = "Netty event loops; 0 = one per core (env TERN_IO_THREADS, default 0).")
    int ioThreads;

    @Option(names = "--query-threads", paramLabel = "N", defaultValue = "${env:TERN_QUERY_THREADS:-2}",
            description = "Threads answering REQ and COUNT queries (env TERN_QUERY_THREADS, default 2).")
    int queryThreads;

    @Option(names = "--query-queue", paramLabel = "N", defaultValue = "${env:TERN_QUERY_QUEUE:-1024}",
            description = "Queries waiting for a thread before new ones are refused (env TERN_QUERY_QUEUE, default 1024).")
    int queryQueue;

    @Option(names = "--http-header-timeout-seconds", paramLabel = "SECONDS",
            defaultValue = "${env:TERN_HTTP_HEADER_TIMEOUT_SECONDS:-" + HttpTimeouts.DEFAULT_HEADER_SECONDS + "}",
            description = "Time a connection has to send a whole HTTP request head (or finish its WebSocket upgrade), and "
                    + "the longest an idle keep-alive connection is kept; then it is closed, with 408 if a head was begun "
                    + "(env TERN_HTTP_HEADER_TIMEOUT_SECONDS, default " + HttpTimeouts.DEFAULT_HEADER_SECONDS + ").")
    int httpHeaderTimeoutSeconds;

    @Option(names = "--upload-idle-seconds", paramLabel = "SECONDS", defaultValue = "${env:TERN_UPLOAD_IDLE_SECONDS:-" + HttpTimeouts.DEFAULT_UPLOAD_IDLE_SECONDS + "}",
            description = "A request body (an import upload) that sends nothing for this long while the relay waits for it "
                    + "is cut off and its import fails; time the relay paused reading, waiting for the import, does not "
                    + "count (env TERN_UPLOAD_IDLE_SECONDS, default " + HttpTimeouts.DEFAULT_UPLOAD_IDLE_SECONDS + ").")
    int uploadIdleSeconds;

    @Option(names = "--upload-min-bytes-per-second", paramLabel = "N",
            defaultValue = "${env:TERN_UPLOAD_MIN_BYTES_PER_SECOND:-" + HttpTimeouts.DEFAULT_UPLOAD_MIN_BYTES_PER_SECOND + "}",
            description = "A request body bringing fewer bytes per second over --upload-idle-seconds of waiting is cut off; "
                    + "0 = no minimum (env TERN_UPLOAD_MIN_BYTES_PER_SECOND, default " + HttpTimeouts.DEFAULT_UPLOAD_MIN_BYTES_PER_SECOND + ").")
    long uploadMinBytesPerSecond;

    @Override
    public Integer call() throws Exception {
        MemoryBudget budget = memory.budget();
        Schnorr.cachePublicKeys(budget.publicKeyCacheMb());
        AclSettings aclSettings;
        SearchSettings searchSettings;
        RelayConfig config;
        MirrorSettings mirrorSettings;
        ClusterSettings clusterSettings;
        URI bootstrapPeer;
        try {
            aclSettings = aclOptions.settings(rates);
            searchSettings = searchOptions.settings(budget, false);
            config = relayConfig(); // its limits and sync settings check their values
            mirrorSettings = mirrorOptions.settings(budget, config.sync());
            clusterSettings = clusterOptions.enabled() ? clusterOptions.settings(budget, listen, port) : null;
            bootstrapPeer = clusterSettings == null ? null : clusterOptions.bootstrapPeer();
        } catch (IllegalArgumentException e) {
            System.err.println("tern serve: " + e.getMessage());
            return 2;
        }
        for (String renamed : rates.renamedInUse()) log.warn(renamed);
        StoreConfig storeConfig = storeOptions.storeConfig(budget).withMaxScannedKeys(maxScannedKeys)
                .withRelayHost(config.info().host());

        requirePortFree(); // before the store: a taken port must not leave a new store behind
        if (bootstrapPeer != null && !Bootstrap.hasStore(storeOptions.dataDir)) {
            java.nio.file.Files.createDirectories(storeOptions.dataDir);
            try {
                long bytes = Bootstrap.fromPeer(bootstrapPeer, storeOptions.dataDir, mirrorSettings.authKey());
                System.out.printf("started from %s's snapshot (%d MB); the log follows%n", bootstrapPeer, bytes >> 20);
            } catch (IOException e) {
                throw new CliFailure(CliFailure.USAGE, "cannot start from " + bootstrapPeer + "'s snapshot: " + e.getMessage());
            }
        }
        EventStore store = storeOptions.open(storeConfig, false, "is another tern serve running on it?");
        StoreWriter writer = new StoreWriter(store, StoreWriter.Settings.defaults(budget.writerQueueMb() * MB));
        SearchIndex search = SearchOptions.open(searchSettings, storeOptions.dataDir, store);
        if (search != null) search.follow(writer); // catches up from the store on its own thread
        Acl acl = Acl.attach(aclSettings, store, writer, Clock.systemUTC());
        // in cluster mode every write goes through the log, and this node's writer applies the log (docs/CLUSTER.md)
        Cluster cluster = clusterSettings == null ? null : new Cluster(clusterSettings, store, writer, acl.policy().importPolicy());
        EventWrites writes = cluster == null ? writer : cluster.writes();
        HttpApi api = new HttpApi(store, writer, writes, acl.adminGuard(), acl.nip86(), acl.privacy(), importSettings(budget, acl), budget);
        if (cluster != null) {
            cluster.applyNip86With(api.nip86Effect());
            api.routeNip86Through(cluster.nip86Calls());
            api.addStats("cluster", cluster::statsJson);
            cluster.registerMetrics(Metrics.get());
        }
        Mirror mirror = mirrorSettings.peers().isEmpty() ? null : new Mirror(mirrorSettings, store, writer, writes, importSettings(budget, acl));
        if (mirror != null) {
            api.addStats("mirror", mirror::statsJson);
            mirror.registerMetrics(Metrics.get());
        }
        BlobService blobs = blossomOptions.enabled ? new BlobService(blossomOptions.settings(storeOptions.dataDir), store, writer,
                acl, BlobService.transfersFor(budget), () -> System.currentTimeMillis() / 1000) : null;
        if (blobs != null) {
            api.addStats("blobs", blobs::statsJson);
            blobs.registerGauges(Metrics.get());
            api.purgeOnBan((mutations, pubkey) -> blobs.removeAllNow(mutations, pubkey.toString()));
        }
        RelayServer relay;
        try {
            relay = RelayServer.start(config, store, writer, writes, acl, search, router -> {
                api.register(router);
                if (blobs != null) {
                    new BlobAdmin(blobs, acl.adminGuard()).register(router);
                    new BlobRoutes(blobs, config.httpTimeouts()).register(router);
                }
            });
        } catch (Exception e) {
            if (blobs != null) blobs.close();
            if (cluster != null) cluster.close();
            api.close();
            writer.close();
            if (search != null) search.close();
            store.close();
            throw e;
        }
        System.out.printf("tern relay at %s (listening on %s:%d)%n", config.info().relayUrl(), listen, relay.port());
        System.out.printf("operator page at http://%s:%d/%n", listen.contains(":") ? "[" + listen + "]" : listen, relay.port());
        System.out.printf("data dir %s; memory budget %d MB (heap %d MB, RocksDB cache %d MB, write queue %d MB, search %s)%n",
                storeOptions.dataDir.toAbsolutePath().normalize(), budget.totalMb(), budget.heapMb(),
                storeConfig.blockCacheBytes() / MB, budget.writerQueueMb(),
                search == null ? "off" : budget.searchBufferMb() + " MB buffer, " + budget.searchQueueMb() + " MB queue");
        if (cluster != null) {
            relay.health().addCheck(cluster::problem);
            relay.health().addNote(cluster::degraded);
            cluster.start(); // applies the log from where this store left it; the relay serves reads meanwhile
            System.out.printf("cluster node %s on NATS %s, stream %s%n", clusterSettings.node(),
                    String.join(",", clusterSettings.urls()), clusterSettings.stream());
        }
        if (mirror != null) {
            mirror.start(); // once the relay listens: a peer mirroring us back can connect at once
            System.out.printf("mirroring %d relays%n", mirrorSettings.peers().size());
        }
        System.out.flush();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // each step is logged, so an operator sees where a slow stop waits
            long t0 = System.nanoTime();
            try {
                if (mirror != null) {
                    log.info("shutting down: closing the mirrored relays' links");
                    mirror.close(); // a running reconciliation ends with what it committed, before the writer closes
                }
                log.info("shutting down: closing subscriptions and connections");
                relay.close();   // stop accepting, CLOSED to every subscription
                if (cluster != null) {
                    log.info("shutting down: leaving the cluster's log");
                    cluster.close(); // what the applier took from the log is committed by the writer below
                }
                if (blobs != null) blobs.close(); // unfinished uploads leave only temp files, removed at the next start
                log.info("shutting down: ending a running import with what it committed");
                api.close();     // fail a running upload; its import ends with what was committed
                log.info("shutting down: committing the events still queued for the writer");
                writer.close();  // commit what is queued
                if (search != null) {
                    log.info("shutting down: committing the search index");
                    search.close(); // index what the writer committed, then commit the index
                }
                log.info("shutting down: closing the store");
                store.close();
                log.info("stopped in {} ms", (System.nanoTime() - t0) / 1_000_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                stopped.countDown();
            }
        }, "tern-shutdown"));
        stopped.await();
        return 0;
    }

    /** Binds the port once and lets it go, so a taken port fails before anything is opened or created. */
    private void requirePortFree() throws IOException {
        if (port == 0) return;
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            probe.bind(new InetSocketAddress(listen, port));
        } catch (BindException e) {
            throw new CliFailure(CliFailure.IN_USE, listen + ":" + port + " is in use (another tern serve or another program); "
                    + "choose another with --port or TERN_PORT");
        }
    }

    /** Imports uploaded over HTTP use the same defaults as `tern import`, within the memory budget, and the live ACL's bans. */
    private static ImportSettings importSettings(MemoryBudget budget, Acl acl) {
        return new ImportSettings(ImportSettings.DEFAULT_MAX_LINE_BYTES, ImportSettings.DEFAULT_BATCH_EVENTS,
                budget.importQueueMb() * MB, Runtime.getRuntime().availableProcessors(), true, acl.policy().importPolicy());
    }

    /** The relay configuration the options describe. */
    RelayConfig relayConfig() {
        String url = relayUrl.isBlank() ? "ws://" + (listen.contains(":") ? "[" + listen + "]" : listen) + ":" + port : relayUrl;
        RelayInfo info = new RelayInfo(name, description, pubkey, contact, software,
                VersionCommand.version(), url);
        RelayLimits limits = new RelayLimits(maxMessageBytes, maxSubscriptions, maxFilters, maxFilterValues, maxLimit, defaultLimit,
                maxEventTags, maxContentLength, createdAtLowerLimit, createdAtUpperLimit, rates.ipMaxConnections(),
                rates.connectionEventsPerSecond(), rates.connectionEventBurst(), maxEventsInFlight, outboundBufferBytes, slowConsumerGraceMs);
        HttpTimeouts http = new HttpTimeouts(Duration.ofSeconds(httpHeaderTimeoutSeconds), Duration.ofSeconds(uploadIdleSeconds),
                uploadMinBytesPerSecond);
        return new RelayConfig(listen, port, ioThreads, queryThreads, queryQueue, authMode, info, limits, http,
                RelayConfig.slowClientsFittingDirectMemory(limits), sync.settings());
    }
}
